/**
 * A step that takes a weight beyond WEIGHT_LIMIT is divergence, as a
 * non-finite one is: the Excel store refuses to read such a weight back, so
 * writing it would break the next run.
 */
import { cloneParams, initParams, WEIGHT_LIMIT } from "../src/model/config";
import { newOptimizerState, optimizerStep, type OptimizerConfig } from "../src/model/optim";
import { configFor, encodeExamples, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { lossAndGradients } from "../src/model/transformer";
import { TrainingSession } from "../src/train/session";
import { MemoryStore } from "../src/train/store";

const task = makeTask("reverse", { length: 4, symbols: 5, trainCount: 24, heldOutCount: 8 });
const config = configFor(getPreset("encoder"), task);
const train = encodeExamples(task, config, task.train);
const initial = initParams(config, 7);
const huge: OptimizerConfig = { kind: "sgd", lr: 1e9, momentum: 0 };

test("a learning rate that takes weights beyond the bound stops the run at step 1, naming the weight, and keeps the weights before it", async () => {
  // The model's own step, without the session: finite weights, some beyond the bound.
  const stepped = cloneParams(initial);
  optimizerStep(stepped, lossAndGradients(stepped, config, train).grads, huge, newOptimizerState());
  const all = Object.values(stepped).flatMap((m) => Array.from(m.data));
  expect(all.every(Number.isFinite)).toBe(true);
  expect(Math.max(...all.map(Math.abs))).toBeGreaterThan(WEIGHT_LIMIT);

  const store = new MemoryStore(initial);
  const report = await new TrainingSession({ store, config, train, optimizer: huge }).run(3);
  expect(report.stopped).toBe("diverged");
  expect(report.steps).toBe(0);
  const m = /diverged at step 1: the update made (\w+) (\S+) at row (\d+), column (\d+), beyond ±1e6/.exec(report.message ?? "");
  expect(m).not.toBeNull();
  const [, name, value, row, col] = m!;
  const w = stepped[name];
  const v = w.data[(Number(row) - 1) * w.cols + Number(col) - 1];
  expect(Math.abs(v)).toBeGreaterThan(WEIGHT_LIMIT);
  expect(Number(value)).toBeCloseTo(v, -Math.floor(Math.log10(Math.abs(v))) + 3);
  const kept = await store.read();
  for (const [k, p] of Object.entries(initial)) expect(Array.from(kept[k].data)).toEqual(Array.from(p.data));
});
