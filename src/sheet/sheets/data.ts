/** The Data sheet: training examples, one a row, one token a cell (a decoder-only model's texts have no Data_Target). */
import { dataColumns } from "../../model/presets";
import { BuildContext, numbered } from "../context";
import type { SheetLayout } from "../layout";
import { NOTES } from "../notes";
import type { PlanValue } from "../plan";
import { t } from "../../i18n";

export function dataSheet(ctx: BuildContext, sheet: SheetLayout): void {
  const examples = ctx.input.examples;
  const columns = dataColumns(ctx.c);
  const N = examples.length;
  const padTo = (words: string[], k: number): PlanValue[] => Array.from({ length: k }, (_, j) => words[j] ?? null);
  const block = (key: string, title: string, note: string, cols: number, words: (i: number) => string[], rowLabels: boolean) => ({
    spec: {
      key,
      title,
      note,
      role: "data" as const,
      // The tour's output step says what training does with them.
      explain: { computes: { op: "data" as const }, topic: "output" as const },
      rows: N,
      cols,
      rowLabels: rowLabels ? numbered("", N) : undefined,
      colLabels: numbered("", cols),
    },
    fill: () => {
      const g = examples.map((_, i) => padTo(words(i), cols));
      return { cells: g, values: g };
    },
  });
  const text = columns.target === 0;
  sheet.band([
    block(
      "Data_Source",
      text ? t().sheet.dataText : t().sheet.dataSource,
      text ? NOTES.dataText : NOTES.dataSource,
      columns.source,
      (i) => examples[i].source,
      true,
    ),
    ...(text ? [] : [block("Data_Target", t().sheet.dataTarget, NOTES.dataTarget, columns.target, (i) => examples[i].target, false)]),
  ]);
}
