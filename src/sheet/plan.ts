/**
 * The workbook as data. One WorkbookPlan is rendered three ways: by the Excel
 * adapter (src/excel), by the .xlsx writer (src/cli) and by the formula
 * engine in the tests, so the workbook is described once.
 */
import type { AttentionRole } from "../model/architecture";

/** A formula in en-US syntax with comma separators, without the leading "=". */
export interface Formula {
  formula: string;
  /** It refers to the user's cells (a sentence picked with "Use selection"), not to the plan's sheets: renaming ours leaves it alone. */
  external?: boolean;
}

export type PlanValue = number | string | boolean | null;
export type PlanCell = PlanValue | Formula;

export function isFormula(c: PlanCell): c is Formula {
  return typeof c === "object" && c !== null && "formula" in c;
}

/**
 * What a block holds: `input` is typed by the user (tokens), `weight` is a
 * trained parameter (values), `switch` a live on/off cell, `data` training
 * examples, `computed` formulas.
 */
export type BlockRole = "input" | "weight" | "switch" | "data" | "computed" | "log";

/** Colour scales: `attention` for weights in [0, 1], `probability` for outputs, `diverging` for signed values. */
export type Heatmap = "attention" | "probability" | "diverging";

/**
 * What each cell (i, j) of a block computes and from which blocks (named by
 * their keys): the structured description that the pane's "Explain this
 * cell" reads, so it never parses a formula. One entry per block kind; both
 * formula styles compute the same thing from the same blocks.
 */
export type Computes =
  /** Typed by the user: a switch, the Temperature, the Dice, Prompt_Length. */
  | { op: "typed" }
  /** The vocabulary: the words Tokens may hold, one a row. */
  | { op: "vocabulary" }
  /** A trained parameter, named as the store reads it. */
  | { op: "weight"; param: string }
  /** Training examples. */
  | { op: "data" }
  /**
   * A tokens row: position 0 is <s> when `start`; the cells up to `typed` (or the
   * Prompt_Length cell's value) are typed; each later one takes the token chosen
   * at the position before it in `fedFrom`, or was fixed at build time (`fixed`).
   */
  | { op: "tokens"; start: boolean; typed: number | "all"; promptLength?: string; fedFrom?: string; fixed: boolean }
  /** The row of token j of `tokens` in `vocab`. */
  | { op: "vocabRow"; tokens: string; vocab: string }
  /** 1 unless vocabulary row j of `ids` is <pad>. */
  | { op: "visible"; ids: string }
  /** The sinusoidal encoding of position i, column j (`peDims` columns carry it). */
  | { op: "posEnc"; peDims: number }
  /** Embedding row of token i, column j, plus PE[i, j]. */
  | { op: "embed"; embedding: string; ids: string; posEnc: string }
  /** Row i of x times column j of w (+ b_j). */
  | { op: "linear"; x: string; w: string; b?: string }
  /** Row i of q · row j of k (/ √d_k), 0 for a hidden key. `scaling` is a switch's "Reads as" block. */
  | { op: "scores"; q: string; k: string; visible: string; causal: boolean; dK: number; scaled: boolean; scaling?: string }
  /** Softmax of row i of `scores` over the visible keys (or the raw score with softmax off). */
  | { op: "softmax"; scores: string; visible: string; causal: boolean; on: boolean; switch?: string }
  /** Row i of `attn` times column j of `v`, over the keys row i sees. */
  | { op: "weightedSum"; attn: string; v: string; causal: boolean }
  /** Column j comes from head ⌊j / dK⌋'s output, column j mod dK. */
  | { op: "concat"; heads: string[]; dK: number }
  /** x + sub, entry by entry. */
  | { op: "residual"; x: string; sub: string }
  /** LayerNorm of row i of `sum`, then γ_j and β_j. */
  | { op: "layerNorm"; sum: string; gamma: string; beta: string; eps: number }
  /** ReLU(row i of x · column j of w + b_j). */
  | { op: "hidden"; x: string; w: string; b: string }
  /** Softmax of row i of `logits` (divided by the Temperature's "Reads as" cell when there is one). */
  | { op: "probs"; logits: string; temperature?: string }
  /** Row i of `probs` summed up to column j: with `self`, as the entry before it in this block plus probs[i, j]. */
  | { op: "cumulative"; probs: string; self?: string }
  /** The word of the largest entry of row j of `scores` (a row of Predicted per position). */
  | { op: "argmax"; scores: string; vocab: string }
  /**
   * Greedy (the argmax of row j of `probs`) or, with sampling on, the first word whose cumulative probability reaches the
   * dice: read from `cumulative` when given, else summed from `probs`.
   */
  | { op: "choose"; probs: string; cumulative?: string; dice: string; sampling: string; vocab: string }
  /** A plain reference to the same cell of `source`. */
  | { op: "copy"; source: string }
  /**
   * The words of row 0 of `words` from column `from` on, joined with spaces up to the first </s> or <pad>: the sentence
   * the model wrote (`said`). With `empty` (the Tokens row), a note instead while every Tokens cell is blank.
   */
  | { op: "text"; words: string; from: number; said: "predicted" | "generated"; empty?: string }
  /** A row of the training log, written by the trainer after a step (no formula). */
  | { op: "log" }
  /** ATTN.`fn` recomputes block `of` from the blocks `reads`, to check the cell formulas against the add-in's functions. */
  | { op: "check"; of: string; fn: string; reads: string[] }
  /** The largest |check − of| over every pair of the Check band. */
  | { op: "maxDiff"; pairs: { check: string; of: string }[] }
  /** What the switch or the Temperature `of` reads as, or a warning when it holds something else. */
  | { op: "readsAs"; of: string; kind: "switch" | "temperature" }
  /** OK, or why not: a word of `tokens` that `ids` found no row for, or (with `emptyMatters`) every Tokens cell blank. */
  | { op: "inputCheck"; tokens: string; ids: string; emptyMatters: boolean };

/** Where the guided tour covers a block: its topic, and an attention block's role. The output step also covers training. */
export type Topic = "embedding" | "position" | "qkv" | "scores" | "softmax" | "weightedSum" | "multiHead" | "norm" | "ffn" | "output";

export interface BlockExplain {
  computes: Computes;
  topic?: Topic;
  role?: AttentionRole;
}

/** A label cell and its value (a label may be a formula, e.g. the token at a position). */
export interface Label {
  cell: PlanCell;
  value: PlanValue;
}

export interface PlanBlock {
  /** Unique within the workbook; the named range when `named` is true. */
  key: string;
  named: boolean;
  sheet: string;
  title: string;
  /** What the block computes and why, in plain words. */
  note: string;
  role: BlockRole;
  /** The data area's top-left cell, 0-based. Title, column labels and row labels sit above and to the left. */
  top: number;
  left: number;
  rows: number;
  cols: number;
  cells: PlanCell[][];
  /** The value of every cell as src/model computes it: the cached results written with formulas. */
  values: PlanValue[][];
  /** Labels left of each row and above each column: often formulas that show the token at that position. */
  rowLabels?: Label[];
  colLabels?: Label[];
  /** The column labels shrink to fit their column (Excel's "Shrink to fit"): columns narrower than a token, the Overview's maps. */
  shrinkColLabels?: boolean;
  numberFormat?: string;
  /** A number format for each data column, for blocks whose columns hold different things; wins over numberFormat. */
  columnFormats?: readonly string[];
  heatmap?: Heatmap;
  /** What each cell computes and from which blocks, for the pane's explanations; absent for text and check cells. */
  explain?: BlockExplain;
}

export interface PlanText {
  row: number;
  col: number;
  text: string;
  style: "heading" | "subheading" | "body" | "hint";
}

export interface PlanChart {
  title: string;
  /** Where the chart sits, in cells. */
  top: number;
  left: number;
  width: number;
  height: number;
  /** Category (x) range and series ranges, as sheet-qualified addresses. */
  categories: string;
  series: { name: string; values: string }[];
}

export interface PlanSheet {
  name: string;
  /** Why this sheet is here, shown in the Guide and as the sheet's first line. */
  purpose: string;
  blocks: PlanBlock[];
  texts: PlanText[];
  charts: PlanChart[];
  /** Width in characters of each column, from the first; others keep the default. */
  columnWidths: number[];
  freeze?: { rows: number; cols: number };
  /** The sheet the workbook opens on (at most one; without it, the first). */
  opens?: boolean;
}

export interface WorkbookPlan {
  sheets: PlanSheet[];
  /** Every named block: name → sheet-qualified absolute range. */
  names: { name: string; sheet: string; range: string }[];
}

/** The number format of each data column, or undefined to leave the cells' formats alone. */
export function columnFormats(b: PlanBlock): readonly string[] | undefined {
  if (b.columnFormats) {
    if (b.columnFormats.length !== b.cols)
      throw new RangeError(`the block ${b.key} has ${b.cols} columns but ${b.columnFormats.length} column formats`);
    return b.columnFormats;
  }
  return b.numberFormat === undefined ? undefined : new Array<string>(b.cols).fill(b.numberFormat);
}

/** Every cell a block writes (title, labels and data) as one rectangle, for writers that write a block at a time. */
export interface BlockRect {
  top: number;
  left: number;
  cells: PlanCell[][];
  values: PlanValue[][];
}

/** The block's title sits two rows above the data, column labels one row above, row labels one column left. */
export function blockRect(b: PlanBlock): BlockRect {
  const hasRowLabels = !!b.rowLabels;
  const left = b.left - (hasRowLabels ? 1 : 0);
  const width = b.cols + (hasRowLabels ? 1 : 0);
  const blankRow = (): PlanCell[] => new Array<PlanCell>(width).fill(null);
  const title = blankRow();
  title[0] = b.title;
  const header = blankRow();
  const headerValues: PlanValue[] = blankRow() as PlanValue[];
  const shift = hasRowLabels ? 1 : 0;
  b.colLabels?.forEach((l, j) => {
    header[j + shift] = l.cell;
    headerValues[j + shift] = l.value;
  });
  const cells: PlanCell[][] = [title, header];
  const values: PlanValue[][] = [[b.title, ...new Array<PlanValue>(width - 1).fill(null)], headerValues];
  for (let i = 0; i < b.rows; i++) {
    const label = b.rowLabels?.[i];
    cells.push(label ? [label.cell, ...b.cells[i]] : [...b.cells[i]]);
    values.push(label ? [label.value, ...b.values[i]] : [...b.values[i]]);
  }
  return { top: b.top - 2, left, cells, values };
}
