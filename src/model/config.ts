/**
 * The model's shape and switches, and the parameters it implies. Parameter
 * names are the workbook's named ranges (docs/architecture.md, "Named ranges"), so a
 * parameter store can read and write them by name.
 */
import { MAX_LAYERS, MODEL_KINDS, ModelKind, architecture } from "./architecture";
import type { Normalization } from "./attention";
import { blockDef } from "./blocks";
import { Matrix, firstNonFinite, zeros } from "./matrix";
import { Rng } from "./rng";
import { ModelError } from "./messages";

export interface ModelConfig {
  vocabSize: number;
  dModel: number;
  heads: number;
  /** Width of each head's Q, K and V. */
  dK: number;
  dFF: number;
  /** Positions of the Tokens row: the source sentence, or a decoder-only model's <s> and text, padded. */
  sourceLen: number;
  /** Encoder–decoder only: decoder positions (the target plus </s>, padded); 0 otherwise. */
  targetLen: number;
  kind: ModelKind;
  /** Layers in each stack, 1 to 6. */
  layers: number;
  normalization: Normalization;
  scaled: boolean;
  /** Columns of X that carry the positional encoding (the rest get none). */
  peDims: number;
}

/** Parameters by name, e.g. params["Enc_H1_Wq"]. */
export type Params = Record<string, Matrix>;

export type ParamKind = "embedding" | "weight" | "gain" | "bias";

export interface ParamSpec {
  name: string;
  rows: number;
  cols: number;
  kind: ParamKind;
}

export function validateConfig(c: ModelConfig): void {
  const whole = (key: keyof ModelConfig, min: number, max: number): void => {
    const v = c[key] as number;
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new ModelError("wholeFrom", key, min, max, v);
    }
  };
  whole("vocabSize", 4, 5000);
  whole("dModel", 1, 1024);
  whole("heads", 1, 64);
  whole("dK", 1, 1024);
  whole("dFF", 1, 4096);
  whole("sourceLen", 1, 512);
  whole("peDims", 0, c.dModel);
  if (!MODEL_KINDS.includes(c.kind)) throw new ModelError("kind", MODEL_KINDS.join(", "), String(c.kind));
  whole("layers", 1, MAX_LAYERS);
  if (c.kind === "encoder-decoder") whole("targetLen", 1, 512);
  if (c.normalization !== "softmax" && c.normalization !== "none") {
    throw new ModelError("normalization", String(c.normalization));
  }
}

/** Every parameter of the model, in a fixed order (the order of initialisation): the embedding, each block's, the output's. */
export function paramSpecs(c: ModelConfig): ParamSpec[] {
  const specs: ParamSpec[] = [{ name: "Embedding", rows: c.vocabSize, cols: c.dModel, kind: "embedding" }];
  for (const layer of architecture(c).layers) for (const b of layer.blocks) specs.push(...blockDef(b).params(b, c));
  specs.push({ name: "Out_W", rows: c.dModel, cols: c.vocabSize, kind: "weight" });
  specs.push({ name: "Out_B", rows: 1, cols: c.vocabSize, kind: "bias" });
  return specs;
}

/**
 * Glorot/Xavier uniform weights and embedding, LayerNorm gains 1, biases 0.
 * Uniform draws only (no logs or trigonometry), so a seed gives the same
 * weights on every machine.
 */
export function initParams(c: ModelConfig, seed: number): Params {
  validateConfig(c);
  const rng = new Rng(seed);
  const params: Params = {};
  for (const s of paramSpecs(c)) {
    const m = zeros(s.rows, s.cols);
    if (s.kind === "gain") m.data.fill(1);
    if (s.kind === "weight" || s.kind === "embedding") {
      const limit = Math.sqrt(6 / (s.rows + s.cols));
      for (let i = 0; i < m.data.length; i++) m.data[i] = rng.uniform(-limit, limit);
    }
    params[s.name] = m;
  }
  return params;
}

/** Zero matrices shaped like every parameter: the start of a gradient sum. */
export function zeroGrads(c: ModelConfig): Params {
  const grads: Params = {};
  for (const s of paramSpecs(c)) grads[s.name] = zeros(s.rows, s.cols);
  return grads;
}

/**
 * The largest |weight| the trainer reads from a workbook. Training from
 * Glorot weights (|w| < 2) stays orders of magnitude below it, and it keeps
 * the forward pass finite at every size validateConfig allows: with
 * d_model 1024, h·d_k 65 536 and d_FF 4096, projections stay below 1e16,
 * attention scores below 1e33 (1e51 unnormalised, 1e62 after Wo) and
 * LayerNorm's variance below 1e127, while float64 overflows at 1.8e308.
 * A value typed far beyond it (1e308) would otherwise surface steps later as
 * an infinite loss, blamed on the learning rate.
 */
export const WEIGHT_LIMIT = 1e6;

/**
 * Checks that `params` has every parameter of `c` with its shape and only
 * finite values; the message names the parameter, what was expected and what
 * came in.
 */
export function checkParams(params: Params, c: ModelConfig): void {
  for (const s of paramSpecs(c)) {
    const m = params[s.name];
    if (!m) throw new ModelError("paramMissing", s.name, s.rows, s.cols);
    if (m.rows !== s.rows || m.cols !== s.cols) {
      throw new ModelError("paramShape", s.name, s.rows, s.cols, m.rows, m.cols);
    }
    const bad = firstNonFinite(m);
    if (bad) throw new ModelError("paramNotFinite", s.name, bad.value, bad.row, bad.col);
  }
}

export function cloneParams(params: Params): Params {
  const out: Params = {};
  for (const [k, m] of Object.entries(params)) out[k] = { rows: m.rows, cols: m.cols, data: Float64Array.from(m.data) };
  return out;
}
