/**
 * The WebAssembly SIMD kernel against a naive triple loop, on random shapes
 * (odd sizes, 1 × 1, sizes that are not a multiple of its 2 × 4 block) in the
 * three layouts the model uses: A·B, A·Bᵀ and Aᵀ·B, at offsets inside larger
 * arrays, accumulating into a C that already holds values. The naive loop sums
 * each entry over p in order from 0 and then adds it to C, as both kernels
 * promise to, so the results must be equal to the last bit.
 */
import { readFileSync } from "fs";
import fc from "fast-check";
import { generate, OUT } from "../tools/build-wasm";
import { GEMM_WASM_BASE64, ROWS_WASM_BASE64 } from "../src/model/kernels/gemm-wasm";
import { createWasmKernel } from "../src/model/kernels/wasm";
import { jsKernel } from "../src/model/kernels/js";
import type { GemmKernel } from "../src/model/kernels/kernel";
import { activeKernel } from "../src/model/matrix";
import { placed } from "./support/kernel-memory";

type Layout = "A·B" | "A·Bᵀ" | "Aᵀ·B";

interface Product {
  A: Float64Array;
  ao: number;
  ars: number;
  acs: number;
  B: Float64Array;
  bo: number;
  brs: number;
  bcs: number;
  C: Float64Array;
  co: number;
  n: number;
  k: number;
  m: number;
}

/** Operands for C(n × m) += op(A)·op(B), placed after `pad` leading values in each array. */
function product(layout: Layout, n: number, k: number, m: number, pad: number, values: () => number): Product {
  const fill = (size: number) => Float64Array.from({ length: pad + size + pad }, values);
  const A = fill(n * k),
    B = fill(k * m),
    C = fill(n * m);
  const [ars, acs] = layout === "Aᵀ·B" ? [1, n] : [k, 1];
  const [brs, bcs] = layout === "A·Bᵀ" ? [1, k] : [m, 1];
  return { A, ao: pad, ars, acs, B, bo: pad, brs, bcs, C, co: pad, n, k, m };
}

function naive(q: Product): Float64Array {
  const C = Float64Array.from(q.C);
  for (let i = 0; i < q.n; i++) {
    for (let j = 0; j < q.m; j++) {
      let s = 0;
      for (let p = 0; p < q.k; p++) s += q.A[q.ao + i * q.ars + p * q.acs] * q.B[q.bo + p * q.brs + j * q.bcs];
      C[q.co + i * q.m + j] += s;
    }
  }
  return C;
}

function run(kernel: GemmKernel, q: Product): Float64Array {
  const C = Float64Array.from(q.C);
  kernel.gemm(q.A, q.ao, q.ars, q.acs, q.B, q.bo, q.brs, q.bcs, C, q.co, q.n, q.k, q.m);
  return C;
}

const wasm = createWasmKernel(0);
if (!wasm) throw new Error("node 20 has WebAssembly SIMD; the kernel should load here");
const layouts: Layout[] = ["A·B", "A·Bᵀ", "Aᵀ·B"];

/**
 * `count` products side by side, the t-th's operands starting t steps on in each array, and what the naive loop makes of
 * each into `expected`: C holds random values (summed into) or, for `fresh`, NaN that must never be read (a zeroed C).
 */
function batchOf(layout: Layout, count: number, n: number, k: number, m: number, seed: number, c: "summed" | "fresh") {
  let x = seed | 1;
  const values = () => ((x = (x * 1103515245 + 12345) | 0) / 2 ** 31) * 3;
  const q = product(layout, n, k, m, 0, values);
  const steps = { a: n * k + 1, b: k * m + 2, c: c === "summed" ? n * m + 3 : n * m };
  const spread = (size: number, step: number) => Float64Array.from({ length: step * (count - 1) + size }, values);
  const A = spread(n * k, steps.a);
  const B = spread(k * m, steps.b);
  const C = c === "summed" ? spread(n * m, steps.c) : new Float64Array(count * n * m).fill(NaN);
  const expected = c === "summed" ? Float64Array.from(C) : new Float64Array(C.length);
  for (let t = 0; t < count; t++) {
    const one = naive({ ...q, A, ao: t * steps.a, B, bo: t * steps.b, C: expected, co: t * steps.c });
    expected.set(one.subarray(t * steps.c, t * steps.c + n * m), t * steps.c);
  }
  return { q, steps, A, B, C, expected };
}

test("node loads the WebAssembly kernel, so the other test files run the model on it", () => {
  expect(activeKernel().name).toBe("wasm");
});

test.each(layouts)("%s: equals the naive triple loop to the bit on random shapes", (layout) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 19 }),
      fc.integer({ min: 1, max: 19 }),
      fc.integer({ min: 1, max: 19 }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer(),
      (n, k, m, pad, seed) => {
        let x = seed | 1;
        const values = () => ((x = (x * 1103515245 + 12345) | 0) / 2 ** 31) * 3;
        const q = product(layout, n, k, m, pad, values);
        expect(Array.from(run(wasm, q))).toEqual(Array.from(naive(q)));
      },
    ),
    { numRuns: 300 },
  );
});

test.each(layouts)("%s: the edge shapes 1 × 1 × 1, one row, one column, odd rows, and a large product that grows the memory", (layout) => {
  for (const [n, k, m] of [
    [1, 1, 1],
    [1, 7, 9],
    [9, 7, 1],
    [5, 1, 6],
    [3, 2, 5],
    [2, 3, 4],
    [301, 67, 130],
  ]) {
    const q = product(layout, n, k, m, 2, Math.random);
    expect(Array.from(run(wasm, q))).toEqual(Array.from(naive(q)));
    expect(Array.from(run(jsKernel, q))).toEqual(Array.from(naive(q)));
  }
});

test("an empty inner sum (k = 0) leaves C as it was", () => {
  const q = product("A·B", 3, 0, 4, 1, Math.random);
  expect(Array.from(run(wasm, q))).toEqual(Array.from(q.C));
});

test("non-finite values propagate as in the naive loop (NaN, ±Infinity, −0)", () => {
  const specials = [NaN, Infinity, -Infinity, -0, 0, 1e308, -1e308, 5e-324];
  let i = 0;
  const q = product("A·B", 5, 6, 7, 0, () => specials[i++ % specials.length]);
  expect(Array.from(run(wasm, q))).toEqual(Array.from(naive(q)));
});

test("the committed module is what wabt assembles from gemm.wat today (never a stale artifact)", async () => {
  expect(readFileSync(OUT, "utf8")).toBe(await generate());
});

test.each([
  ["gemm.wat", GEMM_WASM_BASE64],
  ["rows.wat", ROWS_WASM_BASE64],
])("%s's module stays under Chromium's 4 KB limit for synchronous compilation on a page's main thread", (_, base64) => {
  expect(Buffer.from(base64, "base64").length).toBeLessThan(4096);
});

test.each(layouts)(
  "%s: a batch of products in one call equals each product by the naive loop, with operands in and out of the kernel's memory",
  (layout) => {
    const kernel = createWasmKernel(0)!;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        fc.integer(),
        (count, n, k, m, inMemory, seed) => {
          const { q, steps, A, B, C, expected } = batchOf(layout, count, n, k, m, seed, "summed");
          placed(kernel, inMemory, [A, B, C], ([a, b, c]) => {
            kernel.gemmBatch!(count, steps.a, steps.b, steps.c, a, 0, q.ars, q.acs, b, 0, q.brs, q.bcs, c, 0, n, k, m);
            expect(Array.from(c)).toEqual(Array.from(expected));
          });
        },
      ),
      { numRuns: 200 },
    );
  },
);

test.each(layouts)("%s with `fresh`: C's old values (NaN here) are never read; the bits of the naive loop on a zeroed C", (layout) => {
  const kernel = createWasmKernel(0)!;
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 11 }),
      fc.integer({ min: 0, max: 11 }),
      fc.integer({ min: 1, max: 11 }),
      fc.boolean(),
      fc.integer(),
      (count, n, k, m, inMemory, seed) => {
        const { q, steps, A, B, C, expected } = batchOf(layout, count, n, k, m, seed, "fresh");
        const js = Float64Array.from(C);
        for (let t = 0; t < count; t++) {
          jsKernel.gemm(A, t * steps.a, q.ars, q.acs, B, t * steps.b, q.brs, q.bcs, js, t * steps.c, n, k, m, true);
        }
        expect(Array.from(js)).toEqual(Array.from(expected));
        placed(kernel, inMemory, [A, B, C], ([a, b, c]) => {
          kernel.gemmBatch!(count, steps.a, steps.b, steps.c, a, 0, q.ars, q.acs, b, 0, q.brs, q.bcs, c, 0, n, k, m, true);
          expect(Array.from(c)).toEqual(Array.from(expected));
        });
      },
    ),
    { numRuns: 200 },
  );
});
