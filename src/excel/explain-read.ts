/**
 * What the pane's "Explain this cell" needs of Excel: the name of the sheet
 * a selection is on and where the workbook's names point (one sync), the
 * values of every area an explanation reads (one sync), and selecting an
 * input so that the user sees it.
 */
import { rangeAddress } from "../sheet/a1";
import { parseSheetRange, type SheetRange } from "./address";

/** A rectangle on a sheet of the workbook (its actual name), 0-based. */
export interface SheetArea {
  sheet: string;
  top: number;
  left: number;
  rows: number;
  cols: number;
}

/** The selected sheet's name, and every workbook name that points at cells, lower-cased, with its range: one sync. */
export async function locateSelection(
  context: Excel.RequestContext,
  worksheetId: string,
): Promise<{ sheet: string; names: Map<string, SheetRange> }> {
  const sheet = context.workbook.worksheets.getItem(worksheetId).load("name");
  const items = context.workbook.names.load("items/name,items/type,items/value");
  await context.sync();
  const names = new Map<string, SheetRange>();
  for (const n of items.items) {
    if (n.type !== "Range") continue;
    try {
      names.set(n.name.toLowerCase(), parseSheetRange(String(n.value).replace(/^=/, "")));
    } catch {
      // A name over several areas or sheets is not one of our blocks.
    }
  }
  return { sheet: sheet.name, names };
}

const address = (a: SheetArea): string => rangeAddress(a.top, a.left, a.rows, a.cols);

/** The values of every area, in one sync. */
export async function readAreas(context: Excel.RequestContext, areas: readonly SheetArea[]): Promise<unknown[][][]> {
  const ranges = areas.map((a) => context.workbook.worksheets.getItem(a.sheet).getRange(address(a)).load("values"));
  await context.sync();
  return ranges.map((r) => r.values);
}

/**
 * Shows an area: activates its sheet and selects it, in one sync. Range.select()
 * selects a range of the active sheet only (learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-ranges-set-get),
 * so the sheet is activated first, as selectBlock does for a named block.
 */
export async function selectArea(context: Excel.RequestContext, a: SheetArea): Promise<void> {
  const sheet = context.workbook.worksheets.getItem(a.sheet);
  sheet.activate();
  sheet.getRange(address(a)).select();
  await context.sync();
}
