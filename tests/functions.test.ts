/**
 * Each ATTN.* function, called as Excel calls it, equals `src/model` on random
 * shapes and values, and gives the hand-computed answer on small examples.
 * The results are plain 2-D arrays of numbers or text, ready to spill.
 */
import fc from "fast-check";
import { CustomFunctionError } from "./support/custom-functions-stub";
import { Args, FunctionName, valid } from "./support/attn-calls";
import * as ATTN from "../src/functions/functions";
import { Mask, attentionMask, multiHead, scaledDotProduct, softmaxRows } from "../src/model/attention";
import { feedForward, layerNorm, positionalEncoding } from "../src/model/layers";
import { argmaxRow, crossEntropy } from "../src/model/loss";
import { Matrix, addRow, concatCols, fromRows, gatherRows, matmul, matmulTransB, scale, sliceCols, zeros } from "../src/model/matrix";
import { PAD, tokenize } from "../src/model/vocab";

const RUNS = 100;
const TOLERANCE = 1e-12;

const M = (cells: unknown): Matrix => fromRows(cells as number[][]);
const omitted = (v: unknown): boolean => v === undefined || v === null;
/** The cells of a one-row or one-column range, in order. */
const cellsOf = (range: unknown): unknown[] => {
  const rows = range as unknown[][];
  return rows.length === 1 ? rows[0] : rows.map((r) => r[0]);
};
const vectorOf = (range: unknown): Matrix => fromRows([cellsOf(range) as number[]]);

/** The mask a user meant, built with the model's own attentionMask where it can. */
function maskOf(mask: unknown, n: number, m: number): Mask | undefined {
  if (omitted(mask)) return undefined;
  const text = typeof mask === "string" ? mask : Array.isArray(mask) && typeof mask[0][0] === "string" ? (mask[0][0] as string) : undefined;
  if (text !== undefined) return text.toLowerCase() === "causal" ? attentionMask(n, m, { causal: true }) : undefined;
  const rows = mask as number[][];
  if (rows.length === 1) return attentionMask(n, m, { keyIsPad: rows[0].map((b) => b === 0) });
  const allowed = Uint8Array.from(rows.flat());
  return { rows: n, cols: m, allowed };
}

function expectMatrix(actual: unknown, expected: Matrix, tolerance = TOLERANCE): void {
  if (actual instanceof CustomFunctionError) throw new Error(`expected a result, got ${actual.code} ${actual.message}`);
  expect(Array.isArray(actual)).toBe(true);
  const rows = actual as unknown[][];
  expect([rows.length, rows[0]?.length]).toEqual([expected.rows, expected.cols]);
  let worst = 0;
  rows.forEach((row, i) => {
    expect(Array.isArray(row) && row.length === expected.cols && row.every((x) => typeof x === "number")).toBe(true);
    row.forEach((x, j) => {
      const e = expected.data[i * expected.cols + j];
      worst = Math.max(worst, Math.abs((x as number) - e) / Math.max(1, Math.abs(e)));
    });
  });
  expect(worst).toBeLessThanOrEqual(tolerance);
}

function expectWords(actual: unknown, expected: string[]): void {
  if (actual instanceof CustomFunctionError) throw new Error(`expected a result, got ${actual.code} ${actual.message}`);
  expect(actual).toEqual(expected.map((w) => [w]));
}

/** Runs `check` on RUNS random valid calls of `name`. */
function agrees(name: FunctionName, check: (args: Args) => void): void {
  test(`${name} equals the model on random shapes and values`, () => {
    fc.assert(fc.property(valid[name] as fc.Arbitrary<Args>, check), { numRuns: RUNS });
  });
}

describe("each function equals src/model", () => {
  agrees("TOKENS", ([sentence]) => expectWords(ATTN.tokens(sentence as string), tokenize(sentence as string)));

  agrees("POSENC", ([n, d, e]) =>
    expectMatrix(ATTN.posenc(n as number, d as number, e as number), positionalEncoding(n as number, d as number, omitted(e) ? (d as number) : (e as number))),
  );

  agrees("EMBED", ([tokens, vocab, embedding]) => {
    const words = cellsOf(vocab) as string[];
    const ids = (cellsOf(tokens) as string[]).map((t) => words.indexOf(t));
    expectMatrix(ATTN.embed(tokens as unknown[][], vocab as unknown[][], embedding as unknown[][]), gatherRows(M(embedding), ids));
  });

  agrees("SCORE", ([Q, K, scaled]) => {
    const q = M(Q), k = M(K);
    const raw = matmulTransB(q, k);
    const expected = scaled === false ? raw : scale(raw, 1 / Math.sqrt(q.cols));
    expectMatrix(ATTN.score(Q as unknown[][], K as unknown[][], scaled as boolean), expected);
  });

  agrees("SOFTMAX", ([S, mask]) => {
    const s = M(S);
    expectMatrix(ATTN.softmax(S as unknown[][], mask as unknown[][]), softmaxRows(s, maskOf(mask, s.rows, s.cols)));
  });

  agrees("PROBS", ([L]) => expectMatrix(ATTN.probs(L as unknown[][]), softmaxRows(M(L))));

  const attention = { normalization: "softmax", scaled: true } as const;

  agrees("WEIGHTS", ([X, Wq, Wk, mask, Xkv]) => {
    const x = M(X), xkv = omitted(Xkv) ? x : M(Xkv);
    const K = matmul(xkv, M(Wk));
    const expected = scaledDotProduct(matmul(x, M(Wq)), K, zeros(K.rows, 0), attention, maskOf(mask, x.rows, xkv.rows)).A;
    expectMatrix(ATTN.weights(X as unknown[][], Wq as unknown[][], Wk as unknown[][], mask as unknown[][], Xkv as unknown[][]), expected);
  });

  agrees("HEAD", ([X, Wq, Wk, Wv, mask, Xkv]) => {
    const x = M(X), xkv = omitted(Xkv) ? x : M(Xkv);
    const expected = scaledDotProduct(matmul(x, M(Wq)), matmul(xkv, M(Wk)), matmul(xkv, M(Wv)), attention, maskOf(mask, x.rows, xkv.rows)).O;
    expectMatrix(ATTN.head(X as unknown[][], Wq as unknown[][], Wk as unknown[][], Wv as unknown[][], mask as unknown[][], Xkv as unknown[][]), expected);
  });

  agrees("MULTIHEAD", ([X, Wq, Wk, Wv, Wo, heads, mask, Xkv]) => {
    const x = M(X), xkv = omitted(Xkv) ? x : M(Xkv);
    const h = heads as number, wq = M(Wq), wk = M(Wk), wv = M(Wv);
    const dk = wq.cols / h, dv = wv.cols / h;
    const perHead = Array.from({ length: h }, (_, i) => ({
      Wq: sliceCols(wq, i * dk, dk),
      Wk: sliceCols(wk, i * dk, dk),
      Wv: sliceCols(wv, i * dv, dv),
    }));
    const m = maskOf(mask, x.rows, xkv.rows);
    const expected = multiHead(x, xkv, { heads: perHead, Wo: M(Wo) }, attention, m).out;
    const actual = ATTN.multihead(X as unknown[][], Wq as unknown[][], Wk as unknown[][], Wv as unknown[][], Wo as unknown[][], h, mask as unknown[][], Xkv as unknown[][]);
    expectMatrix(actual, expected);
    // The same as ATTN.HEAD on each head's columns, side by side, times Wo.
    const toRows = (w: Matrix) => Array.from({ length: w.rows }, (_, i) => Array.from(w.data.subarray(i * w.cols, (i + 1) * w.cols)));
    const heads1 = perHead.map((w) => M(ATTN.head(X as unknown[][], toRows(w.Wq), toRows(w.Wk), toRows(w.Wv), mask as unknown[][], Xkv as unknown[][])));
    expectMatrix(actual, matmul(concatCols(heads1), M(Wo)), 1e-10);
  });

  agrees("LAYERNORM", ([X, gamma, beta]) => {
    const x = M(X);
    const ones = fromRows([Array.from({ length: x.cols }, () => 1)]);
    const g = omitted(gamma) ? ones : vectorOf(gamma);
    const b = omitted(beta) ? zeros(1, x.cols) : vectorOf(beta);
    expectMatrix(ATTN.layernorm(X as unknown[][], gamma as unknown[][], beta as unknown[][]), layerNorm(x, g, b).out);
  });

  agrees("LINEAR", ([X, W, b]) => {
    const xw = matmul(M(X), M(W));
    expectMatrix(ATTN.linear(X as unknown[][], W as unknown[][], b as unknown[][]), omitted(b) ? xw : addRow(xw, vectorOf(b)));
  });

  agrees("FFN", ([X, W1, b1, W2, b2]) => {
    const expected = feedForward(M(X), { W1: M(W1), b1: vectorOf(b1), W2: M(W2), b2: vectorOf(b2) }).out;
    expectMatrix(ATTN.ffn(X as unknown[][], W1 as unknown[][], b1 as unknown[][], W2 as unknown[][], b2 as unknown[][]), expected);
  });

  agrees("LOSS", ([L, targets, vocab]) => {
    const words = cellsOf(vocab) as string[];
    const ce = crossEntropy(M(L), (cellsOf(targets) as string[]).map((t) => words.indexOf(t)), words.indexOf(PAD));
    expectMatrix(ATTN.loss(L as unknown[][], targets as unknown[][], vocab as unknown[][]), fromRows([[ce.sum / ce.count]]));
  });

  agrees("ARGMAX", ([P, vocab]) => {
    const p = M(P), words = cellsOf(vocab) as string[];
    expectWords(ATTN.argmax(P as unknown[][], vocab as unknown[][]), Array.from({ length: p.rows }, (_, i) => words[argmaxRow(p, i)]));
  });

  agrees("MASK", ([n, kind, padding]) => {
    const size = n as number;
    const causal = omitted(kind) || (kind as string).toLowerCase() === "causal";
    const keyIsPad = omitted(padding) ? undefined : cellsOf(padding).map((v) => v === 0 || v === false);
    const m = attentionMask(size, size, { causal, keyIsPad });
    expectMatrix(ATTN.mask(size, kind as string, padding as unknown[][]), { rows: size, cols: size, data: Float64Array.from(m.allowed) });
  });
});

describe("hand-computed examples", () => {
  const close = (actual: unknown, expected: number[][], digits = 12) => {
    expect(Array.isArray(actual)).toBe(true);
    const rows = actual as number[][];
    expect(rows.map((r) => r.length)).toEqual(expected.map((r) => r.length));
    rows.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(expected[i][j], digits)));
  };

  test("SOFTMAX of [0, ln 3] is [1/4, 3/4]; causal hides later keys", () => {
    close(ATTN.softmax([[0, Math.log(3)]]), [[0.25, 0.75]]);
    close(ATTN.softmax([[0, 0], [0, 0]], [["causal"]]), [[1, 0], [0.5, 0.5]]);
    close(ATTN.softmax([[0, 0, 5]], [[1, 1, 0]]), [[0.5, 0.5, 0]]);
  });

  test("SCORE divides by √d_k unless told not to", () => {
    close(ATTN.score([[1, 2]], [[3, 4], [1, 0]]), [[11 / Math.SQRT2, 1 / Math.SQRT2]]);
    close(ATTN.score([[1, 2]], [[3, 4]], false), [[11]]);
  });

  test("TOKENS lower-cases and drops punctuation at the ends of words", () => {
    expect(ATTN.tokens("The cat sat.")).toEqual([["the"], ["cat"], ["sat"]]);
  });

  test("POSENC: row 0 is sin 0, cos 0; row 1 is sin 1, cos 1", () => {
    close(ATTN.posenc(2, 2), [[0, 1], [Math.sin(1), Math.cos(1)]]);
    close(ATTN.posenc(2, 3, 2), [[0, 1, 0], [Math.sin(1), Math.cos(1), 0]]);
  });

  test("EMBED picks rows by the word's place in the vocabulary, ignoring case", () => {
    close(ATTN.embed([["cat", "Dog", "cat"]], [["<pad>"], ["cat"], ["dog"]], [[0, 0], [1, 2], [3, 4]]), [[1, 2], [3, 4], [1, 2]]);
  });

  test("WEIGHTS with zero query weights attend evenly; HEAD averages the values", () => {
    const X = [[1, 0], [0, 1], [1, 1]];
    const zero = [[0], [0]];
    close(ATTN.weights(X, zero, [[1], [2]]), [[1 / 3, 1 / 3, 1 / 3], [1 / 3, 1 / 3, 1 / 3], [1 / 3, 1 / 3, 1 / 3]]);
    close(ATTN.head(X, zero, [[1], [2]], [[1], [0]], "causal" as unknown as unknown[][]), [[1], [0.5], [2 / 3]]);
  });

  test("MULTIHEAD with one head and identity weights is the head itself", () => {
    const X = [[1, 0], [0, 1]];
    const I = [[1, 0], [0, 1]];
    const w = Math.exp(1 / Math.SQRT2) / (Math.exp(1 / Math.SQRT2) + 1);
    close(ATTN.multihead(X, I, I, I, I, 1), [[w, 1 - w], [1 - w, w]]);
  });

  test("LAYERNORM of [1, 3] is [−1, 1] up to ε; gamma and beta scale and shift", () => {
    const s = 1 / Math.sqrt(1 + 1e-5);
    close(ATTN.layernorm([[1, 3]]), [[-s, s]]);
    close(ATTN.layernorm([[1, 3]], [[2], [3]], [[10, 20]]), [[10 - 2 * s, 20 + 3 * s]]);
  });

  test("LAYERNORM scales before squaring: huge rows normalise as small ones do", () => {
    close(ATTN.layernorm([[1e154, -1e154]]), [[1, -1]]);
    close(ATTN.layernorm([[1e300, 3e300]]), [[-1, 1]]);
    close(ATTN.layernorm([[1.7e308, 1.7e308, -1.7e308, -1.7e308]]), [[1, 1, -1, -1]]);
    close(ATTN.layernorm([[-1e200, 0, 1e200]]), [[-Math.sqrt(1.5), 0, Math.sqrt(1.5)]]);
  });

  test("LAYERNORM whose result cannot be represented gives the overflow error of the other functions", () => {
    const overflow = ATTN.layernorm([[1, 3]], [[1e308, 1e308]], [[1e308, 1e308]]) as CustomFunctionError;
    expect(overflow).toBeInstanceOf(CustomFunctionError);
    expect(overflow.message).toBe("the result overflows at row 1, column 2 (Infinity); the inputs are too large in magnitude");
    const linear = ATTN.linear([[1e200, 1e200]], [[1e200], [1e200]]) as CustomFunctionError;
    expect(linear.message).toBe("the result overflows at row 1, column 1 (Infinity); the inputs are too large in magnitude");
  });

  test("LINEAR and FFN", () => {
    close(ATTN.linear([[1, 2]], [[1], [1]], [[5]]), [[8]]);
    close(ATTN.ffn([[1, -1]], [[1, 0], [0, 1]], [[0, 0]], [[1, 0], [0, 1]], [[1, 1]]), [[2, 1]]);
  });

  test("PROBS, LOSS and ARGMAX", () => {
    close(ATTN.probs([[0, Math.log(3)]]), [[0.25, 0.75]]);
    // Equal logits over 4 words: −ln(1/4) = ln 4 per counted row; the <pad> row is left out.
    close(ATTN.loss([[0, 0, 0, 0], [9, 0, 0, 0]], [["a", PAD]], [[PAD, "a", "b", "c"]]), [[Math.log(4)]]);
    expect(ATTN.argmax([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3]], [["a", "b", "c"]])).toEqual([["b"], ["a"]]);
  });

  test("MASK: causal by default, padding hides keys", () => {
    expect(ATTN.mask(3)).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
    expect(ATTN.mask(3, "none", [[1, 1, 0]])).toEqual([[1, 1, 0], [1, 1, 0], [1, 1, 0]]);
  });

  test("VERSION is the package version", () => {
    expect(ATTN.version()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
