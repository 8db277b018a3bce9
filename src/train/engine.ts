/**
 * The trainer's arithmetic behind one interface, so that it can run off the
 * pane's thread: the session (on the pane's thread) reads and writes the
 * workbook and decides what to do; an engine holds the weights during a run
 * and does forward, backward and the optimizer. Two implementations: one in
 * a Web Worker (worker-engine.ts), one on the caller's thread in short
 * slices (in-thread-engine.ts) for node and for a host without `Worker`.
 *
 * Weights and optimizer buffers are handed over, not shared: `load` and
 * `unload` move them (a worker transfers their buffers), and `snapshot`
 * hands out a copy made on the engine's side.
 */
import type { ModelConfig, Params } from "../model/config";
import type { OptimizerConfig, OptimizerState } from "../model/optim";
import type { EncodedExample } from "../model/transformer";

export interface EngineSetup {
  config: ModelConfig;
  optimizer: OptimizerConfig;
  /** The training set; a step names its batch by indices into it. */
  train: readonly EncodedExample[];
}

export interface EngineState {
  params: Params;
  optimizer: OptimizerState;
}

/**
 * Why an update was refused: the gradient norm was not finite, or a weight
 * (`name`, 1-based row and column) became non-finite or went beyond ±`beyond`.
 * Plain data, so that it crosses from the worker; the session puts it in words.
 */
export type Unsound = { gradNorm: number } | { name: string; value: number; row: number; col: number; beyond?: string };

export interface StepOutcome {
  loss: number;
  accuracy: number;
  /** Global L2 norm of the gradients, before clipping. */
  gradNorm: number;
  /** Time the engine spent on the step's arithmetic. */
  ms: number;
  /**
   * Set when the step was not applied, and the engine still holds the
   * weights from before it: `loss` when the loss was not finite or above the
   * limit, `update` when the update would leave a non-finite number or a weight beyond ±WEIGHT_LIMIT (`why` says which).
   */
  refused?: "loss" | "update";
  why?: Unsound;
  /**
   * With `refused: "loss"`: the weights that gave the bad loss came from the
   * last step applied since `load`, and the engine went back to those before it.
   */
  reverted?: boolean;
}

export interface TrainEngine {
  /** Takes the weights and optimizer state to train; the caller must not use them afterwards. */
  load(state: EngineState): Promise<void>;
  /**
   * One step on the examples at `batch` (all of them when undefined): the
   * loss and gradients at the weights held, then the optimizer's update.
   * A loss that is not finite or is above `maxLoss` is refused, and the
   * engine goes back to the weights before the last step it applied (those
   * gave the sound loss); an update that leaves a non-finite number, or a weight beyond ±WEIGHT_LIMIT, is refused
   * and changes nothing.
   */
  step(batch: readonly number[] | undefined, maxLoss: number): Promise<StepOutcome>;
  /** A copy of the weights and optimizer state held now; the engine keeps training its own. */
  snapshot(): Promise<EngineState>;
  /** Hands back the weights and optimizer state, with the gradient of the last applied step; load again to go on. */
  unload(): Promise<EngineState & { grads?: Params }>;
  /** Frees what the engine holds (a worker is terminated). */
  close(): void;
}

export type EngineFactory = (setup: EngineSetup) => TrainEngine;
