/**
 * Which Excel JavaScript API sets the host supports, asked at run time.
 *
 * The manifest requires SharedRuntime 1.1, so only these Excel versions load
 * the add-in ("Shared runtime requirement sets",
 * learn.microsoft.com/javascript/api/requirement-sets/common/shared-runtime-requirement-sets):
 * Excel on the web; Microsoft 365 on Windows from Version 2002 (Build
 * 12527.20092), and a retail Excel 2016 or 2019 updated as far (the same
 * column of Microsoft's tables; CustomFunctionsRuntime 1.2 asks Version 2311
 * of those); Excel 2021; Excel on Mac from 16.35. By "Excel JavaScript
 * API requirement sets" (learn.microsoft.com/javascript/api/requirement-sets/excel/excel-api-requirement-sets)
 * each of them has ExcelApi 1.10 or later: 1.10 came in Version 1907
 * (Build 11929.20306) and Mac 16.30; Excel 2021 has 1.14; 1.11 needs Build
 * 12527.20470, later than the first Version 2002 build with the shared
 * runtime, so 1.10 is the floor. Everything up to 1.10 (names, column
 * widths, very hidden sheets, colour scales, suspended calculation and
 * screen updating, frozen panes, chart series ranges, comments) is used
 * without a check; only newer sets are real choices.
 *
 * The checker has the shape of `Office.context.requirements`, so tests pass
 * a fake with any version they like.
 */

export interface RequirementChecker {
  isSetSupported(name: string, minVersion?: string): boolean;
}

/** ExcelApi minor versions of the features above the floor (all "1.x"). */
export const API = {
  /** Worksheet.notes: classic cell notes, as the .xlsx writer makes; below it, threaded comments (1.10). */
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
