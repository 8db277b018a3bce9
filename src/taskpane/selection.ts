/**
 * "Use selection": the user's own cells as the sentence (one word a cell, in
 * one row or one column, as the original AttentionDemo.xlsx's token row) or
 * as the embedding (a block of numbers). Pure checks, each problem said as
 * what was expected and what came in, with the cell it is in.
 *
 * What a learner gets (docs/architecture.md, Start from your own workbook):
 * - the sentence stays in the user's cells: the Overview's Tokens cells are
 *   formulas that refer to them, so editing the sentence drives the model;
 * - the vocabulary is the task's, then the sentence's words the task's data
 *   does not have, lower-cased as the sheets' lookup compares them; the pane
 *   names the words it added (their embedding rows stay as drawn: no example
 *   trains them);
 * - the embedding is copied, since training writes the weights and must never
 *   write into the user's cells.
 */
import { cellIn, displayRange, type SheetRange } from "../excel/address";
import { WorkbookError } from "../excel/errors";
import type { ModelConfig } from "../model/config";
import type { Task } from "../model/tasks";
import { SPECIALS, Vocab } from "../model/vocab";
import { t } from "../i18n";

/** This module's texts in the language in use, read when shown. */
const T = () => t().selection;

/** How many cell problems one message lists. */
const LISTED = 5;
const ERROR_VALUE = /^#(N\/A|VALUE!|REF!|DIV\/0!|NUM!|NAME\?|NULL!|SPILL!|CALC!|FIELD!|BUSY!|GETTING_DATA|BLOCKED!|CONNECT!|UNKNOWN!)$/;

/** The sentence picked from the user's cells: its words as typed, and the cell of each. */
export interface LinkedSentence {
  range: SheetRange;
  /** The selection as the user reads it: "Sheet1!B2:J2". */
  where: string;
  words: string[];
  cells: { row: number; col: number }[];
  /** Empty cells after the last word, left out. */
  trailing: number;
}

export interface LinkedEmbedding {
  where: string;
  values: number[][];
}

const isBlank = (v: unknown): boolean => v === null || v === undefined || (typeof v === "string" && v.trim() === "");

/** One row or one column of words, without gaps; empty cells after the last word are left out. */
export function sentenceFromCells(values: readonly (readonly unknown[])[], range: SheetRange): LinkedSentence {
  const where = displayRange(range);
  if (range.rows > 1 && range.cols > 1) throw new WorkbookError([T().notALine(where, range.rows, range.cols)]);
  const across = range.rows === 1;
  const n = across ? range.cols : range.rows;
  const at = (k: number): unknown => (across ? values[0]?.[k] : values[k]?.[0]);
  const cellOf = (k: number): string => (across ? cellIn(range, 0, k) : cellIn(range, k, 0));
  let last = n - 1;
  while (last >= 0 && isBlank(at(last))) last--;
  if (last < 0) throw new WorkbookError([T().empty(where)]);
  const problems: string[] = [];
  const words: string[] = [];
  for (let k = 0; k <= last; k++) {
    const v = at(k);
    const cell = cellOf(k);
    const problem = wordProblem(v, cell, k, last, cellOf);
    if (problem) problems.push(problem);
    else words.push(String(v).trim());
  }
  if (problems.length > 0) throw new WorkbookError(problems.slice(0, LISTED));
  const cells = words.map((_, k) => ({ row: range.top + (across ? 0 : k), col: range.left + (across ? k : 0) }));
  return { range, where, words, cells, trailing: n - 1 - last };
}

function wordProblem(v: unknown, cell: string, k: number, last: number, cellOf: (k: number) => string): string | undefined {
  if (isBlank(v)) return k === 0 ? T().blankBefore(cell) : T().gap(cell, cellOf(last));
  if (typeof v === "number") return T().number(cell, String(v));
  if (typeof v === "boolean") return T().boolean(cell, t().fn.boolean(v));
  const text = String(v).trim();
  if (ERROR_VALUE.test(text)) return T().error(cell, text);
  if (/\s/.test(text)) return T().twoWords(cell, text);
  if (SPECIALS.includes(text.toLowerCase())) return T().special(cell, text);
  return undefined;
}

/** The word as the sheets look it up (LOWER in src/sheet/formula-text.ts's vocabRow), so the vocabulary finds it. */
export const sheetWord = (w: string): string => w.toLowerCase();

/** The task with the sentence's new words added to its vocabulary, after the task's own, and which words those are. */
export function withSentenceWords(task: Task, words: readonly string[]): { task: Task; added: string[] } {
  const added = [...new Set(words.map(sheetWord))].filter((w) => !task.vocab.has(w));
  if (added.length === 0) return { task, added };
  const vocab = new Vocab([...task.vocab.tokens.filter((t) => !SPECIALS.includes(t)), ...added]);
  return { task: { ...task, vocab }, added };
}

/** Every cell a number. */
export function embeddingFromCells(values: readonly (readonly unknown[])[], range: SheetRange): LinkedEmbedding {
  const problems: string[] = [];
  const rows = values.map((row, i) =>
    row.map((v, j) => {
      if (typeof v === "number" && Number.isFinite(v)) return v;
      if (problems.length < LISTED) problems.push(T().notNumber(cellIn(range, i, j), isBlank(v) ? undefined : JSON.stringify(v)));
      return 0;
    }),
  );
  if (problems.length > 0) throw new WorkbookError(problems);
  return { where: displayRange(range), values: rows };
}

/** Undefined when the embedding fits the model, else why not (expected vs got). */
export function embeddingShapeProblem(e: LinkedEmbedding, config: ModelConfig): string | undefined {
  const rows = e.values.length;
  const cols = e.values[0]?.length ?? 0;
  if (rows === config.vocabSize && cols === config.dModel) return undefined;
  return T().embeddingShape(e.where, rows, cols, config.vocabSize, config.dModel);
}
