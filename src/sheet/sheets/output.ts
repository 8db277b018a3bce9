/** The Output sheet: the generation controls (decoder-only), the output layer, and the sentence the model writes. */
import { BuildContext, numbered, tokenLabels } from "../context";
import { outputBlocks } from "../blocks/output";
import { f, joinUntilEos, temperatureCheck } from "../formula-text";
import { SHEET_KINDS } from "../kinds";
import { Refs, SheetLayout } from "../layout";
import { NUMBER_FORMATS } from "../look";
import { NOTES } from "../notes";
import { inputCheckSpec, isEmpty, switchPair } from "./input";
import { t } from "../../i18n";

export function outputSheet(ctx: BuildContext, sheet: SheetLayout): void {
  const kind = SHEET_KINDS[ctx.c.kind];
  const R = new Refs(sheet.sheet.name);
  const top = ctx.layerOut.get(ctx.arch.top)!;
  if (kind.generation) generationControls(ctx, sheet, R);
  const labels =
    ctx.arch.top.stream === "target"
      ? top.stream.words.map((w, j) => ({ cell: f(R.cell(top.stream.tokens, 0, j)), value: w }))
      : tokenLabels(ctx, top.stream, R);
  const { predicted } = outputBlocks(ctx, sheet, R, top.block, labels, kind.generation);
  ctx.blocks.predicted = predicted;
  const empty = kind.emptyMeansNoInput && ctx.input.sentence.length === 0;
  sheet.band([
    {
      spec: inputCheckSpec("Output_Check", { op: "copy", source: ctx.blocks.inputCheck.key }),
      // A copy of the Input sheet's check: its formula points there, its value is that block's.
      fill: () => ({ cells: [[f(R.cell(ctx.blocks.inputCheck, 0, 0))]], values: ctx.blocks.inputCheck.values }),
    },
  ]);
  const text = kind.text;
  if (text) {
    sheet.band([
      {
        spec: {
          key: text.key,
          title: text.title,
          note: text.note,
          role: "computed",
          rows: 1,
          cols: 1,
          explain: {
            computes: { ...text.computes, ...(kind.emptyMeansNoInput ? { empty: ctx.streams.source!.tokens.key } : {}) },
            topic: "output",
          },
        },
        fill: () => {
          const joined = joinUntilEos(text.words(ctx, R));
          return {
            cells: [[f(kind.emptyMeansNoInput ? `IF(${isEmpty(ctx, R)},"${t().sheet.noInput}",${joined})` : joined)]],
            values: [[empty ? t().sheet.noInput : text.value(ctx)]],
          };
        },
      },
    ]);
  }
}

/** Temperature, Sampling_On and one Dice value per position, each with what it reads as. */
function generationControls(ctx: BuildContext, sheet: SheetLayout, R: Refs): void {
  const { input } = ctx;
  const T = input.temperature ?? 1;
  const placed = sheet.band([
    {
      spec: {
        key: "Temperature",
        title: t().sheet.temperature,
        note: NOTES.temperature,
        role: "switch",
        rows: 1,
        cols: 1,
        explain: { computes: { op: "typed" }, topic: "output" },
      },
      fill: () => ({ cells: [[T]], values: [[T]] }),
    },
    {
      spec: {
        key: "Temperature_Check",
        named: false,
        title: t().sheet.readsAs,
        note: NOTES.temperature,
        role: "computed",
        rows: 1,
        cols: 1,
        explain: { computes: { op: "readsAs", of: "Temperature", kind: "temperature" }, topic: "output" },
      },
      fill: () => ({ cells: [[f(temperatureCheck(R.cell(placed[0], 0, 0)))]], values: [[T]] }),
    },
  ]);
  ctx.blocks.temperatureRead = placed[1];
  const [, samplingRead] = switchPair(
    sheet,
    R,
    "Sampling_On",
    t().sheet.samplingOn,
    NOTES.samplingSwitch,
    input.sampling ?? false,
    "output",
  );
  ctx.blocks.samplingRead = samplingRead;
  const n = ctx.c.sourceLen;
  const dice = input.dice ?? new Array<number>(n).fill(0.5);
  const [diceBlock] = sheet.band([
    {
      spec: {
        key: "Dice",
        explain: { computes: { op: "typed" }, topic: "output" },
        title: t().sheet.dice,
        note: NOTES.dice,
        role: "input",
        rows: 1,
        cols: n,
        colLabels: numbered("", n),
        numberFormat: NUMBER_FORMATS.precise,
      },
      fill: () => ({ cells: [dice], values: [dice] }),
    },
  ]);
  ctx.blocks.dice = diceBlock;
}
