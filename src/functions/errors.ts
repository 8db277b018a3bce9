/**
 * How a failed ATTN.* call reaches the cell: every exception becomes a
 * CustomFunctions.Error, #N/A for a word that is not in the vocabulary (as
 * MATCH would say) and #VALUE! for everything else, with the message of the
 * check that failed. Nothing is thrown back to Excel.
 */
import { ShapeError } from "../model/matrix";
import { UnknownTokenError } from "../model/vocab";
import { messageOf as textOf, t } from "../i18n";

/** Which Excel error a failed check shows. */
export type ErrorKind = "value" | "notAvailable";

/** A bad argument; the message names the argument, what was expected and what came in. */
export class ArgError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind = "value",
  ) {
    super(message);
    this.name = "ArgError";
  }
}

/** The Excel error for an exception raised while computing ATTN.`fn`. */
export function toCustomFunctionError(fn: string, error: unknown): CustomFunctions.Error {
  const notAvailable = error instanceof UnknownTokenError || (error instanceof ArgError && error.kind === "notAvailable");
  const code = notAvailable ? CustomFunctions.ErrorCode.notAvailable : CustomFunctions.ErrorCode.invalidValue;
  return new CustomFunctions.Error(code, messageOf(fn, error));
}

function messageOf(fn: string, error: unknown): string {
  const known =
    error instanceof ArgError || error instanceof ShapeError || error instanceof UnknownTokenError || error instanceof RangeError;
  const text = textOf(error);
  if (known && text) return text;
  // A bug of ours, not the user's input: still a readable error in the cell.
  return t().fn.bug(fn, text);
}

/** Runs the body of ATTN.`fn`, turning any exception into the error Excel shows in the cell. */
export function guard<T>(fn: string, compute: () => T): T | CustomFunctions.Error {
  try {
    return compute();
  } catch (error) {
    return toCustomFunctionError(fn, error);
  }
}
