/**
 * Every gradient of src/model against central finite differences of the loss
 * (float64), with padding masks in the encoder and cross-attention and the
 * causal mask in the decoder.
 */
import { ModelConfig, Params, initParams, paramSpecs } from "../src/model/config";
import { EncodedExample, evaluate, lossAndGradients } from "../src/model/transformer";

const PAD = 0,
  BOS = 1,
  EOS = 2;

function config(overrides: Partial<ModelConfig>): ModelConfig {
  return {
    vocabSize: 9,
    dModel: 4,
    heads: 2,
    dK: 3,
    dFF: 5,
    sourceLen: 5,
    targetLen: 0,
    kind: "encoder",
    layers: 1,
    normalization: "softmax",
    scaled: true,
    peDims: 4,
    ...overrides,
  };
}

/** Two source sentences, the second padded, so that padded keys are masked. */
const encoderBatch: EncodedExample[] = [
  { source: [3, 4, 5, 6, 7], target: [7, 6, 5, 4, 3] },
  { source: [8, 3, 4, PAD, PAD], target: [4, 3, 8, PAD, PAD] },
];

const seq2seqBatch: EncodedExample[] = [
  { source: [3, 4, 5, 6, 7], decoderInput: [BOS, 8, 6, 5, PAD], target: [8, 6, 5, EOS, PAD] },
  { source: [8, 3, PAD, PAD, PAD], decoderInput: [BOS, 4, 4, 7, 3], target: [4, 4, 7, 3, EOS] },
];

/** <s> then a text; the target at each position is the next token, </s> after the last; the second text is padded. */
const textBatch: EncodedExample[] = [
  { source: [BOS, 3, 4, 5, 6], target: [3, 4, 5, 6, EOS] },
  { source: [BOS, 8, 7, PAD, PAD], target: [8, 7, EOS, PAD, PAD] },
];

function loss(p: Params, c: ModelConfig, batch: EncodedExample[]): number {
  return evaluate(p, c, batch).loss;
}

/** ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖) for each parameter tensor. */
function relativeErrors(c: ModelConfig, batch: EncodedExample[], seed: number): Map<string, { rel: number; norm: number }> {
  const p = initParams(c, seed);
  // Non-trivial LayerNorm gains and biases, so their gradients are exercised off their initial values.
  for (const s of paramSpecs(c)) {
    if (s.kind === "gain" || s.kind === "bias") {
      const m = p[s.name];
      for (let i = 0; i < m.data.length; i++) m.data[i] += 0.3 * Math.sin(7 * i + s.name.length);
    }
  }
  const { grads } = lossAndGradients(p, c, batch);
  const h = 1e-5;
  const out = new Map<string, { rel: number; norm: number }>();
  for (const s of paramSpecs(c)) {
    const w = p[s.name].data;
    let diff = 0,
      a = 0,
      b = 0;
    for (let i = 0; i < w.length; i++) {
      const keep = w[i];
      w[i] = keep + h;
      const up = loss(p, c, batch);
      w[i] = keep - h;
      const down = loss(p, c, batch);
      w[i] = keep;
      const numeric = (up - down) / (2 * h);
      const analytic = grads[s.name].data[i];
      diff += (analytic - numeric) ** 2;
      a += analytic ** 2;
      b += numeric ** 2;
    }
    const denom = Math.sqrt(a) + Math.sqrt(b);
    out.set(s.name, { rel: denom === 0 ? 0 : Math.sqrt(diff) / denom, norm: Math.sqrt(a) });
  }
  return out;
}

function expectAllClose(errors: Map<string, { rel: number; norm: number }>, c: ModelConfig): void {
  expect([...errors.keys()]).toEqual(paramSpecs(c).map((s) => s.name));
  for (const [name, { rel, norm }] of errors) {
    // A zero gradient would pass trivially: every tensor must actually receive one.
    expect({ name, hasGradient: norm > 1e-8 }).toEqual({ name, hasGradient: true });
    expect({ name, rel: rel <= 1e-6 }).toEqual({ name, rel: true });
  }
}

describe("gradients equal central finite differences (max relative error 1e-6)", () => {
  test("encoder-only, softmax, scaled, padded source", () => {
    const c = config({});
    expectAllClose(relativeErrors(c, encoderBatch, 11), c);
  });

  test("encoder-only as in the original demo: no softmax, no scaling, 2-dim positional encoding", () => {
    const c = config({ normalization: "none", scaled: false, dModel: 3, dK: 3, heads: 4, peDims: 2 });
    expectAllClose(relativeErrors(c, encoderBatch, 12), c);
  });

  test("encoder–decoder: causal self-attention, cross-attention over a padded source", () => {
    const c = config({ kind: "encoder-decoder", targetLen: 5 });
    expectAllClose(relativeErrors(c, seq2seqBatch, 13), c);
  });

  test("2-layer encoder–decoder: both decoder layers' cross-attention reads the top encoder layer", () => {
    const c = config({ kind: "encoder-decoder", targetLen: 5, layers: 2 });
    expectAllClose(relativeErrors(c, seq2seqBatch, 15), c);
  });

  test("decoder-only (GPT): causal self-attention over the Tokens stream, next-token targets", () => {
    const c = config({ kind: "decoder-only" });
    expectAllClose(relativeErrors(c, textBatch, 16), c);
  });

  test("2-layer decoder-only without softmax or scaling", () => {
    const c = config({ kind: "decoder-only", layers: 2, normalization: "none", scaled: false, dK: 2 });
    expectAllClose(relativeErrors(c, textBatch, 17), c);
  });

  test("encoder–decoder without softmax or scaling", () => {
    const c = config({ kind: "encoder-decoder", targetLen: 5, normalization: "none", scaled: false, heads: 1, dK: 2 });
    expectAllClose(relativeErrors(c, seq2seqBatch, 14), c);
  });
});

describe("padding and the causal mask", () => {
  test("a padded source position changes nothing the model predicts for real tokens", () => {
    const c = config({ kind: "encoder-decoder", targetLen: 5 });
    const p = initParams(c, 3);
    const a = evaluate(p, c, [seq2seqBatch[1]]).loss;
    // Embedding row 0 is <pad>: moving it must not change the loss (its keys are masked, its targets left out).
    for (let j = 0; j < c.dModel; j++) p.Embedding.data[j] += 5;
    const b = evaluate(p, c, [seq2seqBatch[1]]).loss;
    expect(Math.abs(a - b)).toBeLessThan(1e-12);
  });

  test("decoder-only: a later token cannot change an earlier position's loss", () => {
    const c = config({ kind: "decoder-only", layers: 2 });
    const p = initParams(c, 5);
    const first: EncodedExample = { source: [BOS, 3, 4, 5, 6], target: [3, PAD, PAD, PAD, PAD] };
    const changed: EncodedExample = { ...first, source: [BOS, 8, 8, 8, 8] };
    expect(Math.abs(evaluate(p, c, [first]).loss - evaluate(p, c, [changed]).loss)).toBeLessThan(1e-12);
  });

  test("a later decoder input token cannot change an earlier position's loss", () => {
    const c = config({ kind: "encoder-decoder", targetLen: 5 });
    const p = initParams(c, 4);
    const first: EncodedExample = { source: [3, 4, 5, 6, 7], decoderInput: [BOS, 8, 6, 5, 4], target: [8, PAD, PAD, PAD, PAD] };
    const changed: EncodedExample = { ...first, decoderInput: [BOS, 3, 3, 3, 3] };
    expect(Math.abs(evaluate(p, c, [first]).loss - evaluate(p, c, [changed]).loss)).toBeLessThan(1e-12);
  });
});
