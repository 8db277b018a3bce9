/**
 * The fake workbook's cells evaluated in HyperFormula, with ATTN.*
 * registered. The fake keeps formulas as text, as Excel does, and a formula
 * refers to a name by its text: each name is resolved when the workbook is
 * evaluated, to whatever it points at then, which is how Excel recalculates
 * after a name is deleted and added again elsewhere.
 */
import { HyperFormula } from "hyperformula";
import { registerAttn } from "./attn-plugin";
import { EngineValue, expandNames } from "./engine";
import { registerExcelLookup } from "./excel-lookup";
import { FakeExcel } from "./fake-excel";

export class FakeEngine {
  private readonly hf: HyperFormula;

  constructor(fake: FakeExcel) {
    const lookup = (id: string): string | undefined => (fake.nameModels.has(id.toLowerCase()) ? fake.nameRef(id) : undefined);
    const sheets = Object.fromEntries(
      fake.sheets.map((s) => [
        s.name,
        fake
          .grid(s.name)
          .map((row) => row.map((c) => (typeof c === "string" && c.startsWith("=") ? `=${expandNames(c.slice(1), lookup)}` : c))),
      ]),
    );
    registerAttn();
    registerExcelLookup(); // MATCH and ROW as Excel computes them
    this.hf = HyperFormula.buildFromSheets(sheets, { licenseKey: "gpl-v3", useArrayArithmetic: true, smartRounding: false });
  }

  /** The evaluated cells of a rectangle (0-based top-left). */
  values(sheet: string, top: number, left: number, rows: number, cols: number): EngineValue[][] {
    const id = this.hf.getSheetId(sheet);
    if (id === undefined) throw new Error(`the workbook has no sheet ${sheet}`);
    return Array.from({ length: rows }, (_, i) =>
      Array.from({ length: cols }, (_, j) => {
        const v = this.hf.getCellValue({ sheet: id, row: top + i, col: left + j });
        return v !== null && typeof v === "object" ? { error: String((v as { type: unknown }).type) } : (v as EngineValue);
      }),
    );
  }
}
