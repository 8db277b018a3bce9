/**
 * The same transformer written a second time, with @tensorflow/tfjs-core ops
 * on the CPU backend, straight from docs/architecture.md's "Math conventions": batched
 * (B, n, d) tensors, and tfjs's own autodiff for every gradient. Tests compare
 * it with src/model (float64, hand-written backward); the benchmark trains it
 * beside ours. It borrows types and the layer list (which blocks, in which
 * order, with which names) from src/model, never a number or a rule.
 */
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as ts from "typescript";
import { architecture, type StreamName } from "../../src/model/architecture";
import type { ModelConfig } from "../../src/model/config";
import type { OptimizerConfig } from "../../src/model/optim";
import type { EncodedExample } from "../../src/model/transformer";

/** `<pad>`: its keys are masked, its targets are left out of the loss. */
const PAD = 0;
const LAYER_NORM_EPS = 1e-5;
/** Added to masked scores before the softmax: exp of it underflows to exactly 0 in float32. */
const MASKED_SCORE = -1e9;

export type Rows = number[][];
type Weights = Record<string, tf.Tensor2D>;

/**
 * Since tfjs 3, tfjs-core registers no gradients by itself: the documented
 * fix, which @tensorflow/tfjs makes for you, is to import
 * "@tensorflow/tfjs-core/dist/register_all_gradients". That file and the
 * ones it imports are ES modules with extensionless imports inside a
 * CommonJS package, which node cannot require, so we compile them to
 * CommonJS on the fly. They are a second copy of tfjs-core's modules, which
 * tfjs supports: the engine, the kernel and gradient registries and the
 * Tensor class check live on the global object, so the gradients land where
 * tf.grads looks for them.
 */
function registerAllGradients(): void {
  if (tf.getGradient("RealDiv") !== undefined) return;
  const dist = path.join(path.dirname(require.resolve("@tensorflow/tfjs-core/package.json")), "dist");
  const loaded = new Map<string, { exports: object }>();
  const resolve = (from: string, spec: string): string => {
    const base = path.resolve(path.dirname(from), spec);
    const file = [`${base}.js`, path.join(base, "index.js")].find((f) => fs.existsSync(f));
    if (!file) throw new Error(`cannot find ${spec} imported by ${from}`);
    return file;
  };
  const load = (file: string): object => {
    const cached = loaded.get(file);
    if (cached) return cached.exports;
    const module = { exports: {} };
    loaded.set(file, module);
    const { outputText } = ts.transpileModule(fs.readFileSync(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2017 },
    });
    const packages = createRequire(file); // long, seedrandom: as tfjs-core itself finds them
    const requireFrom = (spec: string): object => (spec.startsWith(".") ? load(resolve(file, spec)) : packages(spec));
    new Function("require", "module", "exports", outputText)(requireFrom, module, module.exports);
    return module.exports;
  };
  load(path.join(dist, "register_all_gradients.js"));
  if (tf.getGradient("RealDiv") === undefined) throw new Error("tfjs-core's gradients did not register");
}

/** CPU backend, gradients registered, production mode (no debug checks, no "install tfjs-node" banner). */
export async function useTfCpu(): Promise<void> {
  registerAllGradients();
  tf.enableProdMode();
  await tf.setBackend("cpu");
  await tf.ready();
}

/** PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(…), d = peDims; columns from peDims on are 0. */
export function sinusoidalPE(positions: number, dModel: number, peDims: number): Rows {
  return Array.from({ length: positions }, (_, p) =>
    Array.from({ length: dModel }, (_, col) => {
      if (col >= peDims) return 0;
      const i = Math.floor(col / 2);
      const angle = p / Math.pow(10000, (2 * i) / peDims);
      return col % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }),
  );
}

/**
 * The batch as constant tensors: ids, targets, and for each attention which
 * keys each query sees, as a 0/1 tensor `visible` and as a score offset
 * `hidden` (0 where visible, −1e9 where masked) that a softmax turns into
 * weight 0.
 */
interface KeyMask {
  visible: tf.Tensor3D; // (B, nq, nk)
  hidden: tf.Tensor3D; // (B, nq, nk)
}

/** One token stream (the Tokens row, or the encoder–decoder's decoder input) as tensors. */
interface TfStream {
  tokens: tf.Tensor3D; // (B, n, V) one-hot
  pe: tf.Tensor2D; // (n, d_model)
  selfMask: KeyMask; // (B, n, n): key not <pad>
  causalMask: KeyMask; // (B, n, n): key j ≤ query i and not <pad>
}

interface TfBatch {
  streams: Partial<Record<StreamName, TfStream>>;
  crossMask?: KeyMask; // (B, m, n): source key not <pad>
  targets: tf.Tensor1D; // (B·positions) int32
  targetOneHot: tf.Tensor2D; // (B·positions, V)
  counted: tf.Tensor1D; // (B·positions) 1 where the target is not <pad>
  tokens: number;
}

function keyMask(keysPerExample: number[][], queries: number, causal: boolean): KeyMask {
  const visible = keysPerExample.map((keys) =>
    Array.from({ length: queries }, (_, i) => keys.map((id, j) => (id !== PAD && (!causal || j <= i) ? 1 : 0))),
  );
  return {
    visible: tf.tensor3d(visible),
    hidden: tf.tensor3d(visible.map((rows) => rows.map((row) => row.map((v) => (v ? 0 : MASKED_SCORE))))),
  };
}

function tfStream(ids: number[][], c: ModelConfig): TfStream {
  const n = ids[0].length;
  return {
    tokens: oneHot(ids, c.vocabSize),
    pe: tf.tensor2d(sinusoidalPE(n, c.dModel, c.peDims)),
    selfMask: keyMask(ids, n, false),
    causalMask: keyMask(ids, n, true),
  };
}

function prepareBatch(c: ModelConfig, examples: readonly EncodedExample[]): TfBatch {
  const targets = examples.flatMap((ex) => ex.target);
  const tokens = targets.filter((t) => t !== PAD).length;
  const sources = examples.map((ex) => ex.source);
  const batch: TfBatch = {
    streams: { source: tfStream(sources, c) },
    targets: tf.tensor1d(targets, "int32"),
    targetOneHot: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(targets, "int32"), c.vocabSize), "float32") as tf.Tensor2D),
    counted: tf.tensor1d(targets.map((t) => (t === PAD ? 0 : 1))),
    tokens,
  };
  if (architecture(c).streams.includes("target")) {
    const inputs = examples.map((ex, i) => {
      if (!ex.decoderInput) throw new Error(`example ${i + 1} has no decoder input`);
      return ex.decoderInput;
    });
    batch.streams.target = tfStream(inputs, c);
    batch.crossMask = keyMask(sources, inputs[0].length, false);
  }
  return batch;
}

function oneHot(ids: number[][], vocab: number): tf.Tensor3D {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor2d(ids, undefined, "int32"), vocab), "float32") as tf.Tensor3D);
}

function disposeBatch(b: TfBatch): void {
  const streams = Object.values(b.streams).flatMap((s) => [
    s.tokens,
    s.pe,
    s.selfMask.visible,
    s.selfMask.hidden,
    s.causalMask.visible,
    s.causalMask.hidden,
  ]);
  const cross = b.crossMask ? [b.crossMask.visible, b.crossMask.hidden] : [];
  tf.dispose([b.targets, b.targetOneHot, b.counted, ...streams, ...cross]);
}

function weight(w: Weights, name: string): tf.Tensor2D {
  const t = w[name];
  if (!t) throw new Error(`the tfjs model needs the parameter ${name}`);
  return t;
}

/**
 * A 1 × d gain or bias as a vector of d: tfjs's CPU kernels broadcast a
 * (d) tensor over (B, n, d) by a flat index, and a (1, d) one by an index
 * computation per element, several times slower.
 */
function vector(w: Weights, name: string): tf.Tensor1D {
  return tf.reshape(weight(w, name), [-1]);
}

/** x·W for every row of every sequence: (B, n, d_in)·(d_in, d_out) → (B, n, d_out). */
function project(x: tf.Tensor3D, W: tf.Tensor2D): tf.Tensor3D {
  const [b, n, d] = x.shape;
  return tf.reshape(tf.matMul(tf.reshape(x, [b * n, d]), W), [b, n, W.shape[1]]);
}

/**
 * E[token] + PE[position], the lookup written as onehot(token)·E: the same
 * numbers, and a matrix product for a backward pass, where tfjs-cpu's
 * gradient of tf.gather (unsortedSegmentSum) loops over the whole vocabulary
 * for every token and took most of a step's time.
 */
function embed(w: Weights, tokens: tf.Tensor3D, pe: tf.Tensor2D): tf.Tensor3D {
  return tf.add(project(tokens, weight(w, "Embedding")), pe);
}

/** A = softmax(Q·Kᵀ/√d_k) over visible keys (or the masked raw scores), then A·V. */
function scaledDotProductAttention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, mask: KeyMask, c: ModelConfig): tf.Tensor3D {
  let scores = tf.matMul(q, k, false, true); // (B, nq, nk)
  if (c.scaled) scores = tf.div(scores, Math.sqrt(q.shape[2]));
  // × visible: masked weights exactly 0, and a row with no visible key all 0
  const weights =
    c.normalization === "softmax" ? tf.mul(tf.softmax(tf.add(scores, mask.hidden)), mask.visible) : tf.mul(scores, mask.visible);
  return tf.matMul(weights, v); // (B, nq, d_k)
}

/** [H_1 … H_h]·Wo, head h attending from xq to xkv with its own Wq, Wk, Wv. */
function multiHeadAttention(w: Weights, prefix: string, xq: tf.Tensor3D, xkv: tf.Tensor3D, mask: KeyMask, c: ModelConfig): tf.Tensor3D {
  const heads: tf.Tensor3D[] = [];
  for (let h = 1; h <= c.heads; h++) {
    const q = project(xq, weight(w, `${prefix}_H${h}_Wq`));
    const k = project(xkv, weight(w, `${prefix}_H${h}_Wk`));
    const v = project(xkv, weight(w, `${prefix}_H${h}_Wv`));
    heads.push(scaledDotProductAttention(q, k, v, mask, c));
  }
  return project(tf.concat(heads, 2), weight(w, `${prefix}_Wo`));
}

/** (x − mean)/√(var + 1e-5)·γ + β over the last axis, population variance. */
function layerNorm(w: Weights, prefix: string, x: tf.Tensor3D): tf.Tensor3D {
  const { mean, variance } = tf.moments(x, 2, true);
  const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, LAYER_NORM_EPS)));
  return tf.add(tf.mul(normalised, vector(w, `${prefix}_Gamma`)), vector(w, `${prefix}_Beta`));
}

/** ReLU(x·W1 + b1)·W2 + b2. */
function feedForward(w: Weights, prefix: string, x: tf.Tensor3D): tf.Tensor3D {
  const hidden = tf.relu(tf.add<tf.Tensor3D>(project(x, weight(w, `${prefix}_W1`)), vector(w, `${prefix}_B1`)));
  return tf.add(project(hidden, weight(w, `${prefix}_W2`)), vector(w, `${prefix}_B2`));
}

/**
 * The layers of the list in turn, each a fold of its blocks over its
 * stream's residual x, Post-LN: attention and FFN compute a sublayer from x,
 * add & norm sets x = LN(x + sublayer). Each layer reads its stream's last
 * output; cross-attention reads the source stream's output once every
 * encoder layer has run (the list puts them first).
 */
function logitsOf(w: Weights, b: TfBatch, c: ModelConfig): tf.Tensor3D {
  const arch = architecture(c);
  const x: Partial<Record<StreamName, tf.Tensor3D>> = {};
  for (const name of arch.streams) x[name] = embed(w, b.streams[name]!.tokens, b.streams[name]!.pe);
  for (const layer of arch.layers) {
    const stream = b.streams[layer.stream]!;
    let residual = x[layer.stream]!;
    let sub: tf.Tensor3D | undefined;
    for (const block of layer.blocks) {
      switch (block.kind) {
        case "attention":
          if (block.role === "cross") sub = multiHeadAttention(w, block.name, residual, x.source!, b.crossMask!, c);
          else
            sub = multiHeadAttention(w, block.name, residual, residual, block.role === "masked" ? stream.causalMask : stream.selfMask, c);
          break;
        case "ffn":
          sub = feedForward(w, block.name, residual);
          break;
        case "norm":
          residual = layerNorm(w, block.name, tf.add(residual, sub!));
          break;
        default: {
          // A new kind of block must be written here too: the compiler says so.
          const unknown: never = block;
          throw new Error(`the tfjs model has no rule for ${JSON.stringify(unknown)}`);
        }
      }
    }
    x[layer.stream] = residual;
  }
  return tf.add(project(x[arch.top.stream]!, weight(w, "Out_W")), vector(w, "Out_B"));
}

/** Mean cross-entropy over the non-pad targets of the batch. */
function meanCrossEntropy(logits: tf.Tensor3D, b: TfBatch): tf.Scalar {
  const vocab = logits.shape[2];
  const logProbs = tf.logSoftmax(tf.reshape(logits, [-1, vocab]));
  const picked = tf.sum(tf.mul(logProbs, b.targetOneHot), 1);
  return tf.div(tf.neg(tf.sum(tf.mul(picked, b.counted))), b.tokens);
}

function accuracyOf(logits: tf.Tensor3D, b: TfBatch): number {
  return (
    tf.tidy(() => {
      const predicted = tf.argMax(tf.reshape(logits, [-1, logits.shape[2]]), 1);
      const right = tf.mul(tf.cast(tf.equal(predicted, b.targets), "float32"), b.counted);
      return tf.sum(right).arraySync() as number;
    }) / b.tokens
  );
}

function toTensors(params: Record<string, Rows>): Weights {
  return Object.fromEntries(Object.entries(params).map(([name, rows]) => [name, tf.tensor2d(rows)]));
}

/** Forward logits, one (positions × V) block per example. */
export function tfForwardLogits(params: Record<string, Rows>, c: ModelConfig, examples: readonly EncodedExample[]): number[][][] {
  const w = toTensors(params);
  const b = prepareBatch(c, examples);
  const out = tf.tidy(() => logitsOf(w, b, c).arraySync());
  tf.dispose(Object.values(w));
  disposeBatch(b);
  return out;
}

export interface TfLossAndGrads {
  loss: number;
  accuracy: number;
  /** (B·positions) × V, examples stacked as src/model stacks them. */
  logits: Rows;
  grads: Record<string, Rows>;
}

/** Loss, accuracy, logits and dLoss/dparam for every parameter, by tf.valueAndGrads. */
export function tfLossAndGrads(params: Record<string, Rows>, c: ModelConfig, examples: readonly EncodedExample[]): TfLossAndGrads {
  const names = Object.keys(params);
  const w = toTensors(params);
  const b = prepareBatch(c, examples);
  const tensors = names.map((n) => w[n]);
  const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => {
    const ws = Object.fromEntries(names.map((n, i) => [n, xs[i] as tf.Tensor2D]));
    return meanCrossEntropy(logitsOf(ws, b, c), b);
  })(tensors);
  const logits = tf.tidy(() => logitsOf(w, b, c));
  const result: TfLossAndGrads = {
    loss: value.arraySync() as number,
    accuracy: accuracyOf(logits, b),
    logits: tf.tidy(() => tf.reshape(logits, [-1, logits.shape[2]]).arraySync() as Rows),
    grads: Object.fromEntries(names.map((n, i) => [n, grads[i].arraySync() as Rows])),
  };
  tf.dispose([value, logits, ...grads, ...tensors]);
  disposeBatch(b);
  return result;
}

/** `grads` scaled so that their global L2 norm is at most `clipNorm` (tfjs ops; call inside tf.tidy). */
export function clipByGlobalNorm(grads: Record<string, tf.Tensor>, clipNorm: number | undefined): Record<string, tf.Tensor> {
  if (clipNorm === undefined) return grads;
  const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
  const factor = tf.minimum(1, tf.div(clipNorm, norm));
  return Object.fromEntries(Object.entries(grads).map(([n, g]) => [n, tf.mul(g, factor)]));
}

/**
 * Training with tfjs: the parameters live in tf.Variables, a step takes the
 * gradient by tf.variableGrads, scales it to a global L2 norm of at most
 * clipNorm (tfjs ops), and applies tf.train.adam, whose update is standard
 * Adam with bias correction (m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ), w −= lr·m̂/(√v̂ + ε)),
 * as in src/model/optim.ts. ε is passed explicitly: tfjs's default is 1e-7.
 */
export class TfTrainer {
  private readonly vars: Record<string, tf.Variable<tf.Rank.R2>>;
  private readonly batch: TfBatch;
  private readonly optimizer: tf.AdamOptimizer;

  constructor(
    params: Record<string, Rows>,
    private readonly config: ModelConfig,
    examples: readonly EncodedExample[],
    private readonly opt: OptimizerConfig,
  ) {
    if (opt.kind !== "adam") throw new Error(`TfTrainer implements Adam only, got "${opt.kind}"`);
    this.vars = Object.fromEntries(Object.entries(params).map(([n, rows]) => [n, tf.tidy(() => tf.variable(tf.tensor2d(rows)))]));
    this.batch = prepareBatch(config, examples);
    this.optimizer = tf.train.adam(opt.lr, opt.beta1 ?? 0.9, opt.beta2 ?? 0.999, opt.eps ?? 1e-8);
  }

  /** One full-batch training step; returns the loss before the update. */
  step(): number {
    const names = Object.keys(this.vars);
    const { value, grads } = tf.variableGrads(
      () => meanCrossEntropy(logitsOf(this.vars, this.batch, this.config), this.batch),
      names.map((n) => this.vars[n]),
    );
    const byParam = Object.fromEntries(names.map((n) => [n, grads[this.vars[n].name]]));
    this.apply(byParam);
    const loss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  }

  /** Clip by global norm, then one Adam update, from gradients given by parameter name. */
  applyGradients(grads: Record<string, Rows>): void {
    const tensors = Object.fromEntries(Object.entries(grads).map(([n, rows]) => [n, tf.tensor2d(rows)]));
    this.apply(tensors);
    tf.dispose(Object.values(tensors));
  }

  private apply(grads: Record<string, tf.Tensor>): void {
    tf.tidy(() => {
      const scaled = clipByGlobalNorm(grads, this.opt.clipNorm);
      this.optimizer.applyGradients(Object.entries(scaled).map(([n, g]) => ({ name: this.vars[n].name, tensor: g })));
    });
  }

  params(): Record<string, Rows> {
    return Object.fromEntries(Object.entries(this.vars).map(([n, v]) => [n, v.arraySync() as Rows]));
  }

  dispose(): void {
    tf.dispose(Object.values(this.vars));
    disposeBatch(this.batch);
    this.optimizer.dispose();
  }
}

export { tf };
