/**
 * The warnings of a build say what happened: on an Excel below ExcelApi
 * 1.18 the explanations become comments, and the pane says so only if the
 * comments were made. A host that turns the comments down too (NotImplemented)
 * gets the one warning that names them as missing, not also one that says
 * they were added as comments.
 */
import { applyPlan } from "../src/excel/apply";
import { WARNINGS } from "../src/excel/write";
import { initParams, ModelConfig } from "../src/model/config";
import { configFor, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { buildWorkbookPlan } from "../src/sheet/build";
import { FakeExcel } from "./support/fake-excel";

const preset = getPreset("encoder");
const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
const config: ModelConfig = configFor(preset, task);
const plan = buildWorkbookPlan({
  preset: "encoder",
  description: "",
  config,
  vocab: task.vocab,
  params: initParams(config, 11),
  sentence: task.train[0].source,
  examples: task.train.slice(0, 5),
});

test("comments that were made: the pane says the explanations are comments", async () => {
  const fake = new FakeExcel({ apiVersion: 10 });
  const report = await applyPlan(fake.context(), plan, { requirements: fake.requirements });
  expect(fake.comments.length).toBeGreaterThan(0);
  expect(report.warnings).toEqual([WARNINGS.notesAsComments]);
});

test("comments the host turns down: one warning, that the explanations could not be added", async () => {
  const fake = new FakeExcel({ apiVersion: 10 });
  fake.failCommand("CommentCollection.add", "NotImplemented");
  const report = await applyPlan(fake.context(), plan, { requirements: fake.requirements });
  expect(fake.comments).toHaveLength(0);
  expect(report.warnings).toEqual([
    expect.stringMatching(
      /^The explanations of the blocks \(notes or comments on their titles\) could not be added, or not all of them \(Excel said NotImplemented: /,
    ),
  ]);
});
