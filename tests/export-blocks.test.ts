/**
 * The exported .xlsx of a trained encoder–decoder, read back from the file
 * and evaluated in HyperFormula (with Excel's MATCH and ROW): after typing a
 * new source sentence, every named range of the file holds the model's
 * values for that sentence, and the translation is the model's greedy one.
 */
import ExcelJS from "exceljs";
import { HyperFormula } from "hyperformula";
import { planXlsxBuffer } from "../src/cli/xlsx";
import { initParams } from "../src/model/config";
import { newOptimizerState, optimizerStep } from "../src/model/optim";
import { configFor, encodeExamples, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { greedyDecode, lossAndGradients } from "../src/model/transformer";
import { columnIndex } from "../src/sheet/a1";
import { buildWorkbookPlan } from "../src/sheet/build";
import { PlanBlock, WorkbookPlan } from "../src/sheet/plan";
import { registerExcelLookup } from "./support/excel-lookup";

const preset = getPreset("encoder-decoder");
const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
const config = configFor(preset, task);
const params = initParams(config, 5);
// 100 steps: by then it translates every training pair, so the translations are real sentences.
{
  const train = encodeExamples(task, config, task.train);
  const state = newOptimizerState();
  for (let step = 0; step < 100; step++) optimizerStep(params, lossAndGradients(params, config, train).grads, preset.optimizer, state);
}

const plan = (sentence: string[]): WorkbookPlan =>
  buildWorkbookPlan({
    preset: "encoder-decoder",
    description: preset.description,
    config,
    vocab: task.vocab,
    params,
    sentence,
    examples: task.train.slice(0, 10),
  });

const blockOf = (p: WorkbookPlan, key: string): PlanBlock => p.sheets.flatMap((s) => s.blocks).find((b) => b.key === key)!;

type Cell = string | number | boolean | null;

/** The file's cells as HyperFormula sheets: formulas as formulas, values as values. */
async function loadXlsx(buffer: Buffer): Promise<{ workbook: ExcelJS.Workbook; hf: HyperFormula }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  const sheets: Record<string, Cell[][]> = {};
  workbook.eachSheet((ws) => {
    const grid: Cell[][] = [];
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        while (grid.length < r) grid.push([]);
        const line = grid[r - 1];
        while (line.length < c) line.push(null);
        const v = cell.value as ExcelJS.CellValue;
        line[c - 1] = cell.formula ? `=${cell.formula}` : typeof v === "object" && v !== null ? null : (v as Cell);
      });
    });
    sheets[ws.name] = grid;
  });
  registerExcelLookup();
  return { workbook, hf: HyperFormula.buildFromSheets(sheets, { licenseKey: "gpl-v3", useArrayArithmetic: true, smartRounding: false }) };
}

describe("the exported .xlsx of a trained encoder–decoder, loaded into the engine", () => {
  let workbook: ExcelJS.Workbook;
  let hf: HyperFormula;
  beforeAll(async () => {
    ({ workbook, hf } = await loadXlsx((await planXlsxBuffer(plan(task.train[0].source))) as Buffer));
  }, 120_000);

  /** A defined name of the file as a sheet id and its top-left cell. */
  const where = (name: string): { sheet: number; row: number; col: number } => {
    const [range] = workbook.definedNames.getRanges(name).ranges;
    const m = /^'?(.+?)'?!\$([A-Z]+)\$(\d+)/.exec(range);
    if (!m) throw new Error(`the file has no range for the name ${name}`);
    return { sheet: hf.getSheetId(m[1].replace(/''/g, "'"))!, row: Number(m[3]) - 1, col: columnIndex(m[2]) };
  };

  test.each([8, 30, 61])(
    "typing training sentence %i: every named range holds the model's values, and the translation is the model's",
    (k) => {
      const source = task.train[k].source;
      const tokens = where("Tokens");
      for (let j = 0; j < config.sourceLen; j++) hf.setCellContents({ ...tokens, col: tokens.col + j }, [[source[j] ?? null]]);
      const expected = plan(source);
      const mismatches: string[] = [];
      let worst = 0;
      let checked = 0;
      for (const { name } of expected.names) {
        const b = blockOf(expected, name);
        if (b.role === "log") continue;
        const at = where(name);
        b.values.forEach((row, i) =>
          row.forEach((want, j) => {
            const v = hf.getCellValue({ sheet: at.sheet, row: at.row + i, col: at.col + j });
            const got = v !== null && typeof v === "object" ? `#${String((v as { type: unknown }).type)}` : v;
            checked += 1;
            if (typeof want === "number" && typeof got === "number") {
              const d = Math.abs(got - want) / Math.max(1, Math.abs(want));
              worst = Math.max(worst, d);
              if (d > 1e-9) mismatches.push(`${name}[${i + 1},${j + 1}]: file ${got}, model ${want}`);
            } else if (!(got === want || ((got === null || got === "") && (want === null || want === "")))) {
              mismatches.push(`${name}[${i + 1},${j + 1}]: file ${JSON.stringify(got)}, model ${JSON.stringify(want)}`);
            }
          }),
        );
      }
      expect(checked).toBeGreaterThan(5000);
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(worst).toBeLessThanOrEqual(1e-9);
      const ids = task.vocab.encode(source, config.sourceLen);
      const translation = task.vocab.decode(greedyDecode(params, config, ids).predicted).join(" ");
      expect(translation).toBe(task.train[k].target.join(" "));
      expect(hf.getCellValue(where("Translation"))).toBe(translation);
    },
  );
});
