// Bundled by wasm-kernel-browser.test.ts and run in Chromium, on a page and
// in a Web Worker: which kernel src/model picks there, and whether a product
// on it gives the JavaScript kernel's bits.
import { jsKernel } from "../../src/model/kernels/js";
import { activeKernel } from "../../src/model/matrix";

function report(): { kernel: string; sameBits: boolean } {
  const n = 9,
    k = 8,
    m = 11;
  const A = Float64Array.from({ length: n * k }, (_, i) => Math.sin(i));
  const B = Float64Array.from({ length: k * m }, (_, i) => Math.cos(i));
  const ours = new Float64Array(n * m),
    theirs = new Float64Array(n * m);
  activeKernel().gemm(A, 0, k, 1, B, 0, m, 1, ours, 0, n, k, m);
  jsKernel.gemm(A, 0, k, 1, B, 0, m, 1, theirs, 0, n, k, m);
  return { kernel: activeKernel().name, sameBits: ours.every((x, i) => Object.is(x, theirs[i])) };
}

const scope = globalThis as unknown as {
  document?: unknown;
  postMessage(message: unknown): void;
  kernelReport?: unknown;
  workerReport?: Promise<unknown>;
};
if (scope.document === undefined) {
  scope.postMessage(report());
} else {
  scope.kernelReport = report();
  const worker = new Worker("kernel-page.js");
  scope.workerReport = new Promise((resolve) => (worker.onmessage = (event) => resolve(event.data)));
}
