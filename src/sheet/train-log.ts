/**
 * The training log's layout, described once: the plan's Train_Log block
 * (build.ts, rendered by both writers) and the rows the Excel adapter
 * appends after each run (src/excel/log.ts) take their columns, titles and
 * number formats from here.
 */
import { NUMBER_FORMATS } from "./look";
import { t } from "../i18n";

export interface TrainingLogRow {
  step: number;
  loss: number;
  accuracy: number;
  seconds: number;
}

export const TRAIN_LOG_NAME = "Train_Log";

/** In the sheet's order. */
const COLUMNS: readonly { field: keyof TrainingLogRow; format: string }[] = [
  { field: "step", format: NUMBER_FORMATS.whole },
  { field: "loss", format: NUMBER_FORMATS.precise },
  { field: "accuracy", format: NUMBER_FORMATS.percent }, // a share of the target tokens, in [0, 1]
  { field: "seconds", format: NUMBER_FORMATS.value },
];

export const TRAIN_LOG_COLUMNS: readonly { readonly title: string; field: keyof TrainingLogRow; format: string }[] = COLUMNS.map((c) => ({
  ...c,
  /** In the language in use (src/i18n). */
  get title() {
    return t().sheet.logColumns[c.field];
  },
}));

/** The column titles, in the language in use. */
export const trainLogTitles = (): string[] => TRAIN_LOG_COLUMNS.map((c) => c.title);
export const TRAIN_LOG_FORMATS: readonly string[] = TRAIN_LOG_COLUMNS.map((c) => c.format);

/** Where a field sits in the log, from 0. */
export function trainLogColumn(field: keyof TrainingLogRow): number {
  return TRAIN_LOG_COLUMNS.findIndex((c) => c.field === field);
}

/** A log row as the cells of one sheet row. */
export function trainLogCells(row: TrainingLogRow): number[] {
  return TRAIN_LOG_COLUMNS.map((c) => row[c.field]);
}
