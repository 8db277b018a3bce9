/** The feed-forward network on a sheet, as src/model/layers.ts computes it: ReLU(x·W1 + b1)·W2 + b2. */
import type { FfnBlock } from "../../model/architecture";
import type { FeedForwardCache } from "../../model/layers";
import { BuildContext, LayerSheet, SheetState, computed, matrixSpec, numbered, weights } from "../context";
import { NOTES } from "../notes";
import { t } from "../../i18n";

export function ffnSheetBlocks(ctx: BuildContext, L: LayerSheet, b: FfnBlock, cache: FeedForwardCache, state: SheetState): SheetState {
  const { c, p, style } = ctx;
  const R = L.refs;
  const x = state.x;
  L.sheet.paragraph(t().sheet.ffnHeading, "subheading");
  const [W1, b1, W2, b2] = L.sheet.band([
    {
      spec: matrixSpec({
        key: `${b.name}_W1`,
        explain: { computes: { op: "weight", param: `${b.name}_W1` }, topic: "ffn" },
        title: "W1",
        note: NOTES.W1,
        role: "weight",
        rows: c.dModel,
        cols: c.dFF,
        rowLabels: numbered("d", c.dModel),
        colLabels: numbered("h", c.dFF),
      }),
      fill: () => weights(p[`${b.name}_W1`]),
    },
    {
      spec: matrixSpec({
        key: `${b.name}_B1`,
        explain: { computes: { op: "weight", param: `${b.name}_B1` }, topic: "ffn" },
        title: "b1",
        note: NOTES.b1,
        role: "weight",
        rows: 1,
        cols: c.dFF,
        colLabels: numbered("h", c.dFF),
        heatmap: undefined,
      }),
      fill: () => weights(p[`${b.name}_B1`]),
    },
    {
      spec: matrixSpec({
        key: `${b.name}_W2`,
        explain: { computes: { op: "weight", param: `${b.name}_W2` }, topic: "ffn" },
        title: "W2",
        note: NOTES.W2,
        role: "weight",
        rows: c.dFF,
        cols: c.dModel,
        rowLabels: numbered("h", c.dFF),
        colLabels: numbered("d", c.dModel),
      }),
      fill: () => weights(p[`${b.name}_W2`]),
    },
    {
      spec: matrixSpec({
        key: `${b.name}_B2`,
        explain: { computes: { op: "weight", param: `${b.name}_B2` }, topic: "ffn" },
        title: "b2",
        note: NOTES.b2,
        role: "weight",
        rows: 1,
        cols: c.dModel,
        colLabels: numbered("d", c.dModel),
        heatmap: undefined,
      }),
      fill: () => weights(p[`${b.name}_B2`]),
    },
  ]);
  const [hidden, out] = L.sheet.band([
    {
      spec: matrixSpec({
        key: `${b.name}_Hidden`,
        explain: { computes: { op: "hidden", x: x.key, w: W1.key, b: b1.key }, topic: "ffn" },
        title: t().sheet.hidden,
        note: NOTES.hidden,
        role: "computed",
        rows: x.rows,
        cols: c.dFF,
        rowLabels: L.labels,
        colLabels: numbered("h", c.dFF),
      }),
      fill: () => computed(style.hidden(R, x, W1, b1), cache.hidden),
    },
    {
      spec: matrixSpec({
        key: `${b.name}_Out`,
        explain: { computes: { op: "linear", x: `${b.name}_Hidden`, w: W2.key, b: b2.key }, topic: "ffn" },
        title: t().sheet.ffnOut,
        note: NOTES.ffnOut,
        role: "computed",
        rows: x.rows,
        cols: c.dModel,
        rowLabels: L.labels,
        colLabels: numbered("d", c.dModel),
      }),
      fill: () => computed(style.linear(R, hidden, W2, b2), cache.out),
    },
  ]);
  return { x, sub: out };
}
