/**
 * Placing blocks on a sheet, and the references formulas make to them.
 * Blocks are placed in bands, left to right; a band is as tall as its
 * tallest block. Cells are filled after every block of the workbook has a
 * place, so a formula may refer to a block placed later (the decoder's input
 * refers to the Output sheet's predictions).
 */
import { cellAddress, qualify, rangeAddress } from "./a1";
import { BlockExplain, BlockRole, Heatmap, Label, PlanBlock, PlanCell, PlanChart, PlanSheet, PlanText, PlanValue } from "./plan";

export interface BlockSpec {
  key: string;
  /** Add a workbook name for the block (default true). */
  named?: boolean;
  title: string;
  note: string;
  role: BlockRole;
  rows: number;
  cols: number;
  rowLabels?: Label[];
  colLabels?: Label[];
  shrinkColLabels?: boolean;
  numberFormat?: string;
  columnFormats?: readonly string[];
  heatmap?: Heatmap;
  explain?: BlockExplain;
}

/** Cells and the model's value of each, filled once every block has its place. */
export type Fill = () => { cells: PlanCell[][]; values: PlanValue[][] };

/** Rows above the first band: the sheet's heading and its purpose. */
export const SHEET_HEADER_ROWS = 3;
/** Blocks start in column B, so that row labels fit in column A. */
const FIRST_COL = 1;

export class SheetLayout {
  readonly sheet: PlanSheet;
  private row = SHEET_HEADER_ROWS;
  private readonly fills: { block: PlanBlock; fill: Fill }[];

  constructor(name: string, purpose: string, fills: { block: PlanBlock; fill: Fill }[]) {
    this.sheet = { name, purpose, blocks: [], texts: [], charts: [], columnWidths: [], freeze: { rows: 2, cols: 0 } };
    this.fills = fills;
    this.text(0, 0, name, "heading");
    this.text(1, 0, purpose, "hint");
  }

  text(row: number, col: number, text: string, style: PlanText["style"]): void {
    this.sheet.texts.push({ row, col, text, style });
  }

  /** A line of text spanning the sheet at the current row. */
  paragraph(text: string, style: PlanText["style"] = "body"): void {
    this.text(this.row, FIRST_COL - 1, text, style);
    this.row += 1;
  }

  skip(rows: number): void {
    this.row += rows;
  }

  /**
   * Places blocks side by side; each gets its cells from its fill later. A block is followed by `gap` empty
   * columns (default 1), or, with `slot`, starts `slot` columns after the one before it, so that the blocks of
   * several bands line up in columns. `gapRows` empty rows follow the band (default 1).
   */
  band(specs: { spec: BlockSpec; fill: Fill; gap?: number }[], slot?: number, gapRows = 1): PlanBlock[] {
    let col = FIRST_COL;
    let height = 0;
    const placed = specs.map(({ spec, fill, gap }) => {
      const start = col;
      const labelCol = spec.rowLabels ? 1 : 0;
      const block: PlanBlock = {
        key: spec.key,
        named: spec.named ?? true,
        sheet: this.sheet.name,
        title: spec.title,
        note: spec.note,
        role: spec.role,
        top: this.row + 2,
        left: col + labelCol,
        rows: spec.rows,
        cols: spec.cols,
        cells: [],
        values: [],
        rowLabels: spec.rowLabels,
        colLabels: spec.colLabels,
        ...(spec.shrinkColLabels ? { shrinkColLabels: true } : {}),
        numberFormat: spec.numberFormat,
        columnFormats: spec.columnFormats,
        heatmap: spec.heatmap,
        ...(spec.explain ? { explain: spec.explain } : {}),
      };
      col += labelCol + spec.cols + (gap ?? 1);
      if (slot !== undefined) col = Math.max(col, start + slot);
      height = Math.max(height, spec.rows);
      this.sheet.blocks.push(block);
      this.fills.push({ block, fill });
      return block;
    });
    this.row += height + 2 + gapRows;
    return placed;
  }

  chart(chart: Omit<PlanChart, "top"> & { height: number }): void {
    this.sheet.charts.push({ ...chart, top: this.row });
    this.row += chart.height + 1;
  }

  get nextRow(): number {
    return this.row;
  }
}

/** References from a formula on sheet `from` into block `b`. */
export class Refs {
  constructor(private readonly from: string) {}

  cell(b: PlanBlock, i: number, j: number): string {
    return qualify(cellAddress(b.top + i, b.left + j), b.sheet, this.from);
  }

  /** Row i, columns [j0, j1). */
  row(b: PlanBlock, i: number, j0 = 0, j1 = b.cols): string {
    return qualify(rangeAddress(b.top + i, b.left + j0, 1, j1 - j0), b.sheet, this.from);
  }

  /** Column j, rows [i0, i1). */
  col(b: PlanBlock, j: number, i0 = 0, i1 = b.rows): string {
    return qualify(rangeAddress(b.top + i0, b.left + j, i1 - i0, 1), b.sheet, this.from);
  }

  all(b: PlanBlock): string {
    return qualify(rangeAddress(b.top, b.left, b.rows, b.cols), b.sheet, this.from);
  }
}

/** An r × c grid from a function of the position. */
export function grid<T>(rows: number, cols: number, f: (i: number, j: number) => T): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows; i++) {
    const row: T[] = [];
    for (let j = 0; j < cols; j++) row.push(f(i, j));
    out.push(row);
  }
  return out;
}
