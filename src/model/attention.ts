/**
 * Scaled dot-product attention and multi-head attention ("Attention Is All
 * You Need", section 3.2), each with its backward rule beside it.
 */
import {
  Matrix,
  ShapeError,
  addInto,
  concatCols,
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
    throw new ShapeError(`the padding flags cover ${keyIsPad.length} keys but there are ${batch * nk}`);
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
  if (mask && (mask.rows !== scores.rows || mask.cols !== scores.cols)) {
    throw new ShapeError(`the mask is ${mask.rows} × ${mask.cols} but the scores are ${shapeOf(scores)}`);
  }
  const { rows, cols } = scores;
  const out = zeros(rows, cols);
  for (let i = 0; i < rows; i++) {
    let max = -Infinity;
    for (let j = 0; j < cols; j++) if (!mask || mask.allowed[i * cols + j]) max = Math.max(max, scores.data[i * cols + j]);
    if (max === -Infinity) continue;
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      if (mask && !mask.allowed[i * cols + j]) continue;
      const e = Math.exp(scores.data[i * cols + j] - max);
      out.data[i * cols + j] = e;
      sum += e;
    }
    for (let j = 0; j < cols; j++) out.data[i * cols + j] /= sum;
  }
  return out;
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
  if (K.rows !== V.rows) throw new ShapeError(`K has ${K.rows} rows but V has ${V.rows}; both need one row per key`);
  if (Q.cols !== K.cols) throw new ShapeError(`Q has ${Q.cols} columns but K has ${K.cols}; a score is a dot product of the two`);
  const nk = mask ? mask.cols : K.rows;
  const batch = nk === 0 ? 1 : K.rows / nk;
  if (!Number.isInteger(batch) || Q.rows % batch !== 0 || (mask && mask.rows !== Q.rows)) {
    throw new ShapeError(`the mask is ${mask?.rows} × ${nk} but Q has ${Q.rows} rows and K has ${K.rows}`);
  }
  return batch;
}

export function scaledDotProduct(Q: Matrix, K: Matrix, V: Matrix, options: AttentionOptions, mask?: Mask): AttentionCache {
  const batch = batchSize(Q, K, V, mask);
  const nk = K.rows / batch, nq = Q.rows / batch, dk = Q.cols, dv = V.cols;
  const scale = options.scaled ? 1 / Math.sqrt(dk) : 1;
  const S = zeros(Q.rows, nk);
  for (let r = 0; r < Q.rows; r++) {
    const k0 = Math.floor(r / nq) * nk;
    for (let j = 0; j < nk; j++) {
      if (mask && !mask.allowed[r * nk + j]) continue;
      let s = 0;
      for (let p = 0; p < dk; p++) s += Q.data[r * dk + p] * K.data[(k0 + j) * dk + p];
      S.data[r * nk + j] = s * scale;
    }
  }
  let A = S;
  if (options.normalization === "softmax") A = softmaxRows(S, mask);
  const O = zeros(Q.rows, dv);
  for (let r = 0; r < Q.rows; r++) {
    const k0 = Math.floor(r / nq) * nk;
    for (let j = 0; j < nk; j++) {
      const a = A.data[r * nk + j];
      if (a === 0) continue;
      for (let p = 0; p < dv; p++) O.data[r * dv + p] += a * V.data[(k0 + j) * dv + p];
    }
  }
  return { Q, K, V, S, A, O, mask, options, batch };
}

export function scaledDotProductBackward(c: AttentionCache, dO: Matrix): { dQ: Matrix; dK: Matrix; dV: Matrix } {
  const { Q, K, V, A, mask, batch } = c;
  const nk = K.rows / batch, nq = Q.rows / batch, dk = Q.cols, dv = V.cols;
  const scale = c.options.scaled ? 1 / Math.sqrt(dk) : 1;
  const softmax = c.options.normalization === "softmax";
  const dQ = zeros(Q.rows, dk);
  const dK = zeros(K.rows, dk);
  const dV = zeros(V.rows, dv);
  const dA = new Float64Array(nk);
  for (let r = 0; r < Q.rows; r++) {
    const k0 = Math.floor(r / nq) * nk;
    // dA = dO·Vᵀ, dV += Aᵀ·dO
    for (let j = 0; j < nk; j++) {
      let s = 0;
      const a = A.data[r * nk + j];
      for (let p = 0; p < dv; p++) {
        s += dO.data[r * dv + p] * V.data[(k0 + j) * dv + p];
        dV.data[(k0 + j) * dv + p] += a * dO.data[r * dv + p];
      }
      dA[j] = s;
    }
    // softmax: dS_j = A_j (dA_j − Σ_k A_k dA_k); none: dS = dA on visible keys
    let dot = 0;
    if (softmax) for (let j = 0; j < nk; j++) dot += A.data[r * nk + j] * dA[j];
    for (let j = 0; j < nk; j++) {
      if (mask && !mask.allowed[r * nk + j]) continue;
      const dS = (softmax ? A.data[r * nk + j] * (dA[j] - dot) : dA[j]) * scale;
      if (dS === 0) continue;
      // S = Q·Kᵀ: dQ += dS·K, dK += dSᵀ·Q
      for (let p = 0; p < dk; p++) {
        dQ.data[r * dk + p] += dS * K.data[(k0 + j) * dk + p];
        dK.data[(k0 + j) * dk + p] += dS * Q.data[r * dk + p];
      }
    }
  }
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
export function multiHead(Xq: Matrix, Xkv: Matrix, weights: MultiHeadWeights, options: AttentionOptions, mask?: Mask, name = "attention"): MultiHeadCache {
  const heads = weights.heads.map((w, h) => {
    const head = `${name} head ${h + 1}`;
    const Q = matmul(Xq, w.Wq, "X", `${head} Wq`);
    const K = matmul(Xkv, w.Wk, "X", `${head} Wk`);
    const V = matmul(Xkv, w.Wv, "X", `${head} Wv`);
    return scaledDotProduct(Q, K, V, options, mask);
  });
  const concat = concatCols(heads.map((c) => c.O));
  const out = matmul(concat, weights.Wo, `${name} heads side by side`, `${name} Wo`);
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
  const dXq = zeros(c.Xq.rows, c.Xq.cols);
  const dXkv = zeros(c.Xkv.rows, c.Xkv.cols);
  let offset = 0;
  const heads = c.heads.map((head, h) => {
    const w = c.weights.heads[h];
    const dO = sliceCols(dConcat, offset, head.O.cols);
    offset += head.O.cols;
    const { dQ, dK, dV } = scaledDotProductBackward(head, dO);
    addInto(dXq, matmulTransB(dQ, w.Wq));
    addInto(dXkv, matmulTransB(dK, w.Wk));
    addInto(dXkv, matmulTransB(dV, w.Wv));
    return { Wq: matmulTransA(c.Xq, dQ), Wk: matmulTransA(c.Xkv, dK), Wv: matmulTransA(c.Xkv, dV) };
  });
  return { dXq, dXkv, heads, dWo };
}
