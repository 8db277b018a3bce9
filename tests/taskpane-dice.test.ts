/**
 * "Roll the dice" in a gpt workbook, over the real Excel adapter and the
 * recording fake: new values in the Dice cells only (every other cell,
 * name and sheet of the workbook compared before and after), each in
 * [0, 1), new ones on each press; the user's own Temperature, Sampling_On
 * and Dice survive every other action; a roll is undone by Undo, keeping a
 * cell the user changed since; and it waits while the user types in a cell.
 */
import { withRunOptions } from "../src/excel/store";
import { Controller } from "../src/taskpane/controller";
import type { BuildFields, TrainFields } from "../src/taskpane/forms";
import { SMALL_GPT_FIELDS } from "./support/pane-fields";
import { ExcelHost } from "../src/taskpane/host";
import { FakeExcel, parseAddress, type SheetModel } from "./support/fake-excel";

const gpt = SMALL_GPT_FIELDS;
const train: TrainFields = { optimizer: "adam", lr: "0.005", steps: "3" };

async function built(fields: BuildFields = gpt, fake = new FakeExcel()): Promise<{ fake: FakeExcel; pane: Controller }> {
  const pane = new Controller(new ExcelHost(withRunOptions(fake.run), fake.requirements));
  await pane.start();
  await pane.build(fields);
  expect(pane.state.status.tone).toBe("ok");
  return { fake, pane };
}

/** The sheet model and the cell keys ("row,col") a named block covers. */
function cellsOf(fake: FakeExcel, name: string): { sheet: SheetModel; keys: string[] } {
  const { sheet, rect } = parseAddress(fake.nameRef(name)!);
  const keys: string[] = [];
  for (let i = 0; i < rect.rows; i++) for (let j = 0; j < rect.cols; j++) keys.push(`${rect.top + i},${rect.left + j}`);
  return { sheet: fake.sheetOrThrow(sheet!), keys };
}

function values(fake: FakeExcel, name: string): unknown[] {
  const { sheet, keys } = cellsOf(fake, name);
  return keys.map((k) => sheet.cells.get(k)?.value);
}

function setCell(fake: FakeExcel, name: string, index: number, v: number | string | boolean): void {
  const { sheet, keys } = cellsOf(fake, name);
  const [row, col] = keys[index].split(",").map(Number);
  fake.setCell(sheet.name, `${String.fromCharCode(65 + col)}${row + 1}`, v);
}

/** Everything of the workbook the fake holds, as text per sheet, cell and name: what "nothing else changed" compares. */
function everything(fake: FakeExcel, except: { sheet: SheetModel; keys: string[] }): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of fake.sheets) {
    out.set(
      `sheet ${s.name}`,
      JSON.stringify({
        visibility: s.visibility,
        deleted: s.deleted,
        widths: [...s.columnWidths],
        frozen: s.frozen,
        conditional: s.conditionalFormats,
        notes: [...s.notes],
        charts: s.charts.map((c) => ({
          ...c,
          series: c.series.map((x) => ({ name: x.name, values: x.values?.rect, x: x.xValues?.rect })),
        })),
      }),
    );
    for (const [k, c] of s.cells) if (!(s === except.sheet && except.keys.includes(k))) out.set(`${s.name}!${k}`, JSON.stringify(c));
  }
  for (const [n, m] of fake.nameModels) out.set(`name ${n}`, JSON.stringify({ sheet: m.sheet?.name, rect: m.rect, comment: m.comment }));
  return out;
}

test("Roll the dice writes new values in [0, 1) into the Dice cells, and nothing else changes", async () => {
  const { fake, pane } = await built();
  const dice = cellsOf(fake, "Dice");
  // DESIGN.md: one Dice cell per position, as many as the Tokens row.
  expect(dice.keys).toHaveLength(cellsOf(fake, "Tokens").keys.length);
  const first = values(fake, "Dice");
  const rest = everything(fake, dice);
  const formatsBefore = dice.keys.map((k) => dice.sheet.cells.get(k)?.numberFormat);
  const syncs = fake.syncs;

  await pane.rollDice();
  expect(pane.state.status).toEqual({
    text: expect.stringMatching(/^Rolled new dice \(seed \d+\) into Output!\$?[A-Z]+\$?\d+:\$?[A-Z]+\$?\d+\./),
    tone: "ok",
  });
  // One batch that reads and writes the block.
  expect(fake.syncs - syncs).toBe(1);
  const second = values(fake, "Dice");
  expect(second.every((v) => typeof v === "number" && v >= 0 && v < 1)).toBe(true);
  second.forEach((v, i) => expect(v).not.toBe(first[i]));
  expect(everything(fake, dice)).toEqual(rest);
  expect(dice.keys.map((k) => dice.sheet.cells.get(k)?.numberFormat)).toEqual(formatsBefore);

  await pane.rollDice();
  const third = values(fake, "Dice");
  expect(third.every((v) => typeof v === "number" && v >= 0 && v < 1)).toBe(true);
  expect(third).not.toEqual(second);
  expect(everything(fake, dice)).toEqual(rest);
});

test("each press takes a new seed, named in the status; Undo puts back the dice a roll replaced", async () => {
  let next = 100;
  const fake = new FakeExcel();
  const pane = new Controller(new ExcelHost(withRunOptions(fake.run), fake.requirements), { diceSeed: () => next++ });
  await pane.start();
  await pane.build(gpt);
  const built = values(fake, "Dice");
  await pane.rollDice();
  expect(pane.state.status.text).toMatch(/^Rolled new dice \(seed 100\)/);
  const rolled = values(fake, "Dice");
  await pane.rollDice();
  expect(pane.state.status.text).toMatch(/^Rolled new dice \(seed 101\)/);
  expect(pane.state.undoLabel).toBe("Undo the roll");
  expect(pane.state.undo).toMatch(/^Undo brings back the Dice values you had before the last roll/);

  await pane.undo();
  expect(values(fake, "Dice")).toEqual(rolled);
  expect(pane.state.status.text).toMatch(/^Put back the Dice values you had before the last roll .*Undo again/);
  await pane.undo();
  expect(values(fake, "Dice")).toEqual(built);
  expect(pane.state.undo).toBeUndefined();
  expect(pane.state.undoLabel).toBe("Undo training");
});

test("Undo of a roll keeps a Dice cell the user changed after it, and says so", async () => {
  const { fake, pane } = await built();
  const built0 = values(fake, "Dice");
  await pane.rollDice();
  setCell(fake, "Dice", 2, 0.25);
  await pane.undo();
  const now = values(fake, "Dice");
  expect(now[2]).toBe(0.25);
  expect(now.filter((_, i) => i !== 2)).toEqual(built0.filter((_, i) => i !== 2));
  expect(pane.state.status.tone).toBe("warn");
  expect(pane.state.status.text).toMatch(
    /^Put back the Dice values you had before the last roll, except Dice \(Output!D\d+\) from [\d.]+ to 0\.25: you changed it since/,
  );
});

test("the user's Temperature, Sampling_On and Dice stay through training, undo and reset: only a press of Roll the dice writes the dice", async () => {
  const { fake, pane } = await built();
  setCell(fake, "Temperature", 0, 0.7);
  setCell(fake, "Sampling_On", 0, true);
  setCell(fake, "Dice", 0, 0.125);
  const mine = { t: values(fake, "Temperature"), s: values(fake, "Sampling_On"), d: values(fake, "Dice") };
  const still = () => ({ t: values(fake, "Temperature"), s: values(fake, "Sampling_On"), d: values(fake, "Dice") });

  await pane.train(train);
  expect(pane.state.status.text).toMatch(/^Trained 3 steps/);
  expect(still()).toEqual(mine);
  await pane.undo();
  expect(still()).toEqual(mine);
  pane.requestReset();
  await pane.confirmReset("2");
  expect(still()).toEqual(mine);
  await pane.undo();
  expect(still()).toEqual(mine);

  await pane.rollDice();
  expect(values(fake, "Dice")[0]).not.toBe(0.125);
  expect({ t: values(fake, "Temperature"), s: values(fake, "Sampling_On") }).toEqual({ t: mine.t, s: mine.s });
  // The user's dice come back with Undo.
  await pane.undo();
  expect(still()).toEqual(mine);
});

test("a roll waits while the user types in a cell, then goes on", async () => {
  const { fake, pane } = await built();
  const before = values(fake, "Dice");
  fake.enterEditMode();
  const waiting = fake.nextDelayedSync();
  const rolling = pane.rollDice();
  await waiting;
  expect(pane.state.busy).toBe("dice");
  expect(values(fake, "Dice")).toEqual(before);
  fake.exitEditMode();
  await rolling;
  expect(pane.state.status.tone).toBe("ok");
  expect(values(fake, "Dice")).not.toEqual(before);
  expect(fake.cellEdit.rejected).toBe(0);
});

test("our Dice block is found through the settings' names when the user already had a name Dice", async () => {
  const fake = new FakeExcel();
  fake.addSheet("Mine", { A1: 0.5 });
  fake.addName("Dice", "Mine", "A1");
  const { pane } = await built(gpt, fake);
  expect(fake.nameRef("Dice")).toMatch(/^Mine!/);
  const ours = values(fake, "Dice_AL");
  await pane.rollDice();
  expect(fake.cell("Mine", "A1")?.value).toBe(0.5);
  expect(values(fake, "Dice_AL")).not.toEqual(ours);
  // A pane opened later reads the mapping from the settings.
  const later = new Controller(new ExcelHost(withRunOptions(fake.run), fake.requirements));
  await later.start();
  const rolled = values(fake, "Dice_AL");
  await later.rollDice();
  expect(fake.cell("Mine", "A1")?.value).toBe(0.5);
  expect(values(fake, "Dice_AL")).not.toEqual(rolled);
});

test("a model that is not decoder-only has no dice: the press does nothing; a Dice block of the wrong size is named in the message", async () => {
  const enc = await built({ ...gpt, preset: "encoder", task: "reverse" });
  const syncs = enc.fake.syncs;
  const state = enc.pane.state;
  await enc.pane.rollDice();
  expect(enc.fake.syncs).toBe(syncs);
  expect(enc.pane.state).toBe(state);

  const { fake, pane } = await built();
  const { sheet, rect } = parseAddress(fake.nameRef("Dice")!);
  fake.deleteName("Dice");
  fake.addName("Dice", sheet!, `B${rect.top + 1}:C${rect.top + 1}`);
  await pane.rollDice();
  expect(pane.state.status).toEqual({ text: "Could not roll the dice:", tone: "error" });
  expect(pane.state.details).toEqual([
    expect.stringMatching(/^Dice should be 1 × \d+ but the named range covers 1 × 2 \(Output!B\d+:C\d+\)\.$/),
  ]);
  expect(pane.state.undo).toBeUndefined();
});
