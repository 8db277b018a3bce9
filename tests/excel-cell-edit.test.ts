/**
 * Cell-edit mode (Excel.RunOptions): while the user types in a cell, a batch
 * without `{ delayForCellEdit: true }` fails with
 * InvalidOperationInCellEditMode, and one with it waits until the user
 * leaves the cell. The pane's Excel.run (officeRun, what taskpane.ts wires
 * in) passes the option, so a training run goes on through edit mode.
 */
import { officeRun, RUN_OPTIONS, withRunOptions } from "../src/excel/store";
import { Controller } from "../src/taskpane/controller";
import type { BuildFields, TrainFields } from "../src/taskpane/forms";
import { ExcelHost } from "../src/taskpane/host";
import { FakeExcel } from "./support/fake-excel";

const encoderDecoder: BuildFields = {
  preset: "encoder-decoder",
  task: "translate",
  sentence: "",
  dModel: "4",
  heads: "1",
  dK: "4",
  seed: "1",
  style: "cells",
};
const train300: TrainFields = { optimizer: "adam", lr: "0.01", steps: "300" };

/** Puts the fake where taskpane.ts finds office.js: the global Excel. */
function asGlobalExcel(fake: FakeExcel): void {
  (globalThis as { Excel?: unknown }).Excel = fake.globals().Excel;
}

afterEach(() => {
  delete (globalThis as { Excel?: unknown }).Excel;
});

describe("the fake in cell-edit mode, as Excel.RunOptions documents it", () => {
  test("a batch without delayForCellEdit fails at its sync with InvalidOperationInCellEditMode and runs nothing", async () => {
    const fake = new FakeExcel();
    fake.enterEditMode();
    const failed = fake.run(async (context) => {
      context.workbook.worksheets.add("Mine");
      await context.sync();
    });
    await expect(failed).rejects.toMatchObject({
      code: "InvalidOperationInCellEditMode",
      message: expect.stringMatching(/^Excel is in cell-editing mode/),
    });
    expect(fake.sheets).toHaveLength(0);
    expect(fake.cellEdit).toEqual({ delayed: 0, rejected: 1 });
  });

  test("a batch with delayForCellEdit waits until the user leaves the cell, then runs", async () => {
    const fake = new FakeExcel();
    fake.enterEditMode();
    const waiting = fake.nextDelayedSync();
    let done = false;
    const run = fake.run({ delayForCellEdit: true }, async (context) => {
      context.workbook.worksheets.add("Mine");
      await context.sync();
      done = true;
    });
    await waiting;
    expect(done).toBe(false);
    expect(fake.sheets).toHaveLength(0);
    fake.exitEditMode();
    await run;
    expect(done).toBe(true);
    expect(fake.sheets.map((s) => s.name)).toEqual(["Mine"]);
    expect(fake.cellEdit).toEqual({ delayed: 1, rejected: 0 });
  });

  test("outside edit mode both forms run at once", async () => {
    const fake = new FakeExcel();
    await fake.run(async (context) => context.sync());
    await fake.run({ delayForCellEdit: true }, async (context) => context.sync());
    expect(fake.syncs).toBe(2);
    expect(fake.cellEdit).toEqual({ delayed: 0, rejected: 0 });
  });
});

test("every Excel.run of the adapter passes delayForCellEdit", async () => {
  expect(RUN_OPTIONS).toEqual({ delayForCellEdit: true });
  const seen: unknown[] = [];
  const fake = new FakeExcel();
  const spy = ((options: Excel.RunOptions, batch: (context: Excel.RequestContext) => Promise<unknown>) => {
    seen.push(options);
    return fake.run(options, batch);
  }) as FakeExcel["run"];
  (globalThis as { Excel?: unknown }).Excel = { run: spy };
  await officeRun()(async (context) => context.sync());
  await withRunOptions(spy)(async (context) => context.sync());
  expect(seen).toEqual([{ delayForCellEdit: true }, { delayForCellEdit: true }]);
});

/** Drives the pane: build, then 300 steps, with the user typing in a cell after each step of `typeAt`. */
async function trainThroughEditMode(fake: FakeExcel, host: ExcelHost, typeAt: Set<number>): Promise<Controller> {
  const pane = new Controller(host, { writeEvery: 5 });
  await pane.start();
  await pane.build(encoderDecoder);
  expect(pane.state.status.tone).toBe("ok");
  pane.subscribe((s) => {
    const done = s.progress?.done ?? 0;
    if (!typeAt.has(done)) return;
    typeAt.delete(done);
    fake.enterEditMode();
    // The user presses Enter once the pane's next batch waits for them.
    void fake.nextDelayedSync().then(() => fake.exitEditMode());
  });
  await pane.train(train300);
  return pane;
}

test("a 300-step encoder-decoder run goes on while the user types in a cell, and finishes", async () => {
  const fake = new FakeExcel();
  asGlobalExcel(fake);
  const pane = await trainThroughEditMode(fake, new ExcelHost(officeRun(), fake.requirements), new Set([100, 200]));
  expect(pane.state.status).toEqual({ text: expect.stringMatching(/^Trained 300 steps in /), tone: "ok" });
  expect(pane.state.progress).toEqual({ done: 300, total: 300 });
  expect(fake.cellEdit.delayed).toBe(2);
  expect(fake.cellEdit.rejected).toBe(0);
  expect(fake.editMode).toBe(false);
}, 300_000);

test("without delayForCellEdit the same run stops when the user types in a cell", async () => {
  const fake = new FakeExcel();
  const pane = await trainThroughEditMode(fake, new ExcelHost(fake.run, fake.requirements), new Set([10]));
  expect(pane.state.status.tone).toBe("error");
  expect(pane.state.status.text).toMatch(/^Training stopped: .*cell-editing mode/);
  expect(fake.cellEdit.rejected).toBeGreaterThan(0);
  expect(pane.state.progress?.done).toBeLessThan(300);
}, 300_000);
