/**
 * The WebAssembly SIMD kernel (gemm.wat, f64x2, and rows.wat, the row and
 * element-wise kernels, on gemm.wat's memory). Its memory holds, from the
 * bottom, the buffers of a step's workspace (workspace.ts), which its products
 * read and write in place, and above them scratch for the operands that live
 * elsewhere (the weights, the gradients): A's and C's spans go in by `set` (a
 * memory copy), B goes in as is when its columns are adjacent and is packed
 * into rows otherwise (Bᵀ; by rows.wat when it lies in the memory), since the
 * SIMD loop loads two neighbouring columns at once; C comes back by `set`. The
 * row kernels and the passes run only on operands in the memory (γ, β, a bias
 * row and a mask are copied into scratch) and leave the rest to JavaScript.
 * The memory grows to the largest need seen and is kept.
 */
import { GEMM_WASM_BASE64, ROWS_WASM_BASE64 } from "./gemm-wasm";
import { jsKernel, layerNormBackRows, layerNormRows } from "./js";
import type { Gemm, GemmBatch, GemmKernel, LayerNormBackRows, LayerNormRows, Passes } from "./kernel";
import { Workspace } from "./workspace";

const PAGE_BYTES = 65536;

interface Exports {
  memory: WebAssembly.Memory;
  gemm(
    a: number,
    ars: number,
    acs: number,
    b: number,
    brs: number,
    c: number,
    n: number,
    k: number,
    m: number,
    scratch: number,
    acc: number,
  ): void;
  gemmBatch(
    count: number,
    a: number,
    aStep: number,
    ars: number,
    acs: number,
    b: number,
    bStep: number,
    brs: number,
    c: number,
    cStep: number,
    n: number,
    k: number,
    m: number,
    scratch: number,
    acc: number,
  ): void;
  layerNorm(
    n: number,
    d: number,
    x: number,
    y: number,
    s: number,
    add: number,
    g: number,
    b: number,
    h: number,
    o: number,
    inv: number,
    eps: number,
  ): void;
  add(n: number, a: number, b: number, o: number): void;
  rows(rows: number, m: number, a: number, v: number, o: number, sum: number): void;
  relu(n: number, p: number, h: number, back: number): void;
  exp(x: number): number;
  softmaxBackward(rows: number, cols: number, a: number, d: number, mask: number, scale: number): void;
  pack(count: number, src: number, bStep: number, brs: number, bcs: number, k: number, m: number, dst: number): void;
  softmax(rows: number, cols: number, s: number, mask: number, prep: number, scale: number, p: number, max: number, sum: number): void;
  layerNormBackward(n: number, d: number, dout: number, g: number, h: number, inv: number, dx: number, dg: number, db: number): void;
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
 * main thread because each module is under Chromium's 4 KB limit for it.
 */
function instantiate(): Exports | undefined {
  if (typeof WebAssembly !== "object") return undefined;
  const gemm = decode(GEMM_WASM_BASE64),
    rows = decode(ROWS_WASM_BASE64);
  // Validating the kernel itself asks exactly for the features it uses (SIMD).
  if (!WebAssembly.validate(gemm) || !WebAssembly.validate(rows)) return undefined;
  try {
    const products = new WebAssembly.Instance(new WebAssembly.Module(gemm)).exports as unknown as Exports;
    const rest = new WebAssembly.Instance(new WebAssembly.Module(rows), { gemm: { memory: products.memory } }).exports;
    return { ...products, ...rest } as Exports;
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
  /** Where the kernel's scratch starts (in doubles): below it lie the workspace's buffers. */
  let base = 0;
  /** The most scratch a product asked for while a step held the memory, for the next layout. */
  let scratchWanted = 0;

  /** Makes the memory hold `doubles` float64s from offset 0. */
  function grow(doubles: number): void {
    if (doubles <= heap.length) return;
    wasm.memory.grow(Math.ceil((doubles * 8 - wasm.memory.buffer.byteLength) / PAGE_BYTES));
    heap = new Float64Array(wasm.memory.buffer);
  }

  /**
   * The workspace's buffers, side by side from offset 0 (each from a 16-byte
   * boundary), with the largest scratch seen in a step above them. Growing the
   * memory invalidates every view of it, so the memory grows here, between
   * steps, and never while a step holds views of it.
   */
  const workspace = new Workspace(
    (sizes) => {
      const at = sizes.map(() => 0);
      let top = 0;
      sizes.forEach((n, i) => {
        at[i] = top;
        top += n + (n % 2);
      });
      grow(top + scratchWanted);
      base = top;
      return sizes.map((n, i) => heap.subarray(at[i], at[i] + n));
    },
    (view) => view.buffer === wasm.memory.buffer,
  );

  /**
   * Room for scratch up to `end` (doubles), or false when that would grow the
   * memory under views in use (a step's workspace, or an operand living in
   * the memory): the product then runs in JavaScript, with the same bits.
   */
  function reserve(end: number, resident: boolean): boolean {
    if (end <= heap.length) return true;
    if (workspace.active || resident) {
      scratchWanted = Math.max(scratchWanted, end - base);
      workspace.invalidate();
      return false;
    }
    grow(end);
    return true;
  }

  const gemmBatch: GemmBatch = (count, aStep, bStep, cStep, A, ao, ars, acs, B, bo, brs, bcs, C, co, n, k, m, fresh = false) => {
    const inJs = () => {
      for (let t = 0; t < count; t++)
        jsKernel.gemm(A, ao + t * aStep, ars, acs, B, bo + t * bStep, brs, bcs, C, co + t * cStep, n, k, m, fresh);
    };
    if (n === 0 || m === 0 || count === 0) return;
    if (k === 0 || count * n * k * m < minWork) {
      inJs();
      return;
    }
    // An operand in the kernel's memory (the workspace's buffers) is read or written where it is; the others go through scratch.
    const memory = heap.buffer;
    const aIn = A.buffer === memory,
      packB = bcs !== 1,
      bIn = !packB && B.buffer === memory,
      cIn = C.buffer === memory;
    const last = count - 1;
    const aSpan = last * aStep + (n - 1) * ars + (k - 1) * acs + 1;
    const bSpan = packB ? count * k * m : last * bStep + (k - 1) * brs + m;
    const cSpan = last * cStep + n * m;
    // Scratch, in doubles from `base`: A's span, B, C (each unless in place), then one row for an odd last row.
    let top = base;
    const aAt = aIn ? A.byteOffset / 8 + ao : top;
    if (!aIn) top += aSpan;
    const bAt = bIn ? B.byteOffset / 8 + bo : top;
    if (!bIn) top += bSpan;
    const cAt = cIn ? C.byteOffset / 8 + co : top;
    if (!cIn) top += cSpan;
    const scratchAt = top;
    if (!reserve(scratchAt + m, aIn || B.buffer === memory || cIn)) {
      inJs();
      return;
    }
    if (!aIn) heap.set(A.subarray(ao, ao + aSpan), aAt);
    if (packB && B.buffer === memory) {
      wasm.pack(count, B.byteOffset + bo * 8, bStep * 8, brs * 8, bcs * 8, k, m, bAt * 8);
    } else if (packB) {
      // Each product's B, packed into rows one after the other.
      for (let t = 0; t < count; t++) {
        for (let p = 0; p < k; p++) {
          const row = bAt + (t * k + p) * m,
            src = bo + t * bStep + p * brs;
          for (let j = 0; j < m; j++) heap[row + j] = B[src + j * bcs];
        }
      }
    } else if (!bIn) {
      heap.set(B.subarray(bo, bo + bSpan), bAt);
    }
    if (!cIn && !fresh) heap.set(C.subarray(co, co + cSpan), cAt);
    const bRow = packB ? m : brs;
    const acc = fresh ? 0 : 1;
    if (count === 1) wasm.gemm(aAt * 8, ars * 8, acs * 8, bAt * 8, bRow * 8, cAt * 8, n, k, m, scratchAt * 8, acc);
    else
      wasm.gemmBatch(
        count,
        aAt * 8,
        aStep * 8,
        ars * 8,
        acs * 8,
        bAt * 8,
        (packB ? k * m : bStep) * 8,
        bRow * 8,
        cAt * 8,
        cStep * 8,
        n,
        k,
        m,
        scratchAt * 8,
        acc,
      );
    if (!cIn) C.set(heap.subarray(cAt, cAt + cSpan), co);
  };

  const gemm: Gemm = (A, ao, ars, acs, B, bo, brs, bcs, C, co, n, k, m, fresh) =>
    gemmBatch(1, 0, 0, 0, A, ao, ars, acs, B, bo, brs, bcs, C, co, n, k, m, fresh);

  /** Whether every one of `views` lies in the kernel's memory (absent ones count as inside). */
  const inMemory = (...views: (Float64Array | undefined)[]) => views.every((v) => v === undefined || v.buffer === heap.buffer);

  // LayerNorm runs on the workspace's buffers where they are, with γ and β copied into scratch; elsewhere in JavaScript (same bits).
  const layerNorm: LayerNormRows = (X, Y, S, G, B, H, O, invStd, n, d, eps) => {
    if (n === 0 || d === 0 || !Y !== !S || !inMemory(X, Y, S, H, O, invStd) || !reserve(base + 2 * d, true)) {
      layerNormRows(X, Y, S, G, B, H, O, invStd, n, d, eps);
      return;
    }
    heap.set(G.subarray(0, d), base);
    heap.set(B.subarray(0, d), base + d);
    const x = X.byteOffset;
    wasm.layerNorm(
      n,
      d,
      x,
      Y ? Y.byteOffset : x,
      S ? S.byteOffset : x,
      Y ? 1 : 0,
      base * 8,
      (base + d) * 8,
      H.byteOffset,
      O.byteOffset,
      invStd.byteOffset,
      eps,
    );
  };

  const layerNormBackward: LayerNormBackRows = (D, G, H, invStd, DX, DG, DB, n, d) => {
    if (n === 0 || d === 0 || !inMemory(D, H, invStd, DX, DG, DB) || !reserve(base + d, true)) {
      layerNormBackRows(D, G, H, invStd, DX, DG, DB, n, d);
      return;
    }
    heap.set(G.subarray(0, d), base);
    wasm.layerNormBackward(n, d, D.byteOffset, base * 8, H.byteOffset, invStd.byteOffset, DX.byteOffset, DG.byteOffset, DB.byteOffset);
  };

  /** A row of m values (a bias, a sum) placed in scratch unless it lies in the memory: its byte offset there, or -1 when no room. */
  function rowAt(V: Float64Array, m: number): number {
    if (V.buffer === heap.buffer) return V.byteOffset;
    if (!reserve(base + m, true)) return -1;
    heap.set(V.subarray(0, m), base);
    return base * 8;
  }

  /** A mask's bytes placed in scratch: their byte offset, −1 for no mask, undefined when there is no room. */
  function maskAt(allowed: Uint8Array | undefined): number | undefined {
    if (!allowed) return -1;
    if (!reserve(base + Math.ceil(allowed.length / 8), true)) return undefined;
    new Uint8Array(heap.buffer, base * 8, allowed.length).set(allowed);
    return base * 8;
  }

  const passes: Passes = {
    add(A, B, O, n) {
      if (!inMemory(A, B, O)) return false;
      wasm.add(n, A.byteOffset, B.byteOffset, O.byteOffset);
      return true;
    },
    addRow(A, V, O, rows, m) {
      const v = inMemory(A, O) ? rowAt(V, m) : -1;
      if (v < 0) return false;
      wasm.rows(rows, m, A.byteOffset, v, O.byteOffset, 0);
      return true;
    },
    sumRows(A, O, rows, m) {
      const o = inMemory(A) ? rowAt(O, m) : -1;
      if (o < 0) return false;
      wasm.rows(rows, m, A.byteOffset, o, 0, 1);
      if (O.buffer !== heap.buffer) O.set(heap.subarray(base, base + m));
      return true;
    },
    relu(P, H, n) {
      if (!inMemory(P, H)) return false;
      wasm.relu(n, P.byteOffset, H.byteOffset, 0);
      return true;
    },
    reluBackward(P, D, n) {
      if (!inMemory(P, D)) return false;
      wasm.relu(n, P.byteOffset, D.byteOffset, 1);
      return true;
    },
    softmax(S, allowed, scale, P, max, sum, rows, cols) {
      const mask = inMemory(S, P, max, sum) ? maskAt(allowed) : undefined;
      if (mask === undefined) return false;
      wasm.softmax(rows, cols, S.byteOffset, mask, scale === undefined ? 0 : 1, scale ?? 1, P.byteOffset, max.byteOffset, sum.byteOffset);
      return true;
    },
    softmaxBackward(A, D, allowed, scale, rows, cols) {
      const mask = inMemory(A, D) ? maskAt(allowed) : undefined;
      if (mask === undefined) return false;
      if (rows > 0 && cols > 0) wasm.softmaxBackward(rows, cols, A.byteOffset, D.byteOffset, mask, scale);
      return true;
    },
  };

  return { name: "wasm", gemm, gemmBatch, layerNorm, layerNormBackward, passes, exp: wasm.exp, workspace };
}
