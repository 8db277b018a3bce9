/**
 * The worker's engine, or the in-thread one when the worker cannot start:
 * a worker whose script does not load (a CSP, a missing file, a host
 * without module workers) answers nothing and fires an error event. Every
 * call waits for the worker to answer its setup, so no weights are handed
 * to a worker that is not there; after such a failure this run and every
 * later one train on the pane's thread, and `onFallback` hears it once.
 */
import type { EngineFactory, EngineSetup, EngineState, StepOutcome, TrainEngine } from "./engine";
import { inThreadEngine } from "./in-thread-engine";
import { WorkerEngine, WorkerFailedError, type WorkerEngineOptions, type WorkerLike } from "./worker-engine";
import { t } from "../i18n";

export interface FallbackOptions extends WorkerEngineOptions {
  /** Told once, with the warning to show, when the first worker fails to start. */
  onFallback?: (warning: string) => void;
}

export const fallbackWarning = (reason: string): string => t().train.fallback(reason);

export function workerOrInThread(createWorker: () => WorkerLike, options: FallbackOptions = {}): EngineFactory {
  let failed = false;
  return (setup) => {
    if (failed) return inThreadEngine(setup);
    const worker = new WorkerEngine(createWorker(), setup, options);
    return new FallbackEngine(worker, setup, (e) => {
      if (!failed) options.onFallback?.(fallbackWarning(e.reason));
      failed = true;
    });
  };
}

class FallbackEngine implements TrainEngine {
  private closed = false;
  private readonly chosen: Promise<TrainEngine>;

  constructor(
    private readonly worker: WorkerEngine,
    setup: EngineSetup,
    onFailed: (e: WorkerFailedError) => void,
  ) {
    this.chosen = worker.ready.then(
      () => worker,
      (e: unknown) => {
        if (this.closed || !(e instanceof WorkerFailedError)) throw e;
        worker.close();
        onFailed(e);
        return inThreadEngine(setup);
      },
    );
    this.chosen.catch(() => undefined);
  }

  async load(state: EngineState): Promise<void> {
    return (await this.chosen).load(state);
  }

  async step(batch: readonly number[] | undefined, maxLoss: number): Promise<StepOutcome> {
    return (await this.chosen).step(batch, maxLoss);
  }

  async snapshot(): Promise<EngineState> {
    return (await this.chosen).snapshot();
  }

  async unload(): ReturnType<TrainEngine["unload"]> {
    return (await this.chosen).unload();
  }

  close(): void {
    this.closed = true;
    this.worker.close();
    void this.chosen.then(
      (e) => e.close(),
      () => undefined,
    );
  }
}
