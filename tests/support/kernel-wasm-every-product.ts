// Imported first by kernel-wasm-path.test.ts: sends every product through
// WebAssembly, even those so small that the default kernel leaves them to
// JavaScript (the test models are tiny), before the test files it imports
// compute anything (some train a model as they load).
import { createWasmKernel } from "../../src/model/kernels/wasm";
import { useKernel } from "../../src/model/matrix";

const everyProduct = createWasmKernel(0);
if (!everyProduct) throw new Error("node 20 has WebAssembly SIMD; the kernel should load here");
useKernel(everyProduct);
