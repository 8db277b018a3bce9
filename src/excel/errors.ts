/**
 * Problems with the workbook a user can fix, gathered into one error whose
 * message the task pane shows as it is, and recognising the errors Excel
 * raises when a sync fails.
 */

export class WorkbookError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "WorkbookError";
  }
}

/** True for an OfficeExtension.Error (RichApi.Error) with the given code, e.g. "ItemNotFound". */
export function isOfficeError(e: unknown, code?: string): boolean {
  if (typeof e !== "object" || e === null || !("code" in e)) return false;
  return code === undefined || (e as { code: unknown }).code === code;
}
