/**
 * Edits to the Vocab block (issue 9, section 1). The sheets already read
 * the Vocab block (MATCH for the token ids, INDEX for the labels and the
 * predictions), so the trainer reads it too, in the same sync as the Data
 * sheet: a word renamed in the block is that row's word for training as for
 * the formulas, instead of a hidden copy that the sheet no longer shows.
 */
import { builtPane } from "./support/builds";
import { FakeExcel, parseAddress } from "./support/fake-excel";

/** Every cell of a named block: its sheet, A1 address and value. */
function cells(fake: FakeExcel, name: string): { sheet: string; address: string; value: unknown }[] {
  const { sheet, rect } = parseAddress(fake.nameRef(name)!);
  const out: { sheet: string; address: string; value: unknown }[] = [];
  for (let i = 0; i < rect.rows; i++) {
    for (let j = 0; j < rect.cols; j++) {
      const address = `${String.fromCharCode(65 + rect.left + j)}${rect.top + i + 1}`;
      out.push({ sheet: sheet!, address, value: fake.cell(sheet!, address)?.value });
    }
  }
  return out;
}

/** Renames `from` to `to` in the Vocab block (and, with `data`, in every Data cell too). */
function rename(fake: FakeExcel, from: string, to: string, data: boolean): void {
  const row = cells(fake, "Vocab").find((c) => c.value === from)!;
  fake.setCell(row.sheet, row.address, to);
  if (!data) return;
  for (const c of [...cells(fake, "Data_Source"), ...cells(fake, "Data_Target")])
    if (c.value === from) fake.setCell(c.sheet, c.address, to);
}

const word = (fake: FakeExcel): string => String(cells(fake, "Vocab")[3].value);

test("a word renamed in the Vocab block and in the Data sheet trains as that row's word", async () => {
  const { fake, pane } = await builtPane();
  rename(fake, word(fake), "zeta", true);
  await pane.train({ optimizer: "adam", lr: "0.01", steps: "2" });
  expect(pane.state.status).toEqual({ text: expect.stringMatching(/^Trained 2 steps/), tone: "ok" });
});

test("a word renamed in the Vocab block only: the Data cells that still hold the old word are named, as the sheet's MATCH would not find them", async () => {
  const { fake, pane } = await builtPane();
  const old = word(fake);
  rename(fake, old, "zeta", false);
  await pane.train({ optimizer: "adam", lr: "0.01", steps: "2" });
  expect(pane.state.status.tone).toBe("error");
  expect(pane.state.details[0]).toMatch(new RegExp(`^Data![A-Z]+\\d+ holds "${old}", which is not in the vocabulary\\.$`));
});

test("a special token overwritten in the Vocab block: the cell is named, and what it must hold", async () => {
  const { fake, pane } = await builtPane();
  const pad = cells(fake, "Vocab")[0];
  fake.setCell(pad.sheet, pad.address, "nothing");
  await pane.train({ optimizer: "adam", lr: "0.01", steps: "2" });
  expect(pane.state.status.tone).toBe("error");
  expect(pane.state.details).toEqual([
    `The Vocab block must start with <pad>, <s> and </s>, which the model needs, but ${pad.sheet}!${pad.address} holds "nothing": put them back (or rebuild the workbook).`,
  ]);
});
