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
import { t, TABLES } from "../../i18n";

/** Heat maps side by side: four fit one screen beside each other. */
export const MAPS_PER_ROW = 4;
/** One decimal is enough to see where a head looks, and keeps the columns narrow. */
export const MAP_FORMAT = "0.0";
/** The loss chart's width in (narrow) columns. */
const CHART_WIDTH = 11;
/** Columns left free right of the output beside Tokens, where a sentence's text overflows (7 words of 6 letters). */
const OUTPUT_TEXT_ROOM = 8;
/** Columns left free right of the input check, where its longest warning overflows: about 6 characters a map column. */
// Room for the longest warning of every language, so that the sheet is laid out the same in each.
const CHECK_TEXT_ROOM = Math.ceil(
  Math.max(...Object.values(TABLES).flatMap((T) => [T.sheet.inputEmpty.length, T.sheet.inputUnknown.length])) / 6,
);
/** A map's column width: a token label such as "<pad>" or "gato" fits, and so does "0.0". */
const MAP_COL_WIDTH = 4.5;
/** A typed token's column: most words fit; a longer one shows whole on the Input sheet. */
const TOKEN_COL_WIDTH = 7;
/** The row labels' column: a longer token ("pescado"). */
const LABEL_COL_WIDTH = 7;

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
  const output: { spec: BlockSpec; fill: Fill; gap?: number } = kind.text
    ? {
        gap: OUTPUT_TEXT_ROOM,
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
  // The rows of one screen are few: the band starts right under the sheet's purpose, and the maps' heading right under it.
  sheet.skip(-1);
  const { tokens, beside } = tokensBand(ctx, sheet, [output], 0);
  for (const b of beside) ctx.mirrors.add(b);
  return tokens;
}

/** Every head's attention weights, layer by layer, then the loss chart beside them. Placed once every sheet has its blocks. */
export function overviewMaps(ctx: BuildContext, sheet: SheetLayout, training: PlanSheet): void {
  const R = new Refs(sheet.sheet.name);
  sheet.paragraph(NOTES.overviewMaps, "subheading");
  const firstMapRow = sheet.nextRow;
  const bands = ctx.arch.layers.flatMap((layer) =>
    layer.blocks
      .filter((b): b is AttentionBlock => b.kind === "attention")
      .flatMap((b) =>
        Array.from({ length: Math.ceil(ctx.c.heads / MAPS_PER_ROW) }, (_, r) => {
          const heads = Array.from({ length: Math.min(MAPS_PER_ROW, ctx.c.heads - r * MAPS_PER_ROW) }, (_, k) => r * MAPS_PER_ROW + k + 1);
          return heads.map((h) => ({ layer, b, h, source: placedBlock(ctx, `${b.name}_H${h}_Attn`) }));
        }),
      ),
  );
  // Every map in a slot as wide as the widest (its row labels, its columns, a gap), so that the bands line up in columns.
  const slot = 2 + Math.max(...bands.flat().map((m) => m.source.cols));
  let right = 0;
  for (const band of bands) {
    const placed = sheet.band(
      band.map(({ layer, b, h, source }) => ({
        spec: {
          key: `Overview_${source.key}`,
          named: false,
          title: t().sheet.overviewTitle[b.role](layer.name, h),
          note: `${NOTES.overviewMap} ${t().sheet.overviewMapShows(source.key, source.sheet)}`,
          role: "computed" as const,
          rows: source.rows,
          cols: source.cols,
          ...mirrorLabels(sheet.sheet.name, source),
          // A token is often wider than a map's column ("<pad>" in Calibri 11): it shrinks rather than being cut.
          shrinkColLabels: true,
          numberFormat: MAP_FORMAT,
          heatmap: "attention" as const,
          explain: { computes: { op: "copy" as const, source: source.key }, topic: "softmax" as const, role: b.role },
        },
        fill: mirrorFill(R, () => source),
      })),
      slot,
      // The next band's bold title is gap enough: one row fewer per band, so that the default preset fits one screen.
      0,
    );
    for (const m of placed) {
      ctx.mirrors.add(m);
      right = Math.max(right, m.left + m.cols);
    }
  }
  // The loss chart shares their screen: at the top right, above the maps and clear of the texts that overflow beside
  // Tokens, or, when the maps leave room, beside them; wherever the sheet ends narrower.
  const loss = training.charts[0];
  if (!loss) return;
  const topRight = Math.max(...sheet.sheet.blocks.filter((b) => b.top < firstMapRow).map((b) => b.left + b.cols)) + CHECK_TEXT_ROOM;
  const above = Math.max(topRight, right - CHART_WIDTH);
  const beside = right + 1;
  const chart =
    beside + CHART_WIDTH <= above + CHART_WIDTH && Math.max(beside + CHART_WIDTH, topRight) < above + CHART_WIDTH
      ? { top: firstMapRow, left: beside, height: Math.max(firstMapRow, sheet.nextRow - firstMapRow) }
      : { top: 0, left: above, height: firstMapRow };
  sheet.sheet.charts.push({ ...loss, ...chart, width: CHART_WIDTH });
}

/**
 * Narrow columns, so that four maps fit beside each other: a map's columns
 * fit "0.0" and a short token label, its row labels a longer token, a typed
 * token 8 characters; the gaps between blocks 2; the chart's columns are as
 * narrow as the maps'.
 */
export function overviewWidths(sheet: PlanSheet): number[] {
  const { blocks, charts } = sheet;
  const widths: number[] = [];
  const widen = (j: number, w: number): void => {
    while (widths.length <= j) widths.push(2);
    widths[j] = Math.max(widths[j], w);
  };
  for (const b of blocks) {
    if (b.rowLabels) widen(b.left - 1, LABEL_COL_WIDTH);
    for (let j = b.left; j < b.left + b.cols; j++) widen(j, b.role === "input" ? TOKEN_COL_WIDTH : b.heatmap ? MAP_COL_WIDTH : 3.6);
  }
  // The chart is as wide as the columns under it.
  for (const c of charts) for (let j = c.left; j < c.left + c.width; j++) widen(j, 3.6);
  return widths;
}
