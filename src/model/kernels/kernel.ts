/**
 * The one matrix-product kernel of the model, behind one interface with two
 * implementations: plain JavaScript (js.ts) and WebAssembly SIMD (wasm.ts).
 * matrix.ts picks one at load time; tests and benchmarks can force either.
 */
import type { Workspace } from "./workspace";
/**
 * C (n × m, row-major from offset `co`) += A·B, where A(i, p) = A[ao + i·ars + p·acs]
 * and B(p, j) = B[bo + p·brs + j·bcs]. Each entry is summed over p in order
 * from 0, then added to C: both implementations give the same bits.
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
) => void;

/**
 * `count` products in one call: the t-th is `Gemm` on A, B and C from offsets
 * ao + t·aStep, bo + t·bStep and co + t·cStep (each sequence of a batch
 * against its own keys, say), with the same bits as `count` calls of `Gemm`.
 */
export type GemmBatch = (count: number, aStep: number, bStep: number, cStep: number, ...product: Parameters<Gemm>) => void;

export interface GemmKernel {
  readonly name: "js" | "wasm";
  readonly gemm: Gemm;
  /** Absent: `count` calls of `gemm`. */
  readonly gemmBatch?: GemmBatch;
  /** Where a step's buffers live (matrix.ts's `inWorkspace`); plain arrays when absent. */
  readonly workspace?: Workspace;
}
