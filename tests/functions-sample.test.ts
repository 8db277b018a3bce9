/**
 * ATTN.SAMPLE against sampling as defined here, independently of src/model:
 * the probabilities after top-K and temperature are softmax(ln p / T) over
 * the K words of highest rank (rank by counting, not by sorting); word j
 * owns the dice values in (C_{j−1}, C_j] of the cumulative sums C, so the
 * chosen word's interval holds the dice, and over a fine grid of dice
 * values each word is chosen in proportion to its probability.
 */
import fc from "fast-check";
import { CustomFunctionError } from "./support/custom-functions-stub";
import { valid } from "./support/attn-calls";
import * as ATTN from "../src/functions/functions";

type Grid = number[][];
const BLANK_HINT = "a blank cell reads as 0 in Excel desktop";
const cellsOf = (range: unknown): unknown[] =>
  (range as unknown[][]).length === 1 ? (range as unknown[][])[0] : (range as unknown[][]).map((r) => r[0]);
const omitted = (v: unknown): boolean => v === undefined || v === null;

/** Kept words of `p`: those with fewer than K words ranked above them (higher p, or equal p at a lower index). */
function keptByRank(p: readonly number[], k: number): boolean[] {
  if (k === 0) return p.map(() => true);
  return p.map((x, j) => p.filter((y, i) => y > x || (y === x && i < j)).length < k);
}

/** softmax(ln p / T) over the kept words: what the dice choose from. */
function reference(p: readonly number[], temperature: number, topK: number): number[] {
  const kept = keptByRank(p, topK);
  const logits = p.map((x, j) => (kept[j] ? Math.log(x) / temperature : -Infinity));
  const top = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - top));
  const total = e.reduce((s, x) => s + x, 0);
  return e.map((x) => x / total);
}

function words(out: unknown): string[] {
  if (out instanceof CustomFunctionError) throw new Error(`expected words, got ${out.code} ${out.message}`);
  return (out as string[][]).map((r) => {
    expect(r).toHaveLength(1);
    return r[0];
  });
}

const message = (out: unknown): string => {
  expect(out).toBeInstanceOf(CustomFunctionError);
  expect((out as CustomFunctionError).code).toBe("#VALUE!");
  return (out as CustomFunctionError).message!;
};

/** How often each word is chosen from row `p` over the dice values (i + 0.5) / n, i = 0 … n − 1. */
function frequencies(p: number[], vocab: string[], n: number, temperature?: number, topK?: number): number[] {
  const counts = vocab.map(() => 0);
  const CHUNK = 500; // rows per call, within the 512 positions a call takes
  for (let start = 0; start < n; start += CHUNK) {
    const size = Math.min(CHUNK, n - start);
    const dice = Array.from({ length: size }, (_, i) => [(start + i + 0.5) / n]);
    const rows = Array.from({ length: size }, () => p);
    for (const w of words(ATTN.sample(rows, [vocab], dice, temperature, topK))) counts[vocab.indexOf(w)]++;
  }
  return counts.map((c) => c / n);
}

describe("ATTN.SAMPLE by hand", () => {
  const vocab = [["a", "b", "c", "d"]];
  const P = [[0.25, 0.25, 0.5, 0]];

  test("the first word whose cumulative probability reaches the dice: 0.25, 0.5, 1, 1", () => {
    const dice = [0, 0.1, 0.25, 0.2500001, 0.5, 0.5000001, 0.99, 0.9999999999999999];
    const expected = ["a", "a", "a", "b", "b", "c", "c", "c"];
    expect(
      words(
        ATTN.sample(
          dice.map(() => P[0]),
          vocab,
          dice.map((d) => [d]),
        ),
      ),
    ).toEqual(expected);
  });

  test("dice 0 skips a first word of probability 0", () => {
    expect(words(ATTN.sample([[0, 0, 1, 0]], vocab, [[0]]))).toEqual(["c"]);
    expect(words(ATTN.sample([[0, 0.5, 0.5, 0]], vocab, [[0]]))).toEqual(["b"]);
  });

  test("rounding: a row that adds up to just under 1 still gives its last non-zero word for a dice near 1", () => {
    expect(words(ATTN.sample([[0.5, 0.49999999999, 0, 0]], vocab, [[0.9999999]]))).toEqual(["b"]);
    expect(words(ATTN.sample([[0.1, 0.2, 0.69999999999, 0]], vocab, [[0.9999999999999999]]))).toEqual(["c"]);
  });

  test("several rows, one dice per row, in a column or a row; a vocabulary in a column", () => {
    const rows = [
      [1, 0, 0, 0],
      [0, 0, 0, 1],
      [0.5, 0, 0.5, 0],
    ];
    const column = vocab[0].map((w) => [w]);
    expect(ATTN.sample(rows, column, [[0.3], [0.3], [0.7]])).toEqual([["a"], ["d"], ["c"]]);
    expect(ATTN.sample(rows, vocab, [[0.3, 0.3, 0.7]])).toEqual([["a"], ["d"], ["c"]]);
  });

  test("temperature 1/2 squares the probabilities and renormalises: [1/3, 2/3] becomes [1/5, 4/5]", () => {
    const two = [["x", "y"]];
    expect(words(ATTN.sample([[1 / 3, 2 / 3]], two, [[0.19]], 0.5))).toEqual(["x"]);
    expect(words(ATTN.sample([[1 / 3, 2 / 3]], two, [[0.21]], 0.5))).toEqual(["y"]);
    // Temperature 2: square roots, 1 : √2, so x owns 1 / (1 + √2) ≈ 0.4142.
    expect(words(ATTN.sample([[1 / 3, 2 / 3]], two, [[0.414]], 2))).toEqual(["x"]);
    expect(words(ATTN.sample([[1 / 3, 2 / 3]], two, [[0.415]], 2))).toEqual(["y"]);
  });

  test("a tiny temperature is greedy and a huge one is uniform over the non-zero words", () => {
    const row = [[0.2, 0.5, 0.3, 0]];
    expect(words(ATTN.sample([row[0], row[0]], vocab, [[0], [0.9999]], 1e-6))).toEqual(["b", "b"]);
    expect(words(ATTN.sample([row[0], row[0], row[0]], vocab, [[0.33], [0.34], [0.67]], 1e12))).toEqual(["a", "b", "c"]);
  });

  test("topK keeps the K most probable words and renormalises; a tie keeps the earlier word", () => {
    const row = [0.1, 0.4, 0.2, 0.3];
    // K = 2: b 0.4 and d 0.3, renormalised to 4/7 and 3/7.
    expect(words(ATTN.sample([row, row, row], vocab, [[0], [0.57], [0.58]], 1, 2))).toEqual(["b", "b", "d"]);
    const tie = [0.3, 0.2, 0.3, 0.2];
    expect(words(ATTN.sample([tie, tie], vocab, [[0.49], [0.51]], 1, 2))).toEqual(["a", "c"]);
    // K = 3 keeps a, b, c (b before d on their tie): 0.375, 0.25, 0.375; d is never drawn.
    expect(words(ATTN.sample([tie, tie, tie], vocab, [[0.37], [0.6], [0.99]], 1, 3))).toEqual(["a", "b", "c"]);
    // K = 1 is greedy; 0 and K beyond the vocabulary keep every word.
    expect(words(ATTN.sample([row], vocab, [[0.99]], 1, 1))).toEqual(["b"]);
    for (const k of [0, 4, 10]) expect(words(ATTN.sample([row], vocab, [[0.05]], 1, k))).toEqual(["a"]);
  });

  test("omitted, blank (null) temperature and topK are the defaults 1 and 0", () => {
    const row = [[0.1, 0.4, 0.2, 0.3]];
    for (const d of [0.05, 0.3, 0.6, 0.9]) {
      const plain = ATTN.sample(row, vocab, [[d]]);
      expect(ATTN.sample(row, vocab, [[d]], null as never, null as never)).toEqual(plain);
      expect(ATTN.sample(row, vocab, [[d]], 1, 0)).toEqual(plain);
      expect(ATTN.sample(row, vocab, [[d]], [[null]] as never)).toEqual(plain);
    }
  });
});

describe("ATTN.SAMPLE against the reference", () => {
  test("on random calls, the chosen word has non-zero reference probability and its interval holds the dice", () => {
    fc.assert(
      fc.property(valid.SAMPLE, ([P, vocab, dice, T, K]) => {
        const vocabWords = cellsOf(vocab) as string[];
        const rolls = cellsOf(dice) as number[];
        const chosen = words(ATTN.sample(P as Grid, vocab as unknown[][], dice as unknown[][], T as number, K as number));
        (P as Grid).forEach((p, i) => {
          const q = reference(p, omitted(T) ? 1 : (T as number), omitted(K) ? 0 : (K as number));
          const j = vocabWords.indexOf(chosen[i]);
          expect(q[j]).toBeGreaterThan(0);
          const below = q.slice(0, j).reduce((s, x) => s + x, 0);
          expect(rolls[i]).toBeGreaterThanOrEqual(below - 1e-9);
          expect(rolls[i]).toBeLessThanOrEqual(below + q[j] + 1e-9);
        });
      }),
      { numRuns: 300 },
    );
  });

  // On the grid (i + 0.5) / n, an interval of length q holds between ⌊n·q⌋ and ⌈n·q⌉ points.
  const N = 4000;
  const vocab = ["<pad>", "the", "cat", "sat", "on", "mat"];
  const p = [0, 0.05, 0.4, 0.25, 0.2, 0.1];

  test.each([
    [1, 0],
    [0.5, 0],
    [2, 0],
    [0.7, 3],
    [1, 2],
  ])("temperature %p, topK %p: the frequencies match softmax(ln p / T) over the top K", (T, K) => {
    const q = reference(p, T, K);
    const f = frequencies(p, vocab, N, T, K);
    f.forEach((x, j) => expect(Math.abs(x - q[j])).toBeLessThanOrEqual(1 / N + 1e-12));
    expect(f[0]).toBe(0);
  });
});

describe("ATTN.SAMPLE refuses bad input with a #VALUE! message", () => {
  const vocab = [["a", "b", "c"]];
  const P = [[0.2, 0.3, 0.5]];

  test("probs: negative, not adding up to 1, all blank", () => {
    expect(message(ATTN.sample([[-0.1, 0.6, 0.5]], vocab, [[0.5]]))).toBe(
      "probs row 1, column 1 is -0.1; a probability cannot be negative (ATTN.PROBS turns logits into probabilities)",
    );
    expect(message(ATTN.sample([P[0], [2, 1, 0.5]], vocab, [[0.5], [0.5]]))).toBe(
      "probs row 2 adds up to 3.5; each row needs probabilities that add up to 1 (ATTN.PROBS turns logits into probabilities)",
    );
    expect(message(ATTN.sample([[0.2, 0.3, 0.49]], vocab, [[0.5]]))).toMatch(/^probs row 1 adds up to 0\.99/);
    for (const blank of [null, 0, ""]) {
      expect(message(ATTN.sample([[blank, blank, blank]] as never, vocab, [[0.5]]))).toBe(
        `probs row 1 is all 0 (${BLANK_HINT}); each row needs probabilities that add up to 1`,
      );
    }
    expect(message(ATTN.sample([[0.2, "x", 0.8]] as never, vocab, [[0.5]]))).toBe(
      'probs row 1, column 2 holds the text "x" where a number belongs',
    );
  });

  test("a row within 1e-9 of 1 is accepted, one further off is not", () => {
    expect(words(ATTN.sample([[0.2, 0.3, 0.5 + 5e-10]], vocab, [[0.4]]))).toEqual(["b"]);
    expect(message(ATTN.sample([[0.2, 0.3, 0.5 + 5e-9]], vocab, [[0.5]]))).toMatch(/^probs row 1 adds up to 1\.000000005/);
  });

  test("vocab: a word per column of probs, each once", () => {
    expect(message(ATTN.sample(P, [["a", "b"]], [[0.5]]))).toBe("probs has 3 columns but vocab has 2 words; it needs one column per word");
    expect(message(ATTN.sample(P, [["a", "b", "A"]], [[0.5]]))).toBe('vocab has "A" twice, in cells 1 and 3; each word may appear once');
    expect(
      message(
        ATTN.sample(
          P,
          [
            ["a", "b", "c"],
            ["d", "e", "f"],
          ],
          [[0.5]],
        ),
      ),
    ).toBe("vocab is 2 × 3; it should be one row or one column of words");
  });

  test("dice: one per row of probs, each in [0, 1)", () => {
    expect(message(ATTN.sample([P[0], P[0]], vocab, [[0.5]]))).toBe("dice has 1 values but probs has 2 rows; it needs 2");
    expect(
      message(
        ATTN.sample(P, vocab, [
          [0.1, 0.2],
          [0.3, 0.4],
        ]),
      ),
    ).toBe("dice is 2 × 2; it should be one row or one column of numbers");
    for (const d of [1, -0.5, 2]) {
      expect(message(ATTN.sample(P, vocab, [[d]]))).toBe(
        `dice value 1 is ${d}; each should be at least 0 and less than 1, as RAND() gives`,
      );
    }
    expect(message(ATTN.sample(P, vocab, [["0.5"]]))).toBe('dice value 1 holds the text "0.5" where a number belongs');
    // A blank dice cell is 0, as in every range of numbers: the first word of non-zero probability.
    expect(words(ATTN.sample([[0, 0.5, 0.5]], vocab, [[null]] as never))).toEqual(["b"]);
  });

  test("temperature: a number above 0", () => {
    expect(message(ATTN.sample(P, vocab, [[0.5]], 0))).toBe(`temperature should be a number greater than 0, got 0 (${BLANK_HINT})`);
    expect(message(ATTN.sample(P, vocab, [[0.5]], -1))).toBe("temperature should be a number greater than 0, got -1");
    expect(message(ATTN.sample(P, vocab, [[0.5]], "hot" as never))).toBe(
      'temperature should be a number greater than 0, got the text "hot"',
    );
    expect(message(ATTN.sample(P, vocab, [[0.5]], Infinity))).toBe("temperature should be a number greater than 0, got Infinity");
  });

  test("topK: a whole number, 0 or more", () => {
    expect(message(ATTN.sample(P, vocab, [[0.5]], 1, 1.5))).toBe("topK should be a whole number of at least 0, got 1.5");
    expect(message(ATTN.sample(P, vocab, [[0.5]], 1, -1))).toBe("topK should be a whole number of at least 0, got -1");
    expect(message(ATTN.sample(P, vocab, [[0.5]], 1, "all" as never))).toBe(
      'topK should be a whole number of at least 0, got the text "all"',
    );
  });
});
