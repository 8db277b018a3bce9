/**
 * Reading the arguments of the ATTN.* functions. Excel passes a range as a
 * 2-D array of cell values (numbers, text, booleans) and an omitted optional
 * argument as null or undefined. A blank cell of a range arrives as 0 in
 * Excel on Windows and Mac and as null on the web (office-js #4702, #5262):
 * desktop cannot tell a blank from a 0, so on every host a blank reads as 0
 * where numbers belong, and as no word (an error that says why) where words
 * belong. Each reader turns one argument into what `src/model` takes, or
 * throws an ArgError whose message names the argument and says what was
 * expected and what came in.
 */
import { Mask, attentionMask } from "../model/attention";
import { firstNonFinite, Matrix, shapeOf, toRows, zeros } from "../model/matrix";
import { UnknownTokenError } from "../model/vocab";
import { ArgError } from "./errors";
import { t } from "../i18n";

/** Positions (rows of a sequence, tokens, mask size) one call takes. */
export const MAX_POSITIONS = 512;
/** Cells in one argument or in a result. */
export const MAX_CELLS = 1_000_000;
/** Multiply-adds in one call: a fraction of a second, so that Excel stays responsive. */
export const MAX_WORK = 100_000_000;

const count = (n: number): string => n.toLocaleString("en-US");

/** Said wherever a 0 may have been a blank cell. */
export const blankAsZero = (): string => t().fn.blankAsZero;

/**
 * An omitted optional argument: null or undefined. A range is never
 * omitted, even of blank cells: desktop passes those as 0s.
 */
export function isOmitted(value: unknown): boolean {
  return value === null || value === undefined;
}

/**
 * A finite number: x − x is 0 only for finite x. (Number.isFinite is the
 * same test, but forty times slower inside jest's sandbox, on a million cells.)
 */
function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && value - value === 0;
}

/** A blank cell as the web passes it (null), or an empty text. */
function isEmptyCell(value: unknown): boolean {
  return value === null || value === undefined || value === "";
}

/**
 * A cell value as an error message names it. Excel passes no error or data
 * type to our functions (see README, "Errors and blank cells"), but a host
 * that did would get its value named: `{ code }` as CustomFunctions.Error
 * has it, `{ type: "Error", basicValue: "#DIV/0!" }` as Excel.ErrorCellValue.
 */
export function describe(value: unknown): string {
  const T = t().fn;
  if (isEmptyCell(value)) return T.empty;
  if (typeof value === "number") return Number.isNaN(value) ? T.nan : String(value);
  if (typeof value === "string") return T.theText(value.length > 30 ? `${value.slice(0, 30)}…` : value);
  if (typeof value === "boolean") return T.boolean(value);
  if (typeof value === "object" && value !== null) {
    const v = value as { code?: unknown; type?: unknown; basicValue?: unknown };
    if (v.code !== undefined) return T.theError(String(v.code));
    if (v.type === "Error") return T.theError(String(v.basicValue ?? "")).trim();
    if (typeof v.type === "string") return T.dataType(v.type);
  }
  return T.typeOf(typeof value);
}

/** A single value: a scalar, or the one cell of a 1 × 1 range. */
function scalar(value: unknown): unknown {
  if (Array.isArray(value) && value.length === 1 && Array.isArray(value[0]) && value[0].length === 1) return value[0][0];
  return value;
}

interface GridOptions {
  /** The rows are positions of a sequence: at most MAX_POSITIONS. */
  positions?: boolean;
}

/**
 * The argument as a rectangular, non-empty 2-D array within the size limits.
 * A scalar counts as a 1 × 1 range, as Excel passes it to a range parameter.
 */
function grid(value: unknown, name: string, options: GridOptions = {}): readonly (readonly unknown[])[] {
  if (!Array.isArray(value)) {
    if (isEmptyCell(value)) throw new ArgError(t().fn.needsRange(name));
    return [[value]];
  }
  const rows = value.length;
  if (rows > 0 && !Array.isArray(value[0])) throw new ArgError(t().fn.notARange(name));
  if (rows === 0 || value[0].length === 0) throw new ArgError(t().fn.emptyRange(name));
  const cols = value[0].length;
  if (options.positions && rows > MAX_POSITIONS) {
    throw new ArgError(t().fn.tooManyRows(name, count(rows), MAX_POSITIONS));
  }
  if (rows * cols > MAX_CELLS) {
    throw new ArgError(t().fn.tooManyCells(name, count(rows), count(cols), count(rows * cols), count(MAX_CELLS)));
  }
  for (let i = 1; i < rows; i++) {
    const row: unknown = value[i];
    const got = Array.isArray(row) ? row.length : 0;
    if (got !== cols) throw new ArgError(t().fn.notRectangular(name, i + 1, got, cols));
  }
  return value as unknown[][];
}

/** Why a cell cannot be read as a number, or undefined if it can. */
function notANumber(value: unknown): string | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : t().fn.notFinite(describe(value));
  return t().fn.notNumber(describe(value));
}

/** A range of finite numbers as a model matrix; a blank cell is 0. */
export function numberMatrix(value: unknown, name: string, options: GridOptions = {}): Matrix {
  const cells = grid(value, name, options);
  const rows = cells.length,
    cols = cells[0].length;
  const m = zeros(rows, cols);
  for (let i = 0; i < rows; i++) {
    const row = cells[i];
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (isFiniteNumber(v)) m.data[i * cols + j] = v;
      else if (!isEmptyCell(v)) throw new ArgError(t().fn.atCell(name, i + 1, j + 1, notANumber(v)!));
    }
  }
  return m;
}

/** One row or one column of cells, in order; `what` says what it should hold. */
function line(value: unknown, name: string, what: string, options: GridOptions): readonly unknown[] {
  const cells = grid(value, name, options);
  if (cells.length === 1) {
    if (options.positions && cells[0].length > MAX_POSITIONS) {
      throw new ArgError(t().fn.tooLongLine(name, count(cells[0].length), MAX_POSITIONS));
    }
    return cells[0];
  }
  if (cells[0].length === 1) return cells.map((row) => row[0]);
  throw new ArgError(t().fn.notALine(name, cells.length, cells[0].length, what));
}

/**
 * A row vector of `length` numbers, from one row or one column of cells (a
 * blank is 0); `against` says where the length comes from ("X has 4 columns").
 */
export function numberVector(value: unknown, name: string, length: number, against: string): Matrix {
  const cells = line(value, name, t().fn.numbers, {});
  if (cells.length !== length) throw new ArgError(t().fn.wrongLength(name, cells.length, against, length));
  const m = zeros(1, length);
  cells.forEach((v, j) => {
    if (isFiniteNumber(v)) m.data[j] = v;
    else if (!isEmptyCell(v)) throw new ArgError(t().fn.atValue(name, j + 1, notANumber(v)!));
  });
  return m;
}

/**
 * One row or one column of words (text, or numbers read as text). The number
 * 0 is no word: it is what Excel desktop passes for a blank cell, so it gets
 * the blank's message on every host; the word 0 is typed as text ('0).
 */
export function wordList(value: unknown, name: string, options: GridOptions = {}): string[] {
  return line(value, name, t().fn.words, options).map((v, i) => {
    if (typeof v === "string" && v !== "") return v;
    if (typeof v === "number" && Number.isFinite(v) && v !== 0) return String(v);
    const why = isEmptyCell(v) || v === 0 ? t().fn.needsWord(describe(v), blankAsZero()) : t().fn.notWord(describe(v));
    throw new ArgError(t().fn.atCellOf(name, i + 1, why));
  });
}

/** 1 or TRUE is true; 0, FALSE or a blank cell is false; anything else is undefined. */
function flag(v: unknown): boolean | undefined {
  if (v === 1 || v === true) return true;
  if (v === 0 || v === false || isEmptyCell(v)) return false;
  return undefined;
}

/** A line of 0/1 (or FALSE/TRUE) flags, at least one of them 1. */
export function flagList(value: unknown, name: string, length: number, against: string): boolean[] {
  const cells = line(value, name, t().fn.flags, {});
  if (cells.length !== length) throw new ArgError(t().fn.wrongLength(name, cells.length, against, length));
  const flags = cells.map((v, i) => {
    const f = flag(v);
    if (f === undefined) throw new ArgError(t().fn.notFlag(name, i + 1, describe(v)));
    return f;
  });
  if (!flags.includes(true)) {
    throw new ArgError(t().fn.allPadding(name, blankAsZero()));
  }
  return flags;
}

/** Words are matched as Excel's MATCH matches them: ignoring case. */
export const wordKey = (word: string): string => word.normalize("NFC").toLowerCase();

/** A vocabulary given as a range of words: the word in cell i has id i (from 0). */
export class WordIndex {
  readonly words: readonly string[];
  private readonly ids = new Map<string, number>();

  constructor(
    value: unknown,
    readonly name: string,
  ) {
    this.words = wordList(value, name);
    this.words.forEach((w, i) => {
      const key = wordKey(w);
      const first = this.ids.get(key);
      if (first !== undefined) throw new ArgError(t().fn.twice(name, w, first + 1, i + 1));
      this.ids.set(key, i);
    });
  }

  get size(): number {
    return this.words.length;
  }

  /** The id of `word`, or -1. */
  find(word: string): number {
    return this.ids.get(wordKey(word)) ?? -1;
  }

  /** The id of `word`; an unknown word is #N/A, as MATCH would say. */
  id(word: string, where: string): number {
    const id = this.find(word);
    if (id < 0) throw new UnknownTokenError(word, this.words, where);
    return id;
  }
}

/** A whole number from `min` to `max` (no upper limit when `max` is omitted). */
export function wholeNumber(value: unknown, name: string, min: number, max = Infinity): number {
  const v = scalar(value);
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Infinity ? t().fn.atLeast(count(min)) : t().fn.fromTo(count(min), count(max));
    throw new ArgError(t().fn.whole(name, range, describe(v)));
  }
  return v;
}

/**
 * A finite number above 0; `fallback` when omitted or blank. The 0 that
 * Excel desktop may pass for a blank cell is refused, with the blank's note.
 */
export function positiveNumber(value: unknown, name: string, fallback: number): number {
  const v = scalar(value);
  if (isEmptyCell(v)) return fallback;
  if (isFiniteNumber(v) && v > 0) return v;
  throw new ArgError(t().fn.positive(name, describe(v), v === 0 ? blankAsZero() : ""));
}

/**
 * A TRUE/FALSE switch (1/0 too); `fallback` when omitted or blank. (A blank
 * cell reaches a scalar as null on the web but may arrive as FALSE or 0 on
 * desktop; README, "Errors and blank cells", says so.)
 */
export function switchArg(value: unknown, name: string, fallback: boolean): boolean {
  const v = scalar(value);
  if (isEmptyCell(v)) return fallback;
  if (v === true || v === 1 || (typeof v === "string" && v.toUpperCase() === "TRUE")) return true;
  if (v === false || v === 0 || (typeof v === "string" && v.toUpperCase() === "FALSE")) return false;
  throw new ArgError(t().fn.trueFalse(name, describe(v)));
}

/**
 * Text in a single cell, or a number read as text. Empty text, and the 0 that
 * Excel desktop may pass for a blank cell, are no text: `example` shows some.
 */
export function text(value: unknown, name: string, example: string): string {
  if (Array.isArray(value) && !(value.length === 1 && Array.isArray(value[0]) && value[0].length === 1)) {
    const rows = value.length,
      cols = Array.isArray(value[0]) ? value[0].length : 0;
    throw new ArgError(t().fn.singleCell(name, rows, cols));
  }
  const v = scalar(value);
  if (isEmptyCell(v) || v === 0 || v === "0")
    throw new ArgError(t().fn.needsText(name, describe(v === "0" ? 0 : v), example, blankAsZero()));
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  throw new ArgError(t().fn.notText(name, describe(v)));
}

export type MaskKind = "causal" | "none";

/** "causal" or "none", in any case; `fallback` when omitted or blank. */
export function maskKind(value: unknown, name: string, fallback: MaskKind): MaskKind {
  const v = scalar(value);
  if (isEmptyCell(v)) return fallback;
  const kind = typeof v === "string" ? v.trim().toLowerCase() : undefined;
  if (kind === "causal" || kind === "none") return kind;
  throw new ArgError(t().fn.maskKind(name, describe(v)));
}

/**
 * The mask of `nq` queries over `nk` keys: omitted or "none" (every key
 * visible), "causal" (query i sees keys 1..i), or a range of 1 (visible) and
 * 0 (hidden), either nq × nk or a single row that applies to every query. A
 * blank cell is 0, so a range of blanks hides every key: that is an error, of
 * any size, as no query could attend.
 */
export function maskArg(value: unknown, name: string, nq: number, nk: number): Mask | undefined {
  if (isOmitted(value)) return undefined;
  const v = scalar(value);
  if (typeof v === "string" && v !== "") {
    const kind = v.trim().toLowerCase();
    if (kind === "causal") return attentionMask(nq, nk, { causal: true });
    if (kind === "none") return undefined;
    throw new ArgError(t().fn.maskArg(name, describe(v)));
  }
  const cells = grid(value, name, { positions: true });
  const rows = cells.length,
    cols = cells[0].length;
  if (cells.every((row) => row.every((c) => flag(c) === false))) {
    throw new ArgError(t().fn.hidesAll(name, blankAsZero()));
  }
  if ((rows !== nq && rows !== 1) || cols !== nk) {
    throw new ArgError(t().fn.maskSize(name, rows, cols, nq, nk));
  }
  const allowed = new Uint8Array(nq * nk);
  for (let i = 0; i < nq; i++) {
    const row = cells[rows === 1 ? 0 : i];
    for (let j = 0; j < nk; j++) {
      const f = flag(row[j]);
      if (f === undefined) {
        throw new ArgError(t().fn.maskCell(name, (rows === 1 ? 0 : i) + 1, j + 1, describe(row[j])));
      }
      if (f) allowed[i * nk + j] = 1;
    }
  }
  return { rows: nq, cols: nk, allowed };
}

/** Rows of `b` must match columns of `a`, for the product a·b. */
export function checkProduct(a: Matrix, aName: string, b: Matrix, bName: string): void {
  if (b.rows !== a.cols) throw new ArgError(t().fn.product(bName, b.rows, aName, a.cols));
}

/** Refuses a call that needs more than MAX_WORK multiply-adds. */
export function checkWork(multiplyAdds: number, what: string): void {
  if (multiplyAdds > MAX_WORK) {
    throw new ArgError(t().fn.work(what, count(Math.round(multiplyAdds / 1e6)), count(MAX_WORK / 1e6)));
  }
}

/** The result as rows for Excel to spill, or an error if it is too big or not finite. */
export function result(m: Matrix, name = t().fn.theResult): number[][] {
  if (m.rows * m.cols > MAX_CELLS) throw new ArgError(t().fn.tooBig(name, shapeOf(m), count(m.rows * m.cols), count(MAX_CELLS)));
  const bad = firstNonFinite(m);
  if (bad) throw new ArgError(t().fn.overflow(name, bad.row, bad.col, describe(bad.value)));
  return toRows(m);
}
