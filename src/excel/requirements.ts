/**
 * Which Excel JavaScript API sets the host supports, asked at run time. The
 * same add-in runs in Excel 2016 and in Excel on the web, so every feature
 * newer than the minimum is checked before it is used and has a fallback.
 *
 * The checker has the shape of `Office.context.requirements`, so tests pass
 * a fake with any version they like.
 */

export interface RequirementChecker {
  isSetSupported(name: string, minVersion?: string): boolean;
}

/** ExcelApi minor versions of the features the adapter uses (all "1.x"). */
export const API = {
  /** names.add, NamedItem.delete, getItemOrNullObject: the floor for a trainable workbook. */
  names: 4,
  /** Range.format.columnWidth, setting Worksheet.visibility. */
  columnWidth: 2,
  veryHidden: 2,
  /** Conditional formats (colour scales) and Application.suspendApiCalculationUntilNextSync. */
  colorScale: 6,
  suspendCalculation: 6,
  /** Worksheet.freezePanes, ChartSeries.setValues / setXAxisValues. */
  freezePanes: 7,
  chartSeriesRanges: 7,
  /** Application.suspendScreenUpdatingUntilNextSync. */
  suspendScreenUpdating: 9,
  /** Workbook.comments (threaded comments): the fallback for notes. */
  comments: 10,
  /** Worksheet.notes: classic cell notes, as the .xlsx writer makes. */
  notes: 18,
} as const;

/** "1.10", never the number 1.10: isSetSupported would read a number as 1.1. */
export function excelApi(checker: RequirementChecker, minor: number): boolean {
  return checker.isSetSupported("ExcelApi", `1.${minor}`);
}

/** The host's own checker; outside Office (tests, node) nothing is supported. */
export function officeRequirements(): RequirementChecker {
  if (typeof Office === "undefined" || !Office.context?.requirements) return { isSetSupported: () => false };
  return Office.context.requirements;
}
