/**
 * The look of the built workbook, the same as the .xlsx writer's
 * (src/cli/xlsx.ts): fills by role, fonts of titles, labels and texts, the
 * three colour scales, column widths.
 */
import type { BlockRole, Heatmap, PlanText } from "../sheet/plan";

export const FILL: Partial<Record<BlockRole, string>> = {
  weight: "#FFF2CC", // pale yellow: trained, editable
  input: "#E2EFDA", // pale green: type here
  switch: "#E2EFDA",
  data: "#E2EFDA",
};

export interface FontStyle {
  bold?: boolean;
  italic?: boolean;
  size?: number;
  color?: string;
}

export const TEXT_FONT: Record<PlanText["style"], FontStyle> = {
  heading: { bold: true, size: 14 },
  subheading: { bold: true },
  body: {},
  hint: { italic: true, color: "#7F7F7F" },
};

export const TITLE_FONT: FontStyle = { bold: true };
export const LABEL_FONT: FontStyle = { color: "#595959" };

const WHITE = "#FFFFFF";

/** Colour-scale criteria as Excel.ConditionalColorScaleCriteria takes them. */
export const SCALES: Record<Heatmap, Excel.ConditionalColorScaleCriteria> = {
  attention: {
    minimum: { type: "Number", formula: "0", color: WHITE },
    maximum: { type: "Number", formula: "1", color: "#2F75B5" },
  },
  probability: {
    minimum: { type: "Number", formula: "0", color: WHITE },
    maximum: { type: "Number", formula: "1", color: "#63BE7B" },
  },
  diverging: {
    minimum: { type: "LowestValue", color: "#F8696B" },
    midpoint: { type: "Number", formula: "0", color: WHITE },
    maximum: { type: "HighestValue", color: "#5A8AC6" },
  },
};

/**
 * Excel measures a column in characters of the default font (Calibri 11:
 * 7 px a character plus 5 px of padding), the JavaScript API in points
 * (OfficeDev/office-js#187); at 96 dpi a pixel is 0.75 pt.
 */
export function columnWidthPoints(chars: number): number {
  return (chars * 7 + 5) * 0.75;
}
