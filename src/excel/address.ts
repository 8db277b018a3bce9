/**
 * Reading the addresses Excel hands back ("Encoder!C5:I20",
 * "'Encoder (2)'!$C$5") and the sheet-qualified references in a plan.
 */
import { parseCell, rangeAddress } from "../sheet/a1";

export interface SheetRange {
  sheet: string;
  top: number;
  left: number;
  rows: number;
  cols: number;
}

const QUALIFIED = /^(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Z]+\$?\d+)(?::(\$?[A-Z]+\$?\d+))?$/;

/** Parses a sheet-qualified range address; the sheet may be quoted, with inner quotes doubled. */
export function parseSheetRange(address: string): SheetRange {
  const m = QUALIFIED.exec(address);
  if (!m) throw new RangeError(`"${address}" is not a sheet-qualified address like 'Encoder'!$C$5:$E$9`);
  const sheet = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2];
  const a = parseCell(m[3]);
  const b = m[4] ? parseCell(m[4]) : a;
  const top = Math.min(a.row, b.row);
  const left = Math.min(a.col, b.col);
  return { sheet, top, left, rows: Math.abs(b.row - a.row) + 1, cols: Math.abs(b.col - a.col) + 1 };
}

/** The address of cell (i, j) inside `r`, as a user reads it: "Encoder!D7". */
export function cellIn(r: SheetRange, i: number, j: number): string {
  return `${displaySheet(r.sheet)}!${rangeAddress(r.top + i, r.left + j, 1, 1, false)}`;
}

/** The whole range as a user reads it: "Encoder!C5:I20". */
export function displayRange(r: SheetRange): string {
  return `${displaySheet(r.sheet)}!${rangeAddress(r.top, r.left, r.rows, r.cols, false)}`;
}

/** A sheet name as Excel writes it in an address: quoted only when it must be. */
export function displaySheet(sheet: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) && !/^[A-Za-z]{1,3}\d+$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
}
