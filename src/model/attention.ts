/**
 * Scaled dot-product attention and multi-head attention ("Attention Is All
 * You Need", section 3.2), each with its backward rule beside it.
 */
import { exp } from "./kernels/exp";
import {
  Matrix,
  ShapeError,
  activeKernel,
  addMatmulTransB,
  empty,
  concatCols,
  floats,
  gemmBatch,
  matmul,
  matmulTransA,
  matmulTransB,
  shapeOf,
  sliceCols,
  zeros,
} from "./matrix";

/** How scores become weights: a row softmax, or the raw scores (the original demo). */
export type Normalization = "softmax" | "none";

export interface AttentionOptions {
  normalization: Normalization;
  /** Divide scores by √d_k. */
  scaled: boolean;
}

/**
 * Which keys each query may see, for a batch of B sequences stacked row-wise:
 * rows = B·nq, cols = nk, and allowed[r * nk + j] is 1 when query row r may
 * see key j of its own sequence.
 */
export interface Mask {
  readonly rows: number;
  readonly cols: number;
  readonly allowed: Uint8Array;
}

/**
 * The mask for `nq` queries over `nk` keys in each of `batch` sequences: keys
 * flagged in `keyIsPad` (B·nk flags) are hidden from every query of their
 * sequence, and with `causal` query i sees keys 0..i only.
 */
export function attentionMask(
  nq: number,
  nk: number,
  options: { causal?: boolean; keyIsPad?: readonly boolean[]; batch?: number } = {},
): Mask {
  const { causal = false, keyIsPad, batch = 1 } = options;
  if (keyIsPad && keyIsPad.length !== batch * nk) {
    throw new ShapeError("padFlags", keyIsPad.length, batch * nk);
  }
  const allowed = new Uint8Array(batch * nq * nk);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < nq; i++) {
      const row = (b * nq + i) * nk;
      for (let j = 0; j < nk; j++) allowed[row + j] = (causal && j > i) || (keyIsPad?.[b * nk + j] ?? false) ? 0 : 1;
    }
  }
  return { rows: batch * nq, cols: nk, allowed };
}

/**
 * Row softmax; masked entries get weight exactly 0. A row whose keys are all
 * masked is all zeros.
 */
export function softmaxRows(scores: Matrix, mask?: Mask): Matrix {
  return softmaxWithSums(scores, mask).probs;
}

/**
 * softmaxRows, with each row's largest visible score and the sum of its
 * exp(s − max) (what the log-sum-exp of the loss needs: the same numbers, not
 * computed twice). A row with no visible key has max −Infinity and sum 0.
 */
export function softmaxWithSums(scores: Matrix, mask?: Mask): { probs: Matrix; max: Float64Array; sum: Float64Array } {
  return scaledSoftmax(scores, mask);
}

/**
 * softmaxWithSums; with `scale`, the scores are first scaled in place where
 * visible and set to 0 where masked (scaledDotProduct's S), in the same call
 * on a kernel that has the pass. exp is exp.ts's, on both kernels.
 */
function scaledSoftmax(scores: Matrix, mask?: Mask, scale?: number): { probs: Matrix; max: Float64Array; sum: Float64Array } {
  if (mask && (mask.rows !== scores.rows || mask.cols !== scores.cols)) {
    throw new ShapeError("maskShape", mask.rows, mask.cols, shapeOf(scores));
  }
  const { rows, cols } = scores;
  const out = zeros(rows, cols);
  const maxes = floats(rows),
    sums = floats(rows);
  const S = scores.data,
    P = out.data,
    allowed = mask?.allowed;
  if (activeKernel().passes?.softmax(S, allowed, scale, P, maxes, sums, rows, cols)) return { probs: out, max: maxes, sum: sums };
  if (scale !== undefined) scaleScores(S, allowed, scale);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    let max = -Infinity;
    if (allowed) {
      for (let j = 0; j < cols; j++) if (allowed[r + j]) max = Math.max(max, S[r + j]);
    } else {
      for (let j = 0; j < cols; j++) max = Math.max(max, S[r + j]);
    }
    maxes[i] = max;
    if (max === -Infinity) continue;
    let sum = 0;
    if (allowed) {
      for (let j = 0; j < cols; j++) {
        if (!allowed[r + j]) continue;
        const e = exp(S[r + j] - max);
        P[r + j] = e;
        sum += e;
      }
    } else {
      for (let j = 0; j < cols; j++) {
        const e = exp(S[r + j] - max);
        P[r + j] = e;
        sum += e;
      }
    }
    sums[i] = sum;
    for (let j = 0; j < cols; j++) P[r + j] /= sum;
  }
  return { probs: out, max: maxes, sum: sums };
}

/** Scores scaled in place where visible, and 0 where masked. */
function scaleScores(s: Float64Array, allowed: Uint8Array | undefined, scale: number): void {
  if (allowed) for (let i = 0; i < s.length; i++) s[i] = allowed[i] ? s[i] * scale : 0;
  else if (scale !== 1) for (let i = 0; i < s.length; i++) s[i] *= scale;
}

export interface AttentionCache {
  Q: Matrix; // (B·nq, d_k)
  K: Matrix; // (B·nk, d_k)
  V: Matrix; // (B·nk, d_v)
  /** Scores Q·Kᵀ (/√d_k when scaled), each sequence's queries against its own keys; masked entries hold 0. */
  S: Matrix; // (B·nq, nk)
  /** Attention weights. */
  A: Matrix; // (B·nq, nk)
  /** The weighted sum A·V. */
  O: Matrix; // (B·nq, d_v)
  mask?: Mask;
  options: AttentionOptions;
  batch: number;
}

/** Sequences in the batch, from the key count per sequence (the mask's width). */
function batchSize(Q: Matrix, K: Matrix, V: Matrix, mask?: Mask): number {
  if (K.rows !== V.rows) throw new ShapeError("keyValueRows", K.rows, V.rows);
  if (Q.cols !== K.cols) throw new ShapeError("queryKeyCols", Q.cols, K.cols);
  const nk = mask ? mask.cols : K.rows;
  const batch = nk === 0 ? 1 : K.rows / nk;
  if (!Number.isInteger(batch) || Q.rows % batch !== 0 || (mask && mask.rows !== Q.rows)) {
    throw new ShapeError("maskQueries", String(mask?.rows), nk, Q.rows, K.rows);
  }
  return batch;
}

export function scaledDotProduct(Q: Matrix, K: Matrix, V: Matrix, options: AttentionOptions, mask?: Mask): AttentionCache {
  const batch = batchSize(Q, K, V, mask);
  const nk = K.rows / batch,
    nq = Q.rows / batch,
    dk = Q.cols,
    dv = V.cols;
  const scale = options.scaled ? 1 / Math.sqrt(dk) : 1;
  const S = empty(Q.rows, nk);
  const s = S.data,
    allowed = mask?.allowed;
  // Each sequence's queries against its own keys: S_b = Q_b·K_bᵀ, then scaled, masked keys at 0.
  gemmBatch(batch, nq * dk, nk * dk, nq * nk, Q.data, 0, dk, 1, K.data, 0, 1, dk, s, 0, nq, dk, nk, true);
  let A = S;
  if (options.normalization === "softmax") A = scaledSoftmax(S, mask, scale).probs;
  else scaleScores(s, allowed, scale);
  // O_b = A_b·V_b
  const O = empty(Q.rows, dv);
  gemmBatch(batch, nq * nk, nk * dv, nq * dv, A.data, 0, nk, 1, V.data, 0, dv, 1, O.data, 0, nq, nk, dv, true);
  return { Q, K, V, S, A, O, mask, options, batch };
}

export function scaledDotProductBackward(c: AttentionCache, dO: Matrix): { dQ: Matrix; dK: Matrix; dV: Matrix } {
  const { Q, K, V, A, mask, batch } = c;
  const nk = K.rows / batch,
    nq = Q.rows / batch,
    dk = Q.cols,
    dv = V.cols;
  const scale = c.options.scaled ? 1 / Math.sqrt(dk) : 1;
  const softmax = c.options.normalization === "softmax";
  const a = A.data,
    allowed = mask?.allowed;
  const dA = empty(Q.rows, nk);
  const dS = dA.data;
  const dQ = empty(Q.rows, dk);
  const dK = empty(K.rows, dk);
  const dV = empty(V.rows, dv);
  // dA_b = dO_b·V_bᵀ;  dV_b = A_bᵀ·dO_b (each product writes its own block of a fresh matrix)
  gemmBatch(batch, nq * dv, nk * dv, nq * nk, dO.data, 0, dv, 1, V.data, 0, 1, dv, dS, 0, nq, dv, nk, true);
  gemmBatch(batch, nq * nk, nq * dv, nk * dv, a, 0, 1, nk, dO.data, 0, dv, 1, dV.data, 0, nk, nq, dv, true);
  // softmax: dS_j = A_j (dA_j − Σ_k A_k dA_k); none: dS = dA on visible keys. Then the scale. (In place: dA becomes dS.)
  const done = softmax && activeKernel().passes?.softmaxBackward(a, dS, allowed, scale, Q.rows, nk);
  for (let r = 0; r < Q.rows && !done; r++) {
    const row = r * nk;
    let dot = 0;
    if (softmax) for (let j = 0; j < nk; j++) dot += a[row + j] * dS[row + j];
    for (let j = 0; j < nk; j++) {
      const i = row + j;
      dS[i] = allowed && !allowed[i] ? 0 : (softmax ? a[i] * (dS[i] - dot) : dS[i]) * scale;
    }
  }
  // S = Q·Kᵀ: dQ_b = dS_b·K_b;  dK_b = dS_bᵀ·Q_b
  gemmBatch(batch, nq * nk, nk * dk, nq * dk, dS, 0, nk, 1, K.data, 0, dk, 1, dQ.data, 0, nq, nk, dk, true);
  gemmBatch(batch, nq * nk, nq * dk, nk * dk, dS, 0, 1, nk, Q.data, 0, dk, 1, dK.data, 0, nk, nq, dk, true);
  return { dQ, dK, dV };
}

/** One head's projections: each d_model × d_k. */
export interface HeadWeights {
  Wq: Matrix;
  Wk: Matrix;
  Wv: Matrix;
}

export interface MultiHeadWeights {
  heads: HeadWeights[];
  /** (h·d_k, d_model) */
  Wo: Matrix;
}

export interface MultiHeadCache {
  Xq: Matrix; // (nq, d_model)
  Xkv: Matrix; // (nk, d_model)
  heads: AttentionCache[];
  /** [H_1 … H_h] */
  concat: Matrix; // (nq, h·d_k)
  out: Matrix; // (nq, d_model)
  weights: MultiHeadWeights;
}

/**
 * Multi-head attention: queries from `Xq`, keys and values from `Xkv` (the
 * same matrix for self-attention, the encoder output for cross-attention).
 */
export function multiHead(
  Xq: Matrix,
  Xkv: Matrix,
  weights: MultiHeadWeights,
  options: AttentionOptions,
  mask?: Mask,
  name = "attention",
): MultiHeadCache {
  const heads = weights.heads.map((w, h) => {
    const head = `${name} head ${h + 1}`;
    const Q = matmul(Xq, w.Wq, "X", `${head} Wq`);
    const K = matmul(Xkv, w.Wk, "X", `${head} Wk`);
    const V = matmul(Xkv, w.Wv, "X", `${head} Wv`);
    return scaledDotProduct(Q, K, V, options, mask);
  });
  const concat = concatCols(heads.map((c) => c.O));
  const out = matmul(concat, weights.Wo, `${name}_Concat`, `${name} Wo`);
  return { Xq, Xkv, heads, concat, out, weights };
}

export interface MultiHeadGradients {
  dXq: Matrix;
  dXkv: Matrix;
  heads: HeadWeights[];
  dWo: Matrix;
}

export function multiHeadBackward(c: MultiHeadCache, dOut: Matrix): MultiHeadGradients {
  const dWo = matmulTransA(c.concat, dOut);
  const dConcat = matmulTransB(dOut, c.weights.Wo); // (nq, h·d_k)
  // The first head's products start the sums (fresh), so the buffers need no zeroing when there is a head.
  const start = c.heads.length > 0 ? empty : zeros;
  const dXq = start(c.Xq.rows, c.Xq.cols);
  const dXkv = start(c.Xkv.rows, c.Xkv.cols);
  let offset = 0;
  const heads = c.heads.map((head, h) => {
    const w = c.weights.heads[h];
    const dO = sliceCols(dConcat, offset, head.O.cols);
    offset += head.O.cols;
    const { dQ, dK, dV } = scaledDotProductBackward(head, dO);
    addMatmulTransB(dXq, dQ, w.Wq, h === 0);
    addMatmulTransB(dXkv, dK, w.Wk, h === 0);
    addMatmulTransB(dXkv, dV, w.Wv);
    return { Wq: matmulTransA(c.Xq, dQ), Wk: matmulTransA(c.Xkv, dK), Wv: matmulTransA(c.Xkv, dV) };
  });
  return { dXq, dXkv, heads, dWo };
}
