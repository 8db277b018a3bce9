/**
 * The worker's side of the engine: a Stepper driven by messages, one at a
 * time, in order. Between steps the worker rests as its DutyCycle says;
 * the rest is a timer inside the worker (Chromium does not throttle a
 * dedicated worker's timers with the page's visibility), never on the pane.
 */
import { ModelError } from "../model/messages";
import { DutyCycle } from "./duty-cycle";
import type { EngineState } from "./engine";
import { Stepper } from "./stepper";
import { buffersOf, type Endpoint, type Reply, type Request } from "./worker-protocol";

/** A bug: a step before the setup. */
const NOT_SET_UP = "the training worker was not set up";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function serveEngine(endpoint: Endpoint): void {
  let stepper: Stepper | undefined;
  let duty = new DutyCycle(1);
  let restUntil = 0;
  let queue = Promise.resolve();

  const held = () => {
    if (!stepper) throw new Error(NOT_SET_UP);
    return stepper;
  };

  async function handle(request: Request): Promise<{ value: unknown; transfer: Transferable[] }> {
    switch (request.op) {
      case "setup":
        stepper = new Stepper(request.setup);
        duty = new DutyCycle(request.dutyCycle);
        return { value: undefined, transfer: [] };
      case "load":
        held().load(request.state);
        return { value: undefined, transfer: [] };
      case "step": {
        const wait = restUntil - performance.now();
        if (wait > 0) await sleep(wait);
        const start = performance.now();
        const outcome = held().step(request.batch, request.maxLoss);
        const end = performance.now();
        restUntil = end + duty.rest(start, end);
        return { value: { ...outcome, busy: [start, end] }, transfer: [] };
      }
      case "snapshot": {
        const state: EngineState = held().snapshot();
        return { value: state, transfer: buffersOf(state) };
      }
      case "unload": {
        const state = held().unload();
        return { value: state, transfer: buffersOf(state) };
      }
    }
  }

  endpoint.onmessage = (event: MessageEvent) => {
    const { id, ...request } = event.data as Request & { id: number };
    queue = queue.then(async () => {
      try {
        const { value, transfer } = await handle(request as Request);
        endpoint.postMessage({ id, ok: true, value } satisfies Reply, transfer);
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        const coded = error instanceof ModelError ? { code: error.code, args: [...error.args] } : {};
        endpoint.postMessage({ id, ok: false, name: error.name, message: error.message, ...coded } satisfies Reply, []);
      }
    });
  };
}
