/**
 * The one matrix-product kernel of the model, behind one interface with two
 * implementations: plain JavaScript (js.ts) and WebAssembly SIMD (wasm.ts).
 * matrix.ts picks one at load time; tests and benchmarks can force either.
 */
import type { Workspace } from "./workspace";
/**
 * C (n × m, row-major from offset `co`) += A·B, where A(i, p) = A[ao + i·ars + p·acs]
 * and B(p, j) = B[bo + p·brs + j·bcs]. Each entry is summed over p in order
 * from 0, then added to C: both implementations give the same bits. With
 * `fresh`, C's n × m values are first taken as 0 (C = 0 + A·B, the same bits
 * as zeroing it first), so a C just allocated needs no zeroing.
 */
export type Gemm = (
  A: Float64Array,
  ao: number,
  ars: number,
  acs: number,
  B: Float64Array,
  bo: number,
  brs: number,
  bcs: number,
  C: Float64Array,
  co: number,
  n: number,
  k: number,
  m: number,
  fresh?: boolean,
) => void;

/**
 * `count` products in one call: the t-th is `Gemm` on A, B and C from offsets
 * ao + t·aStep, bo + t·bStep and co + t·cStep (each sequence of a batch
 * against its own keys, say), with the same bits as `count` calls of `Gemm`.
 */
export type GemmBatch = (count: number, aStep: number, bStep: number, cStep: number, ...product: Parameters<Gemm>) => void;

/**
 * LayerNorm of the n rows (d values each, row-major) of X, or of X + Y when Y
 * is given (the residual sum, written into S): x̂ into H, x̂·γ + β into O and
 * each row's 1/√(var + ε) into invStd. Each row is first divided by the power
 * of two 2^⌊log₂ max|x|⌋ when its largest |x| is 2 or more (finite), so that
 * its squares cannot overflow (exact: the bits are those of the unscaled
 * arithmetic wherever that does not overflow). Row sums run in two chains,
 * the even and the odd columns, each in order from 0, then even + odd; that
 * order is what lets f64x2 lanes compute them, and every kernel keeps it.
 */
export type LayerNormRows = (
  X: Float64Array,
  Y: Float64Array | undefined,
  S: Float64Array | undefined,
  G: Float64Array,
  B: Float64Array,
  H: Float64Array,
  O: Float64Array,
  invStd: Float64Array,
  n: number,
  d: number,
  eps: number,
) => void;

/**
 * LayerNorm's backward over n rows from the forward's H and invStd: dX, and
 * dγ and dβ accumulated (row after row, in order) into DG and DB. The row sums
 * of g = dOut ⊙ γ and g ⊙ x̂ in the even and odd chains of LayerNormRows.
 */
export type LayerNormBackRows = (
  D: Float64Array,
  G: Float64Array,
  H: Float64Array,
  invStd: Float64Array,
  DX: Float64Array,
  DG: Float64Array,
  DB: Float64Array,
  n: number,
  d: number,
) => void;

/**
 * Element-wise passes a kernel may run itself (the WebAssembly kernel, on
 * operands in its memory). Each returns false where it did not, and the
 * caller then runs its own JavaScript loop, which does the same IEEE
 * operation on each value: the same bits either way.
 */
export interface Passes {
  /** O = A + B over n values (O may be A). */
  add(A: Float64Array, B: Float64Array, O: Float64Array, n: number): boolean;
  /** O(i, j) = A(i, j) + V(j) over rows × m. */
  addRow(A: Float64Array, V: Float64Array, O: Float64Array, rows: number, m: number): boolean;
  /** O(j) += A(i, j), row after row. */
  sumRows(A: Float64Array, O: Float64Array, rows: number, m: number): boolean;
  /** H = P > 0 ? P : 0. */
  relu(P: Float64Array, H: Float64Array, n: number): boolean;
  /** ReLU's backward in place: D = P <= 0 ? 0 : D. */
  reluBackward(P: Float64Array, D: Float64Array, n: number): boolean;
  /**
   * attention.ts's softmax over rows × cols scores S (P, each row's max and
   * sum), exp from exp.ts. With `scale`, S is first scaled in place where
   * `allowed` (all when absent) and set to 0 where not, as scaledDotProduct does.
   */
  softmax(
    S: Float64Array,
    allowed: Uint8Array | undefined,
    scale: number | undefined,
    P: Float64Array,
    max: Float64Array,
    sum: Float64Array,
    rows: number,
    cols: number,
  ): boolean;
  /** The softmax's backward in place, attention.ts's: D = A·(D − Σ_row A·D)·scale where `allowed`, 0 where not. */
  softmaxBackward(A: Float64Array, D: Float64Array, allowed: Uint8Array | undefined, scale: number, rows: number, cols: number): boolean;
}

export interface GemmKernel {
  readonly name: "js" | "wasm";
  readonly gemm: Gemm;
  /** Absent: `count` calls of `gemm`. */
  readonly gemmBatch?: GemmBatch;
  /** Absent: the JavaScript kernel's (the same bits). */
  readonly layerNorm?: LayerNormRows;
  readonly layerNormBackward?: LayerNormBackRows;
  /** Absent: matrix.ts's, layers.ts's and attention.ts's JavaScript loops. */
  readonly passes?: Passes;
  /** The exp its softmax uses, when it has its own (exp.ts's twin; for tests). */
  readonly exp?: (x: number) => number;
  /** Where a step's buffers live (matrix.ts's `inWorkspace`); plain arrays when absent. */
  readonly workspace?: Workspace;
}
