/**
 * A step's workspace (src/model/kernels/workspace.ts): the buffers of one
 * training step reused by the next, and with the WebAssembly kernel laid out
 * in its memory so that its products read and write them in place. Reusing
 * them must change no bit: each step here is checked against the same
 * forward and backward run outside any workspace (fresh arrays, every operand
 * copied into the kernel's memory), on both kernels, across models that
 * alternate (so the sizes change), and across the memory growing between
 * steps. The finite-difference and tfjs tests check that computation itself.
 */
import { ModelConfig, Params, initParams, zeroGrads } from "../src/model/config";
import { jsKernel } from "../src/model/kernels/js";
import type { GemmKernel } from "../src/model/kernels/kernel";
import { createWasmKernel } from "../src/model/kernels/wasm";
import { crossEntropy, crossEntropyBackward } from "../src/model/loss";
import { activeKernel, matmul, useKernel, zeros } from "../src/model/matrix";
import { configFor, encodeExamples, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { EncodedExample, PAD_ID, backward, forwardBatch, lossAndGradients } from "../src/model/transformer";

interface Case {
  config: ModelConfig;
  batch: EncodedExample[];
  params: Params;
}

function presetCase(name: string, count: number): Case {
  const preset = getPreset(name);
  const task = makeTask(preset.task, preset.taskOptions);
  const config = configFor(preset, task, {});
  return { config, batch: encodeExamples(task, config, task.train.slice(0, count)), params: initParams(config, 5) };
}

/** The loss and gradients computed with fresh arrays, outside any workspace. */
function outside(c: Case): { loss: number; grads: Params } {
  const f = forwardBatch(
    c.params,
    c.config,
    c.batch.map((e) => e.source),
    c.config.kind === "encoder-decoder" ? c.batch.map((e) => e.decoderInput!) : undefined,
  );
  const targets = c.batch.flatMap((e) => e.target);
  const tokens = targets.filter((t) => t !== PAD_ID).length;
  const ce = crossEntropy(f.logits, targets, PAD_ID);
  const grads = zeroGrads(c.config);
  backward(c.params, f, crossEntropyBackward(ce, targets, PAD_ID, 1 / tokens), grads);
  return { loss: ce.sum / tokens, grads };
}

function bits(grads: Params): Record<string, number[]> {
  return Object.fromEntries(Object.entries(grads).map(([n, m]) => [n, Array.from(m.data)]));
}

const wasm = createWasmKernel(0);
if (!wasm) throw new Error("node 20 has WebAssembly SIMD; the kernel should load here");
const before = activeKernel();
afterAll(() => useKernel(before));

const cases = [presetCase("encoder", 12), presetCase("encoder-decoder", 5), presetCase("gpt", 6)];

describe.each([
  ["WebAssembly", wasm],
  ["JavaScript", jsKernel],
] as [string, GemmKernel][])("on the %s kernel", (_name, kernel) => {
  beforeAll(() => useKernel(kernel));

  test("steps in the workspace give the bits of the same step outside it, while the models alternate", () => {
    const expected = cases.map((c) => {
      const o = outside(c);
      return { loss: o.loss, grads: bits(o.grads) };
    });
    for (let round = 0; round < 3; round++) {
      cases.forEach((c, i) => {
        // Twice in a row: the second reuses the buffers the first laid out.
        for (let again = 0; again < 2; again++) {
          const r = lossAndGradients(c.params, c.config, c.batch);
          expect(r.loss).toBe(expected[i].loss);
          expect(bits(r.grads)).toEqual(expected[i].grads);
        }
      });
    }
  });

  test("a step's gradients stay as they were after the next step (they are not the workspace's)", () => {
    const [a, b] = cases;
    const first = lossAndGradients(a.params, a.config, a.batch);
    const kept = bits(first.grads);
    lossAndGradients(a.params, a.config, a.batch);
    lossAndGradients(b.params, b.config, b.batch);
    expect(bits(first.grads)).toEqual(kept);
  });
});

test("the memory growing between steps (a large product outside them) leaves the next steps exact", () => {
  useKernel(wasm);
  const c = cases[1];
  const expected = bits(outside(c).grads);
  expect(bits(lossAndGradients(c.params, c.config, c.batch).grads)).toEqual(expected);
  // 400 × 300 · 300 × 200: far more scratch than any step asked for, so the memory grows and the step's views of it lapse.
  const big = matmul(zeros(400, 300), zeros(300, 200));
  expect(big.rows).toBe(400);
  for (let i = 0; i < 2; i++) expect(bits(lossAndGradients(c.params, c.config, c.batch).grads)).toEqual(expected);
});

test("inside a step the kernel never grows its memory under the step's buffers: a product too large for the scratch runs in JavaScript, exactly", () => {
  const kernel = createWasmKernel(0)!;
  const ws = kernel.workspace!;
  ws.begin();
  const held = ws.take(6);
  held.set([1, 2, 3, 4, 5, 6]);
  ws.end();
  ws.begin(); // lays the buffer out in the kernel's memory
  const A = ws.take(6);
  A.set([1, 2, 3, 4, 5, 6]);
  // (2 × 3)·(3 × 40000): B and C need far more scratch than the memory has.
  const B = new Float64Array(3 * 40000).map((_, i) => (i % 7) - 3);
  const C = new Float64Array(2 * 40000);
  kernel.gemm(A, 0, 3, 1, B, 0, 40000, 1, C, 0, 2, 3, 40000);
  expect(A.length).toBe(6); // not detached by a grown memory
  expect(Array.from(A)).toEqual([1, 2, 3, 4, 5, 6]);
  for (const j of [0, 1, 2, 39999]) {
    expect(C[j]).toBe(1 * B[j] + 2 * B[40000 + j] + 3 * B[80000 + j]);
    expect(C[40000 + j]).toBe(4 * B[j] + 5 * B[40000 + j] + 6 * B[80000 + j]);
  }
  ws.end();
});

test("a buffer taken again is zeroed, and a step that asks for other sizes gets buffers of those sizes", () => {
  const ws = createWasmKernel()!.workspace!;
  for (const sizes of [[3, 5], [3, 5], [4], [3, 5, 2]]) {
    ws.begin();
    for (const n of sizes) {
      const v = ws.take(n);
      expect(Array.from(v)).toEqual(new Array(n).fill(0));
      v.fill(7);
    }
    ws.end();
  }
});
