/**
 * The Dice block of a decoder-only workbook (DESIGN.md, "Temperature and
 * sampling"): the task pane's "Roll the dice" writes new values into it, and
 * Undo puts back what it replaced. Nothing else in the workbook is touched;
 * Temperature and Sampling_On are the user's alone.
 *
 * Each is one sync: the block's contents are loaded in the same batch just
 * before the write, so what comes back is exactly what the write replaced
 * (commands of a batch run in order). An undo that finds a cell changed
 * since the roll keeps the user's value, in one more sync.
 */
import type { CellEdit } from "../train/store";
import { cellIn, displayRange, parseSheetRange, type SheetRange } from "./address";
import { explain } from "./named";
import { actualName, type NameMap } from "./owned";
import { sameContents } from "./store";

export const DICE_NAME = "Dice";

/** What a write found in the block and what it put there, row by row (formulas as "=…", so an undo restores them as they were). */
export interface DiceWrite {
  before: unknown[][];
  after: unknown[][];
  /** The block as the user reads it: "Output!C30:J30". */
  where: string;
}

/** Writes `grid` into the Dice block and returns what was there; a block of another size is a WorkbookError that says so. */
async function writeBlock(
  context: Excel.RequestContext,
  grid: unknown[][],
  names: NameMap | undefined,
): Promise<{ before: unknown[][]; range: SheetRange }> {
  const name = actualName(names, DICE_NAME);
  const range = context.workbook.names.getItem(name).getRange().load("address,formulas");
  range.formulas = grid;
  try {
    await context.sync();
  } catch (e) {
    throw await explain(context, [{ name, rows: grid.length, cols: grid[0]?.length ?? 0 }], e);
  }
  return { before: range.formulas, range: parseSheetRange(range.address) };
}

/** New dice: `dice` as the block's one row of values. */
export async function writeDice(context: Excel.RequestContext, dice: readonly number[], names?: NameMap): Promise<DiceWrite> {
  const after = [[...dice]];
  const { before, range } = await writeBlock(context, after, names);
  return { before, after, where: displayRange(range) };
}

/**
 * Puts back `w.before`, where the block still holds `w.after`; a cell the
 * user changed since keeps the user's value and is returned.
 */
export async function restoreDice(context: Excel.RequestContext, w: DiceWrite, names?: NameMap): Promise<CellEdit[]> {
  const name = actualName(names, DICE_NAME);
  const { before: now, range: r } = await writeBlock(context, w.before, names);
  const edits: CellEdit[] = [];
  // null leaves a cell as it is: only the user's cells are written back.
  const back = now.map((row, i) =>
    row.map((v, j) => {
      if (sameContents(v, w.after[i]?.[j])) return null;
      edits.push({ name, cell: cellIn(r, i, j), before: w.after[i]?.[j], after: v });
      return v;
    }),
  );
  if (edits.length === 0) return edits;
  context.workbook.names.getItem(name).getRange().formulas = back;
  await context.sync();
  return edits;
}
