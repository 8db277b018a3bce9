/**
 * The `cells` formula style: every cell its own formula over single rows and
 * columns (MMULT of a row by a column, SUMPRODUCT, EXP, MAX), so a learner
 * can click any cell and read it, and causal rows refer only to the keys
 * they may see.
 */
import type { ModelConfig } from "../model/config";
import { LAYER_NORM_EPS } from "../model/layers";
import { byReading, f } from "./formula-text";
import { grid, type Refs } from "./layout";
import { isFormula, type PlanBlock, type PlanCell } from "./plan";
import type { FormulaStyle, KeyMaskRef, SwitchReads } from "./style";

function formulaOf(cell: PlanCell): string {
  if (!isFormula(cell)) throw new Error("a choice between two cells needs two formulas");
  return cell.formula;
}

export function cellsStyle(c: ModelConfig, switches?: SwitchReads): FormulaStyle {
  /** Keys query i may see: all of them, or 0..i. */
  const seen = (mask: KeyMaskRef, keys: number, i: number): number => (mask.causal ? Math.min(i + 1, keys) : keys);
  const linear = (R: Refs, x: PlanBlock, W: PlanBlock, b?: PlanBlock): PlanCell[][] =>
    grid(x.rows, W.cols, (i, j) => f(`MMULT(${R.row(x, i)},${R.col(W, j)})${b ? `+${R.cell(b, 0, j)}` : ""}`));
  return {
    name: "cells",
    fixedFeedback: false,
    runningSums: true,
    linear,
    scores(R, Q, K, mask) {
      const scale = switches ? byReading(R.cell(switches.scaling, 0, 0), `SQRT(${c.dK})`, "1") : c.scaled ? `SQRT(${c.dK})` : "";
      return grid(Q.rows, K.rows, (i, j) => {
        if (j >= seen(mask, K.rows, i)) return 0;
        const dot = `SUMPRODUCT(${R.row(Q, i)},${R.row(K, j)})${scale ? `/${scale}` : ""}`;
        return f(`IF(${R.cell(mask.visible, 0, j)}=1,${dot},0)`);
      });
    },
    weights(R, scores, mask) {
      return grid(scores.rows, scores.cols, (i, j) => {
        const n = seen(mask, scores.cols, i);
        if (j >= n) return 0;
        const S = R.row(scores, i, 0, n);
        const vis = R.row(mask.visible, 0, 0, n);
        const sij = R.cell(scores, i, j);
        const softmax = `EXP(${sij}-MAX(${S}))/SUMPRODUCT(EXP(${S}-MAX(${S}))*${vis})`;
        const weight = switches ? byReading(R.cell(switches.softmax, 0, 0), softmax, sij) : c.normalization === "softmax" ? softmax : sij;
        return f(`IF(${R.cell(mask.visible, 0, j)}=1,${weight},0)`);
      });
    },
    weightedSum(R, attn, V, mask) {
      return grid(attn.rows, V.cols, (i, j) => {
        const n = seen(mask, V.rows, i);
        return f(`MMULT(${R.row(attn, i, 0, n)},${R.col(V, j, 0, n)})`);
      });
    },
    residual(R, a, b) {
      return grid(a.rows, a.cols, (i, j) => f(`${R.cell(a, i, j)}+${R.cell(b, i, j)}`));
    },
    layerNorm(R, sum, gamma, beta) {
      const d = sum.cols;
      return grid(sum.rows, d, (i, j) => {
        const row = R.row(sum, i);
        const mean = `AVERAGE(${row})`;
        return f(
          `(${R.cell(sum, i, j)}-${mean})/SQRT(SUMPRODUCT((${row}-${mean})^2)/${d}+${LAYER_NORM_EPS})` +
            `*${R.cell(gamma, 0, j)}+${R.cell(beta, 0, j)}`,
        );
      });
    },
    hidden(R, x, W1, b1) {
      return grid(x.rows, W1.cols, (i, j) => f(`MAX(0,MMULT(${R.row(x, i)},${R.col(W1, j)})+${R.cell(b1, 0, j)})`));
    },
    probs(R, logits, temperature) {
      return grid(logits.rows, logits.cols, (i, j) => {
        const L = R.row(logits, i);
        if (!temperature) return f(`EXP(${R.cell(logits, i, j)}-MAX(${L}))/SUMPRODUCT(EXP(${L}-MAX(${L})))`);
        const T = temperature;
        return f(`EXP((${R.cell(logits, i, j)}-MAX(${L}))/${T})/SUMPRODUCT(EXP((${L}-MAX(${L}))/${T}))`);
      });
    },
    cumulative(R, probs, self) {
      return grid(probs.rows, probs.cols, (i, j) => f(j === 0 ? R.cell(probs, i, 0) : `${R.cell(self, i, j - 1)}+${R.cell(probs, i, j)}`));
    },
    sampledWords(R, _probs, cumulative, dice, vocab) {
      return [
        grid(1, cumulative.rows, (_, i) => {
          const row = R.row(cumulative, i);
          const threshold = `${R.cell(dice, 0, i)}*${R.cell(cumulative, i, cumulative.cols - 1)}`;
          // Rows short of the threshold, and the leading rows of probability 0, come before the chosen one.
          return f(`INDEX(${R.all(vocab)},1+SUMPRODUCT(--(((${row}<${threshold})+(${row}=0))>0)))`);
        })[0],
      ];
    },
    choose(check, greedy, sampled) {
      return grid(greedy.length, greedy[0].length, (i, j) => f(byReading(check, formulaOf(sampled[i][j]), formulaOf(greedy[i][j]))));
    },
    argmaxWords(R, scores, vocab) {
      return [grid(1, scores.rows, (_, i) => f(`INDEX(${R.all(vocab)},MATCH(MAX(${R.row(scores, i)}),${R.row(scores, i)},0))`))[0]];
    },
  };
}
