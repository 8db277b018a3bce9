/** A small reverse task on the encoder preset, and the model's own full-batch Adam loop on it: what the engine tests train and compare with. */
import { cloneParams, initParams, Params } from "../../src/model/config";
import { newOptimizerState, optimizerStep, OptimizerConfig } from "../../src/model/optim";
import { configFor, encodeExamples, getPreset } from "../../src/model/presets";
import { makeTask } from "../../src/model/tasks";
import { lossAndGradients } from "../../src/model/transformer";

export const task = makeTask("reverse", { length: 4, symbols: 5, trainCount: 24, heldOutCount: 8 });
export const config = configFor(getPreset("encoder"), task);
export const train = encodeExamples(task, config, task.train);
export const adam: OptimizerConfig = { kind: "adam", lr: 0.01 };
export const initial = initParams(config, 7);

/** Weights as plain arrays, for toEqual. */
export const plain = (p: Params) => Object.fromEntries(Object.entries(p).map(([k, m]) => [k, Array.from(m.data)]));

/** The model's own loop: `steps` full-batch Adam steps from `start`, and the gradient of the last one. */
export function ownSteps(start: Params, steps: number): { params: Params; grads: Params } {
  const params = cloneParams(start);
  const state = newOptimizerState();
  let grads: Params = {};
  for (let i = 0; i < steps; i++) {
    grads = lossAndGradients(params, config, train).grads;
    optimizerStep(params, grads, adam, state);
  }
  return { params, grads };
}
