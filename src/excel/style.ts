/**
 * Renders the workbook's look (src/sheet/look.ts) in the terms of Excel's
 * JavaScript API: fonts on a range, colour-scale criteria, column widths in
 * points. The .xlsx writer (src/cli/xlsx.ts) renders the same look for
 * ExcelJS.
 */
import type { ColourScale, FontLook, ScalePoint } from "../sheet/look";

export function setFont(r: Excel.Range, look: FontLook): void {
  const font = r.format.font;
  if (look.bold !== undefined) font.bold = look.bold;
  if (look.italic !== undefined) font.italic = look.italic;
  if (look.size !== undefined) font.size = look.size;
  if (look.color !== undefined) font.color = look.color;
}

const CRITERION_TYPE = { lowest: "LowestValue", highest: "HighestValue" } as const;

function criterion(p: ScalePoint): Excel.ConditionalColorScaleCriterion {
  // Excel takes a fixed point as a formula, in en-US syntax like every formula we write.
  return p.kind === "number"
    ? { type: "Number", formula: String(p.value), color: p.color }
    : { type: CRITERION_TYPE[p.kind], color: p.color };
}

/** Colour-scale criteria as Excel.ConditionalColorScaleCriteria takes them. */
export function colourScaleCriteria(scale: ColourScale): Excel.ConditionalColorScaleCriteria {
  return {
    minimum: criterion(scale.min),
    ...(scale.mid ? { midpoint: criterion(scale.mid) } : {}),
    maximum: criterion(scale.max),
  };
}

/**
 * Excel measures a column in characters of the default font (Calibri 11:
 * 7 px a character plus 5 px of padding), the JavaScript API in points
 * (OfficeDev/office-js#187); at 96 dpi a pixel is 0.75 pt.
 */
export function columnWidthPoints(chars: number): number {
  return (chars * 7 + 5) * 0.75;
}
