/**
 * Numbers as people type them into a flag or a pane field: plain decimals
 * ("0.01", "-2", "1e-3", ".5"). Number() alone would also take "0x10",
 * "0b1", "0o7" and "Infinity", and read "" as 0; the CLI and the pane share
 * this reader so that the same text means the same number in both.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const WHOLE = /^\d+$/;

/** The decimal number `text` spells, or NaN. */
export function decimalOf(text: string): number {
  return DECIMAL.test(text) ? Number(text) : NaN;
}

/** The whole number `text` spells in digits alone, or NaN. */
export function wholeOf(text: string): number {
  return WHOLE.test(text) ? Number(text) : NaN;
}
