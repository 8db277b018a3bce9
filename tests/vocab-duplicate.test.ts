/**
 * A word typed twice in the Vocab block: the sheets look a token up with
 * SUMPRODUCT/EXACT over the block, which adds the rows of both copies and
 * gives a row that is neither, so training refuses it, naming both cells.
 */
import { builtPane } from "./support/builds";
import { FakeExcel, parseAddress } from "./support/fake-excel";

/** The sheet and A1 address of row `i` of the Vocab block. */
function vocabCell(fake: FakeExcel, i: number): { sheet: string; address: string } {
  const { sheet, rect } = parseAddress(fake.nameRef("Vocab")!);
  return { sheet: sheet!, address: `${String.fromCharCode(65 + rect.left)}${rect.top + i + 1}` };
}

test("a word that appears twice in the Vocab block stops training, naming both cells", async () => {
  const { fake, pane } = await builtPane();
  const first = vocabCell(fake, 3);
  const second = vocabCell(fake, 5);
  const word = String(fake.cell(first.sheet, first.address)?.value);
  fake.setCell(second.sheet, second.address, word);
  await pane.train({ optimizer: "adam", lr: "0.01", steps: "2" });
  expect(pane.state.status.tone).toBe("error");
  expect(pane.state.details).toEqual([
    `Vocab has "${word}" twice, in ${first.sheet}!${first.address} and ${second.sheet}!${second.address}: each word may appear once.`,
  ]);
});
