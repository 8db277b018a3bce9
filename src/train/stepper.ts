/**
 * What an engine does, whichever thread it runs on: it holds the weights and
 * the optimizer state between steps and applies one guarded step at a time.
 * Synchronous; the engines decide when it runs.
 */
import { Params, WEIGHT_LIMIT, cloneParams } from "../model/config";
import { Entry, firstNonFinite, firstWhere, Matrix } from "../model/matrix";
import { cloneOptimizerState, optimizerStep } from "../model/optim";
import { lossAndGradients } from "../model/transformer";
import type { EngineSetup, EngineState, StepOutcome, Unsound } from "./engine";

export class Stepper {
  private state?: EngineState;
  /** The state before the last applied step, to go back to when the loss it leads to is refused. */
  private previous?: EngineState;
  private grads?: Params;

  constructor(private readonly setup: EngineSetup) {}

  load(state: EngineState): void {
    this.state = state;
    this.previous = undefined;
    this.grads = undefined;
  }

  step(batch: readonly number[] | undefined, maxLoss: number): StepOutcome {
    const t0 = performance.now();
    const { params, optimizer } = this.held();
    const examples = batch === undefined ? this.setup.train : batch.map((i) => this.setup.train[i]);
    const r = lossAndGradients(params, this.setup.config, examples);
    const measured = { loss: r.loss, accuracy: r.accuracy, gradNorm: NaN };
    if (!Number.isFinite(r.loss) || r.loss > maxLoss) {
      const reverted = this.previous !== undefined;
      if (this.previous) this.state = this.previous;
      this.previous = this.grads = undefined;
      return { ...measured, ms: performance.now() - t0, refused: "loss", reverted };
    }

    // optimizerStep works in place: keep what to go back to if the update breaks the weights.
    const before: EngineState = { params: cloneParams(params), optimizer: cloneOptimizerState(optimizer) };
    const gradNorm = optimizerStep(params, r.grads, this.setup.optimizer, optimizer);
    const why = Number.isFinite(gradNorm) ? firstUnsound(params) : { gradNorm };
    if (why) {
      this.state = before;
      return { ...measured, gradNorm, ms: performance.now() - t0, refused: "update", why };
    }
    this.previous = before;
    this.grads = r.grads;
    return { ...measured, gradNorm, ms: performance.now() - t0 };
  }

  snapshot(): EngineState {
    const { params, optimizer } = this.held();
    return { params: cloneParams(params), optimizer: cloneOptimizerState(optimizer) };
  }

  unload(): EngineState & { grads?: Params } {
    const out = { ...this.held(), ...(this.grads ? { grads: this.grads } : {}) };
    this.state = this.previous = this.grads = undefined;
    return out;
  }

  private held(): EngineState {
    if (!this.state) throw new Error("the training engine holds no weights: load them first");
    return this.state;
  }
}

const LIMIT_SHOWN = WEIGHT_LIMIT.toExponential().replace("e+", "e");

/**
 * The first non-finite weight, else the first beyond ±WEIGHT_LIMIT (the
 * session says it in words); undefined when all are sound. The workbook
 * refuses to read a weight beyond the bound, so writing one would break the next run.
 */
function firstUnsound(params: Params): Unsound | undefined {
  const first = (find: (m: Matrix) => Entry | undefined) => {
    for (const [name, m] of Object.entries(params)) {
      const bad = find(m);
      if (bad) return { name, ...bad };
    }
    return undefined;
  };
  const nonFinite = first(firstNonFinite);
  if (nonFinite) return nonFinite;
  const beyond = first((m) => firstWhere(m, (v) => Math.abs(v) > WEIGHT_LIMIT));
  return beyond && { ...beyond, beyond: LIMIT_SHOWN };
}
