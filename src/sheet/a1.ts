/**
 * A1 addressing: 0-based row and column indexes to "$C$5", ranges, and
 * sheet-qualified references ('Encoder'!$C$5:$E$9).
 */

/** 0 → "A", 25 → "Z", 26 → "AA". */
export function columnLetters(col: number): string {
  if (!Number.isInteger(col) || col < 0) throw new RangeError(`a column index should be a whole number ≥ 0, got ${col}`);
  let s = "";
  let n = col + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** "A" → 0, "AA" → 26. */
export function columnIndex(letters: string): number {
  if (!/^[A-Z]+$/.test(letters)) throw new RangeError(`a column is written in capital letters, got "${letters}"`);
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function cellAddress(row: number, col: number, absolute = true): string {
  const d = absolute ? "$" : "";
  return `${d}${columnLetters(col)}${d}${row + 1}`;
}

export function rangeAddress(row: number, col: number, rows: number, cols: number, absolute = true): string {
  const first = cellAddress(row, col, absolute);
  return rows === 1 && cols === 1 ? first : `${first}:${cellAddress(row + rows - 1, col + cols - 1, absolute)}`;
}

/** A sheet name as formulas write it: always quoted, inner quotes doubled. */
export function quoteSheet(sheet: string): string {
  return `'${sheet.replace(/'/g, "''")}'`;
}

/** "'Encoder'!$C$5" when the reference leaves its sheet, "$C$5" when it stays. */
export function qualify(address: string, sheet: string, fromSheet?: string): string {
  return sheet === fromSheet ? address : `${quoteSheet(sheet)}!${address}`;
}

/** Parses "C5" or "$C$5" to 0-based indexes. */
export function parseCell(address: string): { row: number; col: number } {
  const m = /^\$?([A-Z]+)\$?([0-9]+)$/.exec(address);
  if (!m) throw new RangeError(`"${address}" is not a cell address like C5`);
  return { row: Number(m[2]) - 1, col: columnIndex(m[1]) };
}
