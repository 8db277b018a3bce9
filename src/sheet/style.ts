/**
 * The two formula styles, one interface (docs/architecture.md): `cells`
 * writes a formula in every cell (portable: Excel, LibreOffice, Google
 * Sheets), `functions` one spilling ATTN.* formula per block (needs the
 * add-in). Block builders ask the style for a block's cells and never
 * branch on it.
 */
import type { ModelConfig } from "../model/config";
import type { Refs } from "./layout";
import type { PlanBlock, PlanCell } from "./plan";
import { cellsStyle } from "./style-cells";
import { functionsStyle } from "./style-functions";

export type FormulaStyleName = "cells" | "functions";

/** Which keys a query may see: the stream's visible row, and for masked attention only up to the query. */
export interface KeyMaskRef {
  visible: PlanBlock;
  causal: boolean;
}

/** The live switch cells' "Reads as" cells (the seed preset), which the attention formulas read. */
export interface SwitchReads {
  softmax: PlanBlock;
  scaling: PlanBlock;
}

export interface FormulaStyle {
  readonly name: FormulaStyleName;
  /**
   * True when a whole-block formula cannot feed each chosen token to the
   * next position (that would be a circular reference), so generated tokens
   * are written as values at build time.
   */
  readonly fixedFeedback: boolean;
  /**
   * True when running sums are built cell by cell: each Cumulative entry is the one before it plus one probability, and
   * sampling reads Cumulative. False when each formula sums Probs itself (Cumulative's and the sampled word's).
   */
  readonly runningSums: boolean;
  /** x·W (+ b): the projections, Wo, the FFN's second half, the logits. */
  linear(R: Refs, x: PlanBlock, W: PlanBlock, b?: PlanBlock): PlanCell[][];
  /** Q·Kᵀ (/√d_k), 0 for hidden keys. */
  scores(R: Refs, Q: PlanBlock, K: PlanBlock, mask: KeyMaskRef): PlanCell[][];
  /** Row softmax over the visible keys (or the raw scores with softmax off). */
  weights(R: Refs, scores: PlanBlock, mask: KeyMaskRef): PlanCell[][];
  /** weights·V. */
  weightedSum(R: Refs, attn: PlanBlock, V: PlanBlock, mask: KeyMaskRef): PlanCell[][];
  /** a + b. */
  residual(R: Refs, a: PlanBlock, b: PlanBlock): PlanCell[][];
  layerNorm(R: Refs, sum: PlanBlock, gamma: PlanBlock, beta: PlanBlock): PlanCell[][];
  /** ReLU(x·W1 + b1). */
  hidden(R: Refs, x: PlanBlock, W1: PlanBlock, b1: PlanBlock): PlanCell[][];
  /** Row softmax of the logits, each divided by the temperature cell when there is one. */
  probs(R: Refs, logits: PlanBlock, temperature?: string): PlanCell[][];
  /** Running sums along each row of `probs`, into the block `self`. */
  cumulative(R: Refs, probs: PlanBlock, self: PlanBlock): PlanCell[][];
  /** The word of each row's largest value, as one row (the first of equal values). */
  argmaxWords(R: Refs, scores: PlanBlock, vocab: PlanBlock): PlanCell[][];
  /**
   * The word each row's dice value draws, as one row: the first vocabulary
   * row whose cumulative probability reaches dice × the row's total,
   * skipping words of probability 0 (src/model/sampling.ts, ATTN.SAMPLE).
   */
  sampledWords(R: Refs, probs: PlanBlock, cumulative: PlanBlock, dice: PlanBlock, vocab: PlanBlock): PlanCell[][];
  /** `sampled` where the switch's check cell reads "on", `greedy` where "off", #N/A otherwise. */
  choose(check: string, greedy: PlanCell[][], sampled: PlanCell[][]): PlanCell[][];
}

export function formulaStyle(name: FormulaStyleName | undefined, c: ModelConfig, switches?: SwitchReads): FormulaStyle {
  return name === "functions" ? functionsStyle(c, switches) : cellsStyle(c, switches);
}
