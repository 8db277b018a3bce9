/**
 * The Overview sheet: what a learner looks for, on one screen. The sentence
 * (typed here: the public Tokens row), what the model makes of it, a heat map
 * of every head of every layer with its tokens on rows and columns, and the
 * loss chart. Everything but Tokens is a plain reference to the block it
 * shows, so it is live in every spreadsheet program.
 */
import type { AttentionBlock } from "../../model/architecture";
import { BuildContext, numbered } from "../context";
import { SHEET_KINDS } from "../kinds";
import { BlockSpec, Fill, Refs, SheetLayout } from "../layout";
import { mirrorFill, mirrorLabels } from "../mirror";
import { NOTES } from "../notes";
import type { PlanBlock, PlanSheet } from "../plan";
import { tokensBand } from "./input";
import { t } from "../../i18n";

/** Heat maps side by side: four fit one screen beside each other. */
export const MAPS_PER_ROW = 4;
/** One decimal is enough to see where a head looks, and keeps the columns narrow. */
export const MAP_FORMAT = "0.0";
/** The loss chart's width in (narrow) columns. */
const CHART_WIDTH = 14;
/** Columns left free right of the output beside Tokens, where a sentence's text overflows. */
const OUTPUT_TEXT_ROOM = 12;

const placedBlock = (ctx: BuildContext, key: string): PlanBlock => {
  const found = ctx.fills.find((x) => x.block.key === key);
  if (!found) throw new Error(`the Overview shows the block ${key}, but no sheet placed it`);
  return found.block;
};

/** The Tokens band, with the model's output beside it; returns Tokens. Placed before the sheets the output comes from. */
export function overviewTop(ctx: BuildContext, sheet: SheetLayout): PlanBlock {
  const kind = SHEET_KINDS[ctx.c.kind];
  const R = new Refs(sheet.sheet.name);
  const positions = ctx.run.streams[ctx.arch.top.stream]!.ids.length;
  // A model that writes a sentence shows it; an encoder shows its prediction at each position.
  const output: { spec: BlockSpec; fill: Fill } = kind.text
    ? {
        spec: {
          key: `Overview_${kind.text.key}`,
          named: false,
          title: kind.text.title,
          note: kind.text.note,
          role: "computed",
          rows: 1,
          cols: 1,
          explain: { computes: { op: "copy", source: kind.text.key }, topic: "output" },
        },
        fill: mirrorFill(R, () => placedBlock(ctx, kind.text!.key)),
      }
    : {
        spec: {
          key: "Overview_Predicted",
          named: false,
          title: kind.predicted.title,
          note: kind.predicted.note,
          role: "computed",
          rows: 1,
          cols: positions,
          colLabels: numbered("", positions),
          explain: { computes: { op: "copy", source: "Predicted" }, topic: "output" },
        },
        fill: mirrorFill(R, () => ctx.blocks.predicted!),
      };
  const { tokens, beside } = tokensBand(ctx, sheet, [output]);
  for (const b of beside) ctx.mirrors.add(b);
  return tokens;
}

/** Every head's attention weights, layer by layer, then the loss chart beside them. Placed once every sheet has its blocks. */
export function overviewMaps(ctx: BuildContext, sheet: SheetLayout, training: PlanSheet): void {
  const R = new Refs(sheet.sheet.name);
  sheet.paragraph(NOTES.overviewMaps, "subheading");
  const firstMapRow = sheet.nextRow;
  let right = 0;
  for (const layer of ctx.arch.layers) {
    const attention = layer.blocks.filter((b): b is AttentionBlock => b.kind === "attention");
    for (const b of attention) {
      for (let h0 = 0; h0 < ctx.c.heads; h0 += MAPS_PER_ROW) {
        const heads = Array.from({ length: Math.min(MAPS_PER_ROW, ctx.c.heads - h0) }, (_, k) => h0 + k + 1);
        const placed = sheet.band(
          heads.map((h) => {
            const source = placedBlock(ctx, `${b.name}_H${h}_Attn`);
            return {
              spec: {
                key: `Overview_${source.key}`,
                named: false,
                title: t().sheet.overviewTitle[b.role](layer.name, h),
                note: `${NOTES.overviewMap} ${t().sheet.overviewMapShows(source.key, source.sheet)}`,
                role: "computed" as const,
                rows: source.rows,
                cols: source.cols,
                ...mirrorLabels(sheet.sheet.name, source),
                numberFormat: MAP_FORMAT,
                heatmap: "attention" as const,
                explain: { computes: { op: "copy" as const, source: source.key }, topic: "softmax" as const, role: b.role },
              },
              fill: mirrorFill(R, () => source),
            };
          }),
        );
        for (const m of placed) {
          ctx.mirrors.add(m);
          right = Math.max(right, m.left + m.cols);
        }
      }
    }
  }
  // The loss chart at the top right, above the maps and clear of the output text beside Tokens, so it shares their screen.
  const loss = training.charts[0];
  const topRight = Math.max(...sheet.sheet.blocks.filter((b) => b.top < firstMapRow).map((b) => b.left + b.cols));
  const left = Math.max(topRight + OUTPUT_TEXT_ROOM, right - CHART_WIDTH);
  if (loss) sheet.sheet.charts.push({ ...loss, top: 0, left, width: CHART_WIDTH, height: firstMapRow });
}

/**
 * Narrow columns, so that four maps fit beside each other: "0.0" needs about
 * 3.6 characters, a token label 6.5, a typed token 8; the gaps between
 * blocks 2; the chart's columns are as narrow as the maps'.
 */
export function overviewWidths(sheet: PlanSheet): number[] {
  const { blocks, charts } = sheet;
  const widths: number[] = [];
  const widen = (j: number, w: number): void => {
    while (widths.length <= j) widths.push(2);
    widths[j] = Math.max(widths[j], w);
  };
  for (const b of blocks) {
    if (b.rowLabels) widen(b.left - 1, 6.5);
    for (let j = b.left; j < b.left + b.cols; j++) widen(j, b.role === "input" ? 8 : 3.6);
  }
  // The chart is as wide as the columns under it.
  for (const c of charts) for (let j = c.left; j < c.left + c.width; j++) widen(j, 3.6);
  return widths;
}
