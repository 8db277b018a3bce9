/**
 * Builds the WorkbookPlan: the whole transformer as formulas that open in
 * Excel, Excel on the web, LibreOffice and Google Sheets (docs/architecture.md).
 * Weights are values; everything else is a formula over the blocks before
 * it, and each block carries the value src/model computes for it. One
 * builder per sheet (src/sheet/sheets), one per kind of block
 * (src/sheet/blocks), one formula style of two (src/sheet/style.ts).
 */
import { liveRun } from "../model/generate";
import { rangeAddress } from "./a1";
import { BuildContext, WorkbookInput, newSheet } from "./context";
import type { PlanBlock, WorkbookPlan } from "./plan";
import { dataSheet } from "./sheets/data";
import { writeGuide } from "./sheets/guide";
import { inputSheet } from "./sheets/input";
import { layerSheets } from "./sheets/layers";
import { outputSheet } from "./sheets/output";
import { overviewMaps, overviewTop, overviewWidths } from "./sheets/overview";
import { trainingSheet } from "./sheets/training";
import { formulaStyle } from "./style";
import { t, withLanguage } from "../i18n";

export type { WorkbookInput } from "./context";
export type { FormulaStyleName as FormulaStyle } from "./style";
export type { TrainingLogRow } from "./train-log";

export const SHEETS = {
  guide: "Guide",
  overview: "Overview",
  input: "Input",
  encoder: "Encoder",
  decoder: "Decoder",
  output: "Output",
  data: "Data",
  training: "Training",
} as const;

export function buildWorkbookPlan(input: WorkbookInput): WorkbookPlan {
  return withLanguage(input.lang, () => buildPlan(input));
}

function buildPlan(input: WorkbookInput): WorkbookPlan {
  const { config: c, vocab, params: p } = input;
  const run = liveRun(p, c, vocab, input.sentence, { temperature: input.temperature, sampling: input.sampling, dice: input.dice });
  const ctx: BuildContext = {
    input,
    c,
    arch: run.result.arch,
    vocab,
    p,
    run: run.result,
    chosen: run.chosen,
    style: formulaStyle(input.style, c),
    sheets: [],
    fills: [],
    mirrors: new Set(),
    blocks: {} as BuildContext["blocks"],
    streams: {},
    layerOut: new Map(),
  };
  const purpose = t().sheet.purpose;
  const guide = newSheet(ctx, SHEETS.guide, purpose.guide);
  const overview = newSheet(ctx, SHEETS.overview, purpose.overview);
  // A learner starts where the sentence is typed and the heads are seen.
  overview.sheet.opens = true;
  const inputs = newSheet(ctx, SHEETS.input, purpose.input);
  inputSheet(ctx, inputs, overviewTop(ctx, overview));
  // The switches are placed on Input; the layers' formulas read them through the style.
  ctx.style = formulaStyle(input.style, c, ctx.switches);
  layerSheets(ctx);
  outputSheet(ctx, newSheet(ctx, SHEETS.output, purpose.output));
  dataSheet(ctx, newSheet(ctx, SHEETS.data, purpose.data));
  const training = newSheet(ctx, SHEETS.training, purpose.training);
  trainingSheet(ctx, training);
  overviewMaps(ctx, overview, training.sheet);

  // Fill every block, now that each has its place: a formula may read a block placed after it.
  // Mirrors last: they show the values of the blocks they copy.
  const late = ctx.fills.filter((x) => ctx.mirrors.has(x.block));
  for (const { block, fill } of [...ctx.fills.filter((x) => !ctx.mirrors.has(x.block)), ...late]) Object.assign(block, fill());
  writeGuide(ctx, guide);
  for (const s of ctx.sheets) s.sheet.columnWidths = s === overview ? overviewWidths(s.sheet) : columnWidths(s.sheet.blocks);
  const plan: WorkbookPlan = { sheets: ctx.sheets.map((s) => s.sheet), names: [] };
  for (const s of plan.sheets) {
    for (const b of s.blocks)
      if (b.named) plan.names.push({ name: b.key, sheet: s.name, range: rangeAddress(b.top, b.left, b.rows, b.cols) });
  }
  return plan;
}

function columnWidths(blocks: PlanBlock[]): number[] {
  const widths: number[] = [];
  for (const b of blocks) {
    const last = b.left + b.cols;
    while (widths.length < last + 1) widths.push(8);
    if (b.rowLabels) widths[b.left - 1] = Math.max(widths[b.left - 1], 9);
    if (b.role === "data" || b.role === "input") for (let j = b.left; j < last; j++) widths[j] = Math.max(widths[j], 10);
  }
  return widths;
}
