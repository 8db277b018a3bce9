/**
 * The finite-difference, tfjs and HyperFormula checks of the model, run again
 * with every product on the JavaScript kernel: the fallback where WebAssembly
 * or its SIMD is missing or refused. (Their own files run on the WebAssembly
 * kernel, which node loads by default; see wasm-kernel.test.ts.)
 */
import "./support/kernel-js";
import "./gradients.test";
import "./tfjs-agreement.test";
import "./optim-tfjs.test";
import "./sheet-engine.test";
import { activeKernel } from "../src/model/matrix";

test("the products ran on the JavaScript kernel", () => {
  expect(activeKernel().name).toBe("js");
});
