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
import { CellValue, FakeExcel, parseAddress, WorkbookCells } from "./fake-excel";

export class FakeEngine {
  private readonly hf: HyperFormula;

  /** `workbook`: a fake, or its `workbookCells()` (a browser page's fake, handed over as JSON). */
  constructor(workbook: FakeExcel | WorkbookCells) {
    const book = workbook instanceof FakeExcel ? workbook.workbookCells() : workbook;
    const names = new Map(Object.entries(book.names));
    const lookup = (id: string): string | undefined => names.get(id.toLowerCase());
    const sheets = Object.fromEntries(
      Object.entries(book.sheets).map(([name, grid]) => [
        name,
        grid.map((row) => row.map((c) => (typeof c === "string" && c.startsWith("=") ? `=${expandNames(c.slice(1), lookup)}` : c))),
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

/**
 * What Excel would show after calculating `book`: every named block's sheet, A1 address (no sheet, no $) and its
 * values in HyperFormula, an empty cell or an error as "" (formulas stay); a test hands each to `FakeExcel.calculate`.
 */
export function calculatedNames(book: WorkbookCells): { sheet: string; address: string; values: CellValue[][] }[] {
  const engine = new FakeEngine(book);
  return Object.values(book.names)
    .filter((ref) => ref !== "#REF!")
    .map((ref) => {
      const { sheet, rect } = parseAddress(ref);
      const values = engine
        .values(sheet!, rect.top, rect.left, rect.rows, rect.cols)
        .map((row) => row.map((v) => (v === null || typeof v === "object" ? "" : v)));
      return { sheet: sheet!, address: ref.split("!")[1].replace(/\$/g, ""), values };
    });
}
