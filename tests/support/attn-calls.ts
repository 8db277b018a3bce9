/**
 * fast-check generators of valid ATTN.* calls, as Excel would make them:
 * ranges as 2-D arrays, an omitted optional argument as undefined or null.
 * Each generator gives the arguments in the order of the function's
 * parameters in src/functions/functions.ts.
 */
import fc from "fast-check";
import { PAD } from "../../src/model/vocab";

export type Args = unknown[];

/**
 * A value in [−3, 3]. Not fc.double, which mostly gives values near 0 or at
 * the bounds, so that scaling by √d_k or a softmax would often not matter.
 */
export const value = fc.integer({ min: -3_000_000, max: 3_000_000 }).map((i) => i / 1_000_000);
export const size = (max = 5) => fc.integer({ min: 1, max });

export function matrix(rows: number, cols: number): fc.Arbitrary<number[][]> {
  return fc.array(fc.array(value, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });
}

/** A list of cells as one row or one column, as a user may lay it out. */
export function line<T>(cells: readonly T[]): fc.Arbitrary<T[][]> {
  return fc.boolean().map((column) => (column ? cells.map((c) => [c]) : [[...cells]]));
}

/** A row of `n` numbers, laid out as a row or a column; or omitted (undefined or null) when `optional`. */
function vector(n: number, optional: boolean): fc.Arbitrary<unknown> {
  const given = fc.array(value, { minLength: n, maxLength: n }).chain(line);
  return optional ? fc.oneof(fc.constantFrom(undefined, null), given) : given;
}

const bit = fc.constantFrom(0, 1);

const someVisible = (rows: number[][]): boolean => rows.some((r) => r.includes(1));

/** Every way to give a mask of n queries over m keys; a range shows some key (one of blanks or 0s hides all, an error). */
export function maskArg(n: number, m: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(undefined, null, "causal", "none", "Causal", [["causal"]]),
    fc.array(fc.array(bit, { minLength: m, maxLength: m }), { minLength: n, maxLength: n }).filter(someVisible),
    fc
      .array(bit, { minLength: m, maxLength: m })
      .map((row) => [row])
      .filter(someVisible),
  );
}

/** Omitted (self-attention) or a matrix of m rows and `cols` columns. */
function kvArg(m: number, cols: number): fc.Arbitrary<unknown> {
  return fc.oneof(fc.constantFrom(undefined, null), matrix(m, cols));
}

/** A vocabulary of v words, <pad> among them, and its words. */
export function vocabulary(v: number): fc.Arbitrary<{ words: string[]; vocab: unknown[][] }> {
  const words = [PAD, ...Array.from({ length: v - 1 }, (_, i) => `w${i}`)];
  return line(words).map((vocab) => ({ words, vocab }));
}

const WORDS = ["The", "cat", "sat", "on", "the", "mat.", "¿Dónde", "está?", '"Hi"', "a,b", "x"];

export const valid = {
  TOKENS: fc
    .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 })
    .chain((ws) => fc.constantFrom(" ", "  ", "\t", "\n").map((sep) => [` ${ws.join(sep)} `])),

  POSENC: fc
    .tuple(size(20), size(12))
    .chain(([n, d]) =>
      fc.tuple(fc.constant(n), fc.constant(d), fc.oneof(fc.constantFrom(undefined, null), fc.integer({ min: 0, max: d }))),
    ),

  EMBED: fc
    .tuple(size(6), size(4), fc.integer({ min: 2, max: 8 }))
    .chain(([n, d, v]) =>
      vocabulary(v).chain(({ words, vocab }) =>
        fc.tuple(fc.array(fc.constantFrom(...words), { minLength: n, maxLength: n }).chain(line), fc.constant(vocab), matrix(v, d)),
      ),
    ),

  SCORE: fc
    .tuple(size(), size(), size())
    .chain(([n, m, dk]) => fc.tuple(matrix(n, dk), matrix(m, dk), fc.constantFrom(undefined, null, true, false))),

  SOFTMAX: fc.tuple(size(), size()).chain(([n, m]) => fc.tuple(matrix(n, m), maskArg(n, m))),

  PROBS: fc.tuple(size(), size()).chain(([n, v]) => fc.tuple(matrix(n, v))),

  WEIGHTS: fc.tuple(size(), size(), size(), size(), size()).chain(([n, m, d, dkv, dk]) =>
    kvArg(m, dkv).chain((Xkv) => {
      const keys = Array.isArray(Xkv) ? m : n;
      const kvCols = Array.isArray(Xkv) ? dkv : d;
      return fc.tuple(matrix(n, d), matrix(d, dk), matrix(kvCols, dk), maskArg(n, keys), fc.constant(Xkv));
    }),
  ),

  HEAD: fc.tuple(size(), size(), size(), size(), size(), size()).chain(([n, m, d, dkv, dk, dv]) =>
    kvArg(m, dkv).chain((Xkv) => {
      const keys = Array.isArray(Xkv) ? m : n;
      const kvCols = Array.isArray(Xkv) ? dkv : d;
      return fc.tuple(matrix(n, d), matrix(d, dk), matrix(kvCols, dk), matrix(kvCols, dv), maskArg(n, keys), fc.constant(Xkv));
    }),
  ),

  MULTIHEAD: fc.tuple(size(), size(), size(), size(), size(4), size(3), size(3), size()).chain(([n, m, d, dkv, h, dk, dv, dOut]) =>
    kvArg(m, dkv).chain((Xkv) => {
      const keys = Array.isArray(Xkv) ? m : n;
      const kvCols = Array.isArray(Xkv) ? dkv : d;
      return fc.tuple(
        matrix(n, d),
        matrix(d, h * dk),
        matrix(kvCols, h * dk),
        matrix(kvCols, h * dv),
        matrix(h * dv, dOut),
        fc.constant(h),
        maskArg(n, keys),
        fc.constant(Xkv),
      );
    }),
  ),

  // Rows of three spreads: with values up to 0.003 the variance is near ε = 1e-5, so ε matters.
  LAYERNORM: fc.tuple(size(), size(6), fc.constantFrom(1, 0.01, 0.001)).chain(([n, d, spread]) =>
    fc.tuple(
      matrix(n, d).map((rows) => rows.map((r) => r.map((x) => x * spread))),
      vector(d, true),
      vector(d, true),
    ),
  ),

  LINEAR: fc.tuple(size(), size(), size()).chain(([n, d, m]) => fc.tuple(matrix(n, d), matrix(d, m), vector(m, true))),

  FFN: fc
    .tuple(size(), size(), size(), size())
    .chain(([n, d, f, dOut]) => fc.tuple(matrix(n, d), matrix(d, f), vector(f, false), matrix(f, dOut), vector(dOut, false))),

  LOSS: fc.tuple(size(), fc.integer({ min: 2, max: 8 })).chain(([n, v]) =>
    vocabulary(v).chain(({ words, vocab }) =>
      fc.tuple(
        matrix(n, v),
        // The first target is a real word, so that some row counts.
        fc
          .tuple(fc.constantFrom(...words.slice(1)), fc.array(fc.constantFrom(...words), { minLength: n - 1, maxLength: n - 1 }))
          .chain(([first, rest]) => line([first, ...rest])),
        fc.constant(vocab),
      ),
    ),
  ),

  ARGMAX: fc
    .tuple(size(), fc.integer({ min: 2, max: 8 }))
    .chain(([n, v]) => vocabulary(v).chain(({ vocab }) => fc.tuple(matrix(n, v), fc.constant(vocab)))),

  // Rows of weights 0 to 5 (some 0, never all), each divided by its sum; a dice value per row; T and K often omitted.
  SAMPLE: fc.tuple(size(), fc.integer({ min: 2, max: 8 })).chain(([n, v]) =>
    vocabulary(v).chain(({ vocab }) =>
      fc.tuple(
        fc
          .array(
            fc.array(fc.integer({ min: 0, max: 5 }), { minLength: v, maxLength: v }).filter((r) => r.some((x) => x > 0)),
            { minLength: n, maxLength: n },
          )
          .map((rows) => rows.map((r) => r.map((x) => x / r.reduce((s, y) => s + y, 0)))),
        fc.constant(vocab),
        fc.array(fc.integer({ min: 0, max: 999_999 }), { minLength: n, maxLength: n }).chain((d) => line(d.map((x) => x / 1_000_000))),
        fc.oneof(
          fc.constantFrom(undefined, null, 1),
          fc.integer({ min: 1, max: 50 }).map((t) => t / 10),
        ),
        fc.oneof(fc.constantFrom(undefined, null), fc.integer({ min: 0, max: v + 1 })),
      ),
    ),
  ),

  MASK: size(12).chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.constantFrom(undefined, null, "causal", "none", "NONE"),
      fc.oneof(
        fc.constantFrom(undefined, null),
        fc
          .array(fc.constantFrom(0, 1, true, false), { minLength: n, maxLength: n })
          .filter((flags) => flags.some((f) => f === 1 || f === true)) // all padding is an error
          .chain(line),
      ),
    ),
  ),
} satisfies Record<string, fc.Arbitrary<Args>>;

export type FunctionName = keyof typeof valid;
