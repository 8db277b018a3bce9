/**
 * The cells the user selected, for "Use selection": read only, never
 * written. Workbook.getSelectedRange (ExcelApi 1.1) throws InvalidSelection
 * when several areas are selected, or a chart or shape rather than cells
 * (office-js #2268: by design); that becomes a message saying what to select.
 */
import { t } from "../i18n";
import { parseSheetRange, type SheetRange } from "./address";
import { isOfficeError, WorkbookError } from "./errors";
import { rangeAddress } from "../sheet/a1";

export interface CellsRead {
  range: SheetRange;
  /** As Excel gives them: numbers, strings, booleans, "" for an empty cell. */
  values: unknown[][];
}

/** The selected block's address and values, in one sync. */
export async function readSelection(context: Excel.RequestContext): Promise<CellsRead> {
  const range = context.workbook.getSelectedRange().load("address,values");
  try {
    await context.sync();
  } catch (e) {
    if (isOfficeError(e, "InvalidSelection")) throw new WorkbookError([t().selection.severalAreas]);
    throw e;
  }
  return { range: parseSheetRange(range.address), values: range.values };
}

/** The values of `r` now, in one sync: the cells picked earlier, read again at Build. */
export async function readCells(context: Excel.RequestContext, r: SheetRange): Promise<unknown[][]> {
  const range = context.workbook.worksheets
    .getItem(r.sheet)
    .getRange(rangeAddress(r.top, r.left, r.rows, r.cols, false))
    .load("values");
  await context.sync();
  return range.values;
}
