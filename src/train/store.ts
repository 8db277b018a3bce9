/**
 * Where the weights live while a session trains them. The workbook is the
 * source of truth (docs/architecture.md): a store hands out what it holds now, hand
 * edits included, and takes the new weights back in one go.
 *
 * The port is shaped for one read and one write per training step: `read`
 * returns every parameter at once and `write` takes every parameter at once,
 * so the Excel store can load all named ranges in one `context.sync` and
 * write them back in another, never a sync per matrix.
 */
import { Params, cloneParams } from "../model/config";
import { t } from "../i18n";

export interface ParamStore {
  /** Every parameter the store holds, by name, read fresh on each call; the caller owns the result. */
  read(): Promise<Params>;
  /**
   * Writes every parameter in `params` at once; parameters not named keep
   * their values. The store keeps no reference to `params`. A store whose
   * cells the user can edit throws an EditedDuringRunError, keeping the
   * user's values, when they changed since it last read or wrote them.
   */
  write(params: Params): Promise<void>;
}

/** A store in memory: for the CLI and the tests. It copies on read and on write, so no caller can alias its state. */
export class MemoryStore implements ParamStore {
  private params: Params;

  constructor(initial: Params = {}) {
    this.params = cloneParams(initial);
  }

  async read(): Promise<Params> {
    return cloneParams(this.params);
  }

  async write(params: Params): Promise<void> {
    this.params = { ...this.params, ...cloneParams(params) };
  }
}

/** A cell the user changed since the store last read or wrote it. */
export interface CellEdit {
  /** The parameter's workbook name, "Enc_H1_Wq". */
  name: string;
  /** Where, as the user reads it: "Encoder!D9". */
  cell: string;
  /** What the store last read or wrote there, and what the cell holds now (a number, a text, a formula "=…"). */
  before: unknown;
  after: unknown;
}

/**
 * Thrown by a store's `write` when the user changed weights since the store
 * last read or wrote them: the store kept the user's values (everything else
 * is written), and the run must stop rather than overwrite them next time.
 */
export class EditedDuringRunError extends Error {
  constructor(readonly edits: CellEdit[]) {
    super(EditedDuringRunError.describe(edits));
    this.name = "EditedDuringRunError";
  }

  /** The message for a run, with the step whose weights the workbook now holds when it is known. */
  static describe(edits: readonly CellEdit[], step?: number): string {
    return t().train.edited(EditedDuringRunError.list(edits), step, edits.length === 1);
  }

  /** "Enc_H1_Wq (Encoder!D9) from 0.1234 to 5", up to three cells. */
  static list(edits: readonly CellEdit[]): string {
    const shown = edits.slice(0, 3).map((e) => t().train.edit(e.name, e.cell, show(e.before), show(e.after)));
    return shown.join(", ") + (edits.length > 3 ? t().train.moreCells(edits.length - 3) : "");
  }
}

function show(v: unknown): string {
  if (typeof v === "number") return String(Number(v.toPrecision(4)));
  if (v === "" || v === null || v === undefined) return t().train.empty;
  return typeof v === "string" && !v.startsWith("=") ? `"${v}"` : String(v);
}
