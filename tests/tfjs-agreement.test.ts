/**
 * src/model against an independent implementation (tests/support/tfjs-model.ts,
 * tfjs-core ops and tfjs autodiff): same weights, same batch → same logits,
 * loss, accuracy and every parameter's gradient, compared by name.
 *
 * Tolerance, per tensor: max |ours − tfjs| ≤ 1e-4 · max |ours| + 1e-7. Ours
 * runs in float64, tfjs's CPU backend in float32 (unit roundoff 6e-8): the
 * weights are rounded on the way in, and the ~40 ops from input to loss,
 * sums over up to 1 800 positions in a weight gradient, and LayerNorm's
 * backward (a division by each row's standard deviation) add their own
 * rounding. The largest differences seen are about 2e-6 of a tensor's
 * largest value (logits and gradients alike), so 1e-4 leaves a margin of
 * about fifty; the 1e-7 floor covers tensors whose values are all near 0.
 * A real mistake is far larger: the last test checks that a wrong scale is
 * caught.
 */
import { ModelConfig, Params, initParams } from "../src/model/config";
import { Matrix, toRows } from "../src/model/matrix";
import { newOptimizerState, optimizerStep, OptimizerConfig } from "../src/model/optim";
import { PresetName, SizeOverrides, configFor, encodeExamples, getPreset } from "../src/model/presets";
import { Task, makeTask } from "../src/model/tasks";
import { EncodedExample, forwardBatch, lossAndGradients } from "../src/model/transformer";
import { Rows, TfTrainer, tf, tfForwardLogits, tfLossAndGrads, useTfCpu } from "./support/tfjs-model";

const RELATIVE = 1e-4;
const ABSOLUTE = 1e-7;
const SEED = 7;
const SMALL: SizeOverrides = { dModel: 8, heads: 2, dK: 4, dFF: 16 };

interface Case {
  name: string;
  config: ModelConfig;
  batch: EncodedExample[];
  padded: boolean;
}

function presetCase(name: PresetName, layers = 1): Case {
  const preset = getPreset(name);
  const task = makeTask(preset.task, preset.taskOptions);
  const config = configFor(preset, task, { layers });
  const label = layers === 1 ? `${name} preset` : `${name} preset, ${layers} layers`;
  return { name: label, config, batch: encodeExamples(task, config, task.train), padded: name === "encoder-decoder" || name === "gpt" };
}

/** Copy sequences of 7 cut to 2..7 tokens, the rest <pad> in source and target. */
function smallPaddedEncoder(): Case {
  const task = makeTask("copy", { length: 7, symbols: 6, trainCount: 24, seed: 3 });
  const config = configFor(getPreset("encoder"), task, SMALL);
  const batch = encodeExamples(task, config, task.train).map((ex, i) => {
    const keep = 2 + ((i * 5) % 6);
    const cut = (ids: number[]) => ids.map((id, j) => (j < keep ? id : 0));
    return { source: cut(ex.source), target: cut(ex.target) };
  });
  return { name: "small encoder, padded", config, batch, padded: true };
}

/** The translation pairs (sentences of different lengths, so sources and targets are padded). */
function smallEncoderDecoder(name: string, overrides: SizeOverrides, peDims?: number): Case {
  const task = makeTask("translate");
  const config = configFor(getPreset("encoder-decoder"), task, { ...SMALL, ...overrides });
  if (peDims !== undefined) config.peDims = peDims;
  return { name, config, batch: encodeExamples(task, config, task.train), padded: true };
}

/** The Spanish sentences of the translation pairs as texts to continue: a decoder-only model on padded texts. */
function smallDecoderOnly(name: string, overrides: SizeOverrides): Case {
  const pairs = makeTask("translate");
  const texts = pairs.train.map((ex) => ({ source: ex.target, target: [] }));
  const task: Task = {
    ...pairs,
    name: "translate",
    train: texts,
    heldOut: [],
    maxSourceLen: pairs.maxTargetLen,
    maxTargetLen: 0,
    sameLength: false,
    text: true,
  };
  const config = configFor(getPreset("gpt"), task, { ...SMALL, ...overrides });
  return { name, config, batch: encodeExamples(task, config, task.train), padded: true };
}

const paddedEncoder = smallPaddedEncoder();

const CASES: Case[] = [
  presetCase("seed"),
  presetCase("encoder"),
  presetCase("encoder-decoder"),
  presetCase("gpt"),
  presetCase("gpt", 2),
  paddedEncoder,
  {
    ...paddedEncoder,
    name: "small encoder, padded, no softmax, unscaled",
    config: { ...paddedEncoder.config, normalization: "none", scaled: false },
  },
  smallEncoderDecoder("small encoder-decoder, padded", {}),
  smallEncoderDecoder("small encoder-decoder, padded, no softmax, unscaled, PE on 3 columns", { normalization: "none", scaled: false }, 3),
  smallEncoderDecoder("small 2-layer encoder-decoder, padded", { layers: 2 }),
  smallDecoderOnly("small decoder-only, padded texts", {}),
  smallDecoderOnly("small 2-layer decoder-only, padded texts", { layers: 2 }),
  smallDecoderOnly("small 3-layer decoder-only, no softmax, unscaled", { layers: 3, normalization: "none", scaled: false }),
];

function asRows(params: Params): Record<string, Rows> {
  return Object.fromEntries(Object.entries(params).map(([name, m]) => [name, toRows(m)]));
}

/** "" when within tolerance, else a line naming the tensor and the sizes involved. */
function mismatch(name: string, ours: Matrix, theirs: Rows, relative = RELATIVE): string {
  const flat = theirs.flat();
  if (theirs.length !== ours.rows || flat.length !== ours.data.length) {
    return `${name}: ours is ${ours.rows} × ${ours.cols} but tfjs gave ${theirs.length} × ${theirs[0]?.length}`;
  }
  let diff = 0;
  let scale = 0;
  ours.data.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(v - flat[i]));
    scale = Math.max(scale, Math.abs(v));
  });
  const limit = relative * scale + ABSOLUTE;
  return diff <= limit
    ? ""
    : `${name}: max |ours − tfjs| = ${diff.toExponential(2)} > ${limit.toExponential(2)} (max |ours| = ${scale.toExponential(2)})`;
}

function gradientMismatches(ours: Params, theirs: Record<string, Rows>): string[] {
  const missing = Object.keys(ours)
    .filter((n) => !(n in theirs))
    .map((n) => `${n}: no tfjs gradient`);
  return [
    ...missing,
    ...Object.keys(ours)
      .filter((n) => n in theirs)
      .map((n) => mismatch(`d loss / d ${n}`, ours[n], theirs[n])),
  ].filter(Boolean);
}

beforeAll(useTfCpu);

describe.each(CASES)("$name", ({ config, batch, padded }) => {
  const params = initParams(config, SEED);

  test("the batch has padding where the case says so", () => {
    expect(batch.some((ex) => ex.source.includes(0) || (ex.decoderInput ?? []).includes(0))).toBe(padded);
  });

  test("forward logits agree", () => {
    const ours = forwardBatch(
      params,
      config,
      batch.map((ex) => ex.source),
      config.kind === "encoder-decoder" ? batch.map((ex) => ex.decoderInput!) : undefined,
    );
    const theirs = tfForwardLogits(asRows(params), config, batch).flat();
    expect(mismatch("logits", ours.logits, theirs)).toBe("");
  });

  test("loss, accuracy and every parameter's gradient agree", () => {
    const tensorsBefore = tf.memory().numTensors;
    const ours = lossAndGradients(params, config, batch);
    const theirs = tfLossAndGrads(asRows(params), config, batch);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(Math.abs(ours.loss - theirs.loss)).toBeLessThanOrEqual(RELATIVE * ours.loss);
    expect(theirs.accuracy).toBeCloseTo(ours.accuracy, 12);
    expect(gradientMismatches(ours.grads, theirs.grads)).toEqual([]);
  });
});

describe.each(
  [
    () => smallEncoderDecoder("small encoder-decoder", {}),
    () => smallEncoderDecoder("small 2-layer encoder-decoder", { layers: 2 }),
    () => smallDecoderOnly("small decoder-only", {}),
    () => smallDecoderOnly("small 2-layer decoder-only", { layers: 2 }),
  ].map((make) => make()),
)("Adam, $name", ({ config, batch }) => {
  test("tf.train.adam after global-norm clipping updates the weights as optimizerStep does", () => {
    const params = initParams(config, SEED);
    const { grads } = lossAndGradients(params, config, batch);
    const opt: OptimizerConfig = { kind: "adam", lr: 0.01, clipNorm: 0.5 };
    const trainer = new TfTrainer(asRows(params), config, batch, opt);
    const state = newOptimizerState();
    for (let step = 1; step <= 3; step++) {
      // a different gradient each step, and one step (×0.01) below the clipping norm
      const g = Object.fromEntries(
        Object.entries(grads).map(([n, m]) => [
          n,
          { ...m, data: m.data.map((v, i) => v * (step === 2 ? 0.01 : step) * (i % 3 === 0 ? -1 : 1)) },
        ]),
      );
      optimizerStep(params, g, opt, state);
      trainer.applyGradients(asRows(g));
    }
    const after = trainer.params();
    trainer.dispose();
    // 1e-5: in float32, 1 − β2 = 1 − 0.999 is off by 1.3e-5 of itself, and so is v̂
    const off = Object.keys(params)
      .map((n) => mismatch(n, params[n], after[n], 1e-5))
      .filter(Boolean);
    expect(off).toEqual([]);
  });

  test("a tfjs training step reports our loss and frees its tensors", () => {
    const params = initParams(config, SEED);
    const opt = getPreset(config.kind === "decoder-only" ? "gpt" : "encoder-decoder").optimizer;
    const trainer = new TfTrainer(asRows(params), config, batch, opt);
    const first = trainer.step();
    const tensors = tf.memory().numTensors;
    const second = trainer.step();
    expect(tf.memory().numTensors).toBe(tensors);
    trainer.dispose();
    const ours = lossAndGradients(params, config, batch);
    optimizerStep(params, ours.grads, opt, newOptimizerState());
    expect(Math.abs(first - ours.loss)).toBeLessThanOrEqual(RELATIVE * ours.loss);
    expect(second).toBeLessThan(first);
    expect(Math.abs(second - lossAndGradients(params, config, batch).loss)).toBeLessThan(1e-3);
  });
});

test("the tolerance catches a real difference: tfjs unscaled against ours scaled", () => {
  const { config, batch } = smallPaddedEncoder();
  const params = initParams(config, SEED);
  const ours = lossAndGradients(params, config, batch);
  const theirs = tfLossAndGrads(asRows(params), { ...config, scaled: false }, batch);
  expect(gradientMismatches(ours.grads, theirs.grads).length).toBeGreaterThan(0);
});
