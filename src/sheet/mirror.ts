/**
 * A block that shows another block's cells: plain references, so it is live
 * wherever the workbook opens. Its cached values are the source's, so a
 * mirror is filled after every other block (`BuildContext.mirrors`).
 */
import { cellAddress, qualify } from "./a1";
import { f } from "./formula-text";
import { Fill, Refs, grid } from "./layout";
import type { Label, PlanBlock, PlanValue } from "./plan";

/**
 * The source's cells by reference. `keepBlanks` shows an empty source cell as
 * empty text rather than the 0 a bare reference gives: a blank token is <pad>.
 */
export function mirrorFill(R: Refs, source: () => PlanBlock, keepBlanks = false): Fill {
  return () => {
    const b = source();
    const cells = grid(b.rows, b.cols, (i, j) => {
      const ref = R.cell(b, i, j);
      return f(keepBlanks ? `IF(${ref}="","",${ref})` : ref);
    });
    const values = b.values.map((row) => row.map((v): PlanValue => (keepBlanks && v === null ? "" : v)));
    return { cells, values };
  };
}

/** The source's row and column labels, as references to its label cells (which may be formulas showing a token). */
export function mirrorLabels(from: string, b: PlanBlock): { rowLabels?: Label[]; colLabels?: Label[] } {
  const ref = (row: number, col: number): string => qualify(cellAddress(row, col), b.sheet, from);
  return {
    rowLabels: b.rowLabels?.map((l, i) => ({ cell: f(ref(b.top + i, b.left - 1)), value: l.value })),
    colLabels: b.colLabels?.map((l, j) => ({ cell: f(ref(b.top - 1, b.left + j)), value: l.value })),
  };
}
