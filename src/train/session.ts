/**
 * A training session: the model's weights live in a ParamStore (the
 * workbook), the session reads them, takes gradient steps and writes them
 * back. It keeps undo snapshots, guards against divergence, reports progress
 * and can be cancelled.
 */
import { ModelConfig, Params, checkParams, cloneParams, paramSpecs, validateConfig } from "../model/config";
import {
  OptimizerConfig,
  OptimizerState,
  checkOptimizerConfig,
  cloneOptimizerState,
  newOptimizerState,
  optimizerStep,
} from "../model/optim";
import { EOS_ID, EncodedExample, evaluate, greedyDecode, lossAndGradients } from "../model/transformer";
import { BatchSampler } from "./batches";
import type { ParamStore } from "./store";

export interface SessionOptions {
  store: ParamStore;
  config: ModelConfig;
  train: readonly EncodedExample[];
  heldOut?: readonly EncodedExample[];
  optimizer: OptimizerConfig;
  /**
   * A run stops as diverged when its loss exceeds this many times its first
   * loss and is also worse than guessing (ln of the vocabulary size). Default 10.
   */
  divergeFactor?: number;
  /** Seed of the mini-batch order. Default 1. */
  seed?: number;
  /** How many runs undo can walk back. Default 20. */
  undoDepth?: number;
}

export interface StepReport {
  /** The session's step count once this step is done (it counts on across runs, and undo winds it back). */
  step: number;
  /** Loss and token accuracy of the batch at the weights before this step's update. */
  loss: number;
  accuracy: number;
  /** Global L2 norm of the gradients, before clipping. */
  gradNorm: number;
  ms: number;
}

export interface Progress extends StepReport {
  /** Steps done in this run, and asked for. */
  done: number;
  total: number;
  /** Steps per second since the run started. */
  stepsPerSecond: number;
}

/** AbortSignal fits; so does a plain `{ aborted: false }` that the caller flips. */
export interface CancelSignal {
  readonly aborted: boolean;
}

export interface RunOptions {
  onProgress?: (progress: Progress) => void;
  /** Checked after every step: the run stops after the current step and writes its weights. */
  signal?: CancelSignal;
  /** Write the weights to the store every this many steps (default 1), and always at the end. */
  writeEvery?: number;
  /** Examples per step; default (or ≥ the training set) the whole training set. */
  batchSize?: number;
}

export type StopReason = "cancelled" | "diverged";

export interface RunReport {
  /** Steps whose weights were kept (after a divergence, fewer than were taken). */
  steps: number;
  cancelled: boolean;
  /**
   * Loss of the run's first step and of its last step (after a divergence,
   * the loss measured at the weights written back); absent when there is none.
   */
  firstLoss?: number;
  lastLoss?: number;
  /** Token accuracy that goes with lastLoss. */
  accuracy?: number;
  elapsedMs: number;
  stepsPerSecond: number;
  stopped?: StopReason;
  /** What happened and what was done, when the run stopped early. */
  message?: string;
  /** The gradient of the last kept step, for every parameter: what moved the weights last (absent after a divergence). */
  gradients?: Params;
}

export interface EvalReport {
  loss: number;
  /** Share of non-pad target tokens predicted right (teacher forcing). */
  accuracy: number;
  tokens: number;
  examples: number;
  /** Encoder–decoder only: share of examples whose greedy decoding matches the target up to </s>. */
  exactMatch?: number;
  exactMatches?: number;
}

/** Thrown by `step()` when its one step would leave non-finite weights; the store keeps the weights it had. */
export class DivergedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DivergedError";
  }
}

/** Everything undo and the divergence guard put back. */
interface Checkpoint {
  params: Params;
  optimizer: OptimizerState;
  step: number;
  cursor: number;
  /** Loss and token accuracy measured at these weights, once a step has measured them. */
  loss?: number;
  accuracy?: number;
}

/** How long the loop may hold the thread before it lets a UI (or a Ctrl+C) in. */
const YIELD_EVERY_MS = 50;

export class TrainingSession {
  readonly config: ModelConfig;
  readonly optimizer: OptimizerConfig;
  private readonly store: ParamStore;
  private readonly train: readonly EncodedExample[];
  private readonly heldOut: readonly EncodedExample[];
  private readonly divergeFactor: number;
  private readonly undoDepth: number;
  private readonly sampler: BatchSampler;
  private optimizerState = newOptimizerState();
  private steps = 0;
  /** Examples drawn so far by mini-batches: the sampler's position. */
  private cursor = 0;
  private readonly snapshots: Checkpoint[] = [];
  private busy = false;

  constructor(options: SessionOptions) {
    validateConfig(options.config);
    checkOptimizerConfig(options.optimizer);
    if (options.train.length === 0) throw new RangeError("there are no training examples");
    const divergeFactor = options.divergeFactor ?? 10;
    if (!(divergeFactor > 1) || !Number.isFinite(divergeFactor)) {
      throw new RangeError(`divergeFactor should be a number above 1, got ${divergeFactor}`);
    }
    const undoDepth = options.undoDepth ?? 20;
    if (!Number.isInteger(undoDepth) || undoDepth < 1) throw new RangeError(`undoDepth should be a whole number ≥ 1, got ${undoDepth}`);
    this.store = options.store;
    this.config = { ...options.config };
    this.optimizer = { ...options.optimizer };
    this.train = options.train;
    this.heldOut = options.heldOut ?? [];
    this.divergeFactor = divergeFactor;
    this.undoDepth = undoDepth;
    this.sampler = new BatchSampler(options.train.length, options.seed ?? 1);
  }

  /** Steps taken so far, counting on across runs; undo winds it back. */
  get stepCount(): number {
    return this.steps;
  }

  get canUndo(): boolean {
    return this.snapshots.length > 0;
  }

  /**
   * One step: read the weights, compute the loss and gradients on the
   * training batch, update, write back (one read, one write). Throws a
   * DivergedError, writing back the weights it read, if the step would leave
   * a non-finite loss, gradient or weight.
   */
  async step(options: Pick<RunOptions, "batchSize"> = {}): Promise<StepReport> {
    const { report, last } = await this.runSteps(1, options);
    if (report.stopped === "diverged" || !last) throw new DivergedError(report.message ?? "the step did not complete");
    return last;
  }

  /**
   * `n` steps with the weights kept in memory: one read at the start, a
   * write every `writeEvery` steps and at the end (also when cancelled or
   * diverged). Undo can return to the weights read at the start.
   */
  async run(n: number, options: RunOptions = {}): Promise<RunReport> {
    return (await this.runSteps(n, options)).report;
  }

  private async runSteps(n: number, options: RunOptions): Promise<{ report: RunReport; last?: StepReport }> {
    wholeAtLeastOne("the number of steps", n);
    const writeEvery = options.writeEvery ?? 1;
    wholeAtLeastOne("writeEvery", writeEvery);
    if (options.batchSize !== undefined) wholeAtLeastOne("the batch size", options.batchSize);
    const started = performance.now();
    if (options.signal?.aborted) return { report: { steps: 0, cancelled: true, elapsedMs: 0, stepsPerSecond: 0, stopped: "cancelled" } };

    this.enter();
    try {
      const params = await this.readChecked();
      const start: Checkpoint = {
        params: cloneParams(params),
        optimizer: cloneOptimizerState(this.optimizerState),
        step: this.steps,
        cursor: this.cursor,
      };
      this.pushSnapshot(start);

      let good = start;
      let firstLoss: number | undefined;
      let lastKept: StepReport | undefined;
      let lastGradients: Params | undefined;
      let stopped: StopReason | undefined;
      let message: string | undefined;
      let written = false;
      let lastYield = performance.now();

      for (let done = 0; done < n; ) {
        const t0 = performance.now();
        const cursorBefore = this.cursor;
        const r = lossAndGradients(params, this.config, this.nextBatch(options.batchSize));
        firstLoss ??= r.loss;
        const stepNo = this.steps + 1;
        const lossTrouble = this.lossTrouble(r.loss, firstLoss);
        if (lossTrouble) {
          message = this.divergedMessage(`step ${stepNo}: ${lossTrouble}`, good, start);
          stopped = "diverged";
          break;
        }
        good = {
          params: cloneParams(params),
          optimizer: cloneOptimizerState(this.optimizerState),
          step: this.steps,
          cursor: cursorBefore,
          loss: r.loss,
          accuracy: r.accuracy,
        };

        const gradNorm = optimizerStep(params, r.grads, this.optimizer, this.optimizerState);
        const updateTrouble = Number.isFinite(gradNorm) ? firstNonFinite(params) : `the gradient norm became ${gradNorm}`;
        if (updateTrouble) {
          message = this.divergedMessage(`step ${stepNo}: ${updateTrouble}`, good, start);
          stopped = "diverged";
          break;
        }

        this.steps = stepNo;
        lastGradients = r.grads;
        done += 1;
        const now = performance.now();
        lastKept = { step: stepNo, loss: r.loss, accuracy: r.accuracy, gradNorm, ms: now - t0 };
        options.onProgress?.({ ...lastKept, done, total: n, stepsPerSecond: done / ((now - started) / 1000) });

        written = false;
        if (done < n && done % writeEvery === 0) {
          await this.store.write(params);
          written = true;
        }
        if (options.signal?.aborted) {
          stopped = "cancelled";
          break;
        }
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          lastYield = performance.now();
        }
      }

      // After a divergence the last loss is the one measured at the weights written back.
      const kept = stopped === "diverged" ? good : { loss: lastKept?.loss, accuracy: lastKept?.accuracy };
      if (stopped === "diverged") {
        this.restore(good);
        await this.store.write(good.params);
      } else if (!written) {
        await this.store.write(params);
      }
      const elapsedMs = performance.now() - started;
      const steps = this.steps - start.step;
      const report: RunReport = {
        steps,
        cancelled: stopped === "cancelled",
        firstLoss,
        lastLoss: kept.loss,
        accuracy: kept.accuracy,
        elapsedMs,
        stepsPerSecond: elapsedMs > 0 ? steps / (elapsedMs / 1000) : 0,
        ...(stopped ? { stopped } : {}),
        ...(message ? { message } : {}),
        ...(stopped !== "diverged" && lastGradients ? { gradients: lastGradients } : {}),
      };
      return { report, last: stopped === "diverged" ? undefined : lastKept };
    } finally {
      this.busy = false;
    }
  }

  /**
   * Writes back the weights from before the last run (or step) and restores
   * the optimizer state and step count with them; call again to walk further back.
   */
  async undo(): Promise<void> {
    const snapshot = this.snapshots[this.snapshots.length - 1];
    if (!snapshot) throw new RangeError("there is nothing to undo");
    this.enter();
    try {
      await this.store.write(snapshot.params);
      this.snapshots.pop();
      this.restore(snapshot);
    } finally {
      this.busy = false;
    }
  }

  /**
   * Loss and token accuracy of the weights now in the store on `examples`
   * (default the held-out set); for an encoder–decoder also the share of
   * exact greedy decodings.
   */
  async evaluate(examples: readonly EncodedExample[] = this.heldOut): Promise<EvalReport> {
    if (examples.length === 0) throw new RangeError("there are no held-out examples to evaluate on");
    const params = await this.readChecked();
    const r = evaluate(params, this.config, examples);
    const report: EvalReport = { loss: r.loss, accuracy: r.accuracy, tokens: r.tokens, examples: examples.length };
    if (this.config.decoder) {
      const matches = examples.filter((ex) => sameUpToEos(greedyDecode(params, this.config, ex.source).predicted, ex.target)).length;
      report.exactMatches = matches;
      report.exactMatch = matches / examples.length;
    }
    return report;
  }

  private enter(): void {
    if (this.busy) throw new Error("the session is busy with a run; wait for it to finish or cancel it");
    this.busy = true;
  }

  /** The model's parameters from the store; checkParams' message reaches the caller as it is. */
  private async readChecked(): Promise<Params> {
    const all = await this.store.read();
    checkParams(all, this.config);
    const params: Params = {};
    for (const s of paramSpecs(this.config)) params[s.name] = all[s.name];
    return params;
  }

  private pushSnapshot(c: Checkpoint): void {
    this.snapshots.push(c);
    if (this.snapshots.length > this.undoDepth) this.snapshots.shift();
  }

  private restore(c: Checkpoint): void {
    this.optimizerState = cloneOptimizerState(c.optimizer);
    this.steps = c.step;
    this.cursor = c.cursor;
  }

  private nextBatch(size: number | undefined): readonly EncodedExample[] {
    if (size === undefined || size >= this.train.length) return this.train;
    const picked = this.sampler.take(this.cursor, size);
    this.cursor += size;
    return picked.map((i) => this.train[i]);
  }

  /** Why `loss` means divergence, or undefined when it is sound. */
  private lossTrouble(loss: number, firstLoss: number): string | undefined {
    if (!Number.isFinite(loss)) return `the loss became ${loss}`;
    const guessing = Math.log(this.config.vocabSize);
    if (loss > this.divergeFactor * firstLoss && loss > guessing) {
      return `the loss rose to ${fmt(loss)}, more than ${this.divergeFactor} × the run's first loss ${fmt(firstLoss)}`;
    }
    return undefined;
  }

  private divergedMessage(what: string, good: Checkpoint, start: Checkpoint): string {
    const kept =
      good.step === start.step
        ? "the weights from the start of this run"
        : `the weights after step ${good.step} (loss ${fmt(good.loss ?? NaN)})`;
    return `Training diverged at ${what}. Stopped and wrote back ${kept}; try a smaller learning rate.`;
  }
}

function wholeAtLeastOne(what: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${what} should be a whole number ≥ 1, got ${v}`);
}

/** The first non-finite weight, named as a sentence; undefined when all are finite. */
function firstNonFinite(params: Params): string | undefined {
  for (const [name, m] of Object.entries(params)) {
    for (let i = 0; i < m.data.length; i++) {
      if (!Number.isFinite(m.data[i])) {
        return `the update made ${name} ${m.data[i]} at row ${Math.floor(i / m.cols) + 1}, column ${(i % m.cols) + 1}`;
      }
    }
  }
  return undefined;
}

/** Predicted and target ids agree up to and including the target's </s>. */
function sameUpToEos(predicted: readonly number[], target: readonly number[]): boolean {
  const upToEos = (ids: readonly number[]) => {
    const end = ids.indexOf(EOS_ID);
    return end < 0 ? ids : ids.slice(0, end);
  };
  const p = upToEos(predicted);
  const t = upToEos(target);
  return p.length === t.length && p.every((id, i) => id === t[i]);
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(4) : String(x);
}
