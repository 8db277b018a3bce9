/**
 * The trainer's parameter store on the workbook's named ranges (DESIGN.md:
 * parameter names are range names), and the other reads and writes the task
 * pane makes by name: the training data and selecting a block.
 *
 * read() is one sync and write() is one sync for every preset; only a model
 * whose weights exceed the payload limit (batch.ts) takes more.
 * A missing, deleted or resized range, or a weight cell that is not a
 * number, becomes a WorkbookError whose message says what to fix.
 */
import { Params, ModelConfig, paramSpecs } from "../model/config";
import type { Matrix } from "../model/matrix";
import { intoBatches, op, PAYLOAD_LIMIT } from "./batch";
import { explain, readNamed } from "./named";
import { actualName, NameMap } from "./owned";

/** Excel.run, or a fake's run in the tests. */
export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

export function officeRun(): ExcelRun {
  return (batch) => Excel.run(batch);
}

/** Every parameter of `config`, read from its named range (through the build's name mapping) in one sync and checked. */
export async function readParams(context: Excel.RequestContext, config: ModelConfig, payloadLimit = PAYLOAD_LIMIT, names?: NameMap): Promise<Params> {
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

/** Writes every parameter in `params` to its named range, as 2-D arrays, in one sync. */
export async function writeParams(context: Excel.RequestContext, params: Params, payloadLimit = PAYLOAD_LIMIT, names?: NameMap): Promise<void> {
  const entries = Object.entries(params).map(([name, m]) => [actualName(names, name), m] as const);
  for (const [name, m] of entries) {
    const bad = m.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new RangeError(`${name} has ${m.data[bad]} at row ${Math.floor(bad / m.cols) + 1}, column ${(bad % m.cols) + 1}: only finite numbers are written to the workbook`);
  }
  const ops = entries.map(([name, m]) => {
    const grid = toGrid(m);
    return op(() => {
      context.workbook.names.getItem(name).getRange().values = grid;
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
}

function toGrid(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

/** ParamStore (src/train/store.ts) on the open workbook: one Excel.run and one sync for each read and each write. */
export class ExcelParamStore {
  constructor(
    private readonly config: ModelConfig,
    private readonly run: ExcelRun = officeRun(),
    private readonly payloadLimit = PAYLOAD_LIMIT,
    /** Public name → workbook name, from the build (WorkbookMeta.names). */
    private readonly names?: NameMap,
  ) {}

  read(): Promise<Params> {
    return this.run((context) => readParams(context, this.config, this.payloadLimit, this.names));
  }

  write(params: Params): Promise<void> {
    return this.run((context) => writeParams(context, params, this.payloadLimit, this.names));
  }
}

export interface TrainingData {
  /** One example a row, one token a cell; "" for an empty cell (<pad>). */
  source: string[][];
  target: string[][];
}

/** Data_Source and Data_Target as words, in one sync. */
export async function readData(context: Excel.RequestContext, names?: NameMap): Promise<TrainingData> {
  const [source, target] = await readNamed(context, [{ name: actualName(names, "Data_Source") }, { name: actualName(names, "Data_Target") }]);
  const words = (values: unknown[][]): string[][] => values.map((row) => row.map((v) => (v === null || v === undefined || v === "" ? "" : String(v).trim())));
  return { source: words(source.values), target: words(target.values) };
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
