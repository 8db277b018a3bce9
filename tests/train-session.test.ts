import { ModelConfig, Params, checkParams, cloneParams, initParams } from "../src/model/config";
import { OptimizerConfig, newOptimizerState, optimizerStep } from "../src/model/optim";
import { configFor, encodeExamples, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { EncodedExample, evaluate, greedyDecode, lossAndGradients } from "../src/model/transformer";
import { BatchSampler } from "../src/train/batches";
import { DivergedError, TrainingSession, type SessionOptions } from "../src/train/session";
import { MemoryStore, type ParamStore } from "../src/train/store";

// A small reverse task for the encoder preset: a step takes milliseconds.
const task = makeTask("reverse", { length: 4, symbols: 5, trainCount: 24, heldOutCount: 8 });
const config = configFor(getPreset("encoder"), task);
const train = encodeExamples(task, config, task.train);
const heldOut = encodeExamples(task, config, task.heldOut);
const adam: OptimizerConfig = { kind: "adam", lr: 0.01 };
const initial = initParams(config, 7);

/** Counts reads and writes, and keeps a copy of what was last read. */
class CountingStore implements ParamStore {
  reads = 0;
  writes = 0;
  lastRead: Params = {};
  readonly inner: MemoryStore;

  constructor(params: Params) {
    this.inner = new MemoryStore(params);
  }

  async read(): Promise<Params> {
    this.reads += 1;
    const p = await this.inner.read();
    this.lastRead = cloneParams(p);
    return p;
  }

  async write(params: Params): Promise<void> {
    this.writes += 1;
    await this.inner.write(params);
  }
}

function session(store: ParamStore, extra: Partial<SessionOptions> = {}): TrainingSession {
  return new TrainingSession({ store, config, train, heldOut, optimizer: adam, ...extra });
}

/** The model's own loop, without the session: `steps` full-batch updates from `start`. */
function manualSteps(
  start: Params,
  steps: number,
  optimizer: OptimizerConfig = adam,
  state = newOptimizerState(),
  c: ModelConfig = config,
  data: EncodedExample[] = train,
): Params {
  const p = cloneParams(start);
  for (let i = 0; i < steps; i++) optimizerStep(p, lossAndGradients(p, c, data).grads, optimizer, state);
  return p;
}

function plain(p: Params): Record<string, number[]> {
  return Object.fromEntries(Object.entries(p).map(([k, m]) => [k, Array.from(m.data)]));
}

function messageOf(f: () => void): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a throw");
}

describe("MemoryStore", () => {
  test("copies on read and on write, so callers cannot alias its state", async () => {
    const source = cloneParams(initial);
    const store = new MemoryStore(source);
    source.Out_B.data[0] = 99;
    const a = await store.read();
    expect(a.Out_B.data[0]).toBe(initial.Out_B.data[0]);
    a.Out_B.data[0] = 42;
    expect((await store.read()).Out_B.data[0]).toBe(initial.Out_B.data[0]);
    await store.write(a);
    a.Out_B.data[0] = 43;
    expect((await store.read()).Out_B.data[0]).toBe(42);
  });
});

describe("TrainingSession", () => {
  test("a step lowers the loss on the training set, and reports the loss before its update", async () => {
    const store = new MemoryStore(initial);
    const s = session(store);
    const before = evaluate(initial, config, train).loss;
    const report = await s.step();
    const after = evaluate(await store.read(), config, train).loss;
    expect(report.step).toBe(1);
    expect(report.loss).toBe(before);
    expect(after).toBeLessThan(before);
    expect(report.gradNorm).toBeGreaterThan(0);
  });

  test("run(n) gives the same weights as the model's own loop, whatever writeEvery is", async () => {
    const expected = plain(manualSteps(initial, 6));
    for (const writeEvery of [1, 4, 100]) {
      const store = new MemoryStore(initial);
      const report = await session(store).run(6, { writeEvery });
      expect(report.steps).toBe(6);
      expect(plain(await store.read())).toEqual(expected);
    }
  });

  test("one read and one write per step; a run reads once and writes every writeEvery steps and at the end", async () => {
    const store = new CountingStore(initial);
    const s = session(store);
    for (let i = 1; i <= 3; i++) {
      await s.step();
      expect([store.reads, store.writes]).toEqual([i, i]);
    }
    store.reads = store.writes = 0;
    await s.run(6);
    expect([store.reads, store.writes]).toEqual([1, 6]);
    store.reads = store.writes = 0;
    await s.run(6, { writeEvery: 4 });
    expect([store.reads, store.writes]).toEqual([1, 2]);
    store.reads = store.writes = 0;
    await s.run(6, { writeEvery: 3 });
    expect([store.reads, store.writes]).toEqual([1, 2]);
  });

  test("progress reports count the run's steps and the session's", async () => {
    const s = session(new MemoryStore(initial));
    await s.run(2);
    const seen: [number, number, number][] = [];
    const report = await s.run(3, { onProgress: (p) => seen.push([p.done, p.total, p.step]) });
    expect(seen).toEqual([
      [1, 3, 3],
      [2, 3, 4],
      [3, 3, 5],
    ]);
    expect(s.stepCount).toBe(5);
    expect(report.stepsPerSecond).toBeGreaterThan(0);
    expect(report.firstLoss).toBeGreaterThan(report.lastLoss!);
  });

  test("undo writes back the weights before the last run, restores the optimizer state, and walks back further", async () => {
    const store = new MemoryStore(initial);
    const s = session(store);
    expect(s.canUndo).toBe(false);
    await s.run(3);
    const after3 = plain(await store.read());
    expect(after3).toEqual(plain(manualSteps(initial, 3)));
    await s.run(2);
    const after5 = plain(await store.read());

    await s.undo();
    expect(plain(await store.read())).toEqual(after3);
    expect(s.stepCount).toBe(3);
    // Adam's moments were put back too: redoing the run lands on the same weights.
    await s.run(2);
    expect(plain(await store.read())).toEqual(after5);

    await s.undo();
    expect(plain(await store.read())).toEqual(after3);
    await s.undo();
    expect(plain(await store.read())).toEqual(plain(initial));
    expect(s.stepCount).toBe(0);
    expect(s.canUndo).toBe(false);
    await expect(s.undo()).rejects.toThrow("there is nothing to undo");
  });

  test("undo after single steps walks back one step at a time", async () => {
    const store = new MemoryStore(initial);
    const s = session(store);
    await s.step();
    await s.step();
    await s.undo();
    expect(plain(await store.read())).toEqual(plain(manualSteps(initial, 1)));
    await s.undo();
    expect(plain(await store.read())).toEqual(plain(initial));
  });

  test("cancelling at step 5 of 50 stops there and writes that step's weights", async () => {
    for (const writeEvery of [1, 10]) {
      const store = new MemoryStore(initial);
      const token = { aborted: false };
      const report = await session(store).run(50, {
        signal: token,
        writeEvery,
        onProgress: (p) => {
          if (p.done === 5) token.aborted = true;
        },
      });
      expect(report).toMatchObject({ steps: 5, cancelled: true, stopped: "cancelled" });
      expect(plain(await store.read())).toEqual(plain(manualSteps(initial, 5)));
    }
  });

  test("an AbortSignal aborted before the run starts runs nothing and touches nothing", async () => {
    const store = new CountingStore(initial);
    const controller = new AbortController();
    controller.abort();
    const s = session(store);
    const report = await s.run(10, { signal: controller.signal });
    expect(report).toMatchObject({ steps: 0, cancelled: true });
    expect([store.reads, store.writes]).toEqual([0, 0]);
    expect(s.canUndo).toBe(false);
  });

  test("divergence (SGD, lr 1e6): the run stops at step 2 and writes back the weights it started from", async () => {
    const store = new MemoryStore(initial);
    const s = session(store, { optimizer: { kind: "sgd", lr: 1e6 } });
    const report = await s.run(20);
    expect(report.stopped).toBe("diverged");
    expect(report.cancelled).toBe(false);
    expect(report.steps).toBe(0);
    expect(report.message).toMatch(/diverged at step 2: the loss rose to .*more than 10 × the lowest loss so far/);
    expect(report.message).toMatch(/wrote back the weights from the start of this run/);
    expect(plain(await store.read())).toEqual(plain(initial));
    expect(s.stepCount).toBe(0);
  });

  test("divergence mid-run restores the last weights whose loss was sound", async () => {
    const sgd: OptimizerConfig = { kind: "sgd", lr: 3, momentum: 0 };
    // Find, with the model alone, the first step whose loss breaks the rule (> 10 × the lowest loss before it and > ln V).
    const p = cloneParams(initial);
    const state = newOptimizerState();
    const weights = [cloneParams(p)];
    const losses: number[] = [];
    for (let k = 0; k < 30; k++) {
      const r = lossAndGradients(p, config, train);
      const lowest = Math.min(...losses);
      losses.push(r.loss);
      if (!Number.isFinite(r.loss) || (r.loss > 10 * lowest && r.loss > Math.log(config.vocabSize))) break;
      optimizerStep(p, r.grads, sgd, state);
      weights.push(cloneParams(p));
    }
    const badStep = losses.length; // 1-based: the step whose loss is bad
    expect(badStep).toBeGreaterThan(2); // a real mid-run case, not the first steps
    const store = new MemoryStore(initial);
    const report = await session(store, { optimizer: sgd }).run(30);
    expect(report.stopped).toBe("diverged");
    expect(report.steps).toBe(badStep - 2);
    expect(report.lastLoss).toBe(losses[badStep - 2]);
    expect(report.message).toContain(`diverged at step ${badStep}`);
    expect(report.message).toContain(`the weights after step ${badStep - 2}`);
    expect(plain(await store.read())).toEqual(plain(weights[badStep - 2]));
  });

  test("a NaN loss stops the run and keeps the weights it was measured at", async () => {
    // An update beyond WEIGHT_LIMIT is refused before its loss is measured, so only weights stored beyond it reach a NaN loss.
    const overflowing = cloneParams(initial);
    overflowing.Embedding.data.forEach((w, i) => (overflowing.Embedding.data[i] = 1e300 * w));
    const store = new MemoryStore(overflowing);
    const report = await session(store, { optimizer: { kind: "sgd", lr: 0.1, momentum: 0 } }).run(5);
    expect(report.stopped).toBe("diverged");
    expect(report.message).toMatch(/diverged at step 1: the loss became NaN/);
    expect(plain(await store.read())).toEqual(plain(overflowing));
  });

  test("an update that overflows the weights stops the run and keeps the weights before it", async () => {
    // Output weights typed 10 times too large give gradients above 1, which lr = MAX_VALUE takes past the largest float.
    const big = cloneParams(initial);
    big.Out_W.data.forEach((w, i) => (big.Out_W.data[i] = 10 * w));
    const store = new MemoryStore(big);
    const s = session(store, { optimizer: { kind: "sgd", lr: Number.MAX_VALUE, momentum: 0 } });
    const report = await s.run(5);
    expect(report.stopped).toBe("diverged");
    expect(report.message).toMatch(/diverged at step 1: the update made \w+ -?Infinity at row \d+, column \d+/);
    expect(plain(await store.read())).toEqual(plain(big));
    await expect(s.step()).rejects.toBeInstanceOf(DivergedError);
    expect(plain(await store.read())).toEqual(plain(big));
  });

  test("a weight edited by hand between runs is where the next run starts", async () => {
    const edited = new CountingStore(initial);
    const twin = new MemoryStore(initial);
    const a = session(edited);
    const b = session(twin);
    await a.run(3);
    await b.run(3);
    const hand = await edited.inner.read();
    hand.Out_B.data[3] = 2.5;
    await edited.inner.write({ Out_B: hand.Out_B });

    await a.run(3);
    await b.run(3);
    expect(edited.lastRead.Out_B.data[3]).toBe(2.5);
    const withEdit = await edited.read();
    expect(plain(withEdit)).not.toEqual(plain(await twin.read()));
    // The model's own loop, with the same edit at the same point and the optimizer state carried on.
    const state = newOptimizerState();
    const p = manualSteps(initial, 3, adam, state);
    p.Out_B.data[3] = 2.5;
    expect(plain(withEdit)).toEqual(plain(manualSteps(p, 3, adam, state)));
  });

  test("checkParams' message reaches the caller unchanged, and nothing is written", async () => {
    const missing = cloneParams(initial);
    delete missing.Enc_FF_B2;
    const misshapen = cloneParams(initial);
    misshapen.Out_W = { rows: config.dModel, cols: config.vocabSize + 1, data: new Float64Array(config.dModel * (config.vocabSize + 1)) };
    const nan = cloneParams(initial);
    nan.Enc_H1_Wq.data[4] = NaN;
    for (const bad of [missing, misshapen, nan]) {
      const expected = messageOf(() => checkParams(bad, config));
      const store = new CountingStore(bad);
      const s = session(store);
      await expect(s.step()).rejects.toMatchObject({ message: expected });
      await expect(s.run(5)).rejects.toMatchObject({ message: expected });
      await expect(s.evaluate()).rejects.toMatchObject({ message: expected });
      expect(store.writes).toBe(0);
      expect(s.canUndo).toBe(false);
    }
    expect(messageOf(() => checkParams(nan, config))).toBe("Enc_H1_Wq should hold finite numbers but has NaN at row 1, column 5");
  });

  test("a second run while one is going is refused", async () => {
    const s = session(new MemoryStore(initial));
    const first = s.run(3);
    await expect(s.step()).rejects.toThrow(/busy/);
    await expect(s.undo()).rejects.toThrow(/busy/);
    await first;
    await expect(s.step()).resolves.toMatchObject({ step: 4 });
  });

  test("bad run arguments are refused with a message", async () => {
    const s = session(new MemoryStore(initial));
    await expect(s.run(0)).rejects.toThrow("the number of steps should be a whole number ≥ 1, got 0");
    await expect(s.run(2, { writeEvery: 1.5 })).rejects.toThrow("writeEvery should be a whole number ≥ 1, got 1.5");
    await expect(s.run(2, { batchSize: 0 })).rejects.toThrow("the batch size should be a whole number ≥ 1, got 0");
    expect(() => session(new MemoryStore(initial), { train: [] })).toThrow("there are no training examples");
    expect(() => session(new MemoryStore(initial), { optimizer: { kind: "adam", lr: -1 } })).toThrow(/learning rate/);
  });

  test("mini-batches are drawn from the seed: same seed, same weights; another seed, other weights", async () => {
    const weightsAfter = async (seed: number, batchSize?: number) => {
      const store = new MemoryStore(initial);
      await session(store, { seed }).run(4, { batchSize });
      return plain(await store.read());
    };
    const a = await weightsAfter(3, 5);
    expect(await weightsAfter(3, 5)).toEqual(a);
    expect(await weightsAfter(4, 5)).not.toEqual(a);
    expect(await weightsAfter(3, 5)).not.toEqual(await weightsAfter(3));
    // A batch at least as large as the data set is the full batch.
    expect(await weightsAfter(3, train.length)).toEqual(plain(manualSteps(initial, 4)));
  });

  test("undo rewinds the batch order too", async () => {
    const store = new MemoryStore(initial);
    const s = session(store, { seed: 5 });
    await s.run(2, { batchSize: 5 });
    await s.run(3, { batchSize: 5 });
    const once = plain(await store.read());
    await s.undo();
    await s.run(3, { batchSize: 5 });
    expect(plain(await store.read())).toEqual(once);
  });

  test("the batch sampler visits every example once per epoch", () => {
    const sampler = new BatchSampler(10, 1);
    const epochs = sampler.take(0, 30);
    for (let e = 0; e < 3; e++)
      expect([...epochs.slice(10 * e, 10 * e + 10)].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epochs.slice(0, 10)).not.toEqual(epochs.slice(10, 20));
    expect(sampler.take(7, 6)).toEqual(epochs.slice(7, 13));
  });

  test("evaluate gives the held-out loss and token accuracy of the weights in the store", async () => {
    const store = new MemoryStore(initial);
    const s = session(store);
    await s.run(5);
    const expected = evaluate(await store.read(), config, heldOut);
    const report = await s.evaluate();
    expect(report).toEqual({ loss: expected.loss, accuracy: expected.accuracy, tokens: expected.tokens, examples: heldOut.length });
    await expect(session(store, { heldOut: [] }).evaluate()).rejects.toThrow("there are no held-out examples to evaluate on");
  });

  test("evaluate on an encoder–decoder adds the greedy exact-match share", async () => {
    const translate = makeTask("translate");
    const preset = getPreset("encoder-decoder");
    const c = configFor(preset, translate);
    const pairs = translate.train.slice(0, 4);
    const data = encodeExamples(translate, c, pairs);
    const store = new MemoryStore(initParams(c, 1));
    const s = new TrainingSession({ store, config: c, train: data, heldOut: data, optimizer: preset.optimizer });
    await s.run(60);
    const report = await s.evaluate();
    // Counted here by words, through the vocabulary, not by ids.
    const params = await store.read();
    const matches = pairs.filter(
      (ex, i) => translate.vocab.decode(greedyDecode(params, c, data[i].source).predicted).join(" ") === ex.target.join(" "),
    ).length;
    expect(matches).toBeGreaterThan(0);
    expect(report.exactMatches).toBe(matches);
    expect(report.exactMatch).toBe(matches / pairs.length);
  });
});

describe("the divergence guard across runs (issue 9)", () => {
  const wild: OptimizerConfig = { kind: "adam", lr: 1000 };

  test("single steps at lr 1000: the step whose loss rises past 10 × the lowest so far is refused, and Undo goes back before the step that caused it", async () => {
    // The model's own loop: the loss each press measures, and the weights before each press.
    const p = cloneParams(initial);
    const state = newOptimizerState();
    const weights = [cloneParams(p)];
    const losses: number[] = [];
    for (let k = 0; k < 6; k++) {
      const r = lossAndGradients(p, config, train);
      losses.push(r.loss);
      optimizerStep(p, r.grads, wild, state);
      weights.push(cloneParams(p));
    }
    const rule = (k: number) => losses[k] > 10 * Math.min(...losses.slice(0, k)) && losses[k] > Math.log(config.vocabSize);
    const bad = losses.findIndex((_, k) => k > 0 && rule(k)); // 0-based: press bad + 1 measures the bad loss
    expect(bad).toBeGreaterThan(0);
    expect(bad).toBeLessThan(4);

    const store = new MemoryStore(initial);
    const s = session(store, { optimizer: wild });
    for (let k = 0; k < bad; k++) expect((await s.step()).loss).toBe(losses[k]);
    await expect(s.step()).rejects.toThrow(
      new RegExp(`diverged at step ${bad + 1}: the loss rose to .*more than 10 × the lowest loss so far`),
    );
    expect(s.stepCount).toBe(bad);
    expect(plain(await store.read())).toEqual(plain(weights[bad]));
    // Every later press is judged by the same lowest loss, so it is refused too.
    await expect(s.step()).rejects.toBeInstanceOf(DivergedError);
    // Each refused press has its own undo entry, which changes nothing; the next one goes back before the harmful step.
    await s.undo();
    await s.undo();
    expect(plain(await store.read())).toEqual(plain(weights[bad]));
    await s.undo();
    expect(plain(await store.read())).toEqual(plain(weights[bad - 1]));
    expect(s.stepCount).toBe(bad - 1);
  });

  test("a hand edit between runs starts a new reference: a worse loss from the user's weights is not called divergence", async () => {
    const store = new MemoryStore(initial);
    const s = session(store);
    await s.run(3);
    const hand = await store.read();
    hand.Out_B.data.forEach((_, i) => (hand.Out_B.data[i] = i % 2 ? 100 : -100));
    await store.write({ Out_B: hand.Out_B });
    const firstAfterEdit = lossAndGradients(await store.read(), config, train).loss;
    expect(firstAfterEdit).toBeGreaterThan(10 * 2.7);
    const report = await s.run(2);
    expect(report.stopped).toBeUndefined();
    expect(report.firstLoss).toBe(firstAfterEdit);
  });
});

describe("mini-batches of pads (issue 9)", () => {
  // Every third example has only <pad> targets: a batch of one of those has nothing to learn from.
  const padded = train.map((ex, i) => (i % 3 === 0 ? { ...ex, target: ex.target.map(() => 0) } : ex));

  test("a mini-batch whose targets are all <pad> is skipped for the next one: no throw, every step kept and written", async () => {
    const store = new CountingStore(initial);
    const s = session(store, { train: padded, seed: 2 });
    const report = await s.run(12, { batchSize: 1, writeEvery: 4 });
    expect(report.steps).toBe(12);
    expect(s.stepCount).toBe(12);
    // The model's own loop over the sampler's order, passing over the examples with no target.
    const sampler = new BatchSampler(padded.length, 2);
    const order = sampler
      .take(0, 40)
      .filter((i) => i % 3 !== 0)
      .slice(0, 12);
    const p = cloneParams(initial);
    const state = newOptimizerState();
    for (const i of order) optimizerStep(p, lossAndGradients(p, config, [padded[i]]).grads, adam, state);
    expect(plain(await store.inner.read())).toEqual(plain(p));
  });

  test("a training set with no target at all is refused up front", () => {
    expect(() => session(new MemoryStore(initial), { train: padded.map((ex) => ({ ...ex, target: ex.target.map(() => 0) })) })).toThrow(
      /every target .* is <pad>/,
    );
  });
});

describe("a store that refuses a write mid-run", () => {
  class RefusingStore extends CountingStore {
    constructor(
      params: Params,
      private readonly refuseAt: number,
    ) {
      super(params);
    }

    override async write(params: Params): Promise<void> {
      if (this.writes + 1 === this.refuseAt) {
        this.writes += 1;
        throw new Error("the user edited Enc_H1_Wq!B3 during the run");
      }
      await super.write(params);
    }
  }

  test("the error reaches the caller, and the step count, optimizer state and undo match what the store took", async () => {
    const store = new RefusingStore(initial, 3);
    const s = session(store);
    await expect(s.run(10, { writeEvery: 2 })).rejects.toThrow("the user edited Enc_H1_Wq!B3 during the run");
    // Writes 1 and 2 (after steps 2 and 4) went in; write 3 (after step 6) did not.
    expect(s.stepCount).toBe(4);
    const state = newOptimizerState();
    const after4 = manualSteps(initial, 4, adam, state);
    expect(plain(await store.inner.read())).toEqual(plain(after4));
    // The next run goes on from step 4 with step 4's optimizer state.
    await s.run(2);
    expect(s.stepCount).toBe(6);
    expect(plain(await store.inner.read())).toEqual(plain(manualSteps(after4, 2, adam, state)));
    await s.undo();
    await s.undo();
    expect(plain(await store.inner.read())).toEqual(plain(initial));
    expect(s.stepCount).toBe(0);
  });
});

describe("the run report's gradients", () => {
  test("are the gradient of the last step, taken at the weights before that step", async () => {
    const before = manualSteps(initial, 2);
    const store = new MemoryStore(initial);
    const report = await session(store).run(3);
    expect(report.gradients).toBeDefined();
    expect(plain(report.gradients!)).toEqual(plain(lossAndGradients(before, config, train).grads));
  });

  test("are left out after a divergence", async () => {
    const report = await session(new MemoryStore(initial), { optimizer: { kind: "sgd", lr: 1e6 } }).run(20);
    expect(report.stopped).toBe("diverged");
    expect(report.gradients).toBeUndefined();
  });
});
