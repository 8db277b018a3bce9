/**
 * "Explain this cell" over the real Excel adapter and the recording fake: an
 * encoder–decoder is built from the pane, HyperFormula calculates the fake's
 * cells (tests/support/fake-engine.ts), and selecting a cell makes the panel
 * name its block and entry with the value the cell holds, in two syncs (the
 * sheet's name and the names, then every value); its input buttons select
 * the input in Excel, activating its sheet first as Range.select() needs; a
 * reopened workbook's plan, rebuilt from its settings, places every block
 * where the build did; a trained weight shows its gradient from the
 * Gradients sheet.
 */
import { withRunOptions } from "../src/excel/store";
import { ExplainPanel, layoutOf } from "../src/taskpane/explain-panel";
import { Controller } from "../src/taskpane/controller";
import { ExcelHost } from "../src/taskpane/host";
import { cellAddress } from "../src/sheet/a1";
import type { PlanBlock } from "../src/sheet/plan";
import { FakeEngine } from "./support/fake-engine";
import { FakeExcel, parseAddress } from "./support/fake-excel";
import { build } from "./support/builds";
import type { PresetName } from "../src/model/presets";
import type { FormulaStyle } from "../src/sheet/build";
import { SMALL_ENCODER_DECODER_FIELDS, SMALL_GPT_FIELDS } from "./support/pane-fields";

/** What Excel shows after calculating: every formula cell gets HyperFormula's value (the formulas stay). */
function calculateAll(fake: FakeExcel): void {
  const engine = new FakeEngine(fake);
  for (const s of fake.sheets) {
    for (const [k, c] of s.cells) {
      if (c.formula === undefined) continue;
      const [row, col] = k.split(",").map(Number);
      const v = engine.values(s.name, row, col, 1, 1)[0][0];
      c.value = v === null || typeof v === "object" ? "" : v;
    }
  }
}

const valueAt = (fake: FakeExcel, sheet: string, row: number, col: number) => fake.sheetOrThrow(sheet).cells.get(`${row},${col}`)?.value;

let fake: FakeExcel;
let pane: Controller;
let panel: ExplainPanel;

beforeAll(async () => {
  fake = new FakeExcel();
  // As the pane runs every batch: with delayForCellEdit (src/excel/store.ts RUN_OPTIONS).
  const host = new ExcelHost(withRunOptions(fake.run), fake.requirements);
  pane = new Controller(host);
  await pane.start();
  await pane.build(SMALL_ENCODER_DECODER_FIELDS);
  expect(pane.state.status.tone).toBe("ok");
  calculateAll(fake);
  panel = new ExplainPanel(host);
  panel.follow(pane.state.model, pane.state.layout);
  await panel.start();
}, 120000);

const block = (key: string): PlanBlock => {
  for (const s of pane.state.layout!.plan.sheets) for (const b of s.blocks) if (b.key === key) return b;
  throw new Error(`no block ${key}`);
};

test("selecting an attention weight names its block, its tokens and its value, in two syncs", async () => {
  const attn = block("Enc_H1_Attn");
  const [row, col] = [attn.top + 1, attn.left + 2];
  const before = fake.syncs;
  await fake.userSelects(attn.sheet, cellAddress(row, col, false));
  expect(fake.syncs - before).toBe(2);
  const e = panel.state.explanation!;
  const tokens = block("Tokens");
  const word = (j: number) => valueAt(fake, tokens.sheet, tokens.top, tokens.left + j);
  expect(e.where).toBe(`Enc_H1_Attn, row '${word(1)}', column '${word(2)}'`);
  expect(e.value).toBe(valueAt(fake, attn.sheet, row, col));
  expect(typeof e.value).toBe("number");
  expect(e.what).toMatch(/^Softmax of row/);
  expect(e.tour?.title).toBe("Softmax");
});

test("an input button selects the input: on its own sheet, which it activates first", async () => {
  const q = block("Enc_H1_Q");
  await fake.userSelects(q.sheet, cellAddress(q.top + 2, q.left + 1, false));
  const e = panel.state.explanation!;
  expect(e.inputs.map((p) => p.key)).toEqual(["X", "Enc_H1_Wq"]);
  await panel.selectInput(0);
  const x = block("X");
  expect(x.sheet).not.toBe(q.sheet);
  expect(fake.active?.name).toBe(x.sheet);
  expect(fake.selection).toEqual({
    sheet: fake.sheetOrThrow(x.sheet),
    address: `${cellAddress(x.top + 2, x.left, false)}:${cellAddress(x.top + 2, x.left + x.cols - 1, false)}`,
  });
  // Excel may report the pane's own selection as a selection change: the explanation stays.
  await fake.userSelects(x.sheet, fake.selection!.address);
  expect(panel.state.explanation!.key).toBe("Enc_H1_Q");
  await panel.selectInput(1);
  const wq = block("Enc_H1_Wq");
  expect(fake.active?.name).toBe(wq.sheet);
  expect(parseAddress(fake.selection!.address).rect).toEqual({ top: wq.top, left: wq.left + 1, rows: wq.rows, cols: 1 });
});

test("a cell outside every block says so; a cell typed while Excel is in edit mode waits for it", async () => {
  await fake.userSelects("Encoder", "A1");
  expect(panel.state.explanation).toBeUndefined();
  expect(panel.state.message).toMatch(/not in a block/);
  const ln = block("Enc_Out");
  fake.enterEditMode();
  const selecting = fake.userSelects(ln.sheet, cellAddress(ln.top, ln.left, false));
  await fake.nextDelayedSync();
  fake.exitEditMode();
  await selecting;
  expect(fake.cellEdit.rejected).toBe(0);
  expect(panel.state.explanation!.key).toBe("Enc_Out");
  expect(panel.state.explanation!.value).toBe(valueAt(fake, ln.sheet, ln.top, ln.left));
});

test("a weight says what training does; after a step, its gradient from the Gradients sheet", async () => {
  const wq = block("Enc_H1_Wq");
  await fake.userSelects(wq.sheet, cellAddress(wq.top + 1, wq.left + 2, false));
  expect(panel.state.explanation!.training.join(" ")).toMatch(/Train a step/);
  await pane.train({ optimizer: "adam", lr: "0.01", steps: "1" });
  expect(pane.state.status.tone).toBe("ok");
  const ref = parseAddress(fake.nameRef("Grad_Enc_H1_Wq")!);
  const g = valueAt(fake, ref.sheet!, ref.rect.top + 1, ref.rect.left + 2) as number;
  expect(typeof g).toBe("number");
  await fake.calculate(wq.sheet, cellAddress(wq.top, wq.left, false), [[valueAt(fake, wq.sheet, wq.top, wq.left) as number]]);
  const shown = panel.state.explanation!;
  expect(shown.key).toBe("Enc_H1_Wq");
  expect(shown.value).toBe(valueAt(fake, wq.sheet, wq.top + 1, wq.left + 2));
  const two = `${g < 0 ? "−" : ""}${Math.abs(g) >= 0.005 ? Math.abs(g).toFixed(2) : Math.abs(g).toExponential(1)}`;
  expect(shown.training[1]).toContain(two);
}, 60000);

/** A block's description; a prompt's typed count aside, which the explanation reads from the Prompt_Length cell. */
const described = (b: PlanBlock): string => {
  const c = b.explain?.computes;
  return JSON.stringify(c?.op === "tokens" && c.promptLength ? { ...b.explain, computes: { ...c, typed: undefined } } : b.explain);
};

describe.each<[PresetName, FormulaStyle]>([
  ["encoder-decoder", "cells"],
  ["encoder-decoder", "functions"],
  ["gpt", "cells"],
  ["gpt", "functions"],
  ["seed", "cells"],
])("a workbook opened again (%s, %s)", (name, style) => {
  test("its plan, rebuilt from the settings, places and describes every block as the build did (the Data sheet aside)", () => {
    const b = build(name, 3, style);
    const again = layoutOf({ preset: name, config: b.config, vocab: [...b.task.vocab.tokens], seed: 9, style });
    const place = (p: typeof b.plan, cells: boolean) =>
      p.sheets
        .filter((s) => s.name !== "Data")
        .flatMap((s) =>
          s.blocks
            .filter((x) => cells || !x.key.startsWith("Check_"))
            .map((x) => [x.key, x.sheet, x.top, x.left, x.rows, x.cols, described(x)]),
        );
    // Only a cells-style build has a Check band, below everything else on its sheets.
    expect(place(again, style === "cells")).toEqual(place(b.plan, style === "cells"));
  });
});

test("a functions-style workbook opened again explains its cells as that style computes them (the settings keep the style)", async () => {
  const built = new FakeExcel();
  const first = new Controller(new ExcelHost(withRunOptions(built.run), built.requirements));
  await first.start();
  await first.build({ ...SMALL_GPT_FIELDS, seed: "1", style: "functions" });
  expect(first.state.status.tone).toBe("ok");
  // A step writes the Gradients sheet, and the settings again with its names: the style stays in them.
  await first.train({ optimizer: "adam", lr: "0.01", steps: "1" });
  expect(first.state.status.tone).toBe("ok");
  // Opened again: a new pane finds the model in the settings, and its panel has no build of its own to go by.
  const host = new ExcelHost(withRunOptions(built.run), built.requirements);
  const again = new Controller(host);
  await again.start();
  const reopened = new ExplainPanel(host);
  reopened.follow(again.state.model);
  await reopened.start();
  const cum = first.state.layout!.plan.sheets.flatMap((s) => s.blocks).find((b) => b.key === "Cumulative")!;
  // The cell's formula is one spilling MMULT of the whole Probs row, never the previous Cumulative cell plus one probability.
  expect(built.cell(cum.sheet, cellAddress(cum.top, cum.left, false))?.formula).toMatch(/^MMULT\(/);
  await built.userSelects(cum.sheet, cellAddress(cum.top, cum.left + 2, false));
  const e = reopened.state.explanation!;
  expect(e.key).toBe("Cumulative");
  expect(e.what).toMatch(/^This row's probabilities added up from the first word to this one: /);
  expect(e.inputs.map((p) => p.key)).toEqual(["Probs"]);
}, 120000);

test("a row the trainer appended to Train_Log, below the rows the plan placed, says which step it is and what it holds", async () => {
  await pane.train({ optimizer: "adam", lr: "0.01", steps: "2" });
  expect(pane.state.status.tone).toBe("ok");
  const ref = parseAddress(fake.nameRef("Train_Log")!);
  expect(ref.rect.rows).toBeGreaterThan(block("Train_Log").rows);
  const last = ref.rect.top + ref.rect.rows - 1;
  await fake.userSelects(ref.sheet!, cellAddress(last, ref.rect.left + 1, false));
  const e = panel.state.explanation!;
  expect(e.where).toBe(`Train_Log, row ${ref.rect.rows}, column 'Loss'`);
  const [step, loss] = [valueAt(fake, ref.sheet!, last, ref.rect.left), valueAt(fake, ref.sheet!, last, ref.rect.left + 1)];
  expect(typeof loss).toBe("number");
  expect(e.value).toBe(loss);
  expect(e.what).toContain(`step ${String(step)}:`);
  expect(e.tour?.title).toBe("Output");
  // Below the log's last row, nothing of the model.
  await fake.userSelects(ref.sheet!, cellAddress(last + 1, ref.rect.left + 1, false));
  expect(panel.state.explanation).toBeUndefined();
}, 60000);
