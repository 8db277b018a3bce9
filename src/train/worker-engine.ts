/**
 * The engine in a Web Worker, seen from the pane: each call is a message,
 * answered in order. Weights go over in the transfer list. If the worker
 * dies or fails to load, every pending call is rejected with that reason;
 * `ready` says whether it answered its setup, which a worker whose script
 * did not load never does.
 */
import { t } from "../i18n";
import { ModelError, type MessageArgs, type MessageCode } from "../model/messages";
import { DEFAULT_DUTY_CYCLE, isShare } from "./duty-cycle";
import type { EngineSetup, EngineState, StepOutcome, TrainEngine } from "./engine";
import { buffersOf, type Endpoint, type Reply, type Request } from "./worker-protocol";

/** A Worker, or one end of a MessageChannel in tests. */
export interface WorkerLike extends Endpoint {
  onerror?: ((event: ErrorEvent) => void) | null;
  terminate?(): void;
  close?(): void;
}

export interface WorkerEngineOptions {
  /** Share of time the worker may compute (default 0.8: below 85% in any 5-second window). */
  dutyCycle?: number;
}

/** A step's outcome, with when the worker was busy with it (the worker's clock). */
export type TimedOutcome = StepOutcome & { busy: [number, number] };

/** The worker fired an error event (its script did not load, or it died); `reason` is the event's message. */
export class WorkerFailedError extends Error {
  constructor(readonly reason: string) {
    super(t().train.workerFailed(reason));
  }
}

export class WorkerEngine implements TrainEngine {
  /** Resolves when the worker has answered its setup; rejects when it fails first. */
  readonly ready: Promise<void>;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failure?: Error;

  constructor(
    private readonly worker: WorkerLike,
    setup: EngineSetup,
    options: WorkerEngineOptions = {},
  ) {
    const dutyCycle = options.dutyCycle ?? DEFAULT_DUTY_CYCLE;
    if (!isShare(dutyCycle)) throw new RangeError(t().train.dutyCycle(dutyCycle));
    worker.onmessage = (event: MessageEvent) => this.settle(event.data as Reply);
    worker.onerror = (event: ErrorEvent) => this.fail(new WorkerFailedError(event.message || t().train.workerScript));
    this.ready = this.call({ op: "setup", setup, dutyCycle }).then(() => undefined);
    this.ready.catch(() => undefined);
  }

  async load(state: EngineState): Promise<void> {
    await this.call({ op: "load", state }, buffersOf(state));
  }

  step(batch: readonly number[] | undefined, maxLoss: number): Promise<TimedOutcome> {
    return this.call({ op: "step", batch, maxLoss }) as Promise<TimedOutcome>;
  }

  snapshot(): Promise<EngineState> {
    return this.call({ op: "snapshot" }) as Promise<EngineState>;
  }

  unload(): ReturnType<TrainEngine["unload"]> {
    return this.call({ op: "unload" }) as ReturnType<TrainEngine["unload"]>;
  }

  close(): void {
    this.fail(new Error(t().train.workerClosed));
    if (this.worker.terminate) this.worker.terminate();
    else this.worker.close?.();
  }

  private call(request: Request, transfer: Transferable[] = []): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  private settle(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(Object.assign(errorOf(reply), { name: reply.name }));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}

/** The worker's error on the pane's side: a ModelError again when it was one (messageOf then says it in the pane's language). */
function errorOf(reply: Extract<Reply, { ok: false }>): Error {
  if (reply.code && reply.args) return new ModelError(reply.code, ...(reply.args as MessageArgs<MessageCode>));
  return reply.name === "RangeError" ? new RangeError(reply.message) : new Error(reply.message);
}
