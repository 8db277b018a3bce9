/**
 * The engine on the caller's thread: for node (tests, the CLI) and for a
 * host without `Worker`. Each step is one slice, and the thread is handed
 * back to the event loop between slices.
 */
import type { EngineSetup, EngineState, StepOutcome, TrainEngine } from "./engine";
import { nextTask } from "./next-task";
import { Stepper } from "./stepper";

export class InThreadEngine implements TrainEngine {
  private readonly stepper: Stepper;

  constructor(setup: EngineSetup) {
    this.stepper = new Stepper(setup);
  }

  async load(state: EngineState): Promise<void> {
    this.stepper.load(state);
  }

  async step(batch: readonly number[] | undefined, maxLoss: number): Promise<StepOutcome> {
    const outcome = this.stepper.step(batch, maxLoss);
    await nextTask();
    return outcome;
  }

  async snapshot(): Promise<EngineState> {
    return this.stepper.snapshot();
  }

  async unload(): ReturnType<TrainEngine["unload"]> {
    return this.stepper.unload();
  }

  close(): void {}
}

export const inThreadEngine = (setup: EngineSetup): TrainEngine => new InThreadEngine(setup);
