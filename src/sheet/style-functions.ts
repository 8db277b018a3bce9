/**
 * The `functions` formula style: each block is one spilling ATTN.* formula
 * over the A1 ranges of the blocks it reads (never their names, which a
 * later build re-points). It needs the add-in and Excel with dynamic
 * arrays.
 */
import type { ModelConfig } from "../model/config";
import { f, naUnlessRead } from "./formula-text";
import { grid, type Refs } from "./layout";
import { isFormula, type PlanBlock, type PlanCell } from "./plan";
import type { FormulaStyle, KeyMaskRef, SwitchReads } from "./style";

/** One formula in the top-left cell whose array result spills over the block. */
const spill = (formula: string, rows: number, cols: number): PlanCell[][] =>
  grid(rows, cols, (i, j) => (i === 0 && j === 0 ? f(formula) : null));

export function functionsStyle(c: ModelConfig, switches?: SwitchReads): FormulaStyle {
  // Whole blocks are masked at once: the visible row broadcast over the queries, or a causal 0/1 grid.
  const keyMask = (R: Refs, mask: KeyMaskRef, keys: number): string =>
    mask.causal ? `ATTN.MASK(${keys},"causal",${R.all(mask.visible)})` : R.all(mask.visible);
  const linear = (R: Refs, x: PlanBlock, W: PlanBlock, b?: PlanBlock): PlanCell[][] =>
    spill(`ATTN.LINEAR(${R.all(x)},${R.all(W)}${b ? `,${R.all(b)}` : ""})`, x.rows, W.cols);
  return {
    name: "functions",
    fixedFeedback: true,
    runningSums: false,
    linear,
    scores(R, Q, K, mask) {
      const scaled = switches ? `${R.cell(switches.scaling, 0, 0)}="on"` : c.scaled ? "TRUE()" : "FALSE()";
      const unread = switches ? naUnlessRead(R.cell(switches.scaling, 0, 0)) : "";
      return spill(`ATTN.SCORE(${R.all(Q)},${R.all(K)},${scaled})*${keyMask(R, mask, K.rows)}${unread}`, Q.rows, K.rows);
    },
    weights(R, scores, mask) {
      const softmax = `ATTN.SOFTMAX(${R.all(scores)},${keyMask(R, mask, scores.cols)})`;
      const formula = switches
        ? `IF(${R.cell(switches.softmax, 0, 0)}="on",${softmax},${R.all(scores)})${naUnlessRead(R.cell(switches.softmax, 0, 0))}`
        : c.normalization === "softmax"
          ? softmax
          : `${R.all(scores)}*1`;
      return spill(formula, scores.rows, scores.cols);
    },
    weightedSum(R, attn, V) {
      return spill(`MMULT(${R.all(attn)},${R.all(V)})`, attn.rows, V.cols);
    },
    residual(R, a, b) {
      return spill(`${R.all(a)}+${R.all(b)}`, a.rows, a.cols);
    },
    layerNorm(R, sum, gamma, beta) {
      return spill(`ATTN.LAYERNORM(${R.all(sum)},${R.all(gamma)},${R.all(beta)})`, sum.rows, sum.cols);
    },
    hidden(R, x, W1, b1) {
      const pre = `ATTN.LINEAR(${R.all(x)},${R.all(W1)},${R.all(b1)})`;
      return spill(`(${pre}>0)*${pre}`, x.rows, W1.cols);
    },
    probs(R, logits, temperature) {
      return spill(`ATTN.PROBS(${R.all(logits)}${temperature ? `/${temperature}` : ""})`, logits.rows, logits.cols);
    },
    cumulative(R, probs) {
      // Each row times the causal mask transposed (1 where row k ≤ column j): entry j sums the row up to column j.
      return spill(`MMULT(${R.all(probs)},TRANSPOSE(ATTN.MASK(${probs.cols},"causal")))`, probs.rows, probs.cols);
    },
    sampledWords(R, probs, _cumulative, dice, vocab) {
      // Probs already has the temperature in it: ATTN.SAMPLE must not apply it again.
      return spill(`TRANSPOSE(ATTN.SAMPLE(${R.all(probs)},${R.all(vocab)},TRANSPOSE(${R.all(dice)})))`, 1, probs.rows);
    },
    choose(check, greedy, sampled) {
      const formula = (cells: PlanCell[][]): string => {
        const top = cells[0][0];
        if (!isFormula(top)) throw new Error("a choice between two blocks needs two formulas");
        return top.formula;
      };
      // Words, so no "+0": a switch that reads neither way turns the greedy block's every word to #N/A (a word & an error), keeping
      // its shape.
      const [on, off] = [formula(sampled), formula(greedy)];
      return spill(`IF(${check}="on",${on},IF(${check}="off",${off},${off}&NA()))`, greedy.length, greedy[0].length);
    },
    argmaxWords(R, scores, vocab) {
      return spill(`TRANSPOSE(ATTN.ARGMAX(${R.all(scores)},${R.all(vocab)}))`, 1, scores.rows);
    },
  };
}
