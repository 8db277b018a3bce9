/**
 * The training log (Train_Log: Step, Loss, Accuracy, Seconds) shows each
 * column in its own number format, the same in the exported .xlsx and in
 * the rows the Excel adapter appends: a step is a whole number (an exported
 * log once showed step "1.0000"), accuracy a percentage.
 */
import ExcelJS from "exceljs";
import { planXlsxBuffer } from "../src/cli/xlsx";
import { applyPlan } from "../src/excel/apply";
import { appendLog } from "../src/excel/log";
import { initParams } from "../src/model/config";
import { configFor, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { cellAddress } from "../src/sheet/a1";
import { buildWorkbookPlan, TrainingLogRow } from "../src/sheet/build";
import { FakeExcel } from "./support/fake-excel";

/** What a reader of the log expects, stated here rather than read from the code. */
const EXPECTED = { titles: ["Step", "Loss", "Accuracy", "Seconds"], formats: ["0", "0.0000", "0.0%", "0.00"] };

const rows = (from: number, n: number): TrainingLogRow[] =>
  Array.from({ length: n }, (_, k) => ({ step: from + k, loss: 2 / (from + k), accuracy: 0.25 * k, seconds: 0.5 * k }));

function plan(log: TrainingLogRow[]) {
  const preset = getPreset("encoder");
  const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
  const config = configFor(preset, task);
  return buildWorkbookPlan({
    preset: "encoder",
    description: preset.description,
    config,
    vocab: task.vocab,
    params: initParams(config, 3),
    sentence: task.train[0].source,
    examples: task.train.slice(0, 10),
    log,
  });
}

const logged = plan(rows(1, 3));
const block = logged.sheets.flatMap((s) => s.blocks).find((b) => b.key === "Train_Log")!;
const address = (i: number, j: number) => cellAddress(block.top + i, block.left + j, false);

async function exported(): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await planXlsxBuffer(logged)) as unknown as ExcelJS.Buffer);
  return wb.getWorksheet(block.sheet)!;
}

test("the exported log titles its columns and gives each its format: the step a whole number", async () => {
  const ws = await exported();
  expect(EXPECTED.titles.map((_, j) => ws.getCell(address(-1, j)).value)).toEqual(EXPECTED.titles);
  for (let i = 0; i < 3; i++) expect(EXPECTED.formats.map((_, j) => ws.getCell(address(i, j)).numFmt)).toEqual(EXPECTED.formats);
  expect(ws.getCell(address(0, 0)).value).toBe(1);
});

test("the Excel adapter builds the same log and appends rows in the same formats as the export", async () => {
  const ws = await exported();
  const fake = new FakeExcel();
  await applyPlan(fake.context(), logged, { requirements: fake.requirements });
  await appendLog(fake.context(), rows(4, 2));
  const problems: string[] = [];
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 4; j++) {
      const want = ws.getCell(address(i < 3 ? i : 0, j)).numFmt;
      const got = fake.cell(block.sheet, address(i, j))?.numberFormat;
      if (got !== want) problems.push(`${address(i, j)}: ${got} vs the export's ${want}`);
    }
  }
  expect(problems).toEqual([]);
  expect(fake.cell(block.sheet, address(4, 0))?.value).toBe(5);
});
