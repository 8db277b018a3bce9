/** Residual sum then LayerNorm on a sheet, as src/model/layers.ts computes it: LN(x + sublayer(x))·γ + β, one row at a time. */
import type { NormBlock } from "../../model/architecture";
import type { NormCache } from "../../model/blocks";
import { BuildContext, LayerSheet, SheetState, computed, matrixSpec, numbered, weights } from "../context";
import { LAYER_NORM_EPS } from "../../model/layers";
import { NOTES } from "../notes";
import { t } from "../../i18n";

export function normSheetBlocks(ctx: BuildContext, L: LayerSheet, b: NormBlock, cache: NormCache, state: SheetState): SheetState {
  const { c, p, style } = ctx;
  const R = L.refs;
  const T = t().sheet;
  const title = T.addNorm(b.index);
  const x = state.x;
  const sub = state.sub;
  if (!sub) throw new Error(`${b.name} has no sublayer before it`);
  const d = c.dModel;
  const [sum, gamma, beta] = L.sheet.band([
    {
      spec: matrixSpec({
        key: `${b.name}_Sum`,
        explain: { computes: { op: "residual", x: x.key, sub: sub.key }, topic: "norm" },
        title: T.residualSum(title),
        note: NOTES.residual,
        role: "computed",
        rows: x.rows,
        cols: d,
        rowLabels: L.labels,
        colLabels: numbered("d", d),
      }),
      fill: () => computed(style.residual(R, x, sub), cache.sum),
    },
    {
      spec: matrixSpec({
        key: `${b.name}_Gamma`,
        explain: { computes: { op: "weight", param: `${b.name}_Gamma` }, topic: "norm" },
        title: T.gamma,
        note: NOTES.gamma,
        role: "weight",
        rows: 1,
        cols: d,
        colLabels: numbered("d", d),
        heatmap: undefined,
      }),
      fill: () => weights(p[`${b.name}_Gamma`]),
    },
    {
      spec: matrixSpec({
        key: `${b.name}_Beta`,
        explain: { computes: { op: "weight", param: `${b.name}_Beta` }, topic: "norm" },
        title: T.beta,
        note: NOTES.beta,
        role: "weight",
        rows: 1,
        cols: d,
        colLabels: numbered("d", d),
        heatmap: undefined,
      }),
      fill: () => weights(p[`${b.name}_Beta`]),
    },
  ]);
  const [out] = L.sheet.band([
    {
      spec: matrixSpec({
        key: b.out,
        explain: {
          computes: { op: "layerNorm", sum: `${b.name}_Sum`, gamma: `${b.name}_Gamma`, beta: `${b.name}_Beta`, eps: LAYER_NORM_EPS },
          topic: "norm",
        },
        title: T.layerNorm(title),
        note: NOTES.layerNorm,
        role: "computed",
        rows: x.rows,
        cols: d,
        rowLabels: L.labels,
        colLabels: numbered("d", d),
      }),
      fill: () => computed(style.layerNorm(R, sum, gamma, beta), cache.out),
    },
  ]);
  return { x: out };
}
