/**
 * A training session: the model's weights live in a ParamStore (the
 * workbook), the session reads them, takes gradient steps and writes them
 * back. It keeps undo snapshots, guards against divergence, reports progress
 * and can be cancelled.
 */
import { ModelConfig, Params, checkParams, cloneParams, paramSpecs, validateConfig } from "../model/config";
import { OptimizerConfig, OptimizerState, checkOptimizerConfig, cloneOptimizerState, newOptimizerState } from "../model/optim";
import { exactMatches } from "../model/generate";
import { exactLabel } from "../model/messages";
import { t } from "../i18n";
import { EncodedExample, PAD_ID, evaluate } from "../model/transformer";
import { BatchSampler } from "./batches";
import type { EngineFactory, EngineState, TrainEngine, Unsound } from "./engine";
import { inThreadEngine } from "./in-thread-engine";
import { nextTask } from "./next-task";
import { EditedDuringRunError, type ParamStore } from "./store";

export interface SessionOptions {
  store: ParamStore;
  config: ModelConfig;
  train: readonly EncodedExample[];
  heldOut?: readonly EncodedExample[];
  optimizer: OptimizerConfig;
  /**
   * A step diverges when its loss exceeds this many times the lowest loss
   * the session has measured on these weights (across runs, until a hand
   * edit or another writer changes them) and is also worse than guessing
   * (ln of the vocabulary size). Default 10.
   */
  divergeFactor?: number;
  /** Seed of the mini-batch order. Default 1. */
  seed?: number;
  /** How many runs undo can walk back. Default 20. */
  undoDepth?: number;
  /** Where the arithmetic runs; default on this thread (node, tests). The pane passes a Web Worker's. */
  engine?: EngineFactory;
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
  /** Encoder–decoder and decoder-only: share of examples the model writes exactly, decoding greedily. */
  exactMatch?: number;
  exactMatches?: number;
  /** What the exact match measures ("greedy decoding"). */
  exactMatchOf?: string;
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
  /** The divergence guard's reference loss at these weights. */
  reference?: number;
}

export class TrainingSession {
  readonly config: ModelConfig;
  readonly optimizer: OptimizerConfig;
  private readonly store: ParamStore;
  private readonly train: readonly EncodedExample[];
  private readonly heldOut: readonly EncodedExample[];
  private readonly divergeFactor: number;
  private readonly undoDepth: number;
  private readonly sampler: BatchSampler;
  private readonly makeEngine: EngineFactory;
  /** Whether each training example has a non-pad target, so that a mini-batch of pads is skipped. */
  private readonly learnable: boolean[];
  private engine?: TrainEngine;
  private optimizerState = newOptimizerState();
  private steps = 0;
  /** Examples drawn so far by mini-batches: the sampler's position. */
  private cursor = 0;
  /** The lowest sound loss measured on these weights' line of training, across runs; the divergence guard judges each step by it. */
  private reference?: number;
  /** What this session last wrote: weights read back unchanged go on with the same reference loss, hand-edited ones start a new one. */
  private lastWritten?: Params;
  private readonly snapshots: Checkpoint[] = [];
  private busy = false;

  constructor(options: SessionOptions) {
    validateConfig(options.config);
    checkOptimizerConfig(options.optimizer);
    if (options.train.length === 0) throw new RangeError(t().train.noExamples);
    const divergeFactor = options.divergeFactor ?? 10;
    if (!(divergeFactor > 1) || !Number.isFinite(divergeFactor)) {
      throw new RangeError(t().train.divergeFactor(divergeFactor));
    }
    const undoDepth = options.undoDepth ?? 20;
    if (!Number.isInteger(undoDepth) || undoDepth < 1) throw new RangeError(t().train.wholeAtLeastOne("undoDepth", undoDepth));
    this.learnable = options.train.map((ex) => ex.target.some((t) => t !== PAD_ID));
    if (!this.learnable.includes(true)) throw new RangeError(t().train.allPad);
    this.store = options.store;
    this.config = { ...options.config };
    this.optimizer = { ...options.optimizer };
    this.train = options.train;
    this.heldOut = options.heldOut ?? [];
    this.divergeFactor = divergeFactor;
    this.undoDepth = undoDepth;
    this.sampler = new BatchSampler(options.train.length, options.seed ?? 1);
    this.makeEngine = options.engine ?? inThreadEngine;
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
    if (report.stopped === "diverged" || !last) throw new DivergedError(report.message ?? t().train.incomplete);
    return last;
  }

  /**
   * `n` steps with the weights kept in the engine: one read at the start, a
   * write every `writeEvery` steps and at the end (also when cancelled or
   * diverged). Undo can return to the weights read at the start. When a
   * write fails, the run ends with that error, and the session goes back to
   * the last weights the store took (step count, optimizer state, batch order).
   */
  async run(n: number, options: RunOptions = {}): Promise<RunReport> {
    return (await this.runSteps(n, options)).report;
  }

  /** Closes the engine (a worker is terminated); the next run makes a new one. */
  release(): void {
    this.engine?.close();
    this.engine = undefined;
  }

  private async runSteps(n: number, options: RunOptions): Promise<{ report: RunReport; last?: StepReport }> {
    wholeAtLeastOne(t().train.steps, n);
    const writeEvery = options.writeEvery ?? 1;
    wholeAtLeastOne("writeEvery", writeEvery);
    if (options.batchSize !== undefined) wholeAtLeastOne(t().train.batchSize, options.batchSize);
    const started = performance.now();
    if (options.signal?.aborted) return { report: { steps: 0, cancelled: true, elapsedMs: 0, stepsPerSecond: 0, stopped: "cancelled" } };

    this.enter();
    try {
      const params = await this.readChecked();
      if (!this.lastWritten || !sameParams(params, this.lastWritten)) this.reference = undefined;
      const start = this.checkpoint(cloneParams(params), cloneOptimizerState(this.optimizerState));
      this.pushSnapshot(start);
      // Reading a big model is a long stretch of work on the caller's thread: let the UI in before the engine starts.
      await nextTask();
      const engine = (this.engine ??= this.makeEngine({ config: this.config, optimizer: this.optimizer, train: this.train }));
      await engine.load({ params, optimizer: cloneOptimizerState(this.optimizerState) });

      let written = start;
      let firstLoss: number | undefined;
      let lastKept: StepReport | undefined;
      let stopped: StopReason | undefined;
      let message: string | undefined;
      /** The cursor before the last kept step and the loss it measured: where a reverted step goes back to. */
      let beforeLast: { cursor: number; loss: number; accuracy: number } | undefined;

      for (let done = 0; done < n;) {
        const stepNo = this.steps + 1;
        const { batch, cursor } = this.nextBatch(options.batchSize);
        const outcome = await engine.step(batch, this.lossLimit());
        firstLoss ??= outcome.loss;
        if (outcome.refused) {
          if (outcome.reverted && lastKept && beforeLast) {
            // The weights after the last kept step gave the bad loss: the engine went back to those before it.
            this.steps -= 1;
            this.cursor = beforeLast.cursor;
            lastKept = { ...lastKept, step: this.steps, loss: beforeLast.loss, accuracy: beforeLast.accuracy };
          }
          const what = outcome.refused === "loss" ? this.lossTrouble(outcome.loss) : unsoundText(outcome.why);
          message = this.divergedMessage(stepNo, what, start, outcome.reverted ? beforeLast?.loss : undefined);
          stopped = "diverged";
          break;
        }

        beforeLast = { cursor: this.cursor, loss: outcome.loss, accuracy: outcome.accuracy };
        this.steps = stepNo;
        this.cursor = cursor;
        this.reference = Math.min(this.reference ?? Infinity, outcome.loss);
        done += 1;
        const now = performance.now();
        lastKept = { step: stepNo, loss: outcome.loss, accuracy: outcome.accuracy, gradNorm: outcome.gradNorm, ms: outcome.ms };
        options.onProgress?.({ ...lastKept, done, total: n, stepsPerSecond: done / ((now - started) / 1000) });

        if (done < n && done % writeEvery === 0) written = await this.writeOrRollBack(await engine.snapshot(), written);
        if (options.signal?.aborted) {
          stopped = "cancelled";
          break;
        }
      }

      const final = await engine.unload();
      if (this.steps !== written.step || stopped === "diverged") await this.writeOrRollBack(final, written);
      const elapsedMs = performance.now() - started;
      const steps = this.steps - start.step;
      const diverged = stopped === "diverged";
      const report: RunReport = {
        steps,
        cancelled: stopped === "cancelled",
        firstLoss,
        // After a divergence the last loss is the one measured at the weights written back.
        lastLoss: diverged && steps === 0 ? undefined : lastKept?.loss,
        accuracy: diverged && steps === 0 ? undefined : lastKept?.accuracy,
        elapsedMs,
        stepsPerSecond: elapsedMs > 0 ? steps / (elapsedMs / 1000) : 0,
        ...(stopped ? { stopped } : {}),
        ...(message ? { message } : {}),
        ...(!diverged && final.grads ? { gradients: final.grads } : {}),
      };
      return { report, last: diverged ? undefined : lastKept };
    } finally {
      this.busy = false;
    }
  }

  private checkpoint(params: Params, optimizer: OptimizerState): Checkpoint {
    return { params, optimizer, step: this.steps, cursor: this.cursor, reference: this.reference };
  }

  /**
   * Writes `state`'s weights and returns them as the checkpoint the store
   * holds; when the store refuses, the session goes back to `written`, the
   * last checkpoint it took, and the store's error goes on to the caller.
   */
  private async writeOrRollBack(state: EngineState, written: Checkpoint): Promise<Checkpoint> {
    const now = this.checkpoint(state.params, state.optimizer);
    try {
      await this.store.write(state.params);
    } catch (e) {
      if (e instanceof EditedDuringRunError) {
        // The user's edit: the store wrote every other cell and kept theirs, so the workbook holds this step.
        this.optimizerState = state.optimizer;
        this.lastWritten = state.params;
      } else {
        this.restore(written);
        this.lastWritten = written.params;
      }
      throw e;
    }
    this.optimizerState = state.optimizer;
    this.lastWritten = state.params;
    return now;
  }

  /**
   * Writes back the weights from before the last run (or step) and restores
   * the optimizer state and step count with them; call again to walk further back.
   */
  async undo(): Promise<void> {
    const snapshot = this.snapshots[this.snapshots.length - 1];
    if (!snapshot) throw new RangeError(t().train.nothingToUndo);
    this.enter();
    try {
      await this.store.write(snapshot.params);
      this.snapshots.pop();
      this.restore(snapshot);
      this.lastWritten = snapshot.params;
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
    if (examples.length === 0) throw new RangeError(t().train.noHeldOut);
    const params = await this.readChecked();
    const r = evaluate(params, this.config, examples);
    const report: EvalReport = { loss: r.loss, accuracy: r.accuracy, tokens: r.tokens, examples: examples.length };
    const exact = exactMatches(params, this.config, examples);
    if (exact) {
      report.exactMatches = exact.matches;
      report.exactMatch = exact.matches / examples.length;
      report.exactMatchOf = exactLabel(t().exact, exact.what);
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
    this.reference = c.reference;
  }

  /**
   * The next batch (undefined: the whole training set) and the cursor after
   * it. A mini-batch whose targets are all <pad> has nothing to learn from:
   * it is skipped for the next one. Any 2 × count positions hold a whole
   * epoch, which has a learnable example (the constructor checked), so the
   * search ends.
   */
  private nextBatch(size: number | undefined): { batch?: number[]; cursor: number } {
    if (size === undefined || size >= this.train.length) return { cursor: this.cursor };
    for (let cursor = this.cursor; ; cursor += size) {
      const batch = this.sampler.take(cursor, size);
      if (batch.some((i) => this.learnable[i])) return { batch, cursor: cursor + size };
    }
  }

  /** Above this, a step's loss means divergence: divergeFactor × the reference loss, when that is also worse than guessing (ln V). */
  private lossLimit(): number {
    return this.reference === undefined ? Infinity : Math.max(this.divergeFactor * this.reference, Math.log(this.config.vocabSize));
  }

  private lossTrouble(loss: number): string {
    if (!Number.isFinite(loss)) return t().train.lossBecame(loss);
    return t().train.lossRose(fmt(loss), this.divergeFactor, fmt(this.reference ?? NaN));
  }

  /** `keptLoss`: the loss of the weights written back, when they are not those the run started from. */
  private divergedMessage(step: number, what: string, start: Checkpoint, keptLoss: number | undefined): string {
    const T = t().train;
    const kept = this.steps === start.step ? T.keptStart : T.keptStep(this.steps, fmt(keptLoss ?? NaN));
    return T.diverged(step, what, kept, this.steps === start.step && start.step > 0 ? T.undoFurther : "");
  }
}

function wholeAtLeastOne(what: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(t().train.wholeAtLeastOne(what, v));
}

/** Why the engine refused an update, in words. */
function unsoundText(why: Unsound | undefined): string {
  const T = t().train;
  if (!why) return "";
  if ("gradNorm" in why) return T.gradNorm(why.gradNorm);
  return T.updateMade(why.name, why.value, why.row, why.col) + (why.beyond === undefined ? "" : T.beyond(why.beyond));
}

/**
 * Same shapes and the same numbers to 15 significant digits: Excel keeps 15
 * digits of a number, so weights read back may differ from those written in the last bits.
 */
function sameParams(a: Params, b: Params): boolean {
  const near = (x: number, y: number) => Object.is(x, y) || Math.abs(x - y) <= 1e-14 * Math.max(Math.abs(x), Math.abs(y));
  const names = Object.keys(b);
  return (
    Object.keys(a).length === names.length &&
    names.every((k) => a[k] && a[k].rows === b[k].rows && a[k].cols === b[k].cols && a[k].data.every((x, i) => near(x, b[k].data[i])))
  );
}

/** Predicted and target ids agree up to and including the target's </s>. */
function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(4) : String(x);
}
