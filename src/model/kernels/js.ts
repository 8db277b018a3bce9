/**
 * The JavaScript kernel: the fallback where WebAssembly or its SIMD is
 * missing. It reads its operands through strides (so Aᵀ and Bᵀ need no copy)
 * and keeps a 2 × 4 block of the output in local variables while it runs
 * along the inner sum, which halves the loads per multiply-add.
 */
import type { Gemm, GemmKernel } from "./kernel";
import { heapWorkspace } from "./workspace";

const gemm: Gemm = (A, ao, ars, acs, B, bo, brs, bcs, C, co, n, k, m) => {
  const n2 = n - (n % 2),
    m4 = m - (m % 4);
  for (let i = 0; i < n2; i += 2) {
    const a0 = ao + i * ars,
      a1 = a0 + ars;
    for (let j = 0; j < m4; j += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      const bj = bo + j * bcs;
      for (let p = 0; p < k; p++) {
        const x0 = A[a0 + p * acs],
          x1 = A[a1 + p * acs];
        const b = p * brs + bj;
        const b0 = B[b],
          b1 = B[b + bcs],
          b2 = B[b + 2 * bcs],
          b3 = B[b + 3 * bcs];
        c00 += x0 * b0;
        c01 += x0 * b1;
        c02 += x0 * b2;
        c03 += x0 * b3;
        c10 += x1 * b0;
        c11 += x1 * b1;
        c12 += x1 * b2;
        c13 += x1 * b3;
      }
      const r0 = co + i * m + j,
        r1 = r0 + m;
      C[r0] += c00;
      C[r0 + 1] += c01;
      C[r0 + 2] += c02;
      C[r0 + 3] += c03;
      C[r1] += c10;
      C[r1 + 1] += c11;
      C[r1 + 2] += c12;
      C[r1 + 3] += c13;
    }
    for (let j = m4; j < m; j++) {
      let c0 = 0,
        c1 = 0;
      for (let p = 0; p < k; p++) {
        const b = B[bo + p * brs + j * bcs];
        c0 += A[a0 + p * acs] * b;
        c1 += A[a1 + p * acs] * b;
      }
      C[co + i * m + j] += c0;
      C[co + (i + 1) * m + j] += c1;
    }
  }
  for (let i = n2; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let c = 0;
      for (let p = 0; p < k; p++) c += A[ao + i * ars + p * acs] * B[bo + p * brs + j * bcs];
      C[co + i * m + j] += c;
    }
  }
};

export const jsKernel: GemmKernel = { name: "js", gemm, workspace: heapWorkspace() };
