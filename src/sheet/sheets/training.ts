/** The Training sheet: the log each run appends to (src/sheet/train-log.ts), and the loss chart. */
import { quoteSheet, rangeAddress } from "../a1";
import type { BuildContext } from "../context";
import { textLabels } from "../context";
import type { SheetLayout } from "../layout";
import { NOTES } from "../notes";
import type { PlanValue } from "../plan";
import { TRAIN_LOG_COLUMNS, TRAIN_LOG_FORMATS, TRAIN_LOG_NAME, trainLogTitles, trainLogCells, trainLogColumn } from "../train-log";
import { t } from "../../i18n";

export function trainingSheet(ctx: BuildContext, sheet: SheetLayout): void {
  const log = ctx.input.log ?? [];
  const rows = Math.max(log.length, 1);
  const [logBlock] = sheet.band([
    {
      spec: {
        key: TRAIN_LOG_NAME,
        title: t().sheet.trainingLog,
        note: NOTES.log,
        role: "log",
        explain: { computes: { op: "log" }, topic: "output" },
        rows,
        cols: TRAIN_LOG_COLUMNS.length,
        colLabels: textLabels(trainLogTitles()),
        columnFormats: TRAIN_LOG_FORMATS,
      },
      fill: () => {
        const g: PlanValue[][] = log.length ? log.map(trainLogCells) : [TRAIN_LOG_COLUMNS.map(() => null)];
        return { cells: g, values: g };
      },
    },
  ]);
  const column = (field: "step" | "loss"): string =>
    `${quoteSheet(sheet.sheet.name)}!${rangeAddress(logBlock.top, logBlock.left + trainLogColumn(field), rows, 1)}`;
  sheet.sheet.charts.push({
    title: t().sheet.lossChart,
    top: logBlock.top - 2,
    left: logBlock.left + TRAIN_LOG_COLUMNS.length + 1,
    width: 8,
    height: 16,
    categories: column("step"),
    series: [{ name: TRAIN_LOG_COLUMNS[trainLogColumn("loss")].title, values: column("loss") }],
  });
}
