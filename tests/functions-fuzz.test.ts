/**
 * Bad input to the ATTN.* functions, fuzzed: a random valid call with one
 * argument broken (wrong shape, an empty word, text where a number belongs,
 * NaN or infinite values, heads that do not divide the width, inputs too
 * large, a wrong mask, an unknown token). Every such call returns, never
 * throws, a CustomFunctions.Error: #N/A for an unknown token, #VALUE!
 * otherwise, with a message that names the broken argument.
 *
 * A blank cell reaches a matrix argument as 0 in Excel on Windows and Mac
 * and as null on the web (office-js #4702, #5262); "" stands for a formula's
 * empty text. Each call gives the same result with every encoding.
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
/** Not numbers; a blank (null, "" or 0) is a number: 0, as Excel desktop passes it. */
const BAD_NUMBERS: unknown[] = [
  "abc",
  "1",
  NaN,
  Infinity,
  -Infinity,
  true,
  false,
  {},
  new CustomFunctionError(ErrorCode.notAvailable),
  { type: "Error", basicValue: "#DIV/0!" },
];
/** A blank word, as each host encodes it, and values that are no word. */
const BAD_WORDS: unknown[] = [null, undefined, "", 0, true, NaN, Infinity, {}];
/** The encodings of a blank cell: the web's null, an empty text, and Excel desktop's 0. */
const BLANKS: unknown[] = [null, "", 0];
const BLANK_HINT = "a blank cell reads as 0 in Excel desktop";

const shape = (g: unknown): [number, number] => [(g as Grid).length, (g as Grid)[0].length];
const ones = (rows: number, cols: number): number[][] => Array.from({ length: rows }, () => Array(cols).fill(1));
const zeros = (rows: number, cols: number): number[][] => Array.from({ length: rows }, () => Array(cols).fill(0));
/** rows × cols of 0.5, every row the same array: cheap even when huge. */
const filled = (rows: number, cols: number): number[][] => Array(rows).fill(Array(cols).fill(0.5));
const addRow = (g: unknown): Grid => [...(g as Grid), (g as Grid)[0]];
const addColumn = (g: unknown): Grid => (g as Grid).map((r) => [...r, 0.5]);
const line = (cells: unknown[]): Grid => [cells];
const cellsOf = (g: unknown): unknown[] => ((g as Grid).length === 1 ? (g as Grid)[0] : (g as Grid).map((r) => r[0]));

/** A copy of `g` with cell (i, j) replaced, the cell picked at random. */
function withCell(g: unknown, values: unknown[]): fc.Arbitrary<Grid> {
  const [rows, cols] = shape(g);
  return fc
    .tuple(fc.nat(rows - 1), fc.nat(cols - 1), fc.constantFrom(...values))
    .map(([i, j, v]) => (g as Grid).map((r, ri) => (ri === i ? r.map((c, cj) => (cj === j ? v : c)) : r)));
}

function set(args: Args, params: string[], name: string, v: unknown): Args {
  const out = [...args];
  out[params.indexOf(name)] = v;
  return out;
}

/** Generic breakers: bad cells, bad structure and huge sizes for every range argument present. */
function breakers(spec: Spec, args: Args): fc.Arbitrary<Bad>[] {
  const at = (name: string) => args[spec.params.indexOf(name)];
  const bad = (name: string, v: fc.Arbitrary<unknown>, code?: string) =>
    v.map((value) => ({ args: set(args, spec.params, name, value), names: [name], code }));
  const present = (name: string) => at(name) !== undefined && at(name) !== null;
  const out: fc.Arbitrary<Bad>[] = [];
  for (const name of [...(spec.numbers ?? []), ...(spec.positions ?? [])].filter(present)) {
    const g = at(name);
    const [rows, cols] = shape(g);
    out.push(bad(name, withCell(g, BAD_NUMBERS)));
    out.push(bad(name, fc.constantFrom<unknown>([], [[]], "abc", rows > 1 ? [(g as Grid)[0], (g as Grid)[1].slice(1)] : [[]])));
    out.push(bad(name, fc.constant(filled(MAX_CELLS / 1000 + 1, 1000))));
    if (spec.positions?.includes(name)) out.push(bad(name, fc.constant(filled(MAX_POSITIONS + 1, cols))));
  }
  for (const name of (spec.words ?? []).filter(present)) {
    const cells = cellsOf(at(name));
    out.push(
      bad(
        name,
        fc.tuple(fc.nat(cells.length - 1), fc.constantFrom(...BAD_WORDS)).map(([i, v]) => line(cells.map((c, j) => (j === i ? v : c)))),
      ),
    );
    out.push(
      bad(
        name,
        fc.constantFrom<unknown>(
          [],
          [[]],
          [
            ["a", "b"],
            ["c", "d"],
          ],
          null,
        ),
      ),
    );
  }
  out.push(...(spec.specific?.(args, at) ?? []));
  return out;
}

/** Masks for n queries over m keys that are wrong. */
function badMasks(n: number, m: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>("causl", "diagonal", "", [["CAUSAL!"]], [], [[]], ones(n + 1, m), ones(n, m + 1), 5),
    withCell(ones(n, m), [2, 0.5, -1, "x", NaN, {}]),
    // Every key hidden: all 0, or all blank in either encoding.
    fc.constantFrom<unknown>(
      zeros(n, m),
      zeros(1, m),
      [[null]],
      [[0]],
      [[""]],
      Array.from({ length: n }, () => Array(m).fill(null)),
    ),
  );
}

function attentionBreakers(params: string[]) {
  return (args: Args, at: (name: string) => unknown): fc.Arbitrary<Bad>[] => {
    const bad = (name: string, v: fc.Arbitrary<unknown>, names: readonly string[] = [name]) =>
      v.map((value) => ({ args: set(args, params, name, value), names }));
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
      const wide = filled(500, 1000),
        w = filled(1000, 200);
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
        .constantFrom<unknown>(
          "",
          "   ",
          "... !",
          "¿¡",
          null,
          undefined,
          0,
          "0",
          true,
          NaN,
          {},
          [[]],
          [["the", "cat"]],
          Array(MAX_POSITIONS + 1)
            .fill("word")
            .join(" "),
        )
        .map((s) => ({ args: [s], names: ["sentence"] })),
    ],
  },
  POSENC: {
    call: ATTN.posenc,
    params: ["positions", "dims", "encodedDims"],
    specific: ([n, d]) => [
      fc
        .constantFrom<unknown>(0, -1, 1.5, MAX_POSITIONS + 1, "3", null, NaN, Infinity, true)
        .map((v) => ({ args: [v, d], names: ["positions"] })),
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
      const words = cellsOf(tokens),
        known = cellsOf(vocab);
      return [
        fc.nat(words.length - 1).map((i) => ({
          args: [line(words.map((w, j) => (j === i ? "zzz" : w))), vocab, embedding],
          names: ["tokens"],
          code: ErrorCode.notAvailable,
        })),
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
        withCell(line(Array(d).fill(0)), BAD_NUMBERS).map((b) => ({ args: [X, gamma, b], names: ["beta"] })),
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
      const ts = cellsOf(targets),
        known = cellsOf(vocab);
      return [
        fc.nat(ts.length - 1).map((i) => ({
          args: [L, line(ts.map((t, j) => (j === i ? "zzz" : t))), vocab],
          names: ["targets"],
          code: ErrorCode.notAvailable,
        })),
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
  SAMPLE: {
    call: ATTN.sample,
    params: ["probs", "vocab", "dice", "temperature", "topK"],
    numbers: ["dice"],
    positions: ["probs"],
    words: ["vocab"],
    specific: ([P, vocab, dice, T, K]) => {
      const rows = P as Grid,
        known = cellsOf(vocab);
      const withRow0 = (row: unknown[]) => [row, ...rows.slice(1)];
      return [
        fc.constant({ args: [P, line([...known, "extra"]), dice], names: ["probs", "vocab"] }),
        fc.constant({ args: [P, line([...known, known[0]]), dice], names: ["vocab"] }),
        // A negative probability, a row that does not add up to 1, a row of blanks (0 on desktop).
        fc.constant({ args: [withRow0([-0.5, 1.5, ...Array(known.length - 2).fill(0)]), vocab, dice], names: ["probs"] }),
        fc.constant({ args: [withRow0(rows[0].map((x) => (x as number) * 2)), vocab, dice], names: ["probs"] }),
        fc.constantFrom(null, "", 0).map((blank) => ({ args: [withRow0(rows[0].map(() => blank)), vocab, dice], names: ["probs"] })),
        fc.constant({ args: [P, vocab, line([...cellsOf(dice), 0.5])], names: ["dice", "probs"] }),
        withCell(dice, [1, -0.25, 1.5, 100, -1e-12]).map((d) => ({ args: [P, vocab, d], names: ["dice"] })),
        fc
          .constantFrom<unknown>(0, -1, "hot", NaN, Infinity, true, [[1, 2]])
          .map((t) => ({ args: [P, vocab, dice, t, K], names: ["temperature"] })),
        fc
          .constantFrom<unknown>(-1, 1.5, "all", NaN, Infinity, true, [[1, 2]])
          .map((k) => ({ args: [P, vocab, dice, T, k], names: ["topK"] })),
      ];
    },
  },
  MASK: {
    call: ATTN.mask,
    params: ["n", "kind", "padding"],
    specific: ([n, kind]) => [
      fc.constantFrom<unknown>(0, -3, 2.5, MAX_POSITIONS + 1, "5", null, NaN).map((v) => ({ args: [v], names: ["n"] })),
      fc.constantFrom<unknown>("causl", 1, true, [[]]).map((v) => ({ args: [n, v], names: ["kind"] })),
      fc.constant({ args: [n, kind, line(Array((n as number) + 1).fill(1))], names: ["padding"] }),
      withCell(line(Array(n as number).fill(1)), [2, "x", -1, 0.5, NaN]).map((p) => ({ args: [n, kind, p], names: ["padding"] })),
      fc.constantFrom<unknown>(null, "", 0).map((blank) => ({ args: [n, kind, line(Array(n as number).fill(blank))], names: ["padding"] })),
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
        if (!(result instanceof CustomFunctionError))
          throw new Error(`ATTN.${name} returned ${JSON.stringify(result)?.slice(0, 200)} instead of an error`);
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
      'mask is 2 × 3 but there are 3 queries and 3 keys; it needs 3 × 3 (a row per query, a column per key), one row of 3, or "causal"',
    );
  });

  test("cells", () => {
    expect(message(ATTN.linear([[1, {}]], ones(2, 1)))).toBe("X row 1, column 2 holds a value of type object where a number belongs");
    expect(message(ATTN.linear([[1, { type: "Error", errorType: "Div0", basicValue: "#DIV/0!" }]], ones(2, 1)))).toBe(
      "X row 1, column 2 holds the error #DIV/0! where a number belongs",
    );
    expect(
      message(
        ATTN.linear(
          [
            [1, 2],
            ["abc", 3],
          ],
          ones(2, 1),
        ),
      ),
    ).toBe('X row 2, column 1 holds the text "abc" where a number belongs');
    expect(
      message(
        ATTN.linear(
          X,
          filled(5, 1).map(() => [NaN]),
        ),
      ),
    ).toBe("W row 1, column 1 is NaN (not a number); every cell needs a finite number");
  });

  test("sizes", () => {
    expect(message(ATTN.head(filled(600, 2), ones(2, 2), ones(2, 2), ones(2, 2)))).toBe(
      "X has 600 rows; at most 512 positions can be computed quickly",
    );
    expect(message(ATTN.mask(1000))).toBe("n should be a whole number from 1 to 512, got 1000");
  });

  test("an unknown word is #N/A and the message lists the vocabulary", () => {
    const r = ATTN.embed([["the", "dog"]], [["<pad>", "the", "cat"]], ones(3, 2)) as CustomFunctionError;
    expect(r.code).toBe(ErrorCode.notAvailable);
    expect(r.message).toBe('"dog" is not in the vocabulary (tokens, cell 2); known words: <pad>, the, cat');
  });
});

/** What a call gave, comparable across calls: the result, or the error's code and message. */
function outcome(call: () => unknown): unknown {
  const r = call();
  return r instanceof CustomFunctionError ? { code: r.code, message: r.message } : r;
}

/** The range arguments of a valid call whose cells are numbers (or 0/1 flags): a blank there reads as 0. */
function numberRanges(spec: Spec, args: Args): string[] {
  const at = (name: string) => args[spec.params.indexOf(name)];
  const flags = ["mask", "padding"].filter(
    (n) => spec.params.includes(n) && Array.isArray(at(n)) && typeof (at(n) as Grid)[0][0] === "number",
  );
  return [...(spec.numbers ?? []), ...(spec.positions ?? []), ...flags].filter((n) => Array.isArray(at(n)));
}

describe('a blank cell gives the same result on every host: null or "" on the web, 0 in Excel desktop', () => {
  test.each(Object.keys(SPECS) as FunctionName[])("%s", (name) => {
    const spec = SPECS[name];
    const blanked = (valid[name] as fc.Arbitrary<Args>).chain((args) => {
      const ranges = [...numberRanges(spec, args), ...(spec.words ?? [])];
      if (ranges.length === 0) return fc.constant(undefined);
      return fc.constantFrom(...ranges).chain((arg) => {
        const g = args[spec.params.indexOf(arg)] as Grid;
        return fc.tuple(fc.nat(g.length - 1), fc.nat(g[0].length - 1)).map(([i, j]) => ({ args, arg, i, j }));
      });
    });
    fc.assert(
      fc.property(blanked, (c) => {
        if (!c) return;
        const { args, arg, i, j } = c;
        const at = spec.params.indexOf(arg);
        const withBlank = (blank: unknown) =>
          args.map((a, k) => (k === at ? (a as Grid).map((r, ri) => r.map((x, cj) => (ri === i && cj === j ? blank : x))) : a));
        const outcomes = BLANKS.map((blank) => outcome(() => spec.call(...(withBlank(blank) as never[]))));
        if (spec.words?.includes(arg)) {
          for (const o of outcomes) {
            expect(o).toEqual({ code: ErrorCode.invalidValue, message: expect.stringContaining(BLANK_HINT) });
            expect((o as { message: string }).message).toMatch(new RegExp(`(^|[^A-Za-z0-9_])${arg}($|[^A-Za-z0-9_])`));
          }
        } else {
          expect(outcomes[1]).toEqual(outcomes[0]);
          expect(outcomes[2]).toEqual(outcomes[0]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("blank and empty ranges, one rule on every host", () => {
  const message = (r: unknown) => (r as CustomFunctionError).message;
  const S = [
    [0, 1],
    [2, 3],
  ];

  test('a mask of blank cells hides every key, 1 × 1 or wider, so it is an error, never "no mask"', () => {
    for (const mask of [
      [[null]],
      [[0]],
      [[""]],
      [[null, null]],
      [[0, 0]],
      [
        [0, 0],
        [0, 0],
      ],
    ]) {
      const r = ATTN.softmax(S, mask);
      expect(r).toBeInstanceOf(CustomFunctionError);
      expect(message(r)).toBe(
        `mask hides every key from every query (all its cells are 0 or blank; ${BLANK_HINT}); use 1 for a visible key and 0 for a hidden one, or leave mask out`,
      );
    }
    expect(ATTN.softmax(S)).toEqual(ATTN.softmax(S, [[1, 1]]));
    expect(ATTN.softmax(S, [[1, null]])).toEqual(ATTN.softmax(S, [[1, 0]]));
  });

  test("a blank number cell is 0 (Excel desktop cannot tell them apart, so neither does the web)", () => {
    expect(ATTN.linear([[1, null]], ones(2, 1))).toEqual([[1]]);
    expect(ATTN.linear([[1, ""]], ones(2, 1))).toEqual([[1]]);
    expect(ATTN.layernorm([[1, 3]], [[null]])).toEqual(ATTN.layernorm([[1, 3]], [[0]]));
  });

  test("a blank token or word names the cell and says how desktop reads it", () => {
    for (const blank of [null, "", 0]) {
      expect(message(ATTN.embed([["the", blank]], [["<pad>", "the"]], ones(2, 2)))).toBe(
        `tokens cell 2 is ${blank === 0 ? "0" : "empty"}; every cell needs a word (use <pad> for padding; ${BLANK_HINT}, so type '0 for the word 0)`,
      );
    }
    expect(ATTN.embed([["the", "0"]], [["<pad>", "the", "0"]], ones(3, 2))).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  test("TOKENS wants a single cell of text", () => {
    expect(message(ATTN.tokens([["The cat"], ["sat"]] as never))).toBe("sentence should be a single cell of text, got a 2 × 1 range");
    for (const blank of [null, "", 0, "0"]) {
      expect(message(ATTN.tokens(blank as never))).toBe(
        `sentence is ${blank === null || blank === "" ? "empty" : "0"}; it needs text such as "The cat sat." (${BLANK_HINT})`,
      );
    }
  });

  test("a padding of blank cells marks every position as padding, so it is an error", () => {
    for (const blank of [null, "", 0]) {
      expect(message(ATTN.mask(2, "none", [[blank, blank]]))).toBe(
        `padding marks every position as padding (all its cells are 0 or blank; ${BLANK_HINT}); use 1 for a real token`,
      );
    }
  });
});
