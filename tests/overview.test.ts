/**
 * The Overview sheet in HyperFormula: it follows the Guide, Tokens is typed
 * there, and each heat map shows, cell for cell, the attention weights of
 * the head it names, before and after a new sentence is typed; the output
 * beside the sentence is the Output sheet's. The blocks each model shows are
 * written out from docs/architecture.md ("Named ranges"), not from the code.
 */
import { ModelConfig, initParams } from "../src/model/config";
import { configFor, getPreset, PresetName } from "../src/model/presets";
import { PROMPT_LENGTH, makeTask } from "../src/model/tasks";
import { buildWorkbookPlan } from "../src/sheet/build";
import type { PlanBlock, WorkbookPlan } from "../src/sheet/plan";
import { EngineValue, PlanEngine } from "./support/engine";

interface Case {
  label: string;
  name: PresetName;
  layers: number;
  /** The attention blocks' prefixes, in the order the layers compute them. */
  attention: string[];
  /** The one-cell text beside the sentence, or undefined when the model shows Predicted. */
  text?: "Translation" | "Generated";
}

const CASES: Case[] = [
  { label: "seed", name: "seed", layers: 1, attention: ["Enc"] },
  { label: "encoder", name: "encoder", layers: 1, attention: ["Enc"] },
  { label: "encoder-decoder", name: "encoder-decoder", layers: 1, attention: ["Enc", "Dec_Self", "Dec_Cross"], text: "Translation" },
  {
    label: "2-layer encoder-decoder",
    name: "encoder-decoder",
    layers: 2,
    attention: ["Enc", "Enc2", "Dec_Self", "Dec_Cross", "Dec2_Self", "Dec2_Cross"],
    text: "Translation",
  },
  { label: "gpt", name: "gpt", layers: 1, attention: ["Dec"], text: "Generated" },
];

function build(name: PresetName, layers: number): { plan: WorkbookPlan; config: ModelConfig; sentences: string[][] } {
  const preset = getPreset(name);
  const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
  const config: ModelConfig = { ...configFor(preset, task), layers };
  const sentences = task.train.slice(0, 2).map((ex) => (name === "gpt" ? ex.source.slice(0, PROMPT_LENGTH) : ex.source));
  const plan = buildWorkbookPlan({
    preset: name,
    description: preset.description,
    config,
    vocab: task.vocab,
    params: initParams(config, 3),
    sentence: sentences[0],
    examples: task.train.slice(0, 5),
    switches: name === "seed",
  });
  return { plan, config, sentences };
}

function cell(engine: PlanEngine, sheet: string, row: number, col: number): EngineValue {
  const v = engine.hf.getCellValue({ sheet: engine.hf.getSheetId(sheet)!, row, col });
  return v !== null && typeof v === "object" ? { error: String((v as { type: unknown }).type) } : (v as EngineValue);
}

const area = (engine: PlanEngine, b: PlanBlock): EngineValue[][] =>
  Array.from({ length: b.rows }, (_, i) => Array.from({ length: b.cols }, (_, j) => cell(engine, b.sheet, b.top + i, b.left + j)));
const rowLabels = (engine: PlanEngine, b: PlanBlock): EngineValue[] =>
  Array.from({ length: b.rows }, (_, i) => cell(engine, b.sheet, b.top + i, b.left - 1));
const colLabels = (engine: PlanEngine, b: PlanBlock): EngineValue[] =>
  Array.from({ length: b.cols }, (_, j) => cell(engine, b.sheet, b.top - 1, b.left + j));

describe.each(CASES)("the $label workbook's Overview", ({ name, layers, attention, text }) => {
  const { plan, config, sentences } = build(name, layers);
  const overview = plan.sheets.find((s) => s.name === "Overview")!;
  const maps = overview.blocks.filter((b) => b.heatmap === "attention");
  const shown = attention.flatMap((p) => Array.from({ length: config.heads }, (_, h) => `${p}_H${h + 1}_Attn`));
  const engine = new PlanEngine(plan);

  /** Every map against the block it shows: values, row labels and column labels, as the engine computes them. */
  const expectMapsEqualBlocks = (): void => {
    expect(maps).toHaveLength(shown.length);
    maps.forEach((m, k) => {
      const b = engine.block(shown[k]);
      expect([shown[k], m.rows, m.cols]).toEqual([shown[k], b.rows, b.cols]);
      expect(area(engine, m)).toEqual(engine.values(shown[k]));
      expect(rowLabels(engine, m)).toEqual(rowLabels(engine, b));
      expect(colLabels(engine, m)).toEqual(colLabels(engine, b));
    });
  };

  /** The block beside Tokens that shows the model's output: the text it writes, or an encoder's Predicted row. */
  const expectOutputShown = (): void => {
    const want = engine.values(text ?? "Predicted");
    const beside = overview.blocks.filter((b) => b.top === engine.block("Tokens").top && b.role === "computed");
    expect(beside.filter((b) => JSON.stringify(area(engine, b)) === JSON.stringify(want))).toHaveLength(1);
  };

  test("follows the Guide and holds the Tokens the user types, with the model's output beside them", () => {
    expect(plan.sheets.slice(0, 3).map((s) => s.name)).toEqual(["Guide", "Overview", "Input"]);
    const tokens = engine.block("Tokens");
    expect(tokens.sheet).toBe("Overview");
    expect(plan.names.find((n) => n.name === "Tokens")!.sheet).toBe("Overview");
    expectOutputShown();
  });

  test("shows the Training sheet's loss chart, over the same Train_Log columns", () => {
    const training = plan.sheets.find((s) => s.name === "Training")!.charts[0];
    expect(overview.charts).toHaveLength(1);
    expect([overview.charts[0].categories, overview.charts[0].series]).toEqual([training.categories, training.series]);
  });

  test("each heat map equals the head it shows, labelled with the tokens, and nothing is an error", () => {
    expect(engine.errors()).toEqual([]);
    expectMapsEqualBlocks();
    const words = engine.values("Tokens")[0].map((w) => (w === null ? "<pad>" : w));
    expect(rowLabels(engine, maps[0])).toEqual(words);
    expect(colLabels(engine, maps[0])).toEqual(words);
    for (const m of maps) {
      // The cached values, for a reader that does not recalculate, are the engine's (within rounding).
      const got = area(engine, m).flat() as number[];
      expect(Math.max(...(m.values.flat() as number[]).map((v, i) => Math.abs(v - got[i])))).toBeLessThan(1e-12);
      expect(m.numberFormat).toBe("0.0");
      expect(m.named).toBe(false);
    }
  });

  test("typing a new sentence into Tokens moves the maps and the output with the blocks they show", () => {
    const before = area(engine, maps[0]);
    const typed = sentences[1];
    const first = name === "gpt" ? 1 : 0;
    const cells = name === "gpt" ? typed.length : config.sourceLen;
    for (let j = 0; j < cells; j++) engine.set("Tokens", 0, first + j, typed[j] ?? null);
    expect(engine.errors()).toEqual([]);
    expect(area(engine, maps[0])).not.toEqual(before);
    expectMapsEqualBlocks();
    expectOutputShown();
  });
});

/**
 * One screen: Excel at 100 % on a 1920 × 1080 display shows a grid about 1850 px wide and 35 rows of the default
 * 15 pt (20 px) tall with the ribbon open (docs/excel-checklist.md confirms it). A column w characters wide is
 * 7w + 5 px in Calibri 11 (7 px a character, 5 px of padding: OfficeDev/office-js#187).
 */
const SCREEN = { px: 1850, rows: 35 };

test.each(CASES.filter((c) => c.layers === 1))("the $label Overview fits one screen, its chart over no block", ({ name, layers }) => {
  const overview = build(name, layers).plan.sheets.find((s) => s.name === "Overview")!;
  const chart = overview.charts[0];
  const right = Math.max(...overview.blocks.map((b) => b.left + b.cols), chart.left + chart.width);
  const bottom = Math.max(...overview.blocks.map((b) => b.top + b.rows), chart.top + chart.height);
  const px =
    overview.columnWidths.slice(0, right).reduce((n, w) => n + 7 * w + 5, 0) + 5 * Math.max(0, right - overview.columnWidths.length);
  expect({ px: px <= SCREEN.px, rows: bottom <= SCREEN.rows }).toEqual({ px: true, rows: true });
  // A block's title sits 2 rows above its data and its row labels 1 column left of it.
  const under = overview.blocks.filter(
    (b) =>
      b.top - 2 < chart.top + chart.height &&
      chart.top < b.top + b.rows &&
      b.left - (b.rowLabels ? 1 : 0) < chart.left + chart.width &&
      chart.left < b.left + b.cols,
  );
  expect(under.map((b) => b.key)).toEqual([]);
});
