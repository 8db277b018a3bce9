/** Plans of the shipped presets and a build of one into the fake, as the pane makes them. */
import { applyPlan, ApplyReport } from "../../src/excel/apply";
import { initParams, ModelConfig } from "../../src/model/config";
import { configFor, getPreset, PresetName, SizeOverrides } from "../../src/model/presets";
import { makeTask, Task } from "../../src/model/tasks";
import { buildWorkbookPlan, FormulaStyle } from "../../src/sheet/build";
import type { WorkbookPlan } from "../../src/sheet/plan";
import { Controller } from "../../src/taskpane/controller";
import { ExcelHost } from "../../src/taskpane/host";
import { FakeExcel } from "./fake-excel";

export interface Built {
  name: PresetName;
  task: Task;
  config: ModelConfig;
  plan: WorkbookPlan;
}

export function build(name: PresetName, seed = 3, style: FormulaStyle = "cells", sizes: SizeOverrides = {}): Built {
  const preset = getPreset(name);
  const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
  const config = configFor(preset, task, sizes);
  const plan = buildWorkbookPlan({
    preset: name,
    description: preset.description,
    config,
    vocab: task.vocab,
    params: initParams(config, seed),
    sentence: task.train[0].source,
    examples: task.train.slice(0, 20),
    switches: name === "seed",
    style,
    check: true,
  });
  return { name, task, config, plan };
}

export function apply(fake: FakeExcel, b: Built): Promise<ApplyReport> {
  return applyPlan(fake.context(), b.plan, {
    requirements: fake.requirements,
    meta: { preset: b.name, config: b.config, vocab: [...b.task.vocab.tokens] },
  });
}

/** A pane over the fake, with the encoder preset built from it as a user would (cells style). */
export async function builtPane(writeEvery = 5): Promise<{ fake: FakeExcel; pane: Controller }> {
  const fake = new FakeExcel();
  const pane = new Controller(new ExcelHost(fake.run, fake.requirements), { writeEvery });
  await pane.start();
  await pane.build({ preset: "encoder", task: "reverse", sentence: "", dModel: "16", heads: "2", dK: "8", seed: "1", style: "cells" });
  return { fake, pane };
}
