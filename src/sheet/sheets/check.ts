/**
 * The Check band: ATTN.* recompute each layer's blocks from the same
 * blocks, beside the per-cell formulas; one cell shows the largest
 * difference. Heads are checked when the model uses softmax and scaling
 * (what ATTN.HEAD computes).
 */
import type { Block, BlockKind } from "../../model/architecture";
import type { BlockCache, NormCache } from "../../model/blocks";
import type { MultiHeadCache } from "../../model/attention";
import type { FeedForwardCache } from "../../model/layers";
import type { Matrix } from "../../model/matrix";
import { BuildContext, LayerSheet, SheetState, computed, lastLayerOut, matrixSpec } from "../context";
import { f } from "../formula-text";
import { grid } from "../layout";
import { NUMBER_FORMATS } from "../look";
import { NOTES } from "../notes";
import type { BlockExplain, PlanBlock, PlanCell } from "../plan";
import { t } from "../../i18n";

/** Where a block was placed: its layer's sheet, the stream's blocks before it, the model's cache. */
export interface CheckSite {
  L: LayerSheet;
  block: Block;
  before: SheetState;
  cache: BlockCache;
}

interface Check {
  key: string;
  of: string;
  /** The ATTN.* function and the blocks its formula reads, for the pane's explanation. */
  fn: string;
  reads: string[];
  formula: string;
  value: Matrix;
}

const spill = (formula: string, rows: number, cols: number): PlanCell[][] =>
  grid(rows, cols, (i, j) => (i === 0 && j === 0 ? f(formula) : null));

/** Each block kind's ATTN.* recomputation, from A1 references (never names, which a later build re-points). */
const CHECKS: {
  [K in BlockKind]: (ctx: BuildContext, site: CheckSite & { block: Extract<Block, { kind: K }> }, at: (key: string) => string) => Check[];
} = {
  attention(ctx, site, at) {
    const { block: b, L } = site;
    const all = (x: PlanBlock): string => L.refs.all(x);
    if (ctx.c.normalization !== "softmax" || !ctx.c.scaled || ctx.switches) return [];
    const cache = site.cache as MultiHeadCache;
    const memory = b.role === "cross" ? lastLayerOut(ctx, "source") : undefined;
    const seen = memory ? memory.stream.visible : L.stream.visible;
    const visible = all(seen);
    const mask = b.role === "masked" ? `ATTN.MASK(${site.before.x.rows},"causal",${visible})` : visible;
    const kv = memory ? `,${all(memory.block)}` : "";
    return cache.heads.map((head, h) => {
      const H = `${b.name}_H${h + 1}`;
      return {
        key: `Check_${H}_Out`,
        of: `${H}_Out`,
        fn: "ATTN.HEAD",
        reads: [site.before.x.key, `${H}_Wq`, `${H}_Wk`, `${H}_Wv`, seen.key, ...(memory ? [memory.block.key] : [])],
        formula: `ATTN.HEAD(${all(site.before.x)},${at(`${H}_Wq`)},${at(`${H}_Wk`)},${at(`${H}_Wv`)},${mask}${kv})`,
        value: head.O,
      };
    });
  },
  norm(_ctx, { block: b, cache }, at) {
    const value = (cache as NormCache).out;
    return [
      {
        key: `Check_${b.out}`,
        of: b.out,
        fn: "ATTN.LAYERNORM",
        reads: [`${b.name}_Sum`, `${b.name}_Gamma`, `${b.name}_Beta`],
        formula: `ATTN.LAYERNORM(${at(`${b.name}_Sum`)},${at(`${b.name}_Gamma`)},${at(`${b.name}_Beta`)})`,
        value,
      },
    ];
  },
  ffn(_ctx, { block: b, cache, before, L }, at) {
    const w = (p: string): string => at(`${b.name}_${p}`);
    const value = (cache as FeedForwardCache).out;
    return [
      {
        key: `Check_${b.name}_Out`,
        of: `${b.name}_Out`,
        fn: "ATTN.FFN",
        reads: [before.x.key, ...["W1", "B1", "W2", "B2"].map((p) => `${b.name}_${p}`)],
        formula: `ATTN.FFN(${L.refs.all(before.x)},${w("W1")},${w("B1")},${w("W2")},${w("B2")})`,
        value,
      },
    ];
  },
};

function checksOf(ctx: BuildContext, site: CheckSite, at: (key: string) => string): Check[] {
  return (CHECKS[site.block.kind] as (ctx: BuildContext, site: CheckSite, at: (key: string) => string) => Check[])(ctx, site, at);
}

export function checkBand(ctx: BuildContext, sites: CheckSite[], sheets: LayerSheet[]): void {
  const placed: { check: Check; block: PlanBlock; L: LayerSheet }[] = [];
  for (const L of sheets) {
    const at = (key: string): string => L.refs.all(ctx.fills.find((x) => x.block.key === key)!.block);
    const checks = sites.filter((s) => s.L === L).flatMap((s) => checksOf(ctx, s, at));
    const explainOf = (k: Check): BlockExplain => {
      const of = ctx.fills.find((x) => x.block.key === k.of)!.block.explain;
      return { computes: { op: "check", of: k.of, fn: k.fn, reads: k.reads }, topic: of?.topic, role: of?.role };
    };
    if (checks.length === 0) continue;
    L.sheet.paragraph(t().sheet.checkHeading, "subheading");
    const blocks = L.sheet.band(
      checks.map((k) => ({
        spec: matrixSpec({
          key: k.key,
          title: t().sheet.checkOf(k.of),
          note: NOTES.check,
          role: "computed",
          rows: k.value.rows,
          cols: k.value.cols,
          rowLabels: L.labels,
          explain: explainOf(k),
        }),
        fill: () => computed(spill(k.formula, k.value.rows, k.value.cols), k.value),
      })),
    );
    checks.forEach((check, i) => placed.push({ check, block: blocks[i], L }));
  }
  if (placed.length === 0) return;
  const first = sheets[0];
  const R = first.refs;
  const of = (key: string): PlanBlock => ctx.fills.find((x) => x.block.key === key)!.block;
  const diff = placed.map(({ check, block }) => `MAX(ABS(${R.all(block)}-${R.all(of(check.of))}))`).join(",");
  first.sheet.band([
    {
      spec: {
        key: "Check_Max_Diff",
        title: t().sheet.checkDiff,
        note: NOTES.checkDiff,
        role: "computed",
        rows: 1,
        cols: 1,
        numberFormat: NUMBER_FORMATS.scientific,
        // The Check band tests the formulas; no tour step covers it (tests/explain.test.ts lists it as the exception).
        explain: { computes: { op: "maxDiff", pairs: placed.map(({ check, block }) => ({ check: block.key, of: check.of })) } },
      },
      fill: () => ({ cells: [[f(`MAX(${diff})`)]], values: [[0]] }),
    },
  ]);
}
