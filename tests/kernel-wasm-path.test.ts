/**
 * The finite-difference, tfjs and HyperFormula checks of the model, run again
 * with every product in WebAssembly, even the tiny ones that the default
 * kernel leaves to JavaScript.
 */
import "./support/kernel-wasm-every-product";
import "./gradients.test";
import "./tfjs-agreement.test";
import "./optim-tfjs.test";
import "./sheet-engine.test";
import { activeKernel } from "../src/model/matrix";

test("the products ran on the WebAssembly kernel", () => {
  expect(activeKernel().name).toBe("wasm");
});
