/**
 * Dense float64 matrices, row-major, and the handful of operations the
 * transformer needs. Row vectors throughout: a sequence is n × d, one row per
 * token, and a projection is X·W.
 */

import { jsKernel } from "./kernels/js";
import type { Gemm, GemmBatch, GemmKernel } from "./kernels/kernel";
import { createWasmKernel } from "./kernels/wasm";
import { Workspace, heapWorkspace } from "./kernels/workspace";
import { ModelError, type MessageArgs, type MessageCode } from "./messages";

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major values: element (i, j) is data[i * cols + j]. */
  readonly data: Float64Array;
}

/** A shape error that names what was expected and what came in. */
export class ShapeError<C extends MessageCode = MessageCode> extends ModelError<C> {
  constructor(code: C, ...args: MessageArgs<C>) {
    super(code, ...args);
    this.name = "ShapeError";
  }
}

export function zeros(rows: number, cols: number): Matrix {
  return matrixOf(rows, cols, true);
}

function matrixOf(rows: number, cols: number, zeroed: boolean): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new ShapeError("matrixSize", rows, cols);
  }
  return { rows, cols, data: floats(rows * cols, zeroed) };
}

/**
 * A matrix whose every value the caller is about to write: inside a step its
 * buffer holds what the last step left there, so nothing may be read first.
 */
export function empty(rows: number, cols: number): Matrix {
  return matrixOf(rows, cols, false);
}

/** `length` zeroed float64s (with `zeroed` false, see `empty`): from the step's workspace inside `inWorkspace`, new otherwise. */
export function floats(length: number, zeroed = true): Float64Array {
  return workspace ? workspace.take(length, zeroed) : new Float64Array(length);
}

export function fromRows(values: readonly (readonly number[])[], name = "matrix"): Matrix {
  const rows = values.length;
  const cols = rows === 0 ? 0 : values[0].length;
  const m = zeros(rows, cols);
  for (let i = 0; i < rows; i++) {
    if (values[i].length !== cols) {
      throw new ShapeError("ragged", name, i + 1, values[i].length, cols);
    }
    for (let j = 0; j < cols; j++) m.data[i * cols + j] = values[i][j];
  }
  return m;
}

export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  const D = m.data,
    n = m.cols;
  for (let i = 0; i < m.rows; i++) {
    const row = new Array<number>(n);
    for (let j = 0; j < n; j++) row[j] = D[i * n + j];
    out.push(row);
  }
  return out;
}

export function shapeOf(m: Matrix): string {
  return `${m.rows} × ${m.cols}`;
}

/*
 * The three products below are the hot path of training. They share one
 * kernel that reads its operands through strides, so Aᵀ and Bᵀ need no copy:
 * WebAssembly SIMD where the engine has it and may compile it, plain
 * JavaScript otherwise (src/model/kernels). Both give the same bits.
 */
let kernel: GemmKernel = createWasmKernel() ?? jsKernel;

/** The workspace of the step in progress (inWorkspace), where `zeros` takes its buffers. */
let workspace: Workspace | undefined;
const plainWorkspace = heapWorkspace();

/**
 * Runs `step` with every matrix it makes taken from the kernel's workspace:
 * the buffers of the last step run this way, reused, and with the WebAssembly
 * kernel inside its memory, so that its products need no copies. Those
 * buffers are handed out again when the next step begins, so `step` must
 * return nothing that holds one: numbers, plain arrays, or matrices made
 * before it began.
 */
export function inWorkspace<T>(step: () => T): T {
  const ws = kernel.workspace ?? plainWorkspace;
  const outer = workspace;
  ws.begin();
  workspace = ws;
  try {
    return step();
  } finally {
    workspace = outer;
    ws.end();
  }
}

/** The kernel in use. */
export function activeKernel(): GemmKernel {
  return kernel;
}

/** Switches every product to `next` (tests and benchmarks run both kernels). */
export function useKernel(next: GemmKernel): void {
  kernel = next;
}

/**
 * C += A·B through the kernel in use (kernel.ts says what it computes).
 * Exported for the attention kernels, which multiply each sequence's block of
 * a batch in place.
 */
export const gemm: Gemm = (A, ao, ars, acs, B, bo, brs, bcs, C, co, n, k, m, fresh) =>
  kernel.gemm(A, ao, ars, acs, B, bo, brs, bcs, C, co, n, k, m, fresh);

/** `count` products C_t += A_t·B_t at offsets t steps on (kernel.ts's GemmBatch): a batch's sequences in one call. */
export const gemmBatch: GemmBatch = (count, aStep, bStep, cStep, A, ao, ars, acs, B, bo, brs, bcs, C, co, n, k, m, fresh) => {
  if (kernel.gemmBatch) kernel.gemmBatch(count, aStep, bStep, cStep, A, ao, ars, acs, B, bo, brs, bcs, C, co, n, k, m, fresh);
  else {
    for (let t = 0; t < count; t++) {
      kernel.gemm(A, ao + t * aStep, ars, acs, B, bo + t * bStep, brs, bcs, C, co + t * cStep, n, k, m, fresh);
    }
  }
};

/** A·B: (n, k)·(k, m) → (n, m). */
export function matmul(a: Matrix, b: Matrix, aName = "A", bName = "B"): Matrix {
  if (a.cols !== b.rows) {
    throw new ShapeError("productRows", bName, b.rows, aName, a.cols);
  }
  const out = empty(a.rows, b.cols);
  gemm(a.data, 0, a.cols, 1, b.data, 0, b.cols, 1, out.data, 0, a.rows, a.cols, b.cols, true);
  return out;
}

/** A·Bᵀ: (n, k)·(m, k)ᵀ → (n, m). */
export function matmulTransB(a: Matrix, b: Matrix, aName = "A", bName = "B"): Matrix {
  if (a.cols !== b.cols) {
    throw new ShapeError("productCols", bName, b.cols, aName, a.cols);
  }
  const out = empty(a.rows, b.rows);
  gemm(a.data, 0, a.cols, 1, b.data, 0, 1, b.cols, out.data, 0, a.rows, a.cols, b.rows, true);
  return out;
}

/**
 * In place: into += A·Bᵀ, with no product to allocate (the input gradient
 * that every head adds to); with `fresh`, into = A·Bᵀ, its old values unread.
 */
export function addMatmulTransB(into: Matrix, a: Matrix, b: Matrix, fresh = false): void {
  if (a.cols !== b.cols || into.rows !== a.rows || into.cols !== b.rows) {
    throw new Error(`cannot add ${shapeOf(a)}·(${shapeOf(b)})ᵀ into ${shapeOf(into)}`);
  }
  gemm(a.data, 0, a.cols, 1, b.data, 0, 1, b.cols, into.data, 0, a.rows, a.cols, b.rows, fresh);
}

/** Aᵀ·B: (k, n)ᵀ·(k, m) → (n, m). Accumulates into `into` when given. */
export function matmulTransA(a: Matrix, b: Matrix, into?: Matrix): Matrix {
  if (a.rows !== b.rows) {
    throw new Error(`Aᵀ·B needs equal row counts, got ${shapeOf(a)} and ${shapeOf(b)}`);
  }
  const n = a.cols,
    m = b.cols;
  const out = into ?? empty(n, m);
  if (out.rows !== n || out.cols !== m) throw new Error(`Aᵀ·B result should be ${n} × ${m} but is ${shapeOf(out)}`);
  gemm(a.data, 0, 1, a.cols, b.data, 0, b.cols, 1, out.data, 0, n, a.rows, m, !into);
  return out;
}

export function add(a: Matrix, b: Matrix, aName = "A", bName = "B"): Matrix {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError("addShapes", aName, shapeOf(a), bName, shapeOf(b));
  }
  const out = empty(a.rows, a.cols);
  const A = a.data,
    B = b.data,
    O = out.data;
  if (!kernel.passes?.add(A, B, O, A.length)) for (let i = 0; i < A.length; i++) O[i] = A[i] + B[i];
  return out;
}

/** In place: a += b. */
export function addInto(a: Matrix, b: Matrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new Error(`cannot add ${shapeOf(b)} into ${shapeOf(a)}`);
  const A = a.data,
    B = b.data;
  if (!kernel.passes?.add(A, B, A, A.length)) for (let i = 0; i < A.length; i++) A[i] += B[i];
}

/** Adds the 1 × m row vector `v` to every row of `a`. */
export function addRow(a: Matrix, v: Matrix, vName = "bias"): Matrix {
  if (v.rows !== 1 || v.cols !== a.cols) {
    throw new ShapeError("rowShape", vName, a.cols, shapeOf(v));
  }
  const out = empty(a.rows, a.cols);
  const A = a.data,
    V = v.data,
    O = out.data,
    m = a.cols;
  if (kernel.passes?.addRow(A, V, O, a.rows, m)) return out;
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < m; j++) O[i * m + j] = A[i * m + j] + V[j];
  return out;
}

/** Column sums as a 1 × cols row, accumulated into `into` when given. */
export function sumRows(a: Matrix, into?: Matrix): Matrix {
  const out = into ?? zeros(1, a.cols);
  const A = a.data,
    O = out.data,
    m = a.cols;
  if (kernel.passes?.sumRows(A, O, a.rows, m)) return out;
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < m; j++) O[j] += A[i * m + j];
  return out;
}

/** Columns [start, start + width) of `a`. */
export function sliceCols(a: Matrix, start: number, width: number): Matrix {
  const out = empty(a.rows, width);
  const A = a.data,
    O = out.data,
    m = a.cols;
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < width; j++) O[i * width + j] = A[i * m + start + j];
  return out;
}

/** Matrices with equal row counts, side by side. */
export function concatCols(parts: readonly Matrix[]): Matrix {
  const rows = parts[0].rows;
  const cols = parts.reduce((s, p) => s + p.cols, 0);
  const out = empty(rows, cols);
  let offset = 0;
  for (const p of parts) {
    if (p.rows !== rows) throw new Error(`cannot place ${shapeOf(p)} beside a block of ${rows} rows`);
    for (let i = 0; i < rows; i++) for (let j = 0; j < p.cols; j++) out.data[i * cols + offset + j] = p.data[i * p.cols + j];
    offset += p.cols;
  }
  return out;
}

/** Rows of `table` picked by index: the embedding lookup. */
export function gatherRows(table: Matrix, ids: readonly number[]): Matrix {
  const out = empty(ids.length, table.cols);
  const d = table.cols,
    T = table.data,
    O = out.data;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id >= table.rows) {
      throw new ShapeError("tableRow", id, table.rows);
    }
    for (let j = 0; j < d; j++) O[i * d + j] = T[id * d + j];
  }
  return out;
}

/** Where a value sits in a matrix: its row and column (1-based) and the value. */
export interface Entry {
  row: number;
  col: number;
  value: number;
}

/** The first value of `m` for which `bad` holds, or undefined. */
export function firstWhere(m: Matrix, bad: (v: number) => boolean): Entry | undefined {
  const i = m.data.findIndex(bad);
  return i < 0 ? undefined : { row: Math.floor(i / m.cols) + 1, col: (i % m.cols) + 1, value: m.data[i] };
}

/**
 * The first NaN or ±Infinity of `m`, or undefined. x − x is 0 only for
 * finite x: the test of Number.isFinite, without its cost inside jest's
 * sandbox on a million cells (src/functions/args.ts).
 */
export function firstNonFinite(m: Matrix): Entry | undefined {
  return firstWhere(m, (v) => v - v !== 0);
}
