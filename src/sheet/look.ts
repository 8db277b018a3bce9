/**
 * The look of the built workbook, described once as data: the Excel adapter
 * (src/excel/style.ts) and the .xlsx writer (src/cli/xlsx.ts) render it, so
 * a workbook looks the same however it was made. Colours are "#RRGGBB".
 */
import type { BlockRole, Heatmap, PlanText } from "./plan";

/** Data cells of the blocks a user may change; computed blocks stay white, so a formula never looks editable. */
export const FILLS: Partial<Record<BlockRole, string>> = {
  weight: "#FFF2CC", // pale yellow: trained, editable
  input: "#E2EFDA", // pale green: type here
  switch: "#E2EFDA",
  data: "#E2EFDA",
};

/** Only what differs from the default font, DEFAULT_FONT. */
export interface FontLook {
  bold?: boolean;
  italic?: boolean;
  size?: number;
  color?: string;
}

/**
 * The workbook's default font, Excel's (and ExcelJS's) Calibri 11 in black. The Excel adapter leaves it to the
 * workbook; the .xlsx writer spells it out in every font it declares, since a reader fills a font's missing face
 * and size with its own defaults (LibreOffice: a serif).
 */
export const DEFAULT_FONT = { name: "Calibri", size: 11 } as const;

export const TEXT_FONTS: Record<PlanText["style"], FontLook> = {
  heading: { bold: true, size: 14 },
  subheading: { bold: true },
  body: {},
  hint: { italic: true, color: "#7F7F7F" },
};

export const TITLE_FONT: FontLook = { bold: true };
/** Grey, so labels read as captions of the numbers rather than as numbers. */
export const LABEL_FONT: FontLook = { color: "#595959" };

/** One end (or the middle) of a colour scale: a fixed number, or the range's own lowest or highest value. */
export type ScalePoint = { kind: "number"; value: number; color: string } | { kind: "lowest" | "highest"; color: string };

export interface ColourScale {
  min: ScalePoint;
  mid?: ScalePoint;
  max: ScalePoint;
}

const WHITE = "#FFFFFF";

/**
 * Attention weights and probabilities lie in [0, 1], so their scales are
 * fixed there and a faint weight looks faint on every head; signed values
 * (scores, gradients) diverge from white at 0.
 */
export const SCALES: Record<Heatmap, ColourScale> = {
  attention: { min: { kind: "number", value: 0, color: WHITE }, max: { kind: "number", value: 1, color: "#2F75B5" } },
  probability: { min: { kind: "number", value: 0, color: WHITE }, max: { kind: "number", value: 1, color: "#63BE7B" } },
  diverging: {
    min: { kind: "lowest", color: "#F8696B" },
    mid: { kind: "number", value: 0, color: WHITE },
    max: { kind: "highest", color: "#5A8AC6" },
  },
};

/** Number formats, in Excel's en-US codes (which ExcelJS writes as they are). */
export const NUMBER_FORMATS = {
  /** Counts and positions. */
  whole: "0",
  /** Activations and weights: two decimals keep a block readable at a glance. */
  value: "0.00",
  /** Losses and gradients, whose changes late in training show only in the third or fourth decimal. */
  precise: "0.0000",
  percent: "0.0%",
  /** Differences that should be about 1e-15 (the Check band). */
  scientific: "0.0E+00",
} as const;
