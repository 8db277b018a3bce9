/**
 * The position-wise pieces of a transformer layer: positional encoding,
 * LayerNorm and the feed-forward network, each forward beside its backward.
 */
import { layerNormBackRows, layerNormRows } from "./kernels/js";
import {
  Matrix,
  ShapeError,
  activeKernel,
  addRow,
  empty,
  floats,
  matmul,
  matmulTransA,
  matmulTransB,
  shapeOf,
  sumRows,
  zeros,
} from "./matrix";
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
 * LayerNorm over each row, population variance: (x − mean)/√(var + 1e-5)·γ + β,
 * on the kernel in use (kernel.ts's LayerNormRows: rows scaled by a power of
 * two against overflow, exactly).
 */
export function layerNorm(x: Matrix, gamma: Matrix, beta: Matrix, name = "LayerNorm"): LayerNormCache {
  return normRows(x, undefined, gamma, beta, name).cache;
}

/** Add & norm: LayerNorm(x + sub), with the residual sum x + sub as well, in one pass over the rows. */
export function addAndNorm(x: Matrix, sub: Matrix, gamma: Matrix, beta: Matrix, name = "LayerNorm"): LayerNormCache & { sum: Matrix } {
  if (sub.rows !== x.rows || sub.cols !== x.cols) {
    throw new Error(`${name}: the sublayer output is ${shapeOf(sub)} but the stream is ${shapeOf(x)}`);
  }
  const { cache, sum } = normRows(x, sub, gamma, beta, name);
  return { ...cache, sum: sum! };
}

function normRows(x: Matrix, sub: Matrix | undefined, gamma: Matrix, beta: Matrix, name: string): { cache: LayerNormCache; sum?: Matrix } {
  const { rows: n, cols: d } = x;
  if (gamma.rows !== 1 || gamma.cols !== d) throw new ShapeError("normShape", name, "gamma", d, shapeOf(gamma));
  if (beta.rows !== 1 || beta.cols !== d) throw new ShapeError("normShape", name, "beta", d, shapeOf(beta));
  const sum = sub ? empty(n, d) : undefined;
  const xhat = empty(n, d);
  const out = empty(n, d);
  const invStd = floats(n, false);
  const rows = activeKernel().layerNorm ?? layerNormRows;
  rows(x.data, sub?.data, sum?.data, gamma.data, beta.data, xhat.data, out.data, invStd, n, d, LAYER_NORM_EPS);
  return { cache: { xhat, invStd, gamma, out }, sum };
}

export function layerNormBackward(c: LayerNormCache, dOut: Matrix): { dx: Matrix; dGamma: Matrix; dBeta: Matrix } {
  const { rows: n, cols: d } = dOut;
  const dx = empty(n, d);
  const dGamma = zeros(1, d);
  const dBeta = zeros(1, d);
  const rows = activeKernel().layerNormBackward ?? layerNormBackRows;
  rows(dOut.data, c.gamma.data, c.xhat.data, c.invStd, dx.data, dGamma.data, dBeta.data, n, d);
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
  if (!activeKernel().passes?.relu(P, H, P.length)) for (let i = 0; i < P.length; i++) H[i] = P[i] > 0 ? P[i] : 0;
  const out = addRow(matmul(hidden, w.W2, `${name} hidden`, `${name} W2`), w.b2, `${name} b2`);
  return { x, pre, hidden, out, weights: w };
}

export function feedForwardBackward(c: FeedForwardCache, dOut: Matrix): { dx: Matrix; grads: FeedForwardWeights } {
  const dW2 = matmulTransA(c.hidden, dOut);
  const db2 = sumRows(dOut);
  const dHidden = matmulTransB(dOut, c.weights.W2);
  const dH = dHidden.data,
    pre = c.pre.data;
  if (!activeKernel().passes?.reluBackward(pre, dH, dH.length)) for (let i = 0; i < dH.length; i++) if (pre[i] <= 0) dH[i] = 0;
  const dW1 = matmulTransA(c.x, dHidden);
  const db1 = sumRows(dHidden);
  return { dx: matmulTransB(dHidden, c.weights.W1), grads: { W1: dW1, b1: db1, W2: dW2, b2: db2 } };
}
