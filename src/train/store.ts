/**
 * Where the weights live while a session trains them. The workbook is the
 * source of truth (DESIGN.md): a store hands out what it holds now, hand
 * edits included, and takes the new weights back in one go.
 *
 * The port is shaped for one read and one write per training step: `read`
 * returns every parameter at once and `write` takes every parameter at once,
 * so the Excel store can load all named ranges in one `context.sync` and
 * write them back in another, never a sync per matrix.
 */
import { Params, cloneParams } from "../model/config";

export interface ParamStore {
  /** Every parameter the store holds, by name, read fresh on each call; the caller owns the result. */
  read(): Promise<Params>;
  /**
   * Writes every parameter in `params` at once; parameters not named keep
   * their values. The store keeps no reference to `params`.
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
