/**
 * A weight typed into a cell is checked on read like text is: one far
 * beyond anything training reaches (1e308) is named by its cell, with the
 * range the trainer accepts, instead of surfacing later as a divergence
 * blamed on the learning rate.
 */
import { Controller } from "../src/taskpane/controller";
import { ExcelHost } from "../src/taskpane/host";
import { FakeExcel, parseAddress } from "./support/fake-excel";
import { columnLetters } from "../src/sheet/a1";

/** The sheet and A1 address of cell (i, j) of a named block. */
function cellOf(fake: FakeExcel, name: string, i: number, j: number): { sheet: string; address: string } {
  const { sheet, rect } = parseAddress(fake.nameRef(name)!);
  return { sheet: sheet!, address: `${columnLetters(rect.left + j)}${rect.top + i + 1}` };
}

async function built(): Promise<{ fake: FakeExcel; pane: Controller }> {
  const fake = new FakeExcel();
  const pane = new Controller(new ExcelHost(fake.run, fake.requirements));
  await pane.start();
  await pane.build({ preset: "encoder", task: "reverse", sentence: "", dModel: "8", heads: "2", dK: "4", seed: "1", style: "cells" });
  expect(pane.state.status.tone).toBe("ok");
  return { fake, pane };
}

test.each([1e308, -1e7, 1000001])("a weight of %d typed into a cell is named by its cell, and nothing is trained", async (huge) => {
  const { fake, pane } = await built();
  const { sheet, address } = cellOf(fake, "Enc_H1_Wq", 2, 1);
  fake.setCell(sheet, address, huge);
  const other = cellOf(fake, "Out_W", 0, 0);
  const before = fake.cell(other.sheet, other.address)?.value;
  await pane.train({ optimizer: "sgd", lr: "0.1", steps: "3" });
  expect(pane.state.status).toEqual({ text: "Training stopped:", tone: "error" });
  expect(pane.state.details).toEqual([
    `Enc_H1_Wq needs a number between −1e6 and 1e6 in ${sheet}!${address} but it holds ${String(huge)}.`,
  ]);
  expect(fake.cell(sheet, address)?.value).toBe(huge);
  expect(fake.cell(other.sheet, other.address)?.value).toBe(before);
});

test("weights at the bound and a large but sane weight train as usual", async () => {
  const { fake, pane } = await built();
  const a = cellOf(fake, "Enc_FF_W1", 0, 0);
  const b = cellOf(fake, "Out_B", 0, 1);
  fake.setCell(a.sheet, a.address, 250);
  fake.setCell(b.sheet, b.address, -1e6);
  await pane.train({ optimizer: "sgd", lr: "0.001", steps: "1" });
  expect(pane.state.status.text).toMatch(/^Trained 1 step/);
});
