/**
 * "Explain this cell", without the DOM or Excel: which block and entry a
 * cell of the plan is, what it computes in words and with the numbers its
 * inputs hold now, where those inputs are, and which tour step covers it.
 * It reads the plan's own description of each block (PlanBlock.explain),
 * never a formula. Two steps, so that a workbook is read in one sync:
 * `needs` lists every area the explanation reads, `explainCell` writes it
 * from those areas' values.
 */
import { EOS, PAD } from "../model/vocab";
import { rangeAddress } from "../sheet/a1";
import type { Computes, PlanBlock, WorkbookPlan } from "../sheet/plan";
import { TRAIN_LOG_COLUMNS, TRAIN_LOG_NAME, trainLogColumn } from "../sheet/train-log";
import { t } from "../i18n";

import { tokenName } from "./token-names";
import type { TourStep } from "./tour";

/** This module's texts in the language in use, read when shown. */
const T = () => t().explain;

/** A rectangle of a sheet, 0-based, on the sheet as the plan names it. */
export interface Area {
  sheet: string;
  top: number;
  left: number;
  rows: number;
  cols: number;
}

/** The values of an area that `needs` listed. */
export type Read = (a: Area) => unknown[][];

export interface CellAt {
  block: PlanBlock;
  i: number;
  j: number;
}

/** Part of a block, in its own rows and columns. */
interface Part {
  key: string;
  i: number;
  j: number;
  rows: number;
  cols: number;
}

export interface ExplainedInput {
  key: string;
  /** "Enc_H1_Q, row 'cat'". */
  label: string;
  area: Area;
}

export interface Explanation {
  key: string;
  /** "Enc_H2_Attn, row 'cat', column 'eats'". */
  where: string;
  /** What it computes, in words, with the numbers its inputs hold. */
  what: string;
  /** "It holds 0.30.", or why there is no number. */
  holds: string;
  /** The cell's value as read. */
  value: unknown;
  /** The value recomputed from the inputs as read, when the cell computes a number from them. */
  recomputed?: number;
  inputs: ExplainedInput[];
  /** For a weight: what training does, and the last gradient. */
  training: string[];
  tour?: { index: number; title: string };
  /** The block's note, in plain words. */
  note: string;
}

export const areaKey = (a: Area): string => `${a.sheet}!${rangeAddress(a.top, a.left, a.rows, a.cols, false)}`;

/** "0.30", "−1.25", "3.1e-4": two decimals, or two figures for tiny and huge numbers. */
export function fmt(v: unknown): string {
  if (typeof v !== "number") return v === null || v === undefined || v === "" ? T().empty : `"${String(v)}"`;
  if (!Number.isFinite(v)) return "?";
  if (v === 0) return "0";
  const a = Math.abs(v);
  const s = a >= 0.005 && a < 1e5 ? a.toFixed(2) : a.toExponential(1);
  return `${v < 0 ? "−" : ""}${s}`;
}

/** The first terms, "…", and the last: a sum stays one line however long. */
function listed(terms: string[], joiner = " + "): string {
  return terms.length <= 4 ? terms.join(joiner) : [...terms.slice(0, 3), "…", terms[terms.length - 1]].join(joiner);
}

const num = (v: unknown): number => (typeof v === "number" ? v : NaN);

/** The plan's blocks by key and by sheet: which block holds a cell, and what a description's keys name. */
export class PlanIndex {
  private readonly byKey = new Map<string, PlanBlock>();

  constructor(readonly plan: WorkbookPlan) {
    for (const s of plan.sheets) for (const b of s.blocks) this.byKey.set(b.key, b);
  }

  block(key: string): PlanBlock {
    const b = this.byKey.get(key);
    if (!b) throw new Error(T().noBlock(key));
    return b;
  }

  /**
   * The block whose data area holds (row, col) of `sheet` (the plan's name), or undefined. `rowsNow` tells how many rows a
   * block has in the workbook when that differs from the plan: the training log grows by a row each step.
   */
  at(sheet: string, row: number, col: number, rowsNow: (b: PlanBlock) => number | undefined = () => undefined): CellAt | undefined {
    const s = this.plan.sheets.find((x) => x.name.toLowerCase() === sheet.toLowerCase());
    const rows = (b: PlanBlock): number => Math.max(b.rows, rowsNow(b) ?? 0);
    const block = s?.blocks.find((b) => row >= b.top && row < b.top + rows(b) && col >= b.left && col < b.left + b.cols);
    return block && { block, i: row - block.top, j: col - block.left };
  }

  area(p: Part): Area {
    const b = this.block(p.key);
    return { sheet: b.sheet, top: b.top + p.i, left: b.left + p.j, rows: p.rows, cols: p.cols };
  }
}

/** What an op reads for cell (i, j), by name, and how it says what the cell computes from their values. */
interface Op<C extends Computes> {
  parts(c: C, i: number, j: number, x: PlanIndex): Record<string, Part>;
  text(c: C, i: number, j: number, v: Values, x: PlanIndex): { what: string; recomputed?: number; inputs?: Part[] };
}

/** The values of an op's parts, by name; `labels` names an entry of the selected block. */
interface Values {
  get(name: string): unknown[][];
  /** The selected cell's row and column labels as the sheet shows them ("" when it has none). */
  rowLabel: string;
  colLabel: string;
  value: unknown;
  /** A part as the pane names it: "row 'cat'", "column 'k2'". */
  named(name: string): string;
  /** A part by name, for an op that lists some of its parts as inputs. */
  part(name: string): Part;
}

const cell = (key: string, i: number, j: number): Part => ({ key, i, j, rows: 1, cols: 1 });
const rowOf = (x: PlanIndex, key: string, i: number, to?: number): Part => ({ key, i, j: 0, rows: 1, cols: to ?? x.block(key).cols });
const colOf = (x: PlanIndex, key: string, j: number, to?: number): Part => ({ key, i: 0, j, rows: to ?? x.block(key).rows, cols: 1 });
const whole = (x: PlanIndex, key: string): Part => ({ key, i: 0, j: 0, rows: x.block(key).rows, cols: x.block(key).cols });

/** Σ a_k·b_k, as terms and as a number. */
function dot(a: unknown[], b: unknown[]): { terms: string; sum: number } {
  const terms = a.map((v, k) => `${fmt(v)}×${fmt(b[k])}`);
  const sum = a.reduce<number>((s, v, k) => s + num(v) * num(b[k]), 0);
  return { terms: listed(terms), sum };
}

/** Softmax of `row` at j over the entries `seen` marks, as its numerator, its sum and its value. */
function softmaxAt(row: number[], seen: boolean[], j: number, t = 1): { numerator: string; sum: string; value: number } {
  const shown = row.filter((_, k) => seen[k]);
  const m = Math.max(...shown);
  // No-break spaces inside a term: a narrow pane wraps the sum between its terms, never inside one.
  const term = (s: number): string =>
    t === 1 ? `e^(${fmt(s)}\u00a0−\u00a0${fmt(m)})` : `e^((${fmt(s)}\u00a0−\u00a0${fmt(m)})\u00a0/\u00a0${fmt(t)})`;
  const total = shown.reduce((s, v) => s + Math.exp((v - m) / t), 0);
  return { numerator: term(row[j]), sum: listed(shown.map(term)), value: Math.exp((row[j] - m) / t) / total };
}

const word = (v: unknown): string => (v === null || v === undefined ? "" : String(v));
const isOn = (v: unknown): boolean => word(v).toLowerCase() === "on";

type OpTable = { [K in Computes["op"]]: Op<Extract<Computes, { op: K }>> };

const OPS: OpTable = {
  typed: {
    parts: () => ({}),
    text: () => ({ what: T().ops.typed }),
  },
  vocabulary: {
    parts: () => ({}),
    text: (_c, i, _j, v) => ({ what: T().ops.vocabulary(i + 1, word(v.value)) }),
  },
  weight: {
    parts: () => ({}),
    text: (c) => ({ what: T().ops.weight(c.param) }),
  },
  data: {
    parts: () => ({}),
    text: (_c, i, j) => ({ what: T().ops.data(i + 1, j + 1) }),
  },
  tokens: {
    parts: (c, _i, j) => ({
      ...(c.promptLength ? { prompt: cell(c.promptLength, 0, 0) } : {}),
      ...(c.fedFrom && j > 0 ? { fed: cell(c.fedFrom, 0, j - 1) } : {}),
    }),
    text(c, _i, j, v) {
      const typed = c.typed === "all" ? Infinity : c.promptLength ? num(v.get("prompt")[0][0]) : c.typed;
      if (c.start && j === 0) return { what: T().ops.start, inputs: [] };
      if (j <= typed) return { what: T().ops.typedToken(word(v.value)), inputs: [] };
      if (c.fixed || !c.fedFrom) return { what: T().ops.fixedToken(word(v.value)), inputs: [] };
      return { what: T().ops.fedBack(j, word(v.get("fed")[0][0])), inputs: [cell(c.fedFrom, 0, j - 1)] };
    },
  },
  vocabRow: {
    parts: (c, _i, j, x) => ({ token: cell(c.tokens, 0, j), vocab: colOf(x, c.vocab, 0) }),
    text(c, _i, j, v) {
      const w = word(v.get("token")[0][0]);
      // As the sheet looks a word up: an empty cell is <pad>, capitals count as small letters, the match is exact.
      const sought = w === "" ? PAD : w.toLowerCase();
      const r = v.get("vocab").findIndex((row) => word(row[0]) === sought);
      if (r < 0) return { what: T().ops.unknownWord(w) };
      return { what: T().ops.vocabRow(w, String(r + 1)), recomputed: r + 1, inputs: [cell(c.tokens, 0, j), cell(c.vocab, r, 0)] };
    },
  },
  visible: {
    parts: (c, _i, j) => ({ id: cell(c.ids, 0, j) }),
    text(_c, _i, _j, v) {
      const id = v.get("id")[0][0];
      return { what: T().ops.visible(fmt(id), id !== 1), recomputed: id === 1 ? 0 : 1 };
    },
  },
  posEnc: {
    parts: () => ({}),
    text(c, i, j) {
      if (j >= c.peDims) return { what: T().ops.noPosEnc(c.peDims), recomputed: 0 };
      const k = j - (j % 2);
      const angle = i / Math.pow(10000, k / c.peDims);
      const value = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
      return { what: T().ops.posEnc(j % 2 === 0 ? "sin" : "cos", i, k, c.peDims, fmt(value)), recomputed: value };
    },
  },
  embed: {
    parts: (c, i, j, x) => ({ id: cell(c.ids, 0, i), embedding: colOf(x, c.embedding, j), pe: cell(c.posEnc, i, j) }),
    text(c, i, j, v, x) {
      const id = num(v.get("id")[0][0]);
      const e = v.get("embedding")[id - 1]?.[0];
      const pe = v.get("pe")[0][0];
      const label = x.block(c.ids).values[0][i];
      return {
        what: T().ops.embed(v.rowLabel || word(label), fmt(id), fmt(e), fmt(pe), fmt(num(e) + num(pe))),
        recomputed: num(e) + num(pe),
        inputs: [cell(c.ids, 0, i), ...(id >= 1 ? [cell(c.embedding, id - 1, j)] : []), cell(c.posEnc, i, j)],
      };
    },
  },
  linear: {
    parts: (c, i, j, x) => ({ x: rowOf(x, c.x, i), w: colOf(x, c.w, j), ...(c.b ? { b: cell(c.b, 0, j) } : {}) }),
    text(c, _i, _j, v) {
      const { terms, sum } = dot(
        v.get("x")[0],
        v.get("w").map((r) => r[0]),
      );
      const rowText = T().inputAt(c.x, v.named("x"));
      const colText = T().inputAt(c.w, v.named("w"));
      if (!c.b) return { what: T().ops.linear(rowText, colText, terms, fmt(sum)), recomputed: sum };
      const b = num(v.get("b")[0][0]);
      return { what: T().ops.linearBias(rowText, colText, terms, fmt(b), fmt(sum + b)), recomputed: sum + b };
    },
  },
  scores: {
    parts: (c, i, j, x) => ({
      q: rowOf(x, c.q, i),
      k: rowOf(x, c.k, j),
      visible: cell(c.visible, 0, j),
      ...(c.scaling ? { scaling: cell(c.scaling, 0, 0) } : {}),
    }),
    text(c, i, j, v) {
      const q = v.rowLabel || String(i + 1);
      const k = v.colLabel || String(j + 1);
      if (c.causal && j > i) return { what: T().ops.later(q, k), recomputed: 0, inputs: [] };
      if (v.get("visible")[0][0] !== 1) return { what: T().ops.padKey(k), recomputed: 0 };
      const scaled = c.scaling ? isOn(v.get("scaling")[0][0]) : c.scaled;
      const { terms, sum } = dot(v.get("q")[0], v.get("k")[0]);
      const value = scaled ? sum / Math.sqrt(c.dK) : sum;
      return { what: T().ops.scores(q, k, terms, scaled ? `√${c.dK}` : "", fmt(value)), recomputed: value };
    },
  },
  softmax: {
    parts(c, i, j, x) {
      const n = c.causal ? Math.min(i + 1, x.block(c.scores).cols) : x.block(c.scores).cols;
      return {
        scores: rowOf(x, c.scores, i, n),
        visible: rowOf(x, c.visible, 0, n),
        ...(c.switch ? { switch: cell(c.switch, 0, 0) } : {}),
      };
    },
    text(c, i, j, v) {
      const scores = v.get("scores")[0].map(num);
      const seen = v.get("visible")[0].map((s) => s === 1);
      const k = v.colLabel || String(j + 1);
      if (j >= scores.length) return { what: T().ops.later(v.rowLabel || String(i + 1), k), recomputed: 0, inputs: [] };
      if (!seen[j]) return { what: T().ops.padKey(k), recomputed: 0 };
      const on = c.switch ? isOn(v.get("switch")[0][0]) : c.on;
      if (!on) return { what: T().ops.noSoftmax(fmt(scores[j])), recomputed: scores[j] };
      const s = softmaxAt(scores, seen, j);
      return { what: T().ops.softmax(`'${v.rowLabel || i + 1}'`, s.numerator, s.sum, fmt(s.value)), recomputed: s.value };
    },
  },
  weightedSum: {
    parts(c, i, j, x) {
      const n = c.causal ? Math.min(i + 1, x.block(c.v).rows) : x.block(c.v).rows;
      return { attn: rowOf(x, c.attn, i, n), v: colOf(x, c.v, j, n) };
    },
    text(_c, i, _j, v) {
      const { terms, sum } = dot(
        v.get("attn")[0],
        v.get("v").map((r) => r[0]),
      );
      return { what: T().ops.weightedSum(`'${v.rowLabel || i + 1}'`, terms, fmt(sum)), recomputed: sum };
    },
  },
  concat: {
    parts: (c, i, j) => ({ head: cell(c.heads[Math.floor(j / c.dK)], i, j % c.dK) }),
    text(c, _i, j, v) {
      const h = v.get("head")[0][0];
      return { what: T().ops.concat(Math.floor(j / c.dK) + 1, (j % c.dK) + 1, fmt(h)), recomputed: num(h) };
    },
  },
  residual: {
    parts: (c, i, j) => ({ x: cell(c.x, i, j), sub: cell(c.sub, i, j) }),
    text(_c, _i, _j, v) {
      const [a, b] = [num(v.get("x")[0][0]), num(v.get("sub")[0][0])];
      return { what: T().ops.residual(fmt(a), fmt(b), fmt(a + b)), recomputed: a + b };
    },
  },
  layerNorm: {
    parts: (c, i, j, x) => ({ sum: rowOf(x, c.sum, i), gamma: cell(c.gamma, 0, j), beta: cell(c.beta, 0, j) }),
    text(c, _i, j, v) {
      const row = v.get("sum")[0].map(num);
      const mean = row.reduce((s, a) => s + a, 0) / row.length;
      const variance = row.reduce((s, a) => s + (a - mean) ** 2, 0) / row.length;
      const [g, b] = [num(v.get("gamma")[0][0]), num(v.get("beta")[0][0])];
      const value = ((row[j] - mean) / Math.sqrt(variance + c.eps)) * g + b;
      return { what: T().ops.layerNorm(fmt(row[j]), fmt(mean), fmt(variance), fmt(g), fmt(b), fmt(value)), recomputed: value };
    },
  },
  hidden: {
    parts: (c, i, j, x) => ({ x: rowOf(x, c.x, i), w: colOf(x, c.w, j), b: cell(c.b, 0, j) }),
    text(_c, _i, _j, v) {
      const { terms, sum } = dot(
        v.get("x")[0],
        v.get("w").map((r) => r[0]),
      );
      const b = num(v.get("b")[0][0]);
      return { what: T().ops.hidden(terms, fmt(b), fmt(Math.max(0, sum + b))), recomputed: Math.max(0, sum + b) };
    },
  },
  probs: {
    parts: (c, i, _j, x) => ({ logits: rowOf(x, c.logits, i), ...(c.temperature ? { t: cell(c.temperature, 0, 0) } : {}) }),
    text(c, _i, j, v) {
      const row = v.get("logits")[0].map(num);
      const t = c.temperature ? num(v.get("t")[0][0]) : 1;
      const s = softmaxAt(
        row,
        row.map(() => true),
        j,
        t,
      );
      return { what: T().ops.probs(s.numerator, s.sum, c.temperature ? fmt(t) : "", fmt(s.value)), recomputed: s.value };
    },
  },
  cumulative: {
    parts: (c, i, j): Record<string, Part> =>
      c.self
        ? { ...(j > 0 ? { before: cell(c.self, i, j - 1) } : {}), p: cell(c.probs, i, j) }
        : { row: { key: c.probs, i, j: 0, rows: 1, cols: j + 1 } },
    text(c, _i, j, v) {
      if (!c.self) {
        const row = v.get("row")[0];
        const sum = row.reduce<number>((s, p) => s + num(p), 0);
        return { what: T().ops.cumulativeRow(listed(row.map(fmt)), fmt(sum)), recomputed: sum };
      }
      const before = j > 0 ? num(v.get("before")[0][0]) : 0;
      const p = num(v.get("p")[0][0]);
      return { what: T().ops.cumulative(j > 0 ? `${fmt(before)} + ${fmt(p)}` : fmt(p), fmt(before + p)), recomputed: before + p };
    },
  },
  argmax: {
    parts: (c, _i, j, x) => ({ scores: rowOf(x, c.scores, j), vocab: colOf(x, c.vocab, 0) }),
    text(c, _i, j, v) {
      const row = v.get("scores")[0].map(num);
      const best = row.indexOf(Math.max(...row));
      return {
        what: T().ops.argmax(word(v.get("vocab")[best]?.[0]), fmt(row[best])),
        inputs: [{ key: c.scores, i: j, j: 0, rows: 1, cols: row.length }, cell(c.vocab, best, 0)],
      };
    },
  },
  choose: {
    parts: (c, _i, j, x) => ({
      sampling: cell(c.sampling, 0, 0),
      probs: rowOf(x, c.probs, j),
      ...(c.cumulative ? { cumulative: rowOf(x, c.cumulative, j) } : {}),
      dice: cell(c.dice, 0, j),
      vocab: colOf(x, c.vocab, 0),
    }),
    text(c, _i, j, v) {
      const probs = v.get("probs")[0].map(num);
      const vocab = v.get("vocab").map((r) => word(r[0]));
      if (!isOn(v.get("sampling")[0][0])) {
        const best = probs.indexOf(Math.max(...probs));
        return {
          what: T().ops.argmax(vocab[best], fmt(probs[best])),
          inputs: [cell(c.sampling, 0, 0), { key: c.probs, i: j, j: 0, rows: 1, cols: probs.length }, cell(c.vocab, best, 0)],
        };
      }
      let running = 0;
      const cum = c.cumulative ? v.get("cumulative")[0].map(num) : probs.map((p) => (running += p));
      const dice = num(v.get("dice")[0][0]);
      const threshold = dice * cum[cum.length - 1];
      // As the sheet and src/model/sampling.ts draw: the first word whose running sum reaches the threshold,
      // skipping words of probability 0.
      const k = cum.findIndex((s, r) => s >= threshold && probs[r] > 0);
      return {
        what: T().ops.sampled(fmt(dice), vocab[k] ?? ""),
        inputs: [
          cell(c.sampling, 0, 0),
          { key: c.cumulative ?? c.probs, i: j, j: 0, rows: 1, cols: cum.length },
          cell(c.dice, 0, j),
          ...(k >= 0 ? [cell(c.vocab, k, 0)] : []),
        ],
      };
    },
  },
  copy: {
    parts(c, i, j, x) {
      const s = x.block(c.source);
      return { source: cell(c.source, Math.min(i, s.rows - 1), Math.min(j, s.cols - 1)) };
    },
    text(c, _i, _j, v) {
      const s = v.get("source")[0][0];
      return { what: T().ops.copy(c.source), recomputed: typeof s === "number" ? s : undefined };
    },
  },
  text: {
    parts(c, _i, _j, x) {
      const words: Part = { key: c.words, i: 0, j: c.from, rows: 1, cols: x.block(c.words).cols - c.from };
      return { words, ...(c.empty ? { tokens: rowOf(x, c.empty, 0) } : {}) };
    },
    text(c, _i, _j, v) {
      if (c.empty && v.get("tokens")[0].every((w) => word(w) === ""))
        return { what: T().ops.textEmpty(c.empty), inputs: [v.part("tokens")] };
      const words = v.get("words")[0].map(word);
      // As the formula joins them (joinUntilEos): every word up to the first </s> or <pad>, which it leaves out.
      const stop = words.findIndex((w) => w === EOS || w === PAD);
      const joined = (stop < 0 ? words : words.slice(0, stop)).join(" ");
      const read = stop < 0 ? words.length : stop + 1;
      const ends = stop < 0 ? T().ops.textNoEnd(words.length) : T().ops.textEnd(words[stop], c.from + stop + 1);
      const all = v.part("words");
      return {
        what: `${T().ops.text[c.said](c.words, joined)} ${ends}`,
        inputs: [{ ...all, cols: read }, ...(c.empty ? [v.part("tokens")] : [])],
      };
    },
  },
  log: {
    parts: (_c, i) => ({ step: cell(TRAIN_LOG_NAME, i, trainLogColumn("step")) }),
    text(_c, _i, j, v) {
      const field = TRAIN_LOG_COLUMNS[j]?.field ?? "step";
      const step = v.get("step")[0][0];
      if (v.value === null || v.value === undefined || v.value === "") return { what: T().ops.logEmpty, inputs: [] };
      return { what: T().ops.log[field](Number.isInteger(step) ? String(step) : fmt(step), fmt(v.value)), inputs: [] };
    },
  },
  check: {
    parts: (c, i, j, x) => ({ of: cell(c.of, i, j), ...Object.fromEntries(c.reads.map((k, n) => [`read${n}`, whole(x, k)])) }),
    text(c, _i, _j, v) {
      const of = num(v.get("of")[0][0]);
      const diff = typeof v.value === "number" ? Math.abs(v.value - of) : NaN;
      return {
        what: T().ops.check(c.fn, c.of, c.reads.join(", "), fmt(v.value), fmt(of), fmt(diff)),
        recomputed: of,
        inputs: c.reads.map((_, n) => v.part(`read${n}`)),
      };
    },
  },
  maxDiff: {
    parts: (c, _i, _j, x) =>
      Object.fromEntries(c.pairs.flatMap((p, n) => [[`check${n}`, whole(x, p.check)] as const, [`of${n}`, whole(x, p.of)] as const])),
    text(c, _i, _j, v) {
      const diffs = c.pairs.map((_, n) => {
        const [a, b] = [v.get(`check${n}`), v.get(`of${n}`)];
        return Math.max(...a.flatMap((row, r) => row.map((e, k) => Math.abs(num(e) - num(b[r]?.[k])))));
      });
      const worst = diffs.indexOf(Math.max(...diffs));
      const value = diffs[worst];
      // The pair that gives the largest difference is the one to look at: its two blocks are the inputs shown.
      return {
        what: T().ops.maxDiff(c.pairs.length, fmt(value), c.pairs[worst].check, c.pairs[worst].of),
        recomputed: value,
        inputs: [v.part(`check${worst}`), v.part(`of${worst}`)],
      };
    },
  },
  readsAs: {
    parts: (c) => ({ of: cell(c.of, 0, 0) }),
    text(c, _i, _j, v) {
      const typed = v.get("of")[0][0];
      const shown = typeof typed === "boolean" ? String(typed).toUpperCase() : fmt(typed);
      if (c.kind === "temperature")
        return typeof v.value === "number"
          ? { what: T().ops.temperatureRead(c.of, shown), recomputed: num(typed) }
          : { what: T().ops.badRead(c.of, shown) };
      const read = word(v.value);
      return { what: read === "on" || read === "off" ? T().ops.switchRead(c.of, shown, read) : T().ops.badRead(c.of, shown) };
    },
  },
  inputCheck: {
    parts: (c, _i, _j, x) => ({ tokens: rowOf(x, c.tokens, 0), ids: rowOf(x, c.ids, 0) }),
    text(c, _i, _j, v) {
      const tokens = v.get("tokens")[0].map(word);
      const ids = v.get("ids")[0];
      const inputs = [...(c.emptyMatters ? [v.part("tokens")] : []), v.part("ids")];
      if (c.emptyMatters && tokens.every((w) => w === "")) return { what: T().ops.inputEmpty(c.tokens), inputs };
      const bad = ids.findIndex((id) => typeof id !== "number");
      if (bad < 0) return { what: T().ops.inputOk(c.tokens, c.ids), inputs };
      return { what: T().ops.inputUnknown(tokens[bad] ?? "", bad + 1, c.ids), inputs };
    },
  },
};

const opOf = <C extends Computes>(c: C): Op<C> => OPS[c.op] as unknown as Op<C>;

/** A block's row labels (one column) and column labels (one row), when it has them: a label names its entry among the others. */
function labelAxes(b: PlanBlock): { row?: Area; col?: Area } {
  return {
    row: b.rowLabels ? { sheet: b.sheet, top: b.top, left: b.left - 1, rows: b.rows, cols: 1 } : undefined,
    col: b.colLabels ? { sheet: b.sheet, top: b.top - 1, left: b.left, rows: 1, cols: b.cols } : undefined,
  };
}

/** Label k of an axis as read, with its position when its word appears more than once on that axis ("h (4)"), as the head view says it. */
function axisLabel(axis: Area | undefined, k: number, read: Read): string {
  if (!axis) return "";
  const values = read(axis);
  const words = (axis.rows > 1 ? values.map((r) => r[0]) : (values[0] ?? [])).map(word);
  return tokenName(words, k);
}

/** The label axes that name an input part: its rows', when it is one row of several, and its columns' likewise. */
function partLabels(x: PlanIndex, p: Part): { row?: Area; col?: Area } {
  const b = x.block(p.key);
  const { row, col } = labelAxes(b);
  return { row: p.rows === 1 && b.rows > 1 ? row : undefined, col: p.cols === 1 && b.cols > 1 ? col : undefined };
}

/** Every area the explanation of `at` reads: the cell, its labels, its inputs and their labels. One sync reads them all. */
export function needs(x: PlanIndex, at: CellAt): Area[] {
  const { block: b, i, j } = at;
  const areas: Area[] = [{ sheet: b.sheet, top: b.top + i, left: b.left + j, rows: 1, cols: 1 }];
  const labels = labelAxes(b);
  if (labels.row) areas.push(labels.row);
  if (labels.col) areas.push(labels.col);
  if (b.explain) {
    for (const p of Object.values(opOf(b.explain.computes).parts(b.explain.computes, i, j, x))) {
      const { row, col } = partLabels(x, p);
      areas.push(x.area(p), ...(row ? [row] : []), ...(col ? [col] : []));
    }
  }
  const seen = new Set<string>();
  return areas.filter((a) => !seen.has(areaKey(a)) && !!seen.add(areaKey(a)));
}

/** "row 'cat', column 'eats'" for part `p` of its block; the first cell of a larger part names where it starts. */
function describePart(x: PlanIndex, p: Part, read: Read): string {
  const b = x.block(p.key);
  const { row: rowAxis, col: colAxis } = partLabels(x, p);
  const parts: string[] = [];
  if (p.rows === b.rows && p.cols === b.cols && b.rows * b.cols > 1) return T().whole;
  if (b.rows > 1) {
    const label = axisLabel(rowAxis, p.i, read);
    if (p.rows === 1) parts.push(label ? T().row(label) : T().rowNumber(p.i + 1));
    else if (p.rows < b.rows) parts.push(T().rows(p.i + 1, p.i + p.rows));
  }
  if (b.cols > 1) {
    const label = axisLabel(colAxis, p.j, read);
    if (p.cols === 1) parts.push(label ? T().column(label) : T().columnNumber(p.j + 1));
    else if (p.cols < b.cols) parts.push(T().columns(p.j + 1, p.j + p.cols));
  }
  return T().entry(parts);
}

/** The tour step that covers a block: its own step, the step of its attention role, or the step of its topic. */
export function tourStepOf(steps: readonly TourStep[], b: PlanBlock): number {
  const own = steps.findIndex((s) => s.key === b.key);
  if (own >= 0) return own;
  const role = b.explain?.role;
  const byRole = role ? steps.findIndex((s) => s.role === role) : -1;
  if (byRole >= 0) return byRole;
  return b.explain?.topic ? steps.findIndex((s) => s.topic === b.explain!.topic && s.role === undefined) : -1;
}

export interface ExplainExtras {
  steps?: readonly TourStep[];
  /** A weight's last gradient at this cell, when the Gradients sheet has one. */
  gradient?: unknown;
}

/** The explanation of `at`, from the values of the areas `needs` listed. */
export function explainCell(x: PlanIndex, at: CellAt, read: Read, extras: ExplainExtras = {}): Explanation {
  const { block: b, i, j } = at;
  const value = read({ sheet: b.sheet, top: b.top + i, left: b.left + j, rows: 1, cols: 1 })[0]?.[0];
  const labels = labelAxes(b);
  const rowLabel = axisLabel(labels.row, i, read);
  const colLabel = axisLabel(labels.col, j, read);
  const entry: string[] = [];
  // The training log grows a row a step, so its rows are numbered even while it has one.
  if (b.rows > 1 || b.role === "log") entry.push(rowLabel ? T().row(rowLabel) : T().rowNumber(i + 1));
  if (b.cols > 1) entry.push(colLabel ? T().column(colLabel) : T().columnNumber(j + 1));
  let what = `${T().ops.note} ${b.note}`;
  let recomputed: number | undefined;
  let inputs: Part[] = [];
  const training: string[] = [];
  if (b.explain) {
    const c = b.explain.computes;
    const op = opOf(c);
    const parts = op.parts(c, i, j, x);
    const values: Values = {
      get: (name) => read(x.area(parts[name])),
      named: (name) => describePart(x, parts[name], read),
      part: (name) => parts[name],
      rowLabel,
      colLabel,
      value,
    };
    const said = op.text(c, i, j, values, x);
    what = said.what;
    recomputed = said.recomputed;
    inputs = said.inputs ?? Object.values(parts);
    if (c.op === "weight") {
      training.push(T().training.weight);
      const g = extras.gradient;
      training.push(typeof g === "number" ? T().training.gradient(fmt(g)) : T().training.noGradient);
    }
  }
  const shown = fmt(value);
  const mismatch =
    recomputed !== undefined && typeof value === "number" && Math.abs(recomputed - value) > 1e-9 * Math.max(1, Math.abs(value))
      ? ` ${T().mismatch(shown, fmt(recomputed))}`
      : "";
  const step = extras.steps ? tourStepOf(extras.steps, b) : -1;
  return {
    key: b.key,
    where: T().where(b.key, T().entry(entry)),
    what,
    holds: (typeof value === "string" && value.startsWith("#") ? T().noNumber(value) : T().value(shown)) + mismatch,
    value,
    recomputed,
    inputs: inputs.map((p) => {
      const part = describePart(x, p, read);
      return { key: p.key, label: part ? T().inputAt(p.key, part) : p.key, area: x.area(p) };
    }),
    training,
    tour: step >= 0 ? { index: step, title: extras.steps![step].title } : undefined,
    note: b.note,
  };
}
