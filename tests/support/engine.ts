/**
 * Evaluates a WorkbookPlan in HyperFormula, an independent formula engine,
 * with the settings docs/architecture.md names, and with MATCH and ROW as Excel computes
 * them (./excel-lookup: HyperFormula's MATCH has no wildcards).
 */
import { HyperFormula } from "hyperformula";
import { quoteSheet } from "../../src/sheet/a1";
import { blockRect, isFormula, PlanBlock, PlanCell, WorkbookPlan } from "../../src/sheet/plan";
import { registerAttn } from "./attn-plugin";
import { registerExcelLookup } from "./excel-lookup";

/** The formula with every defined name (outside string literals) replaced by the reference `lookup` gives it. */
export function expandNames(formula: string, lookup: (name: string) => string | undefined): string {
  return formula
    .split('"')
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(/(?<![A-Za-z0-9_.$!'])[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_.(!'])/g, (id) => lookup(id) ?? id),
    )
    .join('"');
}

export type EngineValue = number | string | boolean | null | { error: string; message?: string };

export class PlanEngine {
  readonly hf: HyperFormula;
  private readonly sheetIds = new Map<string, number>();
  private readonly blocks = new Map<string, PlanBlock>();

  constructor(readonly plan: WorkbookPlan) {
    // HyperFormula's named expressions do not pass ranges to functions ("Cell range not allowed"),
    // so a defined name is replaced by the range it stands for, which is what a name means.
    const ranges = new Map(plan.names.map((n) => [n.name, `${quoteSheet(n.sheet)}!${n.range}`]));
    const expand = (formula: string): string => expandNames(formula, (id) => ranges.get(id));
    const sheets: Record<string, (string | number | boolean | null)[][]> = {};
    for (const s of plan.sheets) {
      const grid: (string | number | boolean | null)[][] = [];
      const put = (r: number, c: number, v: PlanCell) => {
        while (grid.length <= r) grid.push([]);
        const row = grid[r];
        while (row.length <= c) row.push(null);
        row[c] = isFormula(v) ? `=${expand(v.formula)}` : v;
      };
      for (const t of s.texts) put(t.row, t.col, t.text);
      for (const b of s.blocks) {
        this.blocks.set(b.key, b);
        const rect = blockRect(b);
        rect.cells.forEach((row, i) => row.forEach((v, j) => v !== null && put(rect.top + i, rect.left + j, v)));
      }
      sheets[s.name] = grid;
    }
    registerAttn();
    registerExcelLookup();
    this.hf = HyperFormula.buildFromSheets(sheets, { licenseKey: "gpl-v3", useArrayArithmetic: true, smartRounding: false });
    for (const s of plan.sheets) this.sheetIds.set(s.name, this.hf.getSheetId(s.name)!);
  }

  block(key: string): PlanBlock {
    const b = this.blocks.get(key);
    if (!b) throw new Error(`the plan has no block ${key}`);
    return b;
  }

  /** The evaluated cells of a rectangle of `sheet`, 0-based. */
  area(sheet: string, top: number, left: number, rows: number, cols: number): EngineValue[][] {
    return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => this.cellValue(sheet, top + i, left + j)));
  }

  private cellValue(sheet: string, row: number, col: number): EngineValue {
    const v = this.hf.getCellValue({ sheet: this.sheetIds.get(sheet)!, row, col });
    if (v !== null && typeof v === "object")
      return { error: String((v as { type: unknown }).type), message: (v as { message?: string }).message };
    return v as EngineValue;
  }

  /** The evaluated data area of a block. */
  values(key: string): EngineValue[][] {
    const b = this.block(key);
    const out: EngineValue[][] = [];
    for (let i = 0; i < b.rows; i++) {
      const row: EngineValue[] = [];
      for (let j = 0; j < b.cols; j++) row.push(this.cellValue(b.sheet, b.top + i, b.left + j));
      out.push(row);
    }
    return out;
  }

  /** Types into the data area of a block (an input the user edits); text that starts with ' is kept as text, as in Excel. */
  set(key: string, i: number, j: number, value: string | number | boolean | null): void {
    const b = this.block(key);
    this.hf.setCellContents({ sheet: this.sheetIds.get(b.sheet)!, row: b.top + i, col: b.left + j }, [[value]]);
  }

  /** Every error value anywhere in the workbook, with its place. */
  errors(): string[] {
    const found: string[] = [];
    for (const [name, id] of this.sheetIds) {
      this.hf.getSheetValues(id).forEach((row, r) =>
        row.forEach((v, c) => {
          if (v !== null && typeof v === "object") found.push(`${name}!R${r + 1}C${c + 1}: ${String((v as { type: unknown }).type)}`);
        }),
      );
    }
    return found;
  }
}
