/**
 * Reading blocks by their workbook names in one sync, and saying clearly
 * what is wrong when a name is missing, points nowhere, or covers a range of
 * the wrong size or with the wrong kind of cells.
 *
 * The happy path is one sync: every range is fetched by name at once. When
 * that sync fails (a name was deleted, or its sheet was), a second look
 * lists the workbook's names to find out which, so the user reads what to
 * fix instead of Excel's "The requested resource doesn't exist".
 */
import { WEIGHT_LIMIT } from "../model/config";
import { cellIn, displayRange, parseSheetRange, SheetRange } from "./address";
import { OP_OVERHEAD, PAYLOAD_LIMIT } from "./batch";
import { WorkbookError } from "./errors";
import { t } from "../i18n";

export interface Wanted {
  name: string;
  /** The size the block must have; unchecked when absent. */
  rows?: number;
  cols?: number;
  /** Every cell must hold a number within ±WEIGHT_LIMIT (weights do; data holds words). */
  numeric?: boolean;
}

export interface NamedBlock {
  range: SheetRange;
  values: unknown[][];
}

/** How many bad cells of one block a message lists before it counts the rest. */
const CELLS_LISTED = 3;
/** "−1e6 and 1e6": what a weight cell may hold, as the messages say it. */
const LIMIT_SHOWN = WEIGHT_LIMIT.toExponential().replace("e+", "e");
const LIMIT_RANGE = `−${LIMIT_SHOWN} and ${LIMIT_SHOWN}`;
/** The most a cell's value takes in a response: a double in full, "-0.12345678901234568,". */
export const CELL_BYTES = 24;

/**
 * Every block of `wanted` in one sync, or in as few as keep each response
 * under `limit` (Excel on the web also limits responses to 5 MB), which only
 * models far larger than the presets need.
 */
export async function readNamed(context: Excel.RequestContext, wanted: readonly Wanted[], limit = PAYLOAD_LIMIT): Promise<NamedBlock[]> {
  const ranges: Excel.Range[] = [];
  for (const group of groups(wanted, (w) => OP_OVERHEAD + (w.rows ?? 1) * (w.cols ?? 1) * CELL_BYTES, limit)) {
    for (const w of group) ranges.push(context.workbook.names.getItem(w.name).getRange().load("address,values"));
    try {
      // One sync per response-sized group; a single group for every preset.
      // eslint-disable-next-line office-addins/no-context-sync-in-loop
      await context.sync();
    } catch (e) {
      throw await explain(context, wanted, e);
    }
  }
  const blocks = ranges.map((r) => ({ range: parseSheetRange(r.address), values: r.values }));
  const problems = wanted.flatMap((w, k) => check(w, blocks[k]));
  if (problems.length > 0) throw new WorkbookError(problems);
  return blocks;
}

/** The WorkbookError that explains why a sync on `wanted` failed, or the original error when every name is fine. */
export async function explain(context: Excel.RequestContext, wanted: readonly Wanted[], original: unknown): Promise<unknown> {
  const items = context.workbook.names.load("items/name,items/type,items/value");
  await context.sync();
  const byName = new Map(items.items.map((i) => [i.name.toLowerCase(), i]));
  const problems: string[] = [];
  const fine: { w: Wanted; range: Excel.Range }[] = [];
  for (const w of wanted) {
    const item = byName.get(w.name.toLowerCase());
    if (!item) problems.push(t().excel.nameMissing(w.name));
    else if (item.type !== "Range") problems.push(t().excel.nameNotCells(w.name, String(item.value)));
    else fine.push({ w, range: context.workbook.names.getItem(w.name).getRange().load("address,values") });
  }
  if (fine.length > 0) {
    await context.sync();
    for (const { w, range } of fine) problems.push(...check(w, { range: parseSheetRange(range.address), values: range.values }));
  }
  return problems.length > 0 ? new WorkbookError(problems) : original;
}

/** Consecutive items in groups whose estimated bytes stay under `limit` (an item over it goes alone). */
function groups<T>(items: readonly T[], bytes: (t: T) => number, limit: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let sum = 0;
  for (const item of items) {
    const b = bytes(item);
    if (current.length > 0 && sum + b > limit) {
      out.push(current);
      current = [];
      sum = 0;
    }
    current.push(item);
    sum += b;
  }
  if (current.length > 0 || out.length === 0) out.push(current);
  return out;
}

/** What is wrong with one block: its size, then its cells. */
export function check(w: Wanted, b: NamedBlock): string[] {
  const r = b.range;
  if ((w.rows !== undefined && r.rows !== w.rows) || (w.cols !== undefined && r.cols !== w.cols)) {
    return [t().excel.wrongSize(w.name, w.rows ?? r.rows, w.cols ?? r.cols, r.rows, r.cols, displayRange(r))];
  }
  if (!w.numeric) return [];
  const bad: string[] = [];
  b.values.forEach((row, i) =>
    row.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v)) bad.push(t().excel.needsNumber(w.name, cellIn(r, i, j), describe(v)));
      else if (Math.abs(v) > WEIGHT_LIMIT) bad.push(t().excel.needsBetween(w.name, LIMIT_RANGE, cellIn(r, i, j), v));
    }),
  );
  if (bad.length <= CELLS_LISTED) return bad;
  return [...bad.slice(0, CELLS_LISTED), t().excel.moreNotNumbers(bad.length - CELLS_LISTED, w.name, LIMIT_RANGE)];
}

function describe(v: unknown): string {
  const T = t().excel;
  if (v === "" || v === null || v === undefined) return T.isEmpty;
  if (typeof v === "boolean") return T.holdsBoolean(v);
  if (typeof v === "string" && v.startsWith("#")) return T.holdsError(v);
  return T.holdsText(String(v));
}
