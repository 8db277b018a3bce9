/**
 * exp.ts's exp (the softmax's, on both kernels) against Math.exp and values
 * known by hand, and the WebAssembly kernel's $exp against it to the bit.
 */
import { exp } from "../src/model/kernels/exp";
import { createWasmKernel } from "../src/model/kernels/wasm";

const wasm = createWasmKernel();
if (!wasm?.exp) throw new Error("node 20 has WebAssembly SIMD; the kernel and its exp should load here");
const wasmExp = wasm.exp;

/** Distance in units in the last place between two finite doubles of one sign (0 when equal). */
function ulps(a: number, b: number): number {
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  return Number(view.getBigInt64(0) - view.getBigInt64(8));
}

function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/** Arguments over the whole range: wide, the softmax's (≤ 0), near 0, near the overflow and underflow edges, and specials. */
function samples(): number[] {
  const r = lcg(7);
  const xs = [0, -0, 1, -1, 0.5, -0.5, 2 ** -29, -(2 ** -29), 2 ** -28, Math.LN2, -Math.LN2, 0.34657359, 1.0397, -1.0397];
  xs.push(709.78, 709.782712893384, -708.39, -708.4, -709, -720, -744.44, -745, -745.1332191019411, 5e-324, -5e-324);
  for (let i = 0; i < 100000; i++) xs.push((r() - 0.5) * 1500);
  for (let i = 0; i < 100000; i++) xs.push(-r() * 50);
  for (let i = 0; i < 50000; i++) xs.push((r() - 0.5) * 3);
  for (let i = 0; i < 20000; i++) xs.push(-708 - r() * 40, 705 + r() * 5);
  return xs;
}

test("within 1 ulp of Math.exp from −1500 to 1500, near 0 and at the overflow and underflow edges", () => {
  let worst = 0;
  for (const x of samples()) {
    const ours = exp(x),
      theirs = Math.exp(x);
    if (ours === theirs) continue;
    // Subnormal results: an ulp is the smallest subnormal.
    expect(Number.isFinite(ours) && Number.isFinite(theirs)).toBe(true);
    worst = Math.max(worst, Math.abs(ulps(ours, theirs)));
  }
  expect(worst).toBeLessThanOrEqual(1);
});

test("hand-known values: exp(0) = 1, exp(1) = e, exp(ln 2) = 2, the smallest subnormal at −745, 0 below, ∞ above 709.79", () => {
  expect(exp(0)).toBe(1);
  expect(exp(-0)).toBe(1);
  expect(exp(1)).toBe(2.718281828459045);
  expect(Math.abs(ulps(exp(Math.LN2), 2))).toBeLessThanOrEqual(1);
  // e^-745 = 4.94…e-324, which is the smallest subnormal, 2^-1074; e^-746 is below half of it.
  expect(exp(-745)).toBe(5e-324);
  expect(exp(-746)).toBe(0);
  expect(exp(-1000)).toBe(0);
  expect(exp(709.79)).toBe(Infinity);
  expect(exp(Infinity)).toBe(Infinity);
  expect(exp(-Infinity)).toBe(0);
  expect(exp(NaN)).toBeNaN();
  expect(exp(1e-300)).toBe(1);
});

test("within 1 ulp of glibc's exp (Python's math.exp) at a few points across the range", () => {
  const glibc: [number, number][] = [
    [709.78, 1.7928227943945155e308],
    [-1, 0.36787944117144233],
    [10, 22026.465794806718],
    [-700.5, 5.980196118639791e-305],
    [-20.25, 1.6052280551856116e-9],
  ];
  for (const [x, want] of glibc) expect(Math.abs(ulps(exp(x), want))).toBeLessThanOrEqual(1);
});

test("the WebAssembly kernel's exp gives the same bits as exp.ts everywhere", () => {
  let differ = 0;
  for (const x of [...samples(), Infinity, -Infinity, NaN]) if (!Object.is(wasmExp(x), exp(x))) differ++;
  expect(differ).toBe(0);
});
