/**
 * Output probabilities and the cross-entropy loss, with its gradient.
 */
import { Matrix, ShapeError, zeros } from "./matrix";
import { softmaxWithSums } from "./attention";

export interface CrossEntropy {
  /** Sum over the counted rows of −log p(target). */
  sum: number;
  /** Rows that count: those whose target is not `ignoreId`. */
  count: number;
  /** Counted rows whose most probable token is the target. */
  correct: number;
  probs: Matrix;
}

/**
 * Cross-entropy of row-wise softmax(logits) against `targets`; rows whose
 * target is `ignoreId` (the padding token) are left out.
 */
export function crossEntropy(logits: Matrix, targets: readonly number[], ignoreId: number): CrossEntropy {
  if (targets.length !== logits.rows) {
    throw new ShapeError("targetCount", targets.length, logits.rows);
  }
  const { probs, max, sum: z } = softmaxWithSums(logits);
  const V = logits.cols;
  let sum = 0;
  let count = 0;
  let correct = 0;
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i];
    if (t === ignoreId) continue;
    if (!Number.isInteger(t) || t < 0 || t >= V) throw new ShapeError("targetId", t, i + 1, V);
    // log-sum-exp form keeps the loss finite when p underflows to 0: log Σ exp(l − max) + max − l_t,
    // with the softmax's own max and sum
    sum += Math.log(z[i]) + max[i] - logits.data[i * V + t];
    count++;
    if (argmaxRow(probs, i) === t) correct++;
  }
  return { sum, count, correct, probs };
}

/** d(sum · weight)/d logits = (P − onehot(target))·weight on counted rows. */
export function crossEntropyBackward(ce: CrossEntropy, targets: readonly number[], ignoreId: number, weight: number): Matrix {
  const { rows, cols } = ce.probs;
  const d = zeros(rows, cols);
  const D = d.data,
    P = ce.probs.data;
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i];
    if (t === ignoreId) continue;
    for (let j = 0; j < cols; j++) D[i * cols + j] = P[i * cols + j] * weight;
    D[i * cols + t] -= weight;
  }
  return d;
}

/** Index of the largest value of row i; the first one on a tie. */
export function argmaxRow(m: Matrix, i: number): number {
  let best = 0;
  for (let j = 1; j < m.cols; j++) if (m.data[i * m.cols + j] > m.data[i * m.cols + best]) best = j;
  return best;
}
