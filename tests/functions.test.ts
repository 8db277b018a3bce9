/**
 * Each ATTN.* function, called as Excel calls it, equals the same maths
 * written with @tensorflow/tfjs-core ops (CPU backend) on random shapes and
 * values, and gives the hand-computed answer on small examples. Nothing on
 * the expected side comes from src/model, so a mistake in the model's maths
 * (a LayerNorm ε of 1e-4, a softmax that forgets the mask) shows here.
 *
 * tfjs computes in float32 (unit roundoff 6e-8), the functions in float64.
 * Tolerance, per result: max |ours − tfjs| ≤ 1e-4 · max |tfjs| + 1e-6, as in
 * tests/tfjs-agreement.test.ts; the largest difference seen is 7e-6 of the
 * largest value (the run prints it, see RATIO), a margin of over ten. LAYERNORM's rows are drawn at
 * three spreads (values up to 3, 0.03 and 0.003), so that ε = 1e-5 against
 * the variance matters in some of them.
 */
import fc from "fast-check";
import { CustomFunctionError } from "./support/custom-functions-stub";
import { Args, FunctionName, valid } from "./support/attn-calls";
import { sinusoidalPE, tf, useTfCpu } from "./support/tfjs-model";
import * as ATTN from "../src/functions/functions";
import { PAD } from "../src/model/vocab";

const RUNS = 100;
const RELATIVE = 1e-4;
const ABSOLUTE = 1e-6;

type Grid = number[][];
const omitted = (v: unknown): boolean => v === undefined || v === null;
/** The cells of a one-row or one-column range, in order. */
const cellsOf = (range: unknown): unknown[] => {
  const rows = range as unknown[][];
  return rows.length === 1 ? rows[0] : rows.map((r) => r[0]);
};
const T = (cells: unknown): tf.Tensor2D => tf.tensor2d(cells as Grid);
const vector = (range: unknown): tf.Tensor1D => tf.tensor1d(cellsOf(range) as number[]);

/** The largest |ours − tfjs| / (max |tfjs|) seen over the whole file, to report the margin. */
let RATIO = 0;

/** 0/1 per query and key: which keys each of n queries sees, from a mask argument as a user writes it. */
function visible(mask: unknown, n: number, m: number): tf.Tensor2D {
  if (omitted(mask)) return tf.ones([n, m]);
  const text = typeof mask === "string" ? mask : Array.isArray(mask) && typeof mask[0][0] === "string" ? (mask[0][0] as string) : undefined;
  if (text !== undefined) return text.toLowerCase() === "causal" ? tf.linalg.bandPart(tf.ones([n, m]), -1, 0) : tf.ones([n, m]);
  const rows = mask as Grid;
  return rows.length === 1 ? tf.tile(T(rows), [n, 1]) : T(rows);
}

/** Row softmax over the visible keys; hidden keys get exactly 0 (−1e9 underflows exp in float32). */
function maskedSoftmax(S: tf.Tensor2D, seen: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(tf.softmax(tf.add(S, tf.mul(tf.sub(1, seen), -1e9))), seen);
}

/** softmax(Q·Kᵀ/√d_k) with Q = x·Wq, K = kv·Wk. */
function attention(x: tf.Tensor2D, kv: tf.Tensor2D, Wq: tf.Tensor2D, Wk: tf.Tensor2D, mask: unknown): tf.Tensor2D {
  const Q = tf.matMul<tf.Tensor2D>(x, Wq),
    K = tf.matMul<tf.Tensor2D>(kv, Wk);
  const S = tf.div<tf.Tensor2D>(tf.matMul(Q, K, false, true), Math.sqrt(Q.shape[1]));
  return maskedSoftmax(S, visible(mask, x.shape[0], kv.shape[0]));
}

/** X and the source of keys and values, Xkv or X itself. */
const inputs = (X: unknown, Xkv: unknown): [tf.Tensor2D, tf.Tensor2D] => [T(X), T(omitted(Xkv) ? X : Xkv)];

function expectClose(actual: unknown, expected: Grid): void {
  if (actual instanceof CustomFunctionError) throw new Error(`expected a result, got ${actual.code} ${actual.message}`);
  expect(Array.isArray(actual)).toBe(true);
  const rows = actual as unknown[][];
  expect([rows.length, rows[0]?.length]).toEqual([expected.length, expected[0].length]);
  let worst = 0,
    scale = 0;
  rows.forEach((row, i) => {
    expect(Array.isArray(row) && row.length === expected[0].length && row.every((x) => typeof x === "number")).toBe(true);
    row.forEach((x, j) => {
      worst = Math.max(worst, Math.abs((x as number) - expected[i][j]));
      scale = Math.max(scale, Math.abs(expected[i][j]));
    });
  });
  RATIO = Math.max(RATIO, worst / Math.max(scale, ABSOLUTE));
  expect(worst).toBeLessThanOrEqual(RELATIVE * scale + ABSOLUTE);
}

/** `compute` under tf.tidy, as plain rows. */
const tfRows = (compute: () => tf.Tensor): Grid => tf.tidy(() => compute().arraySync() as Grid);

function expectWords(actual: unknown, expected: string[]): void {
  if (actual instanceof CustomFunctionError) throw new Error(`expected a result, got ${actual.code} ${actual.message}`);
  expect(actual).toEqual(expected.map((w) => [w]));
}

/** Runs `check` on RUNS random valid calls of `name`. */
function agrees(name: FunctionName, check: (args: Args) => void, what = "tfjs ops"): void {
  test(`${name} equals ${what} on random shapes and values`, () => {
    fc.assert(fc.property(valid[name] as fc.Arbitrary<Args>, check), { numRuns: RUNS });
  });
}

/** What each word of attn-calls' TOKENS sentences becomes, by the rule in its JSDoc (lower case, end punctuation dropped). */
const TOKEN_OF: Record<string, string> = {
  The: "the",
  cat: "cat",
  sat: "sat",
  on: "on",
  the: "the",
  "mat.": "mat",
  "¿Dónde": "dónde",
  "está?": "está",
  '"Hi"': "hi",
  "a,b": "a,b",
  x: "x",
};

beforeAll(useTfCpu);
afterAll(() => console.log(`largest |ours − tfjs| / max |tfjs| over all results: ${RATIO.toExponential(1)} (allowed ${RELATIVE})`));

describe("each function equals tfjs", () => {
  agrees(
    "TOKENS",
    ([sentence]) =>
      expectWords(
        ATTN.tokens(sentence as string),
        (sentence as string)
          .trim()
          .split(/\s+/)
          .map((w) => TOKEN_OF[w]),
      ),
    "a table of its words",
  );

  agrees(
    "POSENC",
    ([n, d, e]) =>
      expectClose(
        ATTN.posenc(n as number, d as number, e as number),
        sinusoidalPE(n as number, d as number, omitted(e) ? (d as number) : (e as number)),
      ),
    "tests/support's encoding",
  );

  agrees("EMBED", ([tokens, vocab, embedding]) => {
    const words = cellsOf(vocab) as string[];
    const ids = tf.tensor1d(
      (cellsOf(tokens) as string[]).map((t) => words.indexOf(t)),
      "int32",
    );
    expectClose(
      ATTN.embed(tokens as unknown[][], vocab as unknown[][], embedding as unknown[][]),
      tfRows(() => tf.gather(T(embedding), ids)),
    );
    ids.dispose();
  });

  agrees("SCORE", ([Q, K, scaled]) => {
    const expected = tfRows(() => {
      const raw = tf.matMul(T(Q), T(K), false, true);
      return scaled === false ? raw : tf.div(raw, Math.sqrt((Q as Grid)[0].length));
    });
    expectClose(ATTN.score(Q as unknown[][], K as unknown[][], scaled as boolean), expected);
  });

  agrees("SOFTMAX", ([S, mask]) => {
    const s = S as Grid;
    expectClose(
      ATTN.softmax(S as unknown[][], mask as unknown[][]),
      tfRows(() => maskedSoftmax(T(S), visible(mask, s.length, s[0].length))),
    );
  });

  agrees("PROBS", ([L]) =>
    expectClose(
      ATTN.probs(L as unknown[][]),
      tfRows(() => tf.softmax(T(L))),
    ),
  );

  agrees("WEIGHTS", ([X, Wq, Wk, mask, Xkv]) => {
    const expected = tfRows(() => attention(...inputs(X, Xkv), T(Wq), T(Wk), mask));
    expectClose(ATTN.weights(X as unknown[][], Wq as unknown[][], Wk as unknown[][], mask as unknown[][], Xkv as unknown[][]), expected);
  });

  agrees("HEAD", ([X, Wq, Wk, Wv, mask, Xkv]) => {
    const expected = tfRows(() => {
      const [x, kv] = inputs(X, Xkv);
      return tf.matMul(attention(x, kv, T(Wq), T(Wk), mask), tf.matMul(kv, T(Wv)));
    });
    expectClose(
      ATTN.head(X as unknown[][], Wq as unknown[][], Wk as unknown[][], Wv as unknown[][], mask as unknown[][], Xkv as unknown[][]),
      expected,
    );
  });

  agrees("MULTIHEAD", ([X, Wq, Wk, Wv, Wo, heads, mask, Xkv]) => {
    const h = heads as number;
    const expected = tfRows(() => {
      const [x, kv] = inputs(X, Xkv);
      const [wq, wk, wv] = [Wq, Wk, Wv].map((w) => tf.split<tf.Tensor2D>(T(w), h, 1)); // head i: its block of columns
      const outputs = wq.map((_, i) => tf.matMul(attention(x, kv, wq[i], wk[i], mask), tf.matMul(kv, wv[i])));
      return tf.matMul(tf.concat(outputs, 1), T(Wo));
    });
    const actual = ATTN.multihead(
      X as unknown[][],
      Wq as unknown[][],
      Wk as unknown[][],
      Wv as unknown[][],
      Wo as unknown[][],
      h,
      mask as unknown[][],
      Xkv as unknown[][],
    );
    expectClose(actual, expected);
  });

  agrees("LAYERNORM", ([X, gamma, beta]) => {
    const d = (X as Grid)[0].length;
    const expected = tfRows(() => {
      const x = T(X);
      const { mean, variance } = tf.moments(x, 1, true);
      const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5)));
      return tf.add(tf.mul(normalised, omitted(gamma) ? tf.ones([d]) : vector(gamma)), omitted(beta) ? tf.zeros([d]) : vector(beta));
    });
    expectClose(ATTN.layernorm(X as unknown[][], gamma as unknown[][], beta as unknown[][]), expected);
  });

  agrees("LINEAR", ([X, W, b]) => {
    const expected = tfRows(() => (omitted(b) ? tf.matMul(T(X), T(W)) : tf.add(tf.matMul(T(X), T(W)), vector(b))));
    expectClose(ATTN.linear(X as unknown[][], W as unknown[][], b as unknown[][]), expected);
  });

  agrees("FFN", ([X, W1, b1, W2, b2]) => {
    const expected = tfRows(() => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(T(X), T(W1)), vector(b1))), T(W2)), vector(b2)));
    expectClose(ATTN.ffn(X as unknown[][], W1 as unknown[][], b1 as unknown[][], W2 as unknown[][], b2 as unknown[][]), expected);
  });

  agrees("LOSS", ([L, targets, vocab]) => {
    const words = cellsOf(vocab) as string[];
    const ids = (cellsOf(targets) as string[]).map((t) => words.indexOf(t));
    const counted = ids.filter((id) => id !== words.indexOf(PAD)).length;
    const expected = tfRows(() => {
      const picked = tf.sum(tf.mul(tf.logSoftmax(T(L)), tf.oneHot(tf.tensor1d(ids, "int32"), words.length)), 1);
      const keep = tf.tensor1d(ids.map((id) => (id === words.indexOf(PAD) ? 0 : 1)));
      return tf.reshape(tf.div(tf.neg(tf.sum(tf.mul(picked, keep))), counted), [1, 1]);
    });
    expectClose(ATTN.loss(L as unknown[][], targets as unknown[][], vocab as unknown[][]), expected);
  });

  agrees("ARGMAX", ([P, vocab]) => {
    const words = cellsOf(vocab) as string[];
    const ids = tf.tidy(() => tf.argMax(T(P), 1).arraySync() as number[]);
    expectWords(
      ATTN.argmax(P as unknown[][], vocab as unknown[][]),
      ids.map((i) => words[i]),
    );
  });

  agrees("MASK", ([n, kind, padding]) => {
    const size = n as number;
    const causal = omitted(kind) || (kind as string).toLowerCase() === "causal";
    const expected = tfRows(() => {
      const order = causal ? tf.linalg.bandPart(tf.ones([size, size]), -1, 0) : tf.ones([size, size]);
      if (omitted(padding)) return order;
      const real = tf.tensor1d(cellsOf(padding).map((v) => (v === 1 || v === true ? 1 : 0)));
      return tf.mul(order, real);
    });
    expectClose(ATTN.mask(size, kind as string, padding as unknown[][]), expected);
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
    close(
      ATTN.softmax(
        [
          [0, 0],
          [0, 0],
        ],
        [["causal"]],
      ),
      [
        [1, 0],
        [0.5, 0.5],
      ],
    );
    close(ATTN.softmax([[0, 0, 5]], [[1, 1, 0]]), [[0.5, 0.5, 0]]);
  });

  test("SCORE divides by √d_k unless told not to", () => {
    close(
      ATTN.score(
        [[1, 2]],
        [
          [3, 4],
          [1, 0],
        ],
      ),
      [[11 / Math.SQRT2, 1 / Math.SQRT2]],
    );
    close(ATTN.score([[1, 2]], [[3, 4]], false), [[11]]);
  });

  test("TOKENS lower-cases and drops punctuation at the ends of words", () => {
    expect(ATTN.tokens("The cat sat.")).toEqual([["the"], ["cat"], ["sat"]]);
  });

  test("POSENC: row 0 is sin 0, cos 0; row 1 is sin 1, cos 1", () => {
    close(ATTN.posenc(2, 2), [
      [0, 1],
      [Math.sin(1), Math.cos(1)],
    ]);
    close(ATTN.posenc(2, 3, 2), [
      [0, 1, 0],
      [Math.sin(1), Math.cos(1), 0],
    ]);
  });

  test("EMBED picks rows by the word's place in the vocabulary, ignoring case", () => {
    close(
      ATTN.embed(
        [["cat", "Dog", "cat"]],
        [["<pad>"], ["cat"], ["dog"]],
        [
          [0, 0],
          [1, 2],
          [3, 4],
        ],
      ),
      [
        [1, 2],
        [3, 4],
        [1, 2],
      ],
    );
  });

  test("WEIGHTS with zero query weights attend evenly; HEAD averages the values", () => {
    const X = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    const zero = [[0], [0]];
    close(ATTN.weights(X, zero, [[1], [2]]), [
      [1 / 3, 1 / 3, 1 / 3],
      [1 / 3, 1 / 3, 1 / 3],
      [1 / 3, 1 / 3, 1 / 3],
    ]);
    close(ATTN.head(X, zero, [[1], [2]], [[1], [0]], "causal" as unknown as unknown[][]), [[1], [0.5], [2 / 3]]);
  });

  test("MULTIHEAD with one head and identity weights is the head itself", () => {
    const X = [
      [1, 0],
      [0, 1],
    ];
    const I = [
      [1, 0],
      [0, 1],
    ];
    const w = Math.exp(1 / Math.SQRT2) / (Math.exp(1 / Math.SQRT2) + 1);
    close(ATTN.multihead(X, I, I, I, I, 1), [
      [w, 1 - w],
      [1 - w, w],
    ]);
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
    close(
      ATTN.ffn(
        [[1, -1]],
        [
          [1, 0],
          [0, 1],
        ],
        [[0, 0]],
        [
          [1, 0],
          [0, 1],
        ],
        [[1, 1]],
      ),
      [[2, 1]],
    );
  });

  test("PROBS, LOSS and ARGMAX", () => {
    close(ATTN.probs([[0, Math.log(3)]]), [[0.25, 0.75]]);
    // Equal logits over 4 words: −ln(1/4) = ln 4 per counted row; the <pad> row is left out.
    close(
      ATTN.loss(
        [
          [0, 0, 0, 0],
          [9, 0, 0, 0],
        ],
        [["a", PAD]],
        [[PAD, "a", "b", "c"]],
      ),
      [[Math.log(4)]],
    );
    expect(
      ATTN.argmax(
        [
          [0.1, 0.7, 0.2],
          [0.5, 0.2, 0.3],
        ],
        [["a", "b", "c"]],
      ),
    ).toEqual([["b"], ["a"]]);
  });

  test("MASK: causal by default, padding hides keys", () => {
    expect(ATTN.mask(3)).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [1, 1, 1],
    ]);
    expect(ATTN.mask(3, "none", [[1, 1, 0]])).toEqual([
      [1, 1, 0],
      [1, 1, 0],
      [1, 1, 0],
    ]);
  });

  test("VERSION is the package version", () => {
    expect(ATTN.version()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
