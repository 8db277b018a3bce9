/**
 * SGD with momentum against tfjs's tf.train.momentum, an independent
 * implementation. Both use the same convention (heavy ball, no dampening):
 * v ← μ·v + g, w ← w − lr·v; tfjs's MomentumOptimizer computes
 * newAccumulation = m·accumulation + gradient and value += −lr·newAccumulation
 * (tfjs-core/dist/optimizers/momentum_optimizer.js), so the mapping is one to
 * one: lr → learningRate, momentum → momentum, useNesterov false.
 *
 * tfjs runs in float32: the tolerance is 1e-5 of a parameter's largest
 * weight plus 1e-7; the differences seen stay below 1e-6 of it, over four
 * real training steps too. A damped update (v ← μ·v + (1−μ)·g) is off by
 * about 10% of the largest weight at the first step, and momentum 0.8·μ by
 * 2%: both fail here.
 */
import { initParams, Params } from "../src/model/config";
import { toRows } from "../src/model/matrix";
import { newOptimizerState, optimizerStep, OptimizerConfig } from "../src/model/optim";
import { configFor, encodeExamples, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { lossAndGradients } from "../src/model/transformer";
import { Rng } from "../src/model/rng";
import { clipByGlobalNorm, Rows, tf, tfLossAndGrads, useTfCpu } from "./support/tfjs-model";

beforeAll(useTfCpu);

/** Largest |ours − theirs| over a parameter, against the tolerance; "" when within it. */
function mismatch(name: string, ours: Rows, theirs: Rows): string {
  const a = ours.flat();
  const b = theirs.flat();
  const scale = Math.max(...a.map(Math.abs));
  const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  return worst <= 1e-5 * scale + 1e-7 ? "" : `${name}: off by ${worst} (largest weight ${scale})`;
}

/** tfjs's side: variables, clipping by global norm in tfjs ops, tf.train.momentum for the update. */
class TfMomentum {
  readonly vars: Record<string, tf.Variable>;
  private readonly optimizer: tf.MomentumOptimizer;

  constructor(
    params: Record<string, Rows>,
    private readonly o: OptimizerConfig,
  ) {
    this.vars = Object.fromEntries(Object.entries(params).map(([n, rows]) => [n, tf.variable(tf.tensor2d(rows))]));
    this.optimizer = tf.train.momentum(o.lr, o.momentum ?? 0.9);
  }

  apply(grads: Record<string, Rows>): void {
    tf.tidy(() => {
      const g = clipByGlobalNorm(Object.fromEntries(Object.entries(grads).map(([n, rows]) => [n, tf.tensor2d(rows)])), this.o.clipNorm);
      this.optimizer.applyGradients(Object.entries(g).map(([n, t]) => ({ name: this.vars[n].name, tensor: t })));
    });
  }

  params(): Record<string, Rows> {
    return Object.fromEntries(Object.entries(this.vars).map(([n, v]) => [n, v.arraySync() as Rows]));
  }

  dispose(): void {
    tf.dispose(Object.values(this.vars));
    this.optimizer.dispose();
  }
}

const asRows = (p: Params): Record<string, Rows> => Object.fromEntries(Object.entries(p).map(([n, m]) => [n, toRows(m)]));

function randomRows(rng: Rng, rows: number, cols: number, scale: number): Rows {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.uniform(-scale, scale)));
}

test.each<[string, OptimizerConfig]>([
  ["momentum 0.9 given", { kind: "sgd", lr: 0.05, momentum: 0.9 }],
  ["the default momentum (0.9)", { kind: "sgd", lr: 0.2 }],
  ["momentum 0.5, gradients clipped to norm 1", { kind: "sgd", lr: 0.1, momentum: 0.5, clipNorm: 1 }],
])("%s: six steps on the same gradients give the same weights as tf.train.momentum", (_, o) => {
  const rng = new Rng(5);
  const start = { A: randomRows(rng, 3, 4, 1), B: randomRows(rng, 1, 5, 1) };
  const ours: Params = Object.fromEntries(
    Object.entries(start).map(([n, rows]) => [n, { rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) }]),
  );
  const state = newOptimizerState();
  const theirs = new TfMomentum(start, o);
  for (let step = 1; step <= 6; step++) {
    const grads = { A: randomRows(rng, 3, 4, 2), B: randomRows(rng, 1, 5, 2) };
    optimizerStep(
      ours,
      Object.fromEntries(
        Object.entries(grads).map(([n, rows]) => [n, { rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) }]),
      ),
      o,
      state,
    );
    theirs.apply(grads);
    const now = theirs.params();
    expect([step, ...Object.keys(ours).map((n) => mismatch(n, toRows(ours[n]), now[n]))].filter(Boolean)).toEqual([step]);
  }
  theirs.dispose();
});

test("four training steps of the encoder preset: ours (float64, our backward) and tfjs (autodiff, tf.train.momentum) stay together", () => {
  const preset = getPreset("encoder");
  const task = makeTask(preset.task, preset.taskOptions);
  const config = configFor(preset, task, { dModel: 8, heads: 2, dK: 4, dFF: 16 });
  const batch = encodeExamples(task, config, task.train.slice(0, 16));
  const o: OptimizerConfig = { kind: "sgd", lr: 0.5, momentum: 0.9, clipNorm: 5 };
  const ours = initParams(config, 3);
  const theirs = new TfMomentum(asRows(ours), o);
  const state = newOptimizerState();
  for (let step = 1; step <= 4; step++) {
    optimizerStep(ours, lossAndGradients(ours, config, batch).grads, o, state);
    theirs.apply(tfLossAndGrads(theirs.params(), config, batch).grads);
    const now = theirs.params();
    expect([step, ...Object.keys(ours).map((n) => mismatch(n, toRows(ours[n]), now[n]))].filter(Boolean)).toEqual([step]);
  }
  const moved = Object.keys(ours).some((n) => mismatch(n, toRows(ours[n]), asRows(initParams(config, 3))[n]) !== "");
  expect(moved).toBe(true);
  theirs.dispose();
});
