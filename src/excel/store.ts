/**
 * The trainer's parameter store on the workbook's named ranges (docs/architecture.md:
 * parameter names are range names), and selecting a block by its name for
 * the task pane.
 *
 * read() is one sync and write() is one sync for every preset; only a model
 * whose weights exceed the payload limit (batch.ts) takes more, and a write
 * that finds a user's edit takes one more to keep it.
 * A missing, deleted or resized range, or a weight cell that is not a
 * number, becomes a WorkbookError whose message says what to fix.
 */
import { Params, ModelConfig, paramSpecs } from "../model/config";
import { firstNonFinite, toRows } from "../model/matrix";
import { CellEdit, EditedDuringRunError } from "../train/store";
import { cellIn, parseSheetRange } from "./address";
import { intoBatches, op, PAYLOAD_LIMIT } from "./batch";
import { explain, readNamed } from "./named";
import { actualName, NameMap } from "./owned";

/** A batch of commands on a fresh request context, as Excel.run runs it. */
export type ExcelBatch<T> = (context: Excel.RequestContext) => Promise<T>;
/** Excel.run with our options applied, or a fake's run in the tests. */
export type ExcelRun = <T>(batch: ExcelBatch<T>) => Promise<T>;
/** The two forms of Excel.run we rely on (the real one has more). */
export interface ExcelRunner {
  <T>(batch: ExcelBatch<T>): Promise<T>;
  <T>(options: Excel.RunOptions, batch: ExcelBatch<T>): Promise<T>;
}

/**
 * The options of every Excel.run of ours. Without delayForCellEdit a batch
 * that reaches Excel while the user is typing in a cell fails with
 * InvalidOperationInCellEditMode; with it, Excel holds the batch until the
 * user leaves the cell (Excel.RunOptions, learn.microsoft.com/javascript/api/excel/excel.runoptions).
 */
export const RUN_OPTIONS: Excel.RunOptions = { delayForCellEdit: true };

/** `run` (Excel.run or a fake's) with RUN_OPTIONS on every batch. */
export function withRunOptions(run: ExcelRunner): ExcelRun {
  return (batch) => run(RUN_OPTIONS, batch);
}

/** Excel.run of the page's office.js, looked up at each call (it is not there when this module loads outside Office). */
export function officeRun(): ExcelRun {
  return (batch) => Excel.run(RUN_OPTIONS, batch);
}

/** Every parameter of `config`, read from its named range (through the build's name mapping) in one sync and checked. */
export async function readParams(
  context: Excel.RequestContext,
  config: ModelConfig,
  payloadLimit = PAYLOAD_LIMIT,
  names?: NameMap,
): Promise<Params> {
  const specs = paramSpecs(config);
  const blocks = await readNamed(
    context,
    specs.map((s) => ({ name: actualName(names, s.name), rows: s.rows, cols: s.cols, numeric: true })),
    payloadLimit,
  );
  const params: Params = {};
  specs.forEach((s, k) => {
    params[s.name] = { rows: s.rows, cols: s.cols, data: Float64Array.from((blocks[k].values as number[][]).flat()) };
  });
  return params;
}

/** What a store last read or wrote, by workbook name: an edit is a cell that differs from it. */
export type KnownValues = Map<string, unknown[][]>;

/**
 * Writes every parameter in `params` to its named range, as 2-D arrays, in
 * one sync. With `known`, each range's contents are loaded in the same sync
 * just before they are written; a cell that differs from `known` is a user's
 * edit, written back as it was (formulas stay formulas) in a second sync,
 * and reported by an EditedDuringRunError. `known` is updated to what the
 * cells hold afterwards.
 */
export async function writeParams(
  context: Excel.RequestContext,
  params: Params,
  payloadLimit = PAYLOAD_LIMIT,
  names?: NameMap,
  known?: KnownValues,
): Promise<void> {
  const entries = Object.entries(params).map(([name, m]) => [actualName(names, name), m] as const);
  for (const [name, m] of entries) {
    const bad = firstNonFinite(m);
    if (bad)
      throw new RangeError(
        `${name} has ${bad.value} at row ${bad.row}, column ${bad.col}: only finite numbers are written to the workbook`,
      );
  }
  const before: { name: string; range: Excel.Range; was: unknown[][] }[] = [];
  const grids = new Map(entries.map(([name, m]) => [name, toRows(m)]));
  const ops = entries.map(([name]) => {
    const grid = grids.get(name)!;
    return op(() => {
      const range = context.workbook.names.getItem(name).getRange();
      const was = known?.get(name);
      if (was) before.push({ name, range: range.load("address,formulas"), was });
      range.values = grid;
    }, grid);
  });
  try {
    for (const batch of intoBatches(ops, payloadLimit)) {
      for (const o of batch) o.run();
      // One sync per payload-sized batch; a single batch for every preset.
      // eslint-disable-next-line office-addins/no-context-sync-in-loop
      await context.sync();
    }
  } catch (e) {
    throw await explain(
      context,
      entries.map(([name, m]) => ({ name, rows: m.rows, cols: m.cols })),
      e,
    );
  }
  if (!known) return;
  for (const [name, grid] of grids) known.set(name, grid);
  const edits = editsIn(before);
  if (edits.length === 0) return;
  for (const { name, back } of edits) {
    // null leaves a cell as it is: only the user's cells are written back.
    context.workbook.names.getItem(name).getRange().formulas = back;
    const grid = known.get(name)!;
    back.forEach((row, i) => row.forEach((v, j) => v !== null && (grid[i][j] = v)));
  }
  await context.sync();
  throw new EditedDuringRunError(edits.flatMap((e) => e.cells));
}

/** The cells whose contents, loaded just before the write, differ from what the store knew; per range, a grid of them for writing back. */
function editsIn(
  loaded: readonly { name: string; range: Excel.Range; was: unknown[][] }[],
): { name: string; cells: CellEdit[]; back: (unknown | null)[][] }[] {
  const out: { name: string; cells: CellEdit[]; back: (unknown | null)[][] }[] = [];
  for (const { name, range, was } of loaded) {
    const r = parseSheetRange(range.address);
    const now = range.formulas;
    const cells: CellEdit[] = [];
    const back = now.map((row, i) =>
      row.map((v, j) => {
        if (sameContents(v, was[i]?.[j])) return null;
        cells.push({ name, cell: cellIn(r, i, j), before: was[i]?.[j], after: v });
        return v;
      }),
    );
    if (cells.length > 0) out.push({ name, cells, back });
  }
  return out;
}

/** Equal, for numbers up to the last digits a host may round when it stores a double. */
export function sameContents(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
  return a === b;
}

/** ParamStore (src/train/store.ts) on the open workbook: one Excel.run and one sync for each read and each write. */
export class ExcelParamStore {
  /** The weights as this store last read or wrote them, so that a write can tell the user's edits from its own values. */
  private readonly known: KnownValues = new Map();

  constructor(
    private readonly config: ModelConfig,
    private readonly run: ExcelRun = officeRun(),
    private readonly payloadLimit = PAYLOAD_LIMIT,
    /** Public name → workbook name, from the build (WorkbookMeta.names). */
    private readonly names?: NameMap,
  ) {}

  async read(): Promise<Params> {
    const params = await this.run((context) => readParams(context, this.config, this.payloadLimit, this.names));
    for (const [name, m] of Object.entries(params)) this.known.set(actualName(this.names, name), toRows(m));
    return params;
  }

  /** Throws an EditedDuringRunError, keeping the user's values, when cells changed since this store last read or wrote them. */
  write(params: Params): Promise<void> {
    return this.run((context) => writeParams(context, params, this.payloadLimit, this.names, this.known));
  }
}

/** Shows a block: activates its sheet and selects its named range, in one sync. */
export async function selectBlock(context: Excel.RequestContext, publicName: string, names?: NameMap): Promise<void> {
  const key = actualName(names, publicName);
  const range = context.workbook.names.getItem(key).getRange();
  range.worksheet.activate();
  range.select();
  try {
    await context.sync();
  } catch (e) {
    throw await explain(context, [{ name: key }], e);
  }
}
