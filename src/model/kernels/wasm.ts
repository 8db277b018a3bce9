/**
 * The WebAssembly SIMD kernel (gemm.wat, f64x2). Its memory holds copies of
 * the operands: A's and C's spans go in by `set` (a memory copy), B goes in
 * as is when its columns are adjacent and is packed into rows otherwise (Bᵀ),
 * since the SIMD loop loads two neighbouring columns at once; C comes back by
 * `set`. The memory grows to the largest product seen and is kept.
 */
import { GEMM_WASM_BASE64 } from "./gemm-wasm";
import { jsKernel } from "./js";
import type { Gemm, GemmKernel } from "./kernel";

const PAGE_BYTES = 65536;

interface Exports {
  memory: WebAssembly.Memory;
  gemm(a: number, ars: number, acs: number, b: number, brs: number, c: number, n: number, k: number, m: number, scratch: number): void;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * The kernel's instance, or undefined where WebAssembly or its SIMD is
 * missing, or where compiling is refused (a page's Content-Security-Policy
 * without 'wasm-unsafe-eval'). Synchronous compilation is fine on a page's
 * main thread because the module is under Chromium's 4 KB limit for it.
 */
function instantiate(): Exports | undefined {
  if (typeof WebAssembly !== "object") return undefined;
  const bytes = decode(GEMM_WASM_BASE64);
  // Validating the kernel itself asks exactly for the features it uses (SIMD).
  if (!WebAssembly.validate(bytes)) return undefined;
  try {
    return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as Exports;
  } catch {
    return undefined;
  }
}

/**
 * Below `minWork` multiply-adds (n·k·m) a product runs in JavaScript: there
 * the call and the copies cost more than the arithmetic (measured: 3 × 5 × 7
 * is 4× slower in WebAssembly, 9 × 8 × 9 already faster). Tests pass 0 to
 * send every product through WebAssembly.
 */
export function createWasmKernel(minWork = 256): GemmKernel | undefined {
  const instance = instantiate();
  if (!instance) return undefined;
  const wasm: Exports = instance;
  let heap = new Float64Array(wasm.memory.buffer);

  /** Room for `doubles` float64s from offset 0. */
  function reserve(doubles: number): void {
    if (doubles <= heap.length) return;
    const pages = Math.ceil((doubles * 8 - wasm.memory.buffer.byteLength) / PAGE_BYTES);
    wasm.memory.grow(pages);
    heap = new Float64Array(wasm.memory.buffer);
  }

  const gemm: Gemm = (A, ao, ars, acs, B, bo, brs, bcs, C, co, n, k, m) => {
    if (n === 0 || m === 0 || k === 0) return;
    if (n * k * m < minWork) {
      jsKernel.gemm(A, ao, ars, acs, B, bo, brs, bcs, C, co, n, k, m);
      return;
    }
    const aSpan = (n - 1) * ars + (k - 1) * acs + 1;
    const packB = bcs !== 1;
    const bSpan = packB ? k * m : (k - 1) * brs + m;
    const cSize = n * m;
    // Layout in doubles: A's span, B, C, then one row of scratch for an odd last row.
    const bAt = aSpan,
      cAt = bAt + bSpan,
      scratchAt = cAt + cSize;
    reserve(scratchAt + m);
    heap.set(A.subarray(ao, ao + aSpan), 0);
    if (packB) {
      for (let p = 0; p < k; p++) {
        const row = bAt + p * m,
          src = bo + p * brs;
        for (let j = 0; j < m; j++) heap[row + j] = B[src + j * bcs];
      }
    } else {
      heap.set(B.subarray(bo, bo + bSpan), bAt);
    }
    heap.set(C.subarray(co, co + cSize), cAt);
    wasm.gemm(0, ars * 8, acs * 8, bAt * 8, (packB ? m : brs) * 8, cAt * 8, n, k, m, scratchAt * 8);
    C.set(heap.subarray(cAt, cAt + cSize), co);
  };

  return { name: "wasm", gemm };
}
