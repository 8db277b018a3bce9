/**
 * The position-wise pieces of a transformer layer: positional encoding,
 * LayerNorm and the feed-forward network, each forward beside its backward.
 */
import { Matrix, ShapeError, addRow, empty, floats, matmul, matmulTransA, matmulTransB, shapeOf, sumRows, zeros } from "./matrix";
import { ModelError } from "./messages";

/**
 * Sinusoidal positional encoding, positions from 0:
 * PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d)).
 * With `peDims` < `dModel` only the first `peDims` columns carry the encoding
 * (d = peDims in the formula) and the rest are 0, as in the original demo,
 * whose 2-dimensional encoding was added to a wider embedding.
 */
export function positionalEncoding(positions: number, dModel: number, peDims = dModel): Matrix {
  if (!Number.isInteger(positions) || positions < 0) throw new ModelError("positions", positions);
  if (!Number.isInteger(dModel) || dModel < 1) throw new ModelError("dims", dModel);
  if (!Number.isInteger(peDims) || peDims < 0 || peDims > dModel) {
    throw new ModelError("peWidth", dModel, peDims);
  }
  const pe = zeros(positions, dModel);
  for (let p = 0; p < positions; p++) {
    for (let j = 0; j < peDims; j++) {
      const i2 = j - (j % 2); // 2i
      const angle = p / Math.pow(10000, i2 / peDims);
      pe.data[p * dModel + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return pe;
}

export const LAYER_NORM_EPS = 1e-5;

export interface LayerNormCache {
  xhat: Matrix; // (n, d) normalised rows
  invStd: Float64Array; // (n) 1/√(var + ε) per row
  gamma: Matrix; // (1, d)
  out: Matrix; // (n, d)
}

/**
 * The power of two 2^k (k ≥ 0) that brings the row's largest |x| below 2, so
 * that its sum and squares cannot overflow: 1e154² alone is 1e308, and two of
 * them are Infinity. Scaling by a power of two is exact, so a row that needs
 * none (k = 0) or that did not overflow gets the same bits as without it.
 */
function rowScale(x: Float64Array, start: number, d: number): number {
  let max = 0;
  for (let j = 0; j < d; j++) max = Math.max(max, Math.abs(x[start + j]));
  if (!(max >= 2) || max === Infinity) return 1;
  return Math.pow(2, Math.floor(Math.log2(max)));
}

/**
 * LayerNorm over each row, population variance: (x − mean)/√(var + 1e-5)·γ + β.
 * With x = 2^k·u: (x − mean)/√(var + ε) = (u − mean_u)/√(var_u + ε/4^k).
 */
export function layerNorm(x: Matrix, gamma: Matrix, beta: Matrix, name = "LayerNorm"): LayerNormCache {
  const { rows: n, cols: d } = x;
  if (gamma.rows !== 1 || gamma.cols !== d) throw new ShapeError("normShape", name, "gamma", d, shapeOf(gamma));
  if (beta.rows !== 1 || beta.cols !== d) throw new ShapeError("normShape", name, "beta", d, shapeOf(beta));
  const xhat = empty(n, d);
  const out = empty(n, d);
  const invStd = floats(n);
  const X = x.data,
    H = xhat.data,
    O = out.data,
    G = gamma.data,
    B = beta.data;
  for (let i = 0; i < n; i++) {
    const r = i * d;
    const scale = rowScale(X, r, d);
    // u = x / scale, written into x̂ first (x / 1 is x, so a row that needs no scaling skips the division).
    if (scale === 1) for (let j = 0; j < d; j++) H[r + j] = X[r + j];
    else for (let j = 0; j < d; j++) H[r + j] = X[r + j] / scale;
    let mean = 0; // of u
    for (let j = 0; j < d; j++) mean += H[r + j];
    mean /= d;
    let v = 0;
    for (let j = 0; j < d; j++) {
      const t = H[r + j] - mean;
      v += t * t;
    }
    v /= d;
    const s = 1 / Math.sqrt(v + LAYER_NORM_EPS / (scale * scale)); // 1/σ of u
    invStd[i] = s / scale; // 1/σ of x, for the backward
    for (let j = 0; j < d; j++) {
      const h = (H[r + j] - mean) * s;
      H[r + j] = h;
      O[r + j] = h * G[j] + B[j];
    }
  }
  return { xhat, invStd, gamma, out };
}

export function layerNormBackward(c: LayerNormCache, dOut: Matrix): { dx: Matrix; dGamma: Matrix; dBeta: Matrix } {
  const { rows: n, cols: d } = dOut;
  const dx = empty(n, d);
  const dGamma = zeros(1, d);
  const dBeta = sumRows(dOut);
  const D = dOut.data,
    G = c.gamma.data,
    H = c.xhat.data,
    DX = dx.data,
    DG = dGamma.data,
    invStd = c.invStd;
  for (let i = 0; i < n; i++) {
    const r = i * d;
    // dx = (1/σ)(g − mean(g) − x̂·mean(g ⊙ x̂)), g = dOut ⊙ γ
    let meanG = 0;
    let meanGX = 0;
    for (let j = 0; j < d; j++) {
      const g = D[r + j] * G[j];
      DG[j] += D[r + j] * H[r + j];
      meanG += g;
      meanGX += g * H[r + j];
    }
    meanG /= d;
    meanGX /= d;
    const s = invStd[i];
    for (let j = 0; j < d; j++) DX[r + j] = s * (D[r + j] * G[j] - meanG - H[r + j] * meanGX);
  }
  return { dx, dGamma, dBeta };
}

export interface FeedForwardWeights {
  W1: Matrix; // (d_model, d_ff)
  b1: Matrix; // (1, d_ff)
  W2: Matrix; // (d_ff, d_model)
  b2: Matrix; // (1, d_model)
}

export interface FeedForwardCache {
  x: Matrix; // (n, d_model)
  pre: Matrix; // (n, d_ff) x·W1 + b1
  hidden: Matrix; // (n, d_ff) ReLU(pre)
  out: Matrix; // (n, d_model)
  weights: FeedForwardWeights;
}

/** Position-wise feed-forward network: ReLU(x·W1 + b1)·W2 + b2. */
export function feedForward(x: Matrix, w: FeedForwardWeights, name = "FFN"): FeedForwardCache {
  const pre = addRow(matmul(x, w.W1, "X", `${name} W1`), w.b1, `${name} b1`);
  const hidden = empty(pre.rows, pre.cols);
  const P = pre.data,
    H = hidden.data;
  for (let i = 0; i < P.length; i++) H[i] = P[i] > 0 ? P[i] : 0;
  const out = addRow(matmul(hidden, w.W2, `${name} hidden`, `${name} W2`), w.b2, `${name} b2`);
  return { x, pre, hidden, out, weights: w };
}

export function feedForwardBackward(c: FeedForwardCache, dOut: Matrix): { dx: Matrix; grads: FeedForwardWeights } {
  const dW2 = matmulTransA(c.hidden, dOut);
  const db2 = sumRows(dOut);
  const dHidden = matmulTransB(dOut, c.weights.W2);
  const dH = dHidden.data,
    pre = c.pre.data;
  for (let i = 0; i < dH.length; i++) if (pre[i] <= 0) dH[i] = 0;
  const dW1 = matmulTransA(c.x, dHidden);
  const db1 = sumRows(dHidden);
  return { dx: matmulTransB(dHidden, c.weights.W1), grads: { W1: dW1, b1: db1, W2: dW2, b2: db2 } };
}
