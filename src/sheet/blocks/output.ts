/**
 * The output layer on a sheet: logits = top·Out_W + Out_B, probabilities
 * by softmax (of logits / T for a decoder-only model), and the token chosen
 * at each position: the most probable, or with Sampling_On the first
 * vocabulary row whose cumulative probability reaches the position's Dice
 * (src/model/generate.ts).
 */
import { probsAt } from "../../model/generate";
import { fromRows } from "../../model/matrix";
import { BuildContext, computed, matrixSpec, numbered, textLabels, weights } from "../context";
import { grid, Refs, SheetLayout } from "../layout";
import { SHEET_KINDS } from "../kinds";
import { NOTES } from "../notes";
import type { Label, PlanBlock } from "../plan";
import { t } from "../../i18n";

export interface OutputBlocks {
  logits: PlanBlock;
  probs: PlanBlock;
  predicted: PlanBlock;
}

/** Out_W, Out_B, Logits, Probs (and Cumulative when sampling), Predicted. */
export function outputBlocks(
  ctx: BuildContext,
  sheet: SheetLayout,
  R: Refs,
  top: PlanBlock,
  rowLabels: Label[],
  generation: boolean,
): OutputBlocks {
  const { c, vocab, p, style, run } = ctx;
  const rows = top.rows;
  const vocabLabels = textLabels([...vocab.tokens]);
  const [outW, outB] = sheet.band([
    {
      spec: matrixSpec({
        key: "Out_W",
        explain: { computes: { op: "weight", param: "Out_W" }, topic: "output" },
        title: "Out_W",
        note: NOTES.outW,
        role: "weight",
        rows: c.dModel,
        cols: vocab.size,
        rowLabels: numbered("d", c.dModel),
        colLabels: vocabLabels,
      }),
      fill: () => weights(p.Out_W),
    },
    {
      spec: matrixSpec({
        key: "Out_B",
        explain: { computes: { op: "weight", param: "Out_B" }, topic: "output" },
        title: "Out_B",
        note: NOTES.outB,
        role: "weight",
        rows: 1,
        cols: vocab.size,
        colLabels: vocabLabels,
        heatmap: undefined,
      }),
      fill: () => weights(p.Out_B),
    },
  ]);
  const [logits] = sheet.band([
    {
      spec: matrixSpec({
        key: "Logits",
        explain: { computes: { op: "linear", x: top.key, w: "Out_W", b: "Out_B" }, topic: "output" },
        title: "Logits",
        note: NOTES.logits,
        role: "computed",
        rows,
        cols: vocab.size,
        rowLabels,
        colLabels: vocabLabels,
      }),
      fill: () => computed(style.linear(R, top, outW, outB), run.logits),
    },
  ]);
  const temperature = generation ? (ctx.input.temperature ?? 1) : 1;
  const probsValue = fromRows(Array.from({ length: rows }, (_, i) => probsAt(run.logits, i, temperature)));
  const [probs] = sheet.band([
    {
      spec: matrixSpec({
        key: "Probs",
        explain: {
          computes: { op: "probs", logits: "Logits", temperature: generation ? ctx.blocks.temperatureRead?.key : undefined },
          topic: "output",
        },
        title: generation ? t().sheet.probsTemperature : t().sheet.probs,
        note: generation ? NOTES.probsTemperature : NOTES.probs,
        role: "computed",
        rows,
        cols: vocab.size,
        rowLabels,
        colLabels: vocabLabels,
        heatmap: "probability",
      }),
      fill: () => computed(style.probs(R, logits, generation ? R.cell(ctx.blocks.temperatureRead!, 0, 0) : undefined), probsValue),
    },
  ]);
  const chosenWords = ctx.chosen.map((id) => vocab.word(id));
  if (!generation) {
    const [predicted] = sheet.band([
      {
        spec: {
          ...predictedSpec(rows, SHEET_KINDS[c.kind].predicted),
          explain: { computes: { op: "argmax", scores: "Logits", vocab: "Vocab" }, topic: "output" },
        },
        fill: () => ({ cells: style.argmaxWords(R, logits, ctx.blocks.vocab), values: [chosenWords] }),
      },
    ]);
    return { logits, probs, predicted };
  }
  const cumValue = fromRows(toCumulative(probsValue.rows, probsValue.cols, probsValue.data));
  const [cumulative] = sheet.band([
    {
      spec: matrixSpec({
        key: "Cumulative",
        explain: { computes: { op: "cumulative", probs: "Probs", ...(style.runningSums ? { self: "Cumulative" } : {}) }, topic: "output" },
        named: false,
        title: t().sheet.cumulative,
        note: NOTES.cumulative,
        role: "computed",
        rows,
        cols: vocab.size,
        rowLabels,
        colLabels: vocabLabels,
        heatmap: "probability",
      }),
      fill: () => computed(style.cumulative(R, probs, cumulative), cumValue),
    },
  ]);
  const [predicted] = sheet.band([
    {
      spec: {
        ...predictedSpec(rows, SHEET_KINDS[c.kind].predicted),
        explain: {
          computes: {
            op: "choose",
            probs: "Probs",
            ...(style.runningSums ? { cumulative: "Cumulative" } : {}),
            dice: "Dice",
            sampling: ctx.blocks.samplingRead!.key,
            vocab: "Vocab",
          },
          topic: "output",
        },
      },
      fill: () => {
        const greedy = style.argmaxWords(R, probs, ctx.blocks.vocab);
        const sampled = style.sampledWords(R, probs, cumulative, ctx.blocks.dice!, ctx.blocks.vocab);
        const check = R.cell(ctx.blocks.samplingRead!, 0, 0);
        return { cells: style.choose(check, greedy, sampled), values: [chosenWords] };
      },
    },
  ]);
  return { logits, probs, predicted };
}

function predictedSpec(rows: number, { title, note }: { title: string; note: string }) {
  return { key: "Predicted", title, note, role: "computed" as const, rows: 1, cols: rows, colLabels: numbered("", rows) };
}

function toCumulative(rows: number, cols: number, data: Float64Array): number[][] {
  return grid(rows, cols, (i, j) => {
    let s = 0;
    for (let k = 0; k <= j; k++) s += data[i * cols + k];
    return s;
  });
}
