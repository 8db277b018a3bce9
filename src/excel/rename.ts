/**
 * A plan names its sheets ("Encoder") and its formulas refer to them by
 * those names ('Encoder'!$C$5). When the workbook already has a sheet of
 * that name, the plan goes to a free name ("Encoder (2)") and every
 * reference to the planned name is rewritten: in formulas and labels, in
 * chart ranges and in the named ranges. Pure functions, tested on their own.
 */
import { quoteSheet } from "../sheet/a1";
import { isFormula, Label, PlanCell, PlanSheet, WorkbookPlan } from "../sheet/plan";

/** Excel's limit on the length of a sheet name. */
export const MAX_SHEET_NAME = 31;

/**
 * `planned` if no sheet in `taken` has that name (Excel compares sheet names
 * without regard to case), else "planned (2)", "planned (3)", …, shortened
 * to fit 31 characters.
 */
export function freeSheetName(planned: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((s) => s.toLowerCase()));
  if (!used.has(planned.toLowerCase())) return planned;
  for (let k = 2; ; k++) {
    const suffix = ` (${k})`;
    const name = planned.slice(0, MAX_SHEET_NAME - suffix.length).trimEnd() + suffix;
    if (!used.has(name.toLowerCase())) return name;
  }
}

const WORD_CHAR = /[\p{L}\p{N}_.]/u;

/**
 * Rewrites the sheet of every reference `Sheet!…` or `'Sheet name'!…` whose
 * sheet is a key of `renames` (compared without case); text in string
 * literals ("…") is left alone. Renamed sheets are always written quoted.
 */
export function renameSheetRefs(formula: string, renames: ReadonlyMap<string, string>): string {
  const lower = new Map([...renames].map(([from, to]) => [from.toLowerCase(), to]));
  const target = (sheet: string): string | undefined => lower.get(sheet.toLowerCase());
  let out = "";
  let i = 0;
  while (i < formula.length) {
    const ch = formula[i];
    if (ch === '"') {
      const end = closing(formula, i, '"');
      out += formula.slice(i, end + 1);
      i = end + 1;
    } else if (ch === "'") {
      const end = closing(formula, i, "'");
      const sheet = formula.slice(i + 1, end).replace(/''/g, "'");
      const to = formula[end + 1] === "!" ? target(sheet) : undefined;
      out += to !== undefined ? quoteSheet(to) : formula.slice(i, end + 1);
      i = end + 1;
    } else if (WORD_CHAR.test(ch)) {
      let end = i;
      while (end < formula.length && WORD_CHAR.test(formula[end])) end++;
      const word = formula.slice(i, end);
      const to = formula[end] === "!" ? target(word) : undefined;
      out += to !== undefined ? quoteSheet(to) : word;
      i = end;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

/** Index of the quote that closes the quoted text opening at `start` (a doubled quote is part of the text). */
function closing(s: string, start: number, quote: string): number {
  let j = start + 1;
  while (j < s.length) {
    if (s[j] === quote) {
      if (s[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j;
    }
    j += 1;
  }
  return s.length;
}

/** The plan with its sheets renamed (planned name → actual name) and every reference to them rewritten. */
export function renamePlan(plan: WorkbookPlan, renames: ReadonlyMap<string, string>): WorkbookPlan {
  const changed = new Map([...renames].filter(([from, to]) => from !== to));
  if (changed.size === 0) return plan;
  const sheetName = (s: string): string => changed.get(s) ?? s;
  // A formula over the user's cells keeps its sheet, even when one of ours had the same name and moved.
  const cell = (c: PlanCell): PlanCell => (isFormula(c) && !c.external ? { formula: renameSheetRefs(c.formula, changed) } : c);
  const labels = (ls?: Label[]): Label[] | undefined => ls?.map((l) => ({ ...l, cell: cell(l.cell) }));
  const sheet = (s: PlanSheet): PlanSheet => ({
    ...s,
    name: sheetName(s.name),
    blocks: s.blocks.map((b) => ({
      ...b,
      sheet: sheetName(b.sheet),
      cells: b.cells.map((row) => row.map(cell)),
      rowLabels: labels(b.rowLabels),
      colLabels: labels(b.colLabels),
    })),
    charts: s.charts.map((c) => ({
      ...c,
      categories: renameSheetRefs(c.categories, changed),
      series: c.series.map((x) => ({ ...x, values: renameSheetRefs(x.values, changed) })),
    })),
  });
  return {
    sheets: plan.sheets.map(sheet),
    names: plan.names.map((n) => ({ ...n, sheet: sheetName(n.sheet) })),
  };
}
