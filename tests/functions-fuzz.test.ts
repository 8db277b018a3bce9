/**
 * Bad input to the ATTN.* functions, fuzzed: a random valid call with one
 * argument broken (wrong shape, empty cell, text where a number belongs, NaN
 * or infinite values, heads that do not divide the width, inputs too large,
 * a wrong mask, an unknown token). Every such call returns, never throws, a
 * CustomFunctions.Error: #N/A for an unknown token, #VALUE! otherwise, with a
 * message that names the broken argument.
 */
import fc from "fast-check";
import { CustomFunctionError, ErrorCode } from "./support/custom-functions-stub";
import { Args, FunctionName, valid } from "./support/attn-calls";
import * as ATTN from "../src/functions/functions";
import { MAX_CELLS, MAX_POSITIONS } from "../src/functions/args";
import { PAD } from "../src/model/vocab";

/** A broken call, the arguments its message must name, and its error code. */
interface Bad {
  args: Args;
  names: readonly string[];
  code?: string;
}

type Grid = unknown[][];

interface Spec {
  call: (...args: never[]) => unknown;
  params: string[];
  /** Ranges of numbers. */
  numbers?: string[];
  /** Ranges of numbers whose rows are positions (at most MAX_POSITIONS). */
  positions?: string[];
  /** One row or column of words. */
  words?: string[];
  /** Breakers for this function alone. */
  specific?: (args: Args, at: (name: string) => unknown) => fc.Arbitrary<Bad>[];
}

const RUNS_PER_FUNCTION = 700;
const BAD_NUMBERS: unknown[] = [null, undefined, "", "abc", "1", NaN, Infinity, -Infinity, true, false, {}, new CustomFunctionError(ErrorCode.notAvailable)];
/** Bad cells for an optional argument: null or undefined in a 1 × 1 range would mean "omitted". */
const BAD_OPTIONAL_NUMBERS = BAD_NUMBERS.filter((v) => v !== null && v !== undefined);
const BAD_WORDS: unknown[] = [null, undefined, "", true, NaN, Infinity, {}];
const OPTIONAL = new Set(["encodedDims", "scaled", "mask", "Xkv", "gamma", "beta", "b", "kind", "padding"]);

const shape = (g: unknown): [number, number] => [(g as Grid).length, (g as Grid)[0].length];
const ones = (rows: number, cols: number): number[][] => Array.from({ length: rows }, () => Array(cols).fill(1));
/** rows × cols of 0.5, every row the same array: cheap even when huge. */
const filled = (rows: number, cols: number): number[][] => Array(rows).fill(Array(cols).fill(0.5));
const addRow = (g: unknown): Grid => [...(g as Grid), (g as Grid)[0]];
const addColumn = (g: unknown): Grid => (g as Grid).map((r) => [...r, 0.5]);
const line = (cells: unknown[]): Grid => [cells];
const cellsOf = (g: unknown): unknown[] => ((g as Grid).length === 1 ? (g as Grid)[0] : (g as Grid).map((r) => r[0]));

/** A copy of `g` with cell (i, j) replaced, the cell picked at random. */
function withCell(g: unknown, values: unknown[]): fc.Arbitrary<Grid> {
  const [rows, cols] = shape(g);
  return fc.tuple(fc.nat(rows - 1), fc.nat(cols - 1), fc.constantFrom(...values)).map(([i, j, v]) =>
    (g as Grid).map((r, ri) => (ri === i ? r.map((c, cj) => (cj === j ? v : c)) : r)),
  );
}

function set(args: Args, params: string[], name: string, v: unknown): Args {
  const out = [...args];
  out[params.indexOf(name)] = v;
  return out;
}

/** Generic breakers: bad cells, bad structure and huge sizes for every range argument present. */
function breakers(spec: Spec, args: Args): fc.Arbitrary<Bad>[] {
  const at = (name: string) => args[spec.params.indexOf(name)];
  const bad = (name: string, v: fc.Arbitrary<unknown>, code?: string) => v.map((value) => ({ args: set(args, spec.params, name, value), names: [name], code }));
  const present = (name: string) => at(name) !== undefined && at(name) !== null;
  const out: fc.Arbitrary<Bad>[] = [];
  for (const name of [...(spec.numbers ?? []), ...(spec.positions ?? [])].filter(present)) {
    const g = at(name);
    const [rows, cols] = shape(g);
    out.push(bad(name, withCell(g, OPTIONAL.has(name) ? BAD_OPTIONAL_NUMBERS : BAD_NUMBERS)));
    out.push(bad(name, fc.constantFrom<unknown>([], [[]], "abc", rows > 1 ? [(g as Grid)[0], (g as Grid)[1].slice(1)] : [[]])));
    out.push(bad(name, fc.constant(filled(MAX_CELLS / 1000 + 1, 1000))));
    if (spec.positions?.includes(name)) out.push(bad(name, fc.constant(filled(MAX_POSITIONS + 1, cols))));
  }
  for (const name of (spec.words ?? []).filter(present)) {
    const cells = cellsOf(at(name));
    out.push(bad(name, fc.tuple(fc.nat(cells.length - 1), fc.constantFrom(...BAD_WORDS)).map(([i, v]) => line(cells.map((c, j) => (j === i ? v : c))))));
    out.push(bad(name, fc.constantFrom<unknown>([], [[]], [["a", "b"], ["c", "d"]], null)));
  }
  out.push(...(spec.specific?.(args, at) ?? []));
  return out;
}

/** Masks for n queries over m keys that are wrong. */
function badMasks(n: number, m: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>("causl", "diagonal", "", [["CAUSAL!"]], [], [[]], ones(n + 1, m), ones(n, m + 1), 5),
    withCell(ones(n, m), [2, 0.5, -1, "x", "", NaN, {}]),
  );
}

function attentionBreakers(params: string[]) {
  return (args: Args, at: (name: string) => unknown): fc.Arbitrary<Bad>[] => {
    const bad = (name: string, v: fc.Arbitrary<unknown>, names: readonly string[] = [name]) => v.map((value) => ({ args: set(args, params, name, value), names }));
    const n = shape(at("X"))[0];
    const Xkv = at("Xkv");
    const m = Xkv ? shape(Xkv)[0] : n;
    const out = [
      bad("mask", badMasks(n, m)),
      bad("Wq", fc.constant(addRow(at("Wq")))),
      bad("Wk", fc.constantFrom(addRow(at("Wk")), addColumn(at("Wk")))),
      // Keys from a source too wide for Wk (without the mask, which would no longer fit first).
      fc.constant({ args: set(set(args, params, "mask", undefined), params, "Xkv", filled(2, shape(at("Wk"))[0] + 1)), names: ["Xkv"] }),
    ];
    if (params.includes("Wv")) out.push(bad("Wv", fc.constant(addRow(at("Wv")))));
    if (params.includes("Wo")) {
      const width = shape(at("Wq"))[1];
      out.push(bad("Wo", fc.constant(addRow(at("Wo")))));
      out.push(bad("heads", fc.constantFrom<unknown>(0, -1, 1.5, "two", null, NaN, Infinity, width + 1, [[2, 2]])));
      // Too much work: 500 positions of width 1000 against 1000 × 200 weights.
      const wide = filled(500, 1000), w = filled(1000, 200);
      out.push(fc.constant({ args: [wide, w, w, w, filled(200, 4), 2], names: ["X", "Wq"] }));
    }
    return out;
  };
}

const SPECS: Record<FunctionName, Spec> = {
  TOKENS: {
    call: ATTN.tokens,
    params: ["sentence"],
    specific: () => [
      fc
        .constantFrom<unknown>("", "   ", "... !", "¿¡", null, undefined, true, NaN, {}, [[]], Array(MAX_POSITIONS + 1).fill("word").join(" "))
        .map((s) => ({ args: [s], names: ["sentence"] })),
    ],
  },
  POSENC: {
    call: ATTN.posenc,
    params: ["positions", "dims", "encodedDims"],
    specific: ([n, d]) => [
      fc.constantFrom<unknown>(0, -1, 1.5, MAX_POSITIONS + 1, "3", null, NaN, Infinity, true).map((v) => ({ args: [v, d], names: ["positions"] })),
      fc.constantFrom<unknown>(0, -2, 2.5, 1e7, "x", null).map((v) => ({ args: [n, v], names: ["dims"] })),
      fc.constantFrom<unknown>((d as number) + 1, -1, 0.5, "x").map((v) => ({ args: [n, d, v], names: ["encodedDims"] })),
    ],
  },
  EMBED: {
    call: ATTN.embed,
    params: ["tokens", "vocab", "embedding"],
    numbers: ["embedding"],
    words: ["tokens", "vocab"],
    specific: ([tokens, vocab, embedding]) => {
      const words = cellsOf(tokens), known = cellsOf(vocab);
      return [
        fc.nat(words.length - 1).map((i) => ({ args: [line(words.map((w, j) => (j === i ? "zzz" : w))), vocab, embedding], names: ["tokens"], code: ErrorCode.notAvailable })),
        fc.constant({ args: [tokens, vocab, addRow(embedding)], names: ["embedding", "vocab"] }),
        fc.constant({ args: [tokens, line([...known, known[0]]), embedding], names: ["vocab"] }),
        fc.constant({ args: [tokens, line([...known, "extra"]), embedding], names: ["embedding", "vocab"] }),
        fc.constant({ args: [filled(MAX_POSITIONS + 1, 1).map(() => [known[0]]), vocab, embedding], names: ["tokens"] }),
      ];
    },
  },
  SCORE: {
    call: ATTN.score,
    params: ["Q", "K", "scaled"],
    positions: ["Q", "K"],
    specific: ([Q, K]) => [
      fc.constant({ args: [Q, addColumn(K)], names: ["K", "Q"] }),
      fc.constantFrom<unknown>("maybe", 2, -1, NaN, [[1, 0]]).map((v) => ({ args: [Q, K, v], names: ["scaled"] })),
      fc.constant({ args: [filled(500, 500), filled(500, 500)], names: ["Q", "K"] }),
    ],
  },
  SOFTMAX: {
    call: ATTN.softmax,
    params: ["scores", "mask"],
    positions: ["scores"],
    specific: ([S]) => [badMasks(...shape(S)).map((mask) => ({ args: [S, mask], names: ["mask"] }))],
  },
  PROBS: { call: ATTN.probs, params: ["logits"], positions: ["logits"] },
  WEIGHTS: {
    call: ATTN.weights,
    params: ["X", "Wq", "Wk", "mask", "Xkv"],
    numbers: ["Wq", "Wk"],
    positions: ["X", "Xkv"],
    specific: attentionBreakers(["X", "Wq", "Wk", "mask", "Xkv"]),
  },
  HEAD: {
    call: ATTN.head,
    params: ["X", "Wq", "Wk", "Wv", "mask", "Xkv"],
    numbers: ["Wq", "Wk", "Wv"],
    positions: ["X", "Xkv"],
    specific: attentionBreakers(["X", "Wq", "Wk", "Wv", "mask", "Xkv"]),
  },
  MULTIHEAD: {
    call: ATTN.multihead,
    params: ["X", "Wq", "Wk", "Wv", "Wo", "heads", "mask", "Xkv"],
    numbers: ["Wq", "Wk", "Wv", "Wo"],
    positions: ["X", "Xkv"],
    specific: attentionBreakers(["X", "Wq", "Wk", "Wv", "Wo", "heads", "mask", "Xkv"]),
  },
  LAYERNORM: {
    call: ATTN.layernorm,
    params: ["X", "gamma", "beta"],
    numbers: ["X", "gamma", "beta"],
    specific: ([X, gamma, beta]) => {
      const d = shape(X)[1];
      return [
        fc.constant({ args: [X, line(Array(d + 1).fill(1)), beta], names: ["gamma"] }),
        withCell(line(Array(d).fill(0)), BAD_OPTIONAL_NUMBERS).map((b) => ({ args: [X, gamma, b], names: ["beta"] })),
      ];
    },
  },
  LINEAR: {
    call: ATTN.linear,
    params: ["X", "W", "b"],
    numbers: ["X", "W", "b"],
    specific: ([X, W]) => [
      fc.constant({ args: [X, addRow(W)], names: ["W"] }),
      fc.constant({ args: [X, W, line(Array(shape(W)[1] + 1).fill(1))], names: ["b"] }),
      fc.constant({ args: [[[1e200, 1e200]], [[1e200], [1e200]]], names: ["result"] }),
      fc.constant({ args: [filled(200, 1000), filled(1000, 1000)], names: ["X", "W"] }),
    ],
  },
  FFN: {
    call: ATTN.ffn,
    params: ["X", "W1", "b1", "W2", "b2"],
    numbers: ["X", "W1", "b1", "W2", "b2"],
    specific: ([X, W1, b1, W2, b2]) => [
      fc.constant({ args: [X, addRow(W1), b1, W2, b2], names: ["W1"] }),
      fc.constant({ args: [X, W1, line(Array(shape(W1)[1] + 1).fill(0)), W2, b2], names: ["b1"] }),
      fc.constant({ args: [X, W1, b1, addRow(W2), b2], names: ["W2"] }),
      fc.constant({ args: [X, W1, b1, W2, line(Array(shape(W2)[1] + 1).fill(0))], names: ["b2"] }),
      fc.constantFrom<unknown>(undefined, null).map((v) => ({ args: [X, W1, v, W2, b2], names: ["b1"] })),
    ],
  },
  LOSS: {
    call: ATTN.loss,
    params: ["logits", "targets", "vocab"],
    positions: ["logits"],
    words: ["targets", "vocab"],
    specific: ([L, targets, vocab]) => {
      const ts = cellsOf(targets), known = cellsOf(vocab);
      return [
        fc.nat(ts.length - 1).map((i) => ({ args: [L, line(ts.map((t, j) => (j === i ? "zzz" : t))), vocab], names: ["targets"], code: ErrorCode.notAvailable })),
        fc.constant({ args: [L, line(ts.map(() => PAD)), vocab], names: ["targets"] }),
        fc.constant({ args: [L, line([...ts, known[1]]), vocab], names: ["targets", "logits"] }),
        fc.constant({ args: [L, targets, line([...known, "extra"])], names: ["logits", "vocab"] }),
        fc.constant({ args: [L, targets, line([...known, known[1]])], names: ["vocab"] }),
      ];
    },
  },
  ARGMAX: {
    call: ATTN.argmax,
    params: ["probs", "vocab"],
    positions: ["probs"],
    words: ["vocab"],
    specific: ([P, vocab]) => [
      fc.constant({ args: [P, line([...cellsOf(vocab), "extra"])], names: ["probs", "vocab"] }),
      fc.constant({ args: [P, line([...cellsOf(vocab), cellsOf(vocab)[0]])], names: ["vocab"] }),
    ],
  },
  MASK: {
    call: ATTN.mask,
    params: ["n", "kind", "padding"],
    specific: ([n, kind]) => [
      fc.constantFrom<unknown>(0, -3, 2.5, MAX_POSITIONS + 1, "5", null, NaN).map((v) => ({ args: [v], names: ["n"] })),
      fc.constantFrom<unknown>("causl", 1, true, "", [[]]).map((v) => ({ args: [n, v], names: ["kind"] })),
      fc.constant({ args: [n, kind, line(Array((n as number) + 1).fill(1))], names: ["padding"] }),
      withCell(line(Array(n as number).fill(1)), [2, "x", -1, 0.5, NaN, ""]).map((p) => ({ args: [n, kind, p], names: ["padding"] })),
    ],
  },
};

/** Invocations of bad calls, counted over the whole file. */
let calls = 0;

describe("every bad call returns a CustomFunctions.Error that names the argument", () => {
  test.each(Object.keys(SPECS) as FunctionName[])("%s", (name) => {
    const spec = SPECS[name];
    const badCall = (valid[name] as fc.Arbitrary<Args>).chain((args) => fc.oneof(...breakers(spec, args)));
    fc.assert(
      fc.property(badCall, ({ args, names, code }) => {
        calls++;
        let result: unknown;
        try {
          result = spec.call(...(args as never[]));
        } catch (error) {
          throw new Error(`ATTN.${name} threw ${String(error)}`);
        }
        if (!(result instanceof CustomFunctionError)) throw new Error(`ATTN.${name} returned ${JSON.stringify(result)?.slice(0, 200)} instead of an error`);
        expect(result.code).toBe(code ?? ErrorCode.invalidValue);
        expect(result.message?.trim()).toBeTruthy();
        for (const n of names) {
          if (!new RegExp(`(^|[^A-Za-z0-9_])${n}($|[^A-Za-z0-9_])`).test(result.message!)) {
            throw new Error(`ATTN.${name}: the message "${result.message}" does not name ${n}`);
          }
        }
      }),
      { numRuns: RUNS_PER_FUNCTION },
    );
  });

  afterAll(() => expect(calls).toBeGreaterThanOrEqual(10_000));
});

describe("messages say what was expected and what came in", () => {
  const X = [[1, 2, 3, 4, 5]];
  const message = (r: unknown) => (r as CustomFunctionError).message;

  test("shapes", () => {
    expect(message(ATTN.multihead(X, ones(4, 2), ones(5, 2), ones(5, 2), ones(2, 5), 1))).toBe("Wq has 4 rows but X has 5 columns");
    expect(message(ATTN.multihead(X, ones(5, 8), ones(5, 8), ones(5, 8), ones(8, 5), 3))).toBe(
      "heads is 3 but Wq has 8 columns, which do not split into 3 equal heads",
    );
    expect(message(ATTN.softmax(ones(3, 3), ones(2, 3)))).toBe(
      "mask is 2 × 3 but there are 3 queries and 3 keys; it needs 3 × 3 (a row per query, a column per key), one row of 3, or \"causal\"",
    );
  });

  test("cells", () => {
    expect(message(ATTN.linear([[1, null]], ones(2, 1)))).toBe("X row 1, column 2 is empty; every cell needs a number");
    expect(message(ATTN.linear([[1, 2], ["abc", 3]], ones(2, 1)))).toBe('X row 2, column 1 holds the text "abc" where a number belongs');
    expect(message(ATTN.linear(X, filled(5, 1).map(() => [NaN])))).toBe("W row 1, column 1 is NaN (not a number); every cell needs a finite number");
  });

  test("sizes", () => {
    expect(message(ATTN.head(filled(600, 2), ones(2, 2), ones(2, 2), ones(2, 2)))).toBe("X has 600 rows; at most 512 positions can be computed quickly");
    expect(message(ATTN.mask(1000))).toBe("n should be a whole number from 1 to 512, got 1000");
  });

  test("an unknown word is #N/A and the message lists the vocabulary", () => {
    const r = ATTN.embed([["the", "dog"]], [["<pad>", "the", "cat"]], ones(3, 2)) as CustomFunctionError;
    expect(r.code).toBe(ErrorCode.notAvailable);
    expect(r.message).toBe('"dog" is not in the vocabulary (tokens, cell 2); known words: <pad>, the, cat');
  });
});
