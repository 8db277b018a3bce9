/**
 * Multi-head attention on a sheet, as src/model/attention.ts computes it:
 * per head the weights beside their scores (what a learner looks at first),
 * then Wq, Wk, Wv, then Q, K, V and the head's output; then the heads side
 * by side times Wo.
 */
import type { AttentionBlock } from "../../model/architecture";
import type { MultiHeadCache } from "../../model/attention";
import type { Matrix } from "../../model/matrix";
import {
  BuildContext,
  LayerSheet,
  SheetState,
  StreamBlocks,
  computed,
  lastLayerOut,
  matrixSpec,
  numbered,
  tokenLabels,
  weights,
} from "../context";
import { f } from "../formula-text";
import { grid } from "../layout";
import { NOTES } from "../notes";
import type { Label, PlanBlock } from "../plan";
import type { KeyMaskRef } from "../style";
import { t } from "../../i18n";

export function attentionSheetBlocks(
  ctx: BuildContext,
  L: LayerSheet,
  b: AttentionBlock,
  mh: MultiHeadCache,
  state: SheetState,
): SheetState {
  const { c, p, style } = ctx;
  const R = L.refs;
  const xq = state.x;
  const memory = b.role === "cross" ? memoryOf(ctx) : undefined;
  const xkv = memory ? memory.block : xq;
  const keyLabels = memory ? tokenLabels(ctx, memory.stream, R) : L.labels;
  const mask: KeyMaskRef = { visible: memory ? memory.stream.visible : L.stream.visible, causal: b.role === "masked" };
  const nq = xq.rows;
  const nk = xkv.rows;
  const heads: PlanBlock[] = [];
  const T = t().sheet;
  L.sheet.paragraph(T.attentionHeading[b.role], "subheading");
  for (let h = 0; h < c.heads; h++) {
    const H = `${b.name}_H${h + 1}`;
    const hc = mh.heads[h];
    const w = (name: "Wq" | "Wk" | "Wv") => ({
      spec: matrixSpec({
        key: `${H}_${name}`,
        explain: { computes: { op: "weight", param: `${H}_${name}` }, topic: "qkv", role: b.role },
        title: T.headWeight(h + 1, name),
        note: NOTES[name],
        role: "weight",
        rows: c.dModel,
        cols: c.dK,
        rowLabels: numbered("d", c.dModel),
        colLabels: numbered("k", c.dK),
      }),
      fill: () => weights(p[`${H}_${name}`]),
    });
    // What a learner looks for first: the pattern beside its scores; the weights and
    // projections that make them below (fills are lazy, so placement order is free).
    const scaled = c.scaled || !!ctx.switches;
    const [attn, scores] = L.sheet.band([
      {
        spec: matrixSpec({
          key: `${H}_Attn`,
          title: T.headAttn(h + 1),
          explain: {
            computes: {
              op: "softmax",
              scores: `${H}_Scores`,
              visible: mask.visible.key,
              causal: mask.causal,
              on: c.normalization === "softmax",
              switch: ctx.switches?.softmax.key,
            },
            topic: "softmax",
            role: b.role,
          },
          note: mask.causal ? NOTES.attnCausal : NOTES.attn,
          role: "computed",
          rows: nq,
          cols: nk,
          rowLabels: L.labels,
          colLabels: keyLabels,
          heatmap: "attention",
        }),
        fill: () => computed(style.weights(R, scores, mask), hc.A),
      },
      {
        spec: matrixSpec({
          key: `${H}_Scores`,
          title: T.headScores(h + 1, scaled),
          explain: {
            computes: {
              op: "scores",
              q: `${H}_Q`,
              k: `${H}_K`,
              visible: mask.visible.key,
              causal: mask.causal,
              dK: c.dK,
              scaled: c.scaled,
              scaling: ctx.switches?.scaling.key,
            },
            topic: "scores",
            role: b.role,
          },
          note: mask.causal ? NOTES.scoresCausal : NOTES.scores,
          role: "computed",
          rows: nq,
          cols: nk,
          rowLabels: L.labels,
          colLabels: keyLabels,
        }),
        fill: () => computed(style.scores(R, Q, K, mask), hc.S),
      },
    ]);
    const [Wq, Wk, Wv] = L.sheet.band([w("Wq"), w("Wk"), w("Wv")]);
    const proj = (name: "Q" | "K" | "V", from: PlanBlock, W: PlanBlock, labels: Label[], value: Matrix) => ({
      spec: matrixSpec({
        key: `${H}_${name}`,
        title: T.headProjection(h + 1, name, from.key),
        explain: { computes: { op: "linear", x: from.key, w: W.key }, topic: "qkv", role: b.role },
        note: NOTES[name],
        role: "computed",
        rows: from.rows,
        cols: c.dK,
        rowLabels: labels,
        colLabels: numbered(name.toLowerCase(), c.dK),
      }),
      fill: () => computed(style.linear(R, from, W), value),
    });
    const [Q, K, V, out] = L.sheet.band([
      proj("Q", xq, Wq, L.labels, hc.Q),
      proj("K", xkv, Wk, keyLabels, hc.K),
      proj("V", xkv, Wv, keyLabels, hc.V),
      {
        spec: matrixSpec({
          key: `${H}_Out`,
          title: T.headOut(h + 1),
          explain: {
            computes: { op: "weightedSum", attn: `${H}_Attn`, v: `${H}_V`, causal: mask.causal },
            topic: "weightedSum",
            role: b.role,
          },
          note: NOTES.headOut,
          role: "computed",
          rows: nq,
          cols: c.dK,
          rowLabels: L.labels,
          colLabels: numbered("v", c.dK),
        }),
        fill: () => computed(style.weightedSum(R, attn, V, mask), hc.O),
      },
    ]);
    heads.push(out);
  }
  const width = c.heads * c.dK;
  const [concat, Wo, mha] = L.sheet.band([
    {
      spec: matrixSpec({
        key: `${b.name}_Concat`,
        title: t().sheet.concat,
        explain: {
          computes: { op: "concat", heads: Array.from({ length: c.heads }, (_, h) => `${b.name}_H${h + 1}_Out`), dK: c.dK },
          topic: "multiHead",
          role: b.role,
        },
        note: NOTES.concat,
        role: "computed",
        rows: nq,
        cols: width,
        rowLabels: L.labels,
        colLabels: numbered("c", width),
      }),
      fill: () =>
        computed(
          grid(nq, width, (i, j) => f(R.cell(heads[Math.floor(j / c.dK)], i, j % c.dK))),
          mh.concat,
        ),
    },
    {
      spec: matrixSpec({
        key: `${b.name}_Wo`,
        title: "Wo",
        explain: { computes: { op: "weight", param: `${b.name}_Wo` }, topic: "multiHead", role: b.role },
        note: NOTES.Wo,
        role: "weight",
        rows: width,
        cols: c.dModel,
        rowLabels: numbered("c", width),
        colLabels: numbered("d", c.dModel),
      }),
      fill: () => weights(p[`${b.name}_Wo`]),
    },
    {
      spec: matrixSpec({
        key: `${b.name}_MHA`,
        title: t().sheet.mha,
        explain: { computes: { op: "linear", x: `${b.name}_Concat`, w: `${b.name}_Wo` }, topic: "multiHead", role: b.role },
        note: NOTES.mha,
        role: "computed",
        rows: nq,
        cols: c.dModel,
        rowLabels: L.labels,
        colLabels: numbered("d", c.dModel),
      }),
      fill: () => computed(style.linear(R, concat, Wo), mh.out),
    },
  ]);
  return { x: state.x, sub: mha };
}

/** The block cross-attention reads: the top encoder layer's output (every encoder layer is placed first). */
function memoryOf(ctx: BuildContext): { block: PlanBlock; stream: StreamBlocks } {
  const top = lastLayerOut(ctx, "source");
  if (!top) throw new Error("cross-attention needs an encoder layer before it");
  return top;
}
