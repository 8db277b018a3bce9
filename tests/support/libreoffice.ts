/**
 * LibreOffice headless as a second, independent spreadsheet engine: it
 * loads an .xlsx, recalculates every formula and saves the result, whose
 * cached values ExcelJS then reads at full precision (CSV would round).
 *
 * LibreOffice keeps the cached values of an .xlsx unless its profile says to
 * recalculate on load, so every run uses a fresh profile whose
 * registrymodifications.xcu sets Calc's OOXMLRecalcMode to 0 ("always").
 */
import { spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import ExcelJS from "exceljs";
import { blockRect, isFormula, type PlanValue, type WorkbookPlan } from "../../src/sheet/plan";

export type CellResult = number | string | boolean | null | { error: string };

const SOFFICE = process.env.SOFFICE ?? "soffice";
const TIMEOUT_MS = 600_000;

const RECALC_ALWAYS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`;

/** `soffice --version`, or an error that says how to install LibreOffice. */
export function libreOfficeVersion(): string {
  const r = spawnSync(SOFFICE, ["--version"], { encoding: "utf8", timeout: 60_000 });
  if (r.error || r.status !== 0) {
    throw new Error(
      `LibreOffice is needed to recalculate the workbook, but "${SOFFICE} --version" failed (${r.error?.message ?? r.stderr}). ` +
        "Install it with `sudo apt-get install libreoffice-calc-nogui` (or set SOFFICE to its path).",
    );
  }
  return r.stdout.trim();
}

/** A LibreOffice profile that recalculates every formula on load; its own directory, so runs never share state. */
export class LibreOfficeProfile {
  readonly dir: string;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "attention-lab-lo-"));
    fs.mkdirSync(path.join(this.dir, "user"), { recursive: true });
    fs.writeFileSync(path.join(this.dir, "user", "registrymodifications.xcu"), RECALC_ALWAYS);
  }

  /**
   * Loads each file (recalculating it) and saves it into `outDir` with the
   * same name in `format` ("xlsx", or "csv" for a cheap save of the first
   * sheet only). One LibreOffice start for all files. Returns the outputs.
   */
  convert(files: readonly string[], outDir: string, format: "xlsx" | "csv" = "xlsx"): string[] {
    fs.mkdirSync(outDir, { recursive: true });
    const filter = format === "xlsx" ? "xlsx:Calc MS Excel 2007 XML" : "csv";
    const args = [
      `-env:UserInstallation=${pathToFileUrl(this.dir)}`,
      "--headless",
      "--norestore",
      "--nolockcheck",
      "--convert-to",
      filter,
      "--outdir",
      outDir,
      ...files,
    ];
    const r = spawnSync(SOFFICE, args, { encoding: "utf8", timeout: TIMEOUT_MS });
    if (r.error) throw new Error(`LibreOffice could not be run: ${r.error.message}`);
    const outputs = files.map((f) => path.join(outDir, `${path.basename(f, path.extname(f))}.${format}`));
    const missing = outputs.filter((o) => !fs.existsSync(o));
    if (r.status !== 0 || missing.length > 0) {
      throw new Error(`LibreOffice did not convert ${missing.join(", ") || "the files"} (exit ${r.status}): ${r.stderr}${r.stdout}`);
    }
    return outputs;
  }

  /** Milliseconds for LibreOffice to start, load and recalculate `file` and save its first sheet as CSV. */
  timeLoadAndRecalculate(file: string): number {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "attention-lab-lo-time-"));
    try {
      const t0 = performance.now();
      this.convert([file], out, "csv");
      return performance.now() - t0;
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function pathToFileUrl(dir: string): string {
  return `file://${path.resolve(dir).split(path.sep).map(encodeURIComponent).join("/")}`;
}

/** A workbook as LibreOffice saved it, after recalculating. */
export class RecalculatedWorkbook {
  private constructor(
    readonly file: string,
    readonly workbook: ExcelJS.Workbook,
  ) {}

  static async read(file: string): Promise<RecalculatedWorkbook> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    return new RecalculatedWorkbook(file, workbook);
  }

  private sheet(name: string): ExcelJS.Worksheet {
    const ws = this.workbook.getWorksheet(name);
    if (!ws) throw new Error(`${this.file} has no sheet ${name}`);
    return ws;
  }

  /** The value of a cell, 0-based: a formula's cached result, an error as { error }. */
  value(sheet: string, row: number, col: number): CellResult {
    return cellResult(this.sheet(sheet).getCell(row + 1, col + 1));
  }

  /** `rows` × `cols` values from (top, left), 0-based. */
  values(sheet: string, top: number, left: number, rows: number, cols: number): CellResult[][] {
    return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => this.value(sheet, top + i, left + j)));
  }

  /** Every cell anywhere that holds an error (or LibreOffice's Err:NNN text), with its place. */
  errors(): string[] {
    const found: string[] = [];
    this.workbook.eachSheet((ws) =>
      ws.eachRow({ includeEmpty: false }, (row) =>
        row.eachCell({ includeEmpty: false }, (cell) => {
          const v = cellResult(cell);
          if (isErrorResult(v)) found.push(`${ws.name}!${cell.address}: ${typeof v === "object" && v ? v.error : String(v)}`);
        }),
      ),
    );
    return found;
  }

  /** Defined name → its ranges as written ("'Input'!$B$5:$E$9" or "Input!$B$5:$E$9"). */
  names(): Map<string, string[]> {
    return new Map(this.workbook.definedNames.model.map((n) => [n.name, n.ranges]));
  }
}

/** ExcelJS's `cell.value` drops a formula's result when it is 0, so formula cells are read through `cell.result`. */
function cellResult(cell: ExcelJS.Cell): CellResult {
  return cell.type === ExcelJS.ValueType.Formula ? plain(cell.result as ExcelJS.CellValue) : plain(cell.value);
}

function plain(v: ExcelJS.CellValue): CellResult {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Date) return v.getTime();
  if ("error" in v) return { error: String(v.error) };
  if ("formula" in v || "sharedFormula" in v) return plain(v.result as ExcelJS.CellValue);
  if ("richText" in v) return v.richText.map((t) => t.text).join("");
  return String(v);
}

const ERROR_TEXT = /^(Err:\d+|#(NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A))$/;

function isErrorResult(v: CellResult): boolean {
  return (typeof v === "object" && v !== null) || (typeof v === "string" && ERROR_TEXT.test(v));
}

/** How close LibreOffice's numbers must come to the model's, relative to the larger of 1 and the value. */
export const TOLERANCE = 1e-9;

/**
 * The same plan with every formula's cached result wrong: numbers off by
 * 1000, texts replaced. Only a recalculation can bring the right values back.
 */
export function withStaleCache(plan: WorkbookPlan): WorkbookPlan {
  const stale = (v: PlanValue): PlanValue => (typeof v === "number" ? v + 1000 : typeof v === "string" ? "stale" : 4242);
  const copy: WorkbookPlan = structuredClone(plan);
  for (const s of copy.sheets) {
    for (const b of s.blocks) {
      b.cells.forEach((row, i) => row.forEach((c, j) => isFormula(c) && (b.values[i][j] = stale(b.values[i][j]))));
      for (const l of [...(b.rowLabels ?? []), ...(b.colLabels ?? [])]) if (isFormula(l.cell)) l.value = stale(l.value);
    }
  }
  return copy;
}

export function same(actual: CellResult, expected: PlanValue): boolean {
  if (typeof expected === "number")
    return typeof actual === "number" && Math.abs(actual - expected) <= TOLERANCE * Math.max(1, Math.abs(expected));
  // An empty cell and a formula's empty text read alike.
  if (expected === null || expected === "") return actual === null || actual === "";
  return actual === expected;
}

/** Every cell of every block (title, labels, data) whose LibreOffice value differs from the model's, and the largest relative difference; `skip` names blocks left out. */
export function compare(
  plan: WorkbookPlan,
  wb: RecalculatedWorkbook,
  skip: readonly string[] = [],
): { mismatches: string[]; worst: number } {
  const mismatches: string[] = [];
  let worst = 0;
  for (const s of plan.sheets) {
    for (const b of s.blocks) {
      if (skip.includes(b.key)) continue;
      const rect = blockRect(b);
      const got = wb.values(s.name, rect.top, rect.left, rect.values.length, rect.values[0].length);
      rect.values.forEach((row, i) =>
        row.forEach((expected, j) => {
          const actual = got[i][j];
          if (typeof expected === "number" && typeof actual === "number") {
            worst = Math.max(worst, Math.abs(actual - expected) / Math.max(1, Math.abs(expected)));
          }
          if (!same(actual, expected))
            mismatches.push(
              `${b.key} (${s.name} R${rect.top + i + 1}C${rect.left + j + 1}): LibreOffice ${JSON.stringify(actual)}, model ${JSON.stringify(expected)}`,
            );
        }),
      );
    }
  }
  return { mismatches, worst };
}
