/**
 * A training worker whose script does not load (a browser fires an error
 * event at the Worker and answers nothing): the run trains on the pane's
 * thread instead, as do later ones, and the pane is told once.
 */
import { workerOrInThread } from "../src/train/fallback-engine";
import { TrainingSession } from "../src/train/session";
import { MemoryStore } from "../src/train/store";
import type { WorkerLike } from "../src/train/worker-engine";
import { withRunOptions } from "../src/excel/store";
import { Controller } from "../src/taskpane/controller";
import { ExcelHost } from "../src/taskpane/host";
import { FakeExcel } from "./support/fake-excel";
import { adam, config, initial, ownSteps, plain, train } from "./support/small-training";

/** A Worker whose script failed to load: it takes messages, answers none, and fires an error event without a message. */
class UnloadedWorker implements WorkerLike {
  static made = 0;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  posted: unknown[] = [];
  terminated = false;

  constructor() {
    UnloadedWorker.made += 1;
    setTimeout(() => this.onerror?.({ message: "" } as ErrorEvent), 5);
  }

  postMessage(message: unknown): void {
    this.posted.push(message);
  }

  terminate(): void {
    this.terminated = true;
  }
}

test("a worker that does not load: the run trains on this thread, later runs too, and the warning comes once", async () => {
  const warnings: string[] = [];
  const workers: UnloadedWorker[] = [];
  const engine = workerOrInThread(
    () => {
      const w = new UnloadedWorker();
      workers.push(w);
      return w;
    },
    { onFallback: (w) => warnings.push(w) },
  );
  const store = new MemoryStore(initial);
  const first = new TrainingSession({ store, config, train, optimizer: adam, engine });
  const report = await first.run(3);
  expect(report.steps).toBe(3);
  expect(plain(await store.read())).toEqual(plain(ownSteps(initial, 3).params));
  expect(warnings).toEqual(["Training runs on the pane's thread: the training worker could not start (its script could not be loaded)."]);
  // Only the setup went to the worker: no weights were handed to a worker that is not there.
  expect(workers).toHaveLength(1);
  expect(workers[0].posted).toEqual([expect.objectContaining({ op: "setup" })]);
  expect(workers[0].terminated).toBe(true);
  first.release();

  const again = new MemoryStore(initial);
  const second = new TrainingSession({ store: again, config, train, optimizer: adam, engine });
  await second.run(2);
  expect(plain(await again.read())).toEqual(plain(ownSteps(initial, 2).params));
  expect(workers).toHaveLength(1);
  expect(warnings).toHaveLength(1);
  second.release();
});

test("the pane shows the warning with the run's result, and not again at the next run", async () => {
  const fake = new FakeExcel();
  const pane: Controller = new Controller(new ExcelHost(withRunOptions(fake.run), fake.requirements), {
    engine: workerOrInThread(() => new UnloadedWorker(), { onFallback: (w) => pane.warn(w) }),
  });
  await pane.start();
  await pane.build({ preset: "encoder", task: "reverse", sentence: "", dModel: "8", heads: "2", dK: "4", seed: "1", style: "cells" });
  await pane.train({ optimizer: "adam", lr: "0.01", steps: "2" });
  expect(pane.state.status).toEqual({ text: expect.stringMatching(/^Trained 2 steps/), tone: "warn" });
  expect(pane.state.warnings).toEqual([expect.stringMatching(/^Training runs on the pane's thread: the training worker could not start/)]);
  await pane.train({ optimizer: "adam", lr: "0.01", steps: "2" });
  expect(pane.state.status).toEqual({ text: expect.stringMatching(/^Trained 2 steps/), tone: "ok" });
  expect(pane.state.warnings).toEqual([]);
});
