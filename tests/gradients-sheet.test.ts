/**
 * Every cell of the Gradients sheet, after a training step from the pane,
 * against tfjs's autodiff (tests/support/tfjs-model.ts) at the weights the
 * step started from, on the same batch: a block laid out transposed, shifted
 * or in another block's place fails, not only a wrong first cell.
 *
 * Tolerance per block, as in tests/tfjs-agreement.test.ts: 1e-4 of the
 * block's largest |gradient| plus 1e-7 (tfjs runs in float32).
 */
import { gradientName } from "../src/excel/gradients";
import { ExcelParamStore } from "../src/excel/store";
import { paramSpecs } from "../src/model/config";
import { toRows } from "../src/model/matrix";
import { configFor, encodeExamples, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { Controller } from "../src/taskpane/controller";
import { ExcelHost } from "../src/taskpane/host";
import { FakeExcel, parseAddress } from "./support/fake-excel";
import { Rows, tfLossAndGrads, useTfCpu } from "./support/tfjs-model";

beforeAll(useTfCpu);

/** Every value of a named block, read from the fake's cells. */
function block(fake: FakeExcel, name: string): unknown[][] {
  const { sheet, rect } = parseAddress(fake.nameRef(name)!);
  return Array.from({ length: rect.rows }, (_, i) =>
    Array.from({ length: rect.cols }, (_, j) => fake.sheetOrThrow(sheet!).cells.get(`${rect.top + i},${rect.left + j}`)?.value),
  );
}

/** The cells of `sheet` that differ from `expected` beyond the tolerance, as "name[i][j]: sheet vs tfjs". */
function mismatches(name: string, sheet: unknown[][], expected: Rows): string[] {
  const scale = Math.max(...expected.flat().map(Math.abs));
  const out: string[] = [];
  if (sheet.length !== expected.length || sheet[0].length !== expected[0].length)
    return [`${name}: ${sheet.length} × ${sheet[0].length}, tfjs ${expected.length} × ${expected[0].length}`];
  expected.forEach((row, i) =>
    row.forEach((g, j) => {
      const v = sheet[i][j];
      if (typeof v !== "number" || Math.abs(v - g) > 1e-4 * scale + 1e-7) out.push(`${name}[${i}][${j}]: ${String(v)} vs ${g}`);
    }),
  );
  return out;
}

test.each([
  ["encoder", "reverse"],
  ["encoder-decoder", "translate"],
])("the %s preset: every cell of every Grad_ block is tfjs's gradient at the weights before the step", async (preset, taskName) => {
  const fake = new FakeExcel();
  const pane = new Controller(new ExcelHost(fake.run, fake.requirements));
  await pane.start();
  await pane.build({ preset, task: taskName, sentence: "", dModel: "8", heads: "2", dK: "4", seed: "3", style: "cells" });
  const config = pane.state.model!.config;
  const before = await new ExcelParamStore(config, fake.run).read();
  await pane.train({ optimizer: "sgd", lr: "0.1", steps: "1" });
  expect(pane.state.status.text).toMatch(/^Trained 1 step/);

  const p = getPreset(preset);
  const task = makeTask(taskName, { ...p.taskOptions, seed: 3 });
  expect(configFor(p, task, { dModel: 8, heads: 2, dK: 4 })).toEqual(config);
  const rows = Object.fromEntries(Object.entries(before).map(([n, m]) => [n, toRows(m)]));
  const tfjs = tfLossAndGrads(rows, config, encodeExamples(task, config, task.train)).grads;
  const problems = paramSpecs(config).flatMap((s) => mismatches(s.name, block(fake, gradientName(s.name)), tfjs[s.name]));
  expect(problems.slice(0, 5)).toEqual([]);
});
