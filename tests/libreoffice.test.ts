/**
 * The exported .xlsx, recalculated by LibreOffice headless, equals src/model
 * forward: every block, every label, no error anywhere, the names intact.
 *
 * LibreOffice is an independent engine; it must run (this test fails, never
 * skips, without it). To prove it really recalculated rather than echoing
 * the cached results the writer stores, each workbook is also written with
 * deliberately wrong cached results, and LibreOffice must still give the
 * model's values.
 */
import fs from "fs";
import os from "os";
import path from "path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { buildTrained } from "../src/cli/workbook";
import { parseWorkbookArgs, type WorkbookOptions } from "../src/cli/workbook-args";
import { writePlanXlsx } from "../src/cli/xlsx";
import { makeTask } from "../src/model/tasks";
import { blockRect, isFormula, type PlanBlock, type PlanValue, type WorkbookPlan } from "../src/sheet/plan";
import { LibreOfficeProfile, RecalculatedWorkbook, libreOfficeVersion, type CellResult } from "./support/libreoffice";

const TOLERANCE = 1e-9;

function options(argv: string[]): WorkbookOptions {
  const o = parseWorkbookArgs(argv);
  if ("error" in o) throw new Error(o.error);
  return o;
}

const translate = makeTask("translate");
const fullSentence = translate.train.find((e) => e.source.length === translate.maxSourceLen)!.source.join(" ");
const shortSentence = [...translate.train].sort((a, b) => a.source.length - b.source.length)[0].source.join(" ");

/** Small training runs keep the test fast; the weights still move away from their initial values. */
const CASES: { label: string; argv: string[] }[] = [
  { label: "seed", argv: ["--preset", "seed", "--train-steps", "20"] },
  { label: "encoder", argv: ["--preset", "encoder", "--train-steps", "20"] },
  { label: "encoder-decoder", argv: ["--preset", "encoder-decoder", "--train-steps", "5", "--sentence", fullSentence] },
  { label: "encoder-decoder, padded sentence", argv: ["--preset", "encoder-decoder", "--train-steps", "0", "--sentence", shortSentence] },
];

interface Case {
  label: string;
  plan: WorkbookPlan;
  written: string;
  stale: string;
  recalculated: RecalculatedWorkbook;
  recalculatedStale: RecalculatedWorkbook;
}

/**
 * The same plan with every formula's cached result wrong: numbers off by
 * 1000, texts replaced. Only a recalculation can bring the right values back.
 */
function withStaleCache(plan: WorkbookPlan): WorkbookPlan {
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

function same(actual: CellResult, expected: PlanValue): boolean {
  if (typeof expected === "number") return typeof actual === "number" && Math.abs(actual - expected) <= TOLERANCE * Math.max(1, Math.abs(expected));
  // An empty cell and a formula's empty text read alike.
  if (expected === null || expected === "") return actual === null || actual === "";
  return actual === expected;
}

/** Every cell of every block (title, labels, data) whose LibreOffice value differs from the model's, and the largest relative difference. */
function compare(plan: WorkbookPlan, wb: RecalculatedWorkbook): { mismatches: string[]; worst: number } {
  const mismatches: string[] = [];
  let worst = 0;
  for (const s of plan.sheets) {
    for (const b of s.blocks) {
      const rect = blockRect(b);
      const got = wb.values(s.name, rect.top, rect.left, rect.values.length, rect.values[0].length);
      rect.values.forEach((row, i) =>
        row.forEach((expected, j) => {
          const actual = got[i][j];
          if (typeof expected === "number" && typeof actual === "number") {
            worst = Math.max(worst, Math.abs(actual - expected) / Math.max(1, Math.abs(expected)));
          }
          if (!same(actual, expected)) mismatches.push(`${b.key} (${s.name} R${rect.top + i + 1}C${rect.left + j + 1}): LibreOffice ${JSON.stringify(actual)}, model ${JSON.stringify(expected)}`);
        }),
      );
    }
  }
  return { mismatches, worst };
}

function blockOf(plan: WorkbookPlan, key: string): PlanBlock {
  for (const s of plan.sheets) for (const b of s.blocks) if (b.key === key) return b;
  throw new Error(`the plan has no block ${key}`);
}

/** Errors LibreOffice must report, with harmless cached results: proof that the error check is not blind. */
async function writeBroken(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Broken");
  const formulas = ["1/0", "NA()", "B3+1", "SQRT(-1)", "NOSUCHFUNCTION(1)"];
  formulas.forEach((formula, i) => {
    ws.getCell(i + 1, 1).value = { formula, result: i };
  });
  ws.getCell("B3").value = { formula: "A3+1", result: 0 };
  await wb.xlsx.writeFile(file);
}

const unquote = (range: string) => range.replace(/^'((?:[^']|'')*)'!/, (_, s: string) => `${s.replace(/''/g, "'")}!`);

describe("the exported workbook, recalculated by LibreOffice", () => {
  let profile: LibreOfficeProfile;
  let dir: string;
  const cases: Case[] = [];
  let broken: RecalculatedWorkbook;

  beforeAll(async () => {
    libreOfficeVersion(); // fails with how to install LibreOffice when it is missing
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "attention-lab-xlsx-"));
    profile = new LibreOfficeProfile();
    const inputs: { label: string; plan: WorkbookPlan; written: string; stale: string }[] = [];
    for (const [k, c] of CASES.entries()) {
      const { plan } = await buildTrained(options(c.argv));
      const written = path.join(dir, `case${k}.xlsx`);
      const stale = path.join(dir, `case${k}-stale.xlsx`);
      await writePlanXlsx(plan, written);
      await writePlanXlsx(withStaleCache(plan), stale);
      inputs.push({ label: c.label, plan, written, stale });
    }
    const brokenFile = path.join(dir, "broken.xlsx");
    await writeBroken(brokenFile);
    // One LibreOffice start for every file.
    const outputs = profile.convert([...inputs.flatMap((c) => [c.written, c.stale]), brokenFile], path.join(dir, "recalculated"));
    broken = await RecalculatedWorkbook.read(outputs[outputs.length - 1]);
    for (const [k, c] of inputs.entries()) {
      cases.push({
        ...c,
        recalculated: await RecalculatedWorkbook.read(outputs[2 * k]),
        recalculatedStale: await RecalculatedWorkbook.read(outputs[2 * k + 1]),
      });
    }
  }, 600_000);

  afterAll(() => {
    profile?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const byLabel = (label: string) => cases.find((c) => c.label === label)!;

  describe.each(CASES.map((c) => c.label))("%s", (label) => {
    test("every block, label and title equals the model's value (numbers within 1e-9 relative, texts exactly)", () => {
      const c = byLabel(label);
      const { mismatches, worst } = compare(c.plan, c.recalculated);
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(worst).toBeLessThanOrEqual(TOLERANCE);
    });

    test("every named block equals its model values", () => {
      const c = byLabel(label);
      for (const n of c.plan.names) {
        const b = blockOf(c.plan, n.name);
        const got = c.recalculated.values(b.sheet, b.top, b.left, b.rows, b.cols);
        const bad = b.values.flatMap((row, i) => row.flatMap((v, j) => (same(got[i][j], v) ? [] : [`${n.name}[${i},${j}]: ${JSON.stringify(got[i][j])} ≠ ${JSON.stringify(v)}`])));
        expect(bad.slice(0, 5)).toEqual([]);
      }
    });

    test("no cell anywhere holds an error (#N/A, #VALUE!, Err:522 …)", () => {
      const c = byLabel(label);
      expect(c.recalculated.errors()).toEqual([]);
      expect(c.recalculatedStale.errors()).toEqual([]);
    });

    test("every defined name survives with its range", () => {
      const c = byLabel(label);
      const names = c.recalculated.names();
      for (const n of c.plan.names) {
        expect(names.get(n.name)?.map(unquote)).toEqual([`${n.sheet}!${n.range}`]);
      }
    });

    test("LibreOffice recalculated: from deliberately wrong cached results it still reaches the model's values", async () => {
      const c = byLabel(label);
      // The stale file really holds wrong results (read without recalculating) …
      const stale = new ExcelJS.Workbook();
      await stale.xlsx.readFile(c.stale);
      const probs = blockOf(c.plan, "Probs");
      const cached = stale.getWorksheet("Output")!.getCell(probs.top + 1, probs.left + 1).value as ExcelJS.CellFormulaValue;
      expect(cached.result).toBeCloseTo((probs.values[0][0] as number) + 1000, 9);
      // … and LibreOffice's values are the model's all the same.
      const { mismatches, worst } = compare(c.plan, c.recalculatedStale);
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(worst).toBeLessThanOrEqual(TOLERANCE);
    });
  });

  test("the error check sees LibreOffice's errors: a circular reference (Err:522) is saved as #VALUE!", () => {
    expect(broken.errors()).toEqual([
      "Broken!A1: #DIV/0!",
      "Broken!A2: #N/A",
      "Broken!A3: #VALUE!",
      "Broken!B3: #VALUE!",
      "Broken!A4: #VALUE!",
      "Broken!A5: #NAME?",
    ]);
  });

  test("the padded sentence leaves empty token cells whose keys are masked out", () => {
    const c = byLabel("encoder-decoder, padded sentence");
    const tokens = blockOf(c.plan, "Tokens");
    const words = shortSentence.split(" ");
    expect(words.length).toBeLessThan(tokens.cols);
    const got = c.recalculated.values("Input", tokens.top, tokens.left, 1, tokens.cols)[0];
    expect(got).toEqual([...words, ...new Array<null>(tokens.cols - words.length).fill(null)]);
    const visible = blockOf(c.plan, "Key_Visible");
    const seen = c.recalculated.values("Input", visible.top, visible.left, 1, visible.cols)[0];
    expect(seen).toEqual(words.map(() => 1).concat(new Array<number>(tokens.cols - words.length).fill(0)));
    const attn = blockOf(c.plan, "Enc_H1_Attn");
    const weights = c.recalculated.values("Encoder", attn.top, attn.left, attn.rows, attn.cols);
    for (const row of weights) expect(row.slice(words.length)).toEqual(new Array<number>(tokens.cols - words.length).fill(0));
  });

  test("the Training sheet's loss chart is in the file, and LibreOffice reads it and writes it back", async () => {
    const c = byLabel("encoder");
    const chart = c.plan.sheets.find((s) => s.name === "Training")!.charts[0];
    const written = await JSZip.loadAsync(fs.readFileSync(c.written));
    const chartXml = await written.file("xl/charts/chart1.xml")!.async("string");
    expect(chartXml).toContain("<c:lineChart>");
    expect(chartXml).toContain(`<c:f>${chart.series[0].values}</c:f>`);
    expect(await written.file("[Content_Types].xml")!.async("string")).toContain("/xl/charts/chart1.xml");

    const converted = await JSZip.loadAsync(fs.readFileSync(c.recalculated.file));
    const charts = converted.file(/^xl\/charts\/chart\d+\.xml$/);
    expect(charts).toHaveLength(1);
    const roundTripped = await charts[0].async("string");
    expect(roundTripped).toMatch(/lineChart/);
    expect(unquote(/<c:f>([^<]*)<\/c:f>/.exec(roundTripped.replace(/<c:tx>.*?<\/c:tx>/gs, ""))?.[1] ?? "")).toBe(unquote(chart.categories));
  });
});
