/**
 * The worker engine's protocol in node: serveEngine on one end of a
 * MessageChannel stands in for the Web Worker (the browser test runs the
 * real one). Training through it gives the model's own loop bit for bit,
 * the weights move across (their buffers are detached on the sending
 * side), errors come back with their message, and the duty cycle keeps
 * every 5-second window below 85% busy.
 */
import { MessageChannel } from "worker_threads";
import { cloneParams } from "../src/model/config";
import { newOptimizerState } from "../src/model/optim";
import { DutyCycle } from "../src/train/duty-cycle";
import { serveEngine } from "../src/train/serve-engine";
import { TrainingSession } from "../src/train/session";
import { MemoryStore } from "../src/train/store";
import { WorkerEngine, type WorkerLike } from "../src/train/worker-engine";
import { config, train, adam, initial, plain, ownSteps } from "./support/small-training";

const opened: { close(): void }[] = [];
afterAll(() => opened.forEach((p) => p.close()));

/** A WorkerEngine whose "worker" is serveEngine on the other end of a MessageChannel. */
function channelEngine(dutyCycle = 1): WorkerEngine {
  const { port1, port2 } = new MessageChannel();
  opened.push(port1, port2);
  serveEngine(port2 as unknown as Parameters<typeof serveEngine>[0]);
  return new WorkerEngine(port1 as unknown as WorkerLike, { config, optimizer: adam, train }, { dutyCycle });
}

test("a run through the worker protocol gives the model's own loop, bit for bit, with undo and gradients", async () => {
  const store = new MemoryStore(initial);
  const s = new TrainingSession({ store, config, train, optimizer: adam, engine: () => channelEngine() });
  const report = await s.run(6, { writeEvery: 4 });
  expect(report.steps).toBe(6);
  const { params: p, grads } = ownSteps(initial, 6);
  expect(plain(await store.read())).toEqual(plain(p));
  expect(plain(report.gradients!)).toEqual(plain(grads));
  await s.step();
  await s.undo();
  await s.undo();
  expect(plain(await store.read())).toEqual(plain(initial));
  s.release();
});

test("weights cross as transferred buffers: the sender's arrays are detached", async () => {
  const engine = channelEngine();
  const params = cloneParams(initial);
  await engine.load({ params, optimizer: newOptimizerState() });
  expect(params.Out_W.data.length).toBe(0);
  await engine.step(undefined, Infinity);
  const back = await engine.unload();
  expect(back.params.Out_W.data.length).toBe(initial.Out_W.data.length);
  expect(back.grads?.Out_W.data.length).toBe(initial.Out_W.data.length);
  engine.close();
});

test("an error in the worker reaches the caller with its message; a closed engine refuses calls", async () => {
  const engine = channelEngine();
  await expect(engine.step(undefined, Infinity)).rejects.toThrow("the training engine holds no weights: load them first");
  engine.close();
  await expect(engine.snapshot()).rejects.toThrow("the training worker was closed");
});

test("the duty cycle: with steps of 1 to 60 ms, every 5-second window is below 85% busy, and the long-run share is about 80%", () => {
  const duty = new DutyCycle(0.8);
  const busy: [number, number][] = [];
  let now = 0;
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  while (now < 60000) {
    const start = now + random() * 2; // a message's round trip
    const end = start + 1 + random() * 59;
    busy.push([start, end]);
    now = end + duty.rest(start, end);
  }
  // Busy time in [t, t + 5000], for windows starting at every busy interval's start (the worst case starts there).
  const inWindow = (t: number) => busy.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, t + 5000) - Math.max(a, t)), 0);
  const worst = Math.max(...busy.filter(([a]) => a + 5000 <= now).map(([a]) => inWindow(a) / 5000));
  expect(worst).toBeLessThan(0.85);
  expect(worst).toBeGreaterThan(0.75);
  expect(() => new DutyCycle(0)).toThrow(/share in \(0, 1\]/);
});
