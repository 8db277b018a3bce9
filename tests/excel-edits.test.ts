/**
 * A weight the user types while a run is going is never overwritten
 * (issue 9, section 1): the store notices the edit at its next write, keeps
 * the user's value, and the run stops with a message that names the cell.
 * The user types between two syncs, as in Excel, from a progress callback.
 */
import { applyPlan } from "../src/excel/apply";
import { ExcelParamStore } from "../src/excel/store";
import { initParams } from "../src/model/config";
import { configFor, encodeExamples, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { cellAddress } from "../src/sheet/a1";
import { buildWorkbookPlan } from "../src/sheet/build";
import { TrainingSession } from "../src/train/session";
import { EditedDuringRunError } from "../src/train/store";
import { builtPane } from "./support/builds";
import { FakeExcel } from "./support/fake-excel";

const preset = getPreset("encoder");
const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
const config = configFor(preset, task);
const params = initParams(config, 11);
const plan = buildWorkbookPlan({
  preset: "encoder",
  description: "",
  config,
  vocab: task.vocab,
  params,
  sentence: task.train[0].source,
  examples: task.train.slice(0, 20),
});
const wq = plan.sheets.flatMap((s) => s.blocks).find((b) => b.key === "Enc_H1_Wq")!;
/** Row 2, column 1 of Enc_H1_Wq, as the user sees it. */
const typed = cellAddress(wq.top + 2, wq.left + 1, false);
const round4 = (x: number) => String(Number(x.toPrecision(4)));

async function built(): Promise<FakeExcel> {
  const fake = new FakeExcel();
  await applyPlan(fake.context(), plan, {
    requirements: fake.requirements,
    meta: { preset: "encoder", config, vocab: [...task.vocab.tokens] },
  });
  return fake;
}

test("ExcelParamStore: an edit between two writes stops the run with a EditedDuringRunError; the user's value stays, the rest is written", async () => {
  const fake = await built();
  const store = new ExcelParamStore(config, fake.run);
  const session = new TrainingSession({
    store,
    config,
    train: encodeExamples(task, config, task.train.slice(0, 20)),
    optimizer: preset.optimizer,
  });
  const before = fake.cell("Encoder", typed)!.value as number;
  const other = cellAddress(wq.top, wq.left, false);
  const run = session.run(10, { writeEvery: 5, onProgress: (p) => p.done === 7 && fake.setCell("Encoder", typed, 5) });
  const e = await run.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(EditedDuringRunError);
  expect((e as EditedDuringRunError).edits).toEqual([
    { name: "Enc_H1_Wq", cell: `Encoder!${typed}`, before: expect.any(Number), after: 5 },
  ]);
  expect((e as Error).message).toBe(
    `You changed Enc_H1_Wq (Encoder!${typed}) from ${round4((e as EditedDuringRunError).edits[0].before as number)} to 5 while training: the run stopped and kept your value.`,
  );
  expect((e as EditedDuringRunError).edits[0].before).not.toBe(before); // the value the step-5 write left
  expect(fake.cell("Encoder", typed)?.value).toBe(5);
  // Every other weight has the last step's value: the run's work is not lost.
  expect(fake.cell("Encoder", other)?.value).not.toBe(params.Enc_H1_Wq.data[0]);
  expect(session.stepCount).toBe(10);
});

test("a formula the user typed into a weight cell is kept as a formula", async () => {
  const fake = await built();
  const store = new ExcelParamStore(config, fake.run);
  await store.read();
  fake.setCell("Encoder", typed, "=1+1");
  await expect(store.write(initParams(config, 2))).rejects.toThrow(`You changed Enc_H1_Wq (Encoder!${typed}) from`);
  expect(fake.cell("Encoder", typed)?.formula).toBe("1+1");
});

test("no edit: one sync per write, as before", async () => {
  const fake = await built();
  const store = new ExcelParamStore(config, fake.run);
  await store.read();
  const before = fake.syncs;
  await store.write(initParams(config, 2));
  await store.write(initParams(config, 3));
  expect(fake.syncs - before).toBe(2);
});

test("the pane: the run stops, says which cell and after which step, and keeps the user's value", async () => {
  const { fake, pane } = await builtPane();
  const ref = fake.nameRef("Enc_H1_Wq")!.replace(/^[^!]*!\$?([A-Z]+)\$?(\d+).*$/, "$1$2");
  let typedAt = 0;
  pane.subscribe((s) => {
    if (s.progress?.done === 3 && !typedAt) {
      typedAt = 3;
      fake.setCell("Encoder", ref, 5);
    }
  });
  await pane.train({ optimizer: "adam", lr: "0.01", steps: "20" });
  expect(pane.state.status.tone).toBe("error");
  expect(pane.state.status.text).toMatch(
    new RegExp(
      `^You changed Enc_H1_Wq \\(Encoder!${ref}\\) from -?[0-9.e-]+ to 5 while training: the run stopped after step 5 and kept your value\\.$`,
    ),
  );
  expect(fake.cell("Encoder", ref)?.value).toBe(5);
  expect(pane.state.undo).toMatch(/last run of 5 steps \(step 0\)/);
});

test("Undo after a hand edit keeps the edit and says so; Undo again restores that cell too", async () => {
  const { fake, pane } = await builtPane();
  const ref = fake.nameRef("Enc_H1_Wq")!.replace(/^[^!]*!\$?([A-Z]+)\$?(\d+).*$/, "$1$2");
  const start = fake.cell("Encoder", ref)?.value;
  await pane.train({ optimizer: "adam", lr: "0.01", steps: "5" });
  expect(pane.state.status.tone).toBe("ok");
  fake.setCell("Encoder", ref, 5);
  await pane.undo();
  expect(pane.state.status).toEqual({
    text: expect.stringMatching(
      new RegExp(
        `^You changed Enc_H1_Wq \\(Encoder!${ref}\\) from .* to 5 since the last run: Undo restored every other weight and kept your value\\. Press Undo again`,
      ),
    ),
    tone: "warn",
  });
  expect(fake.cell("Encoder", ref)?.value).toBe(5);
  await pane.undo();
  expect(pane.state.status.tone).toBe("ok");
  expect(fake.cell("Encoder", ref)?.value).toBe(start);
});
