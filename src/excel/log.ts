/**
 * Appends training steps to the Training sheet's log (the named range
 * Train_Log, laid out in src/sheet/train-log.ts) and stretches the loss
 * charts over them: the Training sheet's and the Overview's copy (found as
 * the sheet of this build's Tokens, so another build's Overview keeps its
 * own log). Two syncs: one to find where the log ends, one to write; a third
 * for the charts, an extra like those of a build (extras.ts): a chart call
 * the host turns down ends its request and leaves the steps written before
 * it, so the steps go first and the chart's failure is a warning.
 */
import { rangeAddress } from "../sheet/a1";
import type { TrainingLogRow } from "../sheet/build";
import { TRAIN_LOG_COLUMNS, TRAIN_LOG_FORMATS, TRAIN_LOG_NAME, trainLogCells, trainLogColumn } from "../sheet/train-log";
import { parseSheetRange } from "./address";
import { WorkbookError } from "./errors";
import { describeFailure } from "./extras";
import { check, explain } from "./named";
import { actualName, NameMap } from "./owned";
import { CHART_PREFIX } from "./write";
import { t } from "../i18n";

export const LOG_NAME = TRAIN_LOG_NAME;
const LOG_COLS = TRAIN_LOG_COLUMNS.length;

export interface AppendReport {
  /** Rows in the log after the append. */
  rows: number;
  syncs: number;
  warnings: string[];
}

export async function appendLog(
  context: Excel.RequestContext,
  rows: readonly TrainingLogRow[],
  options: { names?: NameMap } = {},
): Promise<AppendReport> {
  if (rows.length === 0) return { rows: 0, syncs: 0, warnings: [] };
  const name = actualName(options.names, LOG_NAME);
  const log = context.workbook.names.getItem(name).getRange().load("address,values");
  const charts = log.worksheet.charts.load("items/name");
  // Every name, not getItem: a workbook whose Tokens name was deleted still logs its steps.
  const allNames = context.workbook.names.load("items/name,items/value");
  try {
    await context.sync();
  } catch (e) {
    throw await explain(context, [{ name, cols: LOG_COLS }], e);
  }
  const r = parseSheetRange(log.address);
  const problems = check({ name, cols: LOG_COLS }, { range: r, values: log.values });
  if (problems.length > 0) throw new WorkbookError(problems);

  let filled = 0;
  log.values.forEach((row, i) => {
    if (row.some((v) => v !== "" && v !== null)) filled = i + 1;
  });
  const total = filled + rows.length;
  // By name, not through the Train_Log name: this batch deletes and re-adds that name.
  const ws = context.workbook.worksheets.getItem(r.sheet);
  const added = ws.getRange(rangeAddress(r.top + filled, r.left, rows.length, LOG_COLS, false));
  added.values = rows.map(trainLogCells);
  added.numberFormat = rows.map(() => [...TRAIN_LOG_FORMATS]);
  context.workbook.names.getItem(name).delete();
  context.workbook.names.add(name, ws.getRange(rangeAddress(r.top, r.left, total, LOG_COLS, false)));
  const overview = overviewSheet(allNames.items, actualName(options.names, "Tokens"), r.sheet);
  const overviewCharts = overview === undefined ? undefined : context.workbook.worksheets.getItem(overview).charts.load("items/name");

  await context.sync();

  const ours = [...charts.items, ...(overviewCharts?.items ?? [])].filter((c) => c.name.startsWith(CHART_PREFIX));
  if (ours.length === 0) return { rows: total, syncs: 2, warnings: [] };
  const column = (j: number): Excel.Range => ws.getRange(rangeAddress(r.top, r.left + j, total, 1, false));
  const lossColumn = trainLogColumn("loss");
  for (const chart of ours) {
    chart.setData(column(lossColumn), "Columns");
    const loss = chart.series.getItemAt(0);
    loss.name = TRAIN_LOG_COLUMNS[lossColumn].title;
    loss.setXAxisValues(column(trainLogColumn("step")));
  }
  try {
    await context.sync();
  } catch (e) {
    return {
      rows: total,
      syncs: 3,
      warnings: [t().excel.chartNotStretched(describeFailure(e))],
    };
  }
  return { rows: total, syncs: 3, warnings: [] };
}

/** The sheet that holds `tokens` (the Overview), unless it is the log's own sheet or the name is gone or broken. */
function overviewSheet(names: readonly { name: string; value: unknown }[], tokens: string, logSheet: string): string | undefined {
  const found = names.find((n) => n.name.toLowerCase() === tokens.toLowerCase());
  if (!found || typeof found.value !== "string") return undefined;
  try {
    const sheet = parseSheetRange(found.value.replace(/^=/, "")).sheet;
    return sheet === logSheet ? undefined : sheet;
  } catch {
    return undefined;
  }
}
