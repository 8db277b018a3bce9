/**
 * The JavaScript kernel: the fallback where WebAssembly or its SIMD is
 * missing. It reads its operands through strides (so Aᵀ and Bᵀ need no copy)
 * and keeps a 2 × 4 block of the output in local variables while it runs
 * along the inner sum, which halves the loads per multiply-add.
 */
import type { Gemm, GemmKernel, LayerNormBackRows, LayerNormRows } from "./kernel";
import { heapWorkspace } from "./workspace";

const gemm: Gemm = (A, ao, ars, acs, B, bo, brs, bcs, C, co, n, k, m, fresh = false) => {
  if (fresh) C.fill(0, co, co + n * m);
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

/**
 * 2^⌊log₂ max⌋ for a finite max ≥ 2, else 1: the power of two that brings a
 * row's largest |x| into [1, 2). Exact (the WebAssembly kernel takes it from
 * the exponent's bits): Math.log2 may round a value just below a power of two
 * up to it, which the two corrections undo.
 */
function rowScale(max: number): number {
  if (!(max >= 2) || max === Infinity) return 1;
  let scale = Math.pow(2, Math.floor(Math.log2(max)));
  if (scale > max) scale /= 2;
  else if (scale * 2 <= max) scale *= 2;
  return scale;
}

/** kernel.ts's LayerNormRows, with x / 2^k = u: (x − mean)/√(var + ε) = (u − mean_u)/√(var_u + ε/4^k). */
export const layerNormRows: LayerNormRows = (X, Y, S, G, B, H, O, invStd, n, d, eps) => {
  const even = d - (d % 2);
  for (let i = 0; i < n; i++) {
    const r = i * d;
    let src = X;
    if (Y && S) {
      for (let j = r; j < r + d; j++) S[j] = X[j] + Y[j];
      src = S;
    }
    let max = 0;
    for (let j = r; j < r + d; j++) max = Math.max(max, Math.abs(src[j]));
    const scale = rowScale(max);
    // u = x / scale, written into x̂ first (x / 1 is x, so a row that needs no scaling skips the division).
    if (scale === 1) for (let j = r; j < r + d; j++) H[j] = src[j];
    else for (let j = r; j < r + d; j++) H[j] = src[j] / scale;
    let m0 = 0,
      m1 = 0; // of u, even and odd columns
    for (let j = 0; j < even; j += 2) {
      m0 += H[r + j];
      m1 += H[r + j + 1];
    }
    if (even < d) m0 += H[r + even];
    const mean = (m0 + m1) / d;
    let v0 = 0,
      v1 = 0;
    for (let j = 0; j < even; j += 2) {
      const t0 = H[r + j] - mean,
        t1 = H[r + j + 1] - mean;
      v0 += t0 * t0;
      v1 += t1 * t1;
    }
    if (even < d) {
      const t = H[r + even] - mean;
      v0 += t * t;
    }
    const v = (v0 + v1) / d;
    const s = 1 / Math.sqrt(v + eps / (scale * scale)); // 1/σ of u
    invStd[i] = s / scale; // 1/σ of x, for the backward
    for (let j = 0; j < d; j++) {
      const h = (H[r + j] - mean) * s;
      H[r + j] = h;
      O[r + j] = h * G[j] + B[j];
    }
  }
};

/** kernel.ts's LayerNormBackRows: dx = (1/σ)(g − mean(g) − x̂·mean(g ⊙ x̂)), g = dOut ⊙ γ. */
export const layerNormBackRows: LayerNormBackRows = (D, G, H, invStd, DX, DG, DB, n, d) => {
  for (let i = 0; i < n; i++) {
    const r = i * d;
    let g0 = 0,
      g1 = 0,
      x0 = 0,
      x1 = 0;
    for (let j = 0; j < d; j += 2) {
      const a = r + j;
      const ga = D[a] * G[j];
      DG[j] += D[a] * H[a];
      DB[j] += D[a];
      g0 += ga;
      x0 += ga * H[a];
      if (j + 1 === d) break;
      const gb = D[a + 1] * G[j + 1];
      DG[j + 1] += D[a + 1] * H[a + 1];
      DB[j + 1] += D[a + 1];
      g1 += gb;
      x1 += gb * H[a + 1];
    }
    const meanG = (g0 + g1) / d,
      meanGX = (x0 + x1) / d;
    const s = invStd[i];
    for (let j = 0; j < d; j++) DX[r + j] = s * (D[r + j] * G[j] - meanG - H[r + j] * meanGX);
  }
};

export const jsKernel: GemmKernel = {
  name: "js",
  gemm,
  layerNorm: layerNormRows,
  layerNormBackward: layerNormBackRows,
  workspace: heapWorkspace(),
};
