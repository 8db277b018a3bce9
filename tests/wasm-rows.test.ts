/**
 * The row kernels (LayerNorm and its backward) of both kernels against a
 * naive reference written here from kernel.ts's contract: each row's sums in
 * two chains (the even columns, the odd columns, each in order from 0, then
 * even + odd), rows whose largest |x| is 2 or more divided first by
 * 2^⌊log₂ max⌋ taken from the exponent's bits. Random shapes (odd widths,
 * one row, one column), operands inside the WebAssembly kernel's memory (a
 * workspace's buffers, where it runs them) and outside (where it hands them
 * to JavaScript), NaN and ±Infinity: equal to the last bit.
 */
import fc from "fast-check";
import { attentionMask, scaledDotProduct, scaledDotProductBackward, softmaxWithSums } from "../src/model/attention";
import { exp } from "../src/model/kernels/exp";
import { jsKernel } from "../src/model/kernels/js";
import type { GemmKernel } from "../src/model/kernels/kernel";
import { createWasmKernel } from "../src/model/kernels/wasm";
import { LAYER_NORM_EPS } from "../src/model/layers";
import { inWorkspace, useKernel } from "../src/model/matrix";
import { placed } from "./support/kernel-memory";

const wasm = createWasmKernel(0);
if (!wasm) throw new Error("node 20 has WebAssembly SIMD; the kernel should load here");

/** 2^⌊log₂ x⌋ for a normal x > 0: x with its mantissa bits cleared. */
function powerOfTwoBelow(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setUint32(0, view.getUint32(0) & 0x7ff00000);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

/** The even columns' sum plus the odd columns' sum, each in order. */
function chains(values: readonly number[]): number {
  let even = 0,
    odd = 0;
  values.forEach((v, j) => {
    if (j % 2 === 0) even += v;
    else odd += v;
  });
  return even + odd;
}

interface Forward {
  sum?: number[];
  h: number[];
  out: number[];
  inv: number[];
}

function naiveForward(x: number[], y: number[] | undefined, g: number[], b: number[], n: number, d: number): Forward {
  const src = y ? x.map((v, i) => v + y[i]) : x;
  const f: Forward = { sum: y ? src : undefined, h: [], out: [], inv: [] };
  for (let i = 0; i < n; i++) {
    const row = src.slice(i * d, (i + 1) * d);
    const max = row.reduce((m, v) => (Number.isNaN(m) || Number.isNaN(v) ? NaN : Math.max(m, Math.abs(v))), 0);
    const scale = max >= 2 && max < Infinity ? powerOfTwoBelow(max) : 1;
    const u = row.map((v) => (scale === 1 ? v : v / scale));
    const mean = chains(u) / d;
    const variance = chains(u.map((t) => (t - mean) * (t - mean))) / d;
    const r = 1 / Math.sqrt(variance + LAYER_NORM_EPS / (scale * scale));
    f.inv.push(r / scale);
    u.forEach((t, j) => {
      const h = (t - mean) * r;
      f.h.push(h);
      f.out.push(h * g[j] + b[j]);
    });
  }
  return f;
}

interface Backward {
  dx: number[];
  dg: number[];
  db: number[];
}

function naiveBackward(
  dOut: number[],
  g: number[],
  h: number[],
  inv: number[],
  dg0: number[],
  db0: number[],
  n: number,
  d: number,
): Backward {
  const r: Backward = { dx: [], dg: [...dg0], db: [...db0] };
  for (let i = 0; i < n; i++) {
    const D = dOut.slice(i * d, (i + 1) * d),
      H = h.slice(i * d, (i + 1) * d);
    D.forEach((v, j) => {
      r.dg[j] += v * H[j];
      r.db[j] += v;
    });
    const gs = D.map((v, j) => v * g[j]);
    const meanG = chains(gs) / d,
      meanGX = chains(gs.map((v, j) => v * H[j])) / d;
    D.forEach((v, j) => r.dx.push(inv[i] * (v * g[j] - meanG - H[j] * meanGX)));
  }
  return r;
}

const kernels: [string, GemmKernel, boolean][] = [
  ["WebAssembly, in its memory", wasm, true],
  ["WebAssembly, outside its memory", wasm, false],
  ["JavaScript", jsKernel, false],
];

function lcg(seed: number, spread: number): () => number {
  let x = seed | 1;
  return () => ((x = (x * 1103515245 + 12345) | 0) / 2 ** 31) * spread;
}

function checkForward(
  kernel: GemmKernel,
  inMemory: boolean,
  x: number[],
  y: number[] | undefined,
  g: number[],
  b: number[],
  n: number,
  d: number,
): void {
  const want = naiveForward(x, y, g, b, n, d);
  const size = n * d;
  const inputs = [
    x,
    y ?? [],
    y ? new Array<number>(size).fill(0) : [],
    new Array(size).fill(0),
    new Array(size).fill(0),
    new Array(n).fill(0),
  ];
  placed(
    kernel,
    inMemory,
    inputs.map((a) => Float64Array.from(a)),
    ([X, Y, S, H, O, inv]) => {
      kernel.layerNorm!(
        X,
        y ? Y : undefined,
        y ? S : undefined,
        Float64Array.from(g),
        Float64Array.from(b),
        H,
        O,
        inv,
        n,
        d,
        LAYER_NORM_EPS,
      );
      if (y) expect(Array.from(S)).toEqual(want.sum);
      expect(Array.from(H)).toEqual(want.h);
      expect(Array.from(O)).toEqual(want.out);
      expect(Array.from(inv)).toEqual(want.inv);
    },
  );
}

describe.each(kernels)("LayerNorm on %s", (_, kernel, inMemory) => {
  test("equals the naive rows to the bit on random shapes, with and without the residual sum", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 19 }), fc.boolean(), fc.integer(), (n, d, residual, seed) => {
        const v = lcg(seed, 3);
        const fill = (k: number) => Array.from({ length: k }, v);
        checkForward(kernel, inMemory, fill(n * d), residual ? fill(n * d) : undefined, fill(d), fill(d), n, d);
      }),
      { numRuns: 150 },
    );
  });

  test("rows too large to square, just below a power of two, tiny, constant, with NaN and ±Infinity", () => {
    const d = 5;
    const rows = [
      [1e200, -3e200, 2e200, 5e199, 1e200],
      [1.7e308, -1.7e308, 1e308, 0, 3],
      [4 - 2 ** -50, 1, -2, 3.999, 0.5],
      [2, 2, 2, 2, 2],
      [1e-300, -2e-300, 5e-324, 0, -0],
      [1, NaN, 2, 3, 4],
      [Infinity, 1, 2, 3, 4],
      [-Infinity, Infinity, 0, 1, 2],
      [0, 0, 0, 0, 0],
    ];
    const g = [1, -2, 0.5, 3, 1e-3],
      b = [0, 1, -1, 2, 0.25];
    checkForward(kernel, inMemory, rows.flat(), undefined, g, b, rows.length, d);
    checkForward(kernel, inMemory, rows.flat(), rows.flat().reverse(), g, b, rows.length, d);
  });

  test("[1, 2, 3, 4] normalises to (x − 2.5)/√(1.25 + 1e-5), by hand; 1e200·[−1, 1, 0, 0] to ±√2 and 0", () => {
    const x = Float64Array.from([1, 2, 3, 4, -1e200, 1e200, 0, 0]);
    const H = new Float64Array(8),
      O = new Float64Array(8),
      inv = new Float64Array(2);
    placed(kernel, inMemory, [x, H, O, inv], ([X, h, o, s]) => {
      kernel.layerNorm!(X, undefined, undefined, Float64Array.from([1, 1, 1, 1]), Float64Array.from([0, 0, 0, 10]), h, o, s, 2, 4, 1e-5);
      const sd = Math.sqrt(1.25 + 1e-5);
      [-1.5, -0.5, 0.5, 1.5].forEach((t, j) => expect(h[j]).toBeCloseTo(t / sd, 15));
      expect(o[3]).toBeCloseTo(10 + 1.5 / sd, 14);
      // The second row: mean 0, variance 1e400/2, so x̂ = ±√2 and 0.
      [-Math.SQRT2, Math.SQRT2, 0, 0].forEach((t, j) => expect(h[4 + j]).toBeCloseTo(t, 14));
      expect(s[1] * 1e200).toBeCloseTo(Math.SQRT2, 14);
    });
  });
});

describe.each(kernels)("LayerNorm's backward on %s", (_, kernel, inMemory) => {
  test("equals the naive rows to the bit on random shapes, dγ and dβ added to what they held", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 19 }), fc.integer(), (n, d, seed) => {
        const v = lcg(seed, 3);
        const fill = (k: number) => Array.from({ length: k }, v);
        const [dOut, g, h, inv, dg, db] = [fill(n * d), fill(d), fill(n * d), fill(n), fill(d), fill(d)];
        const want = naiveBackward(dOut, g, h, inv, dg, db, n, d);
        const arrays = [dOut, h, inv, new Array(n * d).fill(0), dg, db].map((a) => Float64Array.from(a));
        placed(kernel, inMemory, arrays, ([D, H, S, DX, DG, DB]) => {
          kernel.layerNormBackward!(D, Float64Array.from(g), H, S, DX, DG, DB, n, d);
          expect(Array.from(DX)).toEqual(want.dx);
          expect(Array.from(DG)).toEqual(want.dg);
          expect(Array.from(DB)).toEqual(want.db);
        });
      }),
      { numRuns: 150 },
    );
  });

  test("NaN and ±Infinity in dOut propagate as in the naive rows", () => {
    const n = 3,
      d = 3;
    const dOut = [NaN, 1, 2, Infinity, -1, 0, -Infinity, Infinity, -0];
    const g = [1, 2, -0],
      h = [0.5, -1, 0.5, 1, 0, -1, 2, -1, -1],
      inv = [1, 2, 3];
    const want = naiveBackward(dOut, g, h, inv, [0, 0, 0], [0, 0, 0], n, d);
    const arrays = [dOut, h, inv, new Array(9).fill(0), [0, 0, 0], [0, 0, 0]].map((a) => Float64Array.from(a));
    placed(kernel, inMemory, arrays, ([D, H, S, DX, DG, DB]) => {
      kernel.layerNormBackward!(D, Float64Array.from(g), H, S, DX, DG, DB, n, d);
      expect(Array.from(DX)).toEqual(want.dx);
      expect(Array.from(DG)).toEqual(want.dg);
      expect(Array.from(DB)).toEqual(want.db);
    });
  });
});

describe("the element-wise passes in WebAssembly", () => {
  const passes = wasm.passes!;
  const specials = [NaN, Infinity, -Infinity, -0, 0, 1e308, -1e308, 5e-324, 2, -3];
  /** n values: random, or cycling through the specials. */
  const values = (seed: number, special: boolean) => {
    const v = lcg(seed, 3);
    let i = seed & 7;
    return special ? () => specials[i++ % specials.length] : v;
  };
  const bits = (a: Float64Array | number[]) => Array.from(a);

  test("equal the naive loops to the bit (add, bias row, column sums, ReLU and its backward), odd sizes and specials included", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 13 }), fc.boolean(), fc.integer(), (rows, m, special, seed) => {
        const next = values(seed, special);
        const n = rows * m;
        const fill = (k: number) => Float64Array.from({ length: k }, next);
        const [A, B, V, O0, S0] = [fill(n), fill(n), fill(m), fill(n), fill(m)];
        const sum = Array.from(S0);
        for (let i = 0; i < rows; i++) for (let j = 0; j < m; j++) sum[j] += A[i * m + j];
        const want = {
          add: Array.from(A, (a, i) => a + B[i]),
          addRow: Array.from(A, (a, i) => a + V[i % m]),
          relu: Array.from(A, (a) => (a > 0 ? a : 0)),
          reluBackward: Array.from(B, (b, i) => (A[i] <= 0 ? 0 : b)),
          sum,
        };
        placed(wasm, true, [A, B, O0, S0], ([a, b, o, s]) => {
          expect(passes.add(a, b, o, n)).toBe(true);
          expect(bits(o)).toEqual(want.add);
          expect(passes.addRow(a, V, o, rows, m)).toBe(true);
          expect(bits(o)).toEqual(want.addRow);
          expect(passes.relu(a, o, n)).toBe(true);
          expect(bits(o)).toEqual(want.relu);
          expect(passes.sumRows(a, s, rows, m)).toBe(true);
          expect(bits(s)).toEqual(want.sum);
          // In place, as the FFN's backward and addInto use them.
          expect(passes.reluBackward(a, b, n)).toBe(true);
          expect(bits(b)).toEqual(want.reluBackward);
          expect(passes.add(a, a, a, n)).toBe(true);
          expect(bits(a)).toEqual(Array.from(A, (x) => x + x));
        });
        // Column sums into a row outside the memory (a gradient) go through scratch.
        placed(wasm, true, [A], ([a]) => {
          const s = Float64Array.from(S0);
          expect(passes.sumRows(a, s, rows, m)).toBe(true);
          expect(bits(s)).toEqual(want.sum);
        });
      }),
      { numRuns: 150 },
    );
  });

  test("operands outside the kernel's memory are left to the caller's loop, untouched", () => {
    const A = Float64Array.from([1, 2, 3]),
      O = new Float64Array(3);
    expect(passes.add(A, A, O, 3)).toBe(false);
    expect(passes.addRow(A, A, O, 1, 3)).toBe(false);
    expect(passes.sumRows(A, O, 1, 3)).toBe(false);
    expect(passes.relu(A, O, 3)).toBe(false);
    expect(passes.reluBackward(A, O, 3)).toBe(false);
    expect(Array.from(O)).toEqual([0, 0, 0]);
  });
});

describe("the softmax pass", () => {
  /** The softmax from its definition: scaled scores (0 where masked), then exp(s − max)/Σ over the visible keys, in order. */
  function naiveSoftmax(S: number[], allowed: number[] | undefined, scale: number | undefined, rows: number, cols: number) {
    const s = S.map((v, i) => (scale === undefined ? v : allowed ? (allowed[i] ? v * scale : 0) : scale !== 1 ? v * scale : v));
    const p = new Array<number>(rows * cols).fill(0),
      max: number[] = [],
      sum: number[] = [];
    for (let i = 0; i < rows; i++) {
      const visible = [...Array(cols).keys()].filter((j) => !allowed || allowed[i * cols + j]);
      const m = visible.reduce((a, j) => Math.max(a, s[i * cols + j]), -Infinity);
      max.push(m);
      if (m === -Infinity) {
        sum.push(0);
        continue;
      }
      let z = 0;
      for (const j of visible) {
        p[i * cols + j] = exp(s[i * cols + j] - m);
        z += p[i * cols + j];
      }
      sum.push(z);
      for (let j = 0; j < cols; j++) p[i * cols + j] /= z;
    }
    return { s, p, max, sum };
  }

  const specials = [NaN, Infinity, -Infinity, -0, 0, 800, -800, 2, -3];

  test.each([
    ["WebAssembly, in its memory", true],
    ["JavaScript (attention.ts's loops)", false],
  ])("%s: equals the naive softmax to the bit, masks (rows with no visible key too), scaling, odd sizes and specials", (_, inWasm) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 13 }),
        fc.constantFrom("none", "mask", "sparse mask"),
        fc.constantFrom(undefined, 1, 0.125, 1 / Math.sqrt(3)),
        fc.boolean(),
        fc.integer(),
        (rows, cols, masking, scale, special, seed) => {
          const r = lcg(seed, 6);
          let k = seed & 7;
          const S = Array.from({ length: rows * cols }, () => (special && r() > 2 ? specials[k++ % specials.length] : r()));
          const allowed =
            masking === "none"
              ? undefined
              : Array.from({ length: rows * cols }, () => (r() > (masking === "sparse mask" ? 4 : -2) ? 1 : 0));
          const want = naiveSoftmax(S, allowed, scale, rows, cols);
          const mask = allowed && Uint8Array.from(allowed);
          const fresh = [Float64Array.from(S), new Float64Array(rows * cols), new Float64Array(rows), new Float64Array(rows)];
          if (inWasm) {
            placed(wasm, true, fresh, ([s, p, max, sum]) => {
              expect(wasm.passes!.softmax(s, mask, scale, p, max, sum, rows, cols)).toBe(true);
              expect([Array.from(s), Array.from(p), Array.from(max), Array.from(sum)]).toEqual([want.s, want.p, want.max, want.sum]);
            });
          } else {
            useKernel(jsKernel);
            try {
              const scores = { rows, cols, data: fresh[0] };
              const m = mask && { rows, cols, allowed: mask };
              // softmaxWithSums takes the scores as they are; the scaled form is scaledDotProduct's, so scale them first by hand.
              if (scale !== undefined) scores.data.set(want.s);
              const got = softmaxWithSums(scores, m);
              expect([Array.from(got.probs.data), Array.from(got.max), Array.from(got.sum)]).toEqual([want.p, want.max, want.sum]);
            } finally {
              useKernel(wasm);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test("the backward pass equals the naive one to the bit: d = a·(d − Σ a·d)·scale, 0 where masked", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 13 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer(),
        (rows, cols, masked, special, seed) => {
          const r = lcg(seed, 6);
          let k = seed & 7;
          const value = () => (special && r() > 3 ? specials[k++ % specials.length] : r());
          const A = Array.from({ length: rows * cols }, value),
            D = Array.from({ length: rows * cols }, value);
          const allowed = masked ? Array.from({ length: rows * cols }, () => (r() > -2 ? 1 : 0)) : undefined;
          const scale = 1 / Math.sqrt(5);
          const want: number[] = [];
          for (let i = 0; i < rows; i++) {
            let dot = 0;
            for (let j = 0; j < cols; j++) dot += A[i * cols + j] * D[i * cols + j];
            for (let j = 0; j < cols; j++) {
              const at = i * cols + j;
              want.push(allowed && !allowed[at] ? 0 : A[at] * (D[at] - dot) * scale);
            }
          }
          placed(wasm, true, [Float64Array.from(A), Float64Array.from(D)], ([a, d]) => {
            expect(wasm.passes!.softmaxBackward(a, d, allowed && Uint8Array.from(allowed), scale, rows, cols)).toBe(true);
            expect(Array.from(d)).toEqual(want);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  test("scaledDotProduct and its backward are the same on both kernels, in a workspace, with a causal mask", () => {
    let r = lcg(11, 2);
    const m = (rows: number, cols: number) => ({ rows, cols, data: Float64Array.from({ length: rows * cols }, r) });
    const [Q, K, V] = [m(12, 5), m(12, 5), m(12, 3)];
    const mask = attentionMask(4, 4, { causal: true, batch: 3 });
    const run = (kernel: GemmKernel) => {
      r = lcg(12, 2);
      useKernel(kernel);
      try {
        return inWorkspace(() => {
          const c = scaledDotProduct(Q, K, V, { normalization: "softmax", scaled: true }, mask);
          const g = scaledDotProductBackward(c, m(12, 3));
          return [c.S, c.A, c.O, g.dQ, g.dK, g.dV].map((x) => Array.from(x.data));
        });
      } finally {
        useKernel(wasm);
      }
    };
    expect(run(wasm)).toEqual(run(jsKernel));
    // Row 2 of the first sequence sees keys 1 and 2 only: its weights by hand from its scaled scores.
    const [S, A] = run(wasm);
    const [s0, s1] = [S[4], S[5]];
    expect(A[4]).toBeCloseTo(1 / (1 + Math.exp(s1 - s0)), 15);
    expect(A[6]).toBe(0);
  });
});
