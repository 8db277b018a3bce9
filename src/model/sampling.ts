/**
 * Choosing the next token from one row of probabilities, as a decoder-only
 * workbook does when `Sampling_On` is TRUE (docs/architecture.md, "Temperature and
 * sampling"): keep the K most probable words, apply the
 * temperature, then take the first vocabulary row whose cumulative
 * probability reaches the dice value.
 */

import { ModelError } from "./messages";

export interface SamplingOptions {
  /** Greater than 0; 1 leaves the probabilities as they are. */
  temperature?: number;
  /** Keep the K most probable words; 0, or K ≥ the row's length, keeps all. */
  topK?: number;
}

/**
 * The K most probable entries of `p` kept, the rest set to 0. On a tie the
 * lower index goes first, so the choice never depends on the sort's order.
 */
export function keepTopK(p: readonly number[], k: number): number[] {
  if (k <= 0 || k >= p.length) return [...p];
  const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
  const out = p.map(() => 0);
  for (const i of order.slice(0, k)) out[i] = p[i];
  return out;
}

/**
 * p^(1/T), renormalised: softmax(logits / T) when p = softmax(logits), since
 * p_i^(1/T) ∝ exp(logit_i / T). Computed as exp((ln p_i − ln p_max) / T),
 * so that a small T cannot underflow every entry to 0: the largest stays 1.
 * A zero stays zero (its logit is −∞).
 */
export function withTemperature(p: readonly number[], temperature: number): number[] {
  const top = p.reduce((m, x) => Math.max(m, x), 0);
  if (!(top > 0)) throw new ModelError("noProbability");
  const w = p.map((x) => (x > 0 ? Math.exp((Math.log(x) - Math.log(top)) / temperature) : 0));
  const total = w.reduce((s, x) => s + x, 0);
  return w.map((x) => x / total);
}

/**
 * The first index whose cumulative weight reaches `dice` ∈ [0, 1) of the
 * total (cumulative ≥ dice · total), skipping zero weights, so that dice 0
 * never picks a word of probability 0. Comparing against dice · total, with
 * total the last cumulative sum itself, means rounding cannot leave the
 * dice beyond the end; should it still, the last word of non-zero weight
 * is the answer.
 */
export function pickByDice(weights: readonly number[], dice: number): number {
  let cumulative = 0,
    last = -1;
  const cumulatives = weights.map((w) => (cumulative += w));
  const threshold = dice * cumulative;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] <= 0) continue;
    if (cumulatives[i] >= threshold) return i;
    last = i;
  }
  if (last < 0) throw new ModelError("noWeight");
  return last;
}

/** The index of the token chosen from probabilities `p` by `dice`, after top-K and temperature. */
export function sampleToken(p: readonly number[], dice: number, options: SamplingOptions = {}): number {
  const kept = keepTopK(p, options.topK ?? 0);
  const temperature = options.temperature ?? 1;
  return pickByDice(temperature === 1 ? kept : withTemperature(kept, temperature), dice);
}
