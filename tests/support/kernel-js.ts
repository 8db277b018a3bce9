// Imported first by kernel-js-path.test.ts: switches the products to the
// JavaScript kernel before the test files it imports compute anything (some
// train a model as they load).
import { jsKernel } from "../../src/model/kernels/js";
import { useKernel } from "../../src/model/matrix";

useKernel(jsKernel);
