/**
 * Operands placed as a training step places them: in the WebAssembly
 * kernel's memory, as a workspace's buffers, or outside it.
 */
import type { GemmKernel } from "../../src/model/kernels/kernel";

/** Copies of `arrays` in the kernel's memory when `inMemory` (a workspace's buffers, as in a step), plain otherwise; then `body`. */
export function placed(kernel: GemmKernel, inMemory: boolean, arrays: Float64Array[], body: (views: Float64Array[]) => void): void {
  const ws = kernel.workspace!;
  if (!inMemory || kernel.name === "js") {
    body(arrays.map((a) => Float64Array.from(a)));
    return;
  }
  // The first step lays the buffers out; the second hands out the ones in the memory.
  ws.begin();
  arrays.forEach((a) => ws.take(a.length));
  ws.end();
  ws.begin();
  try {
    const views = arrays.map((a) => {
      const v = ws.take(a.length);
      v.set(a);
      expect(v.buffer).not.toBe(a.buffer);
      return v;
    });
    // All in one memory: the kernel's.
    expect(new Set(views.map((v) => v.buffer)).size).toBe(1);
    body(views);
  } finally {
    ws.end();
  }
}
