/**
 * The part of Excel's `CustomFunctions` global that src/functions uses, for
 * node tests (Excel's runtime defines the real one). Importing this module
 * installs it; the shapes follow @types/custom-functions-runtime.
 */
export const ErrorCode = {
  invalidValue: "#VALUE!",
  notAvailable: "#N/A",
  divisionByZero: "#DIV/0!",
  invalidNumber: "#NUM!",
  nullReference: "#NULL!",
  invalidName: "#NAME?",
  invalidReference: "#REF!",
} as const;

export class CustomFunctionError {
  constructor(
    readonly code: string,
    readonly message?: string,
  ) {}
}

(globalThis as unknown as { CustomFunctions: unknown }).CustomFunctions = { Error: CustomFunctionError, ErrorCode };
