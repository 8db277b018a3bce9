/**
 * The messages between a WorkerEngine (the pane's side) and serveEngine
 * (the worker's side). Weights and optimizer buffers go in the transfer
 * list, so they move across, never copied by structured clone.
 */
import type { Params } from "../model/config";
import type { EngineSetup, EngineState } from "./engine";
import type { MessageCode } from "../model/messages";

export type Request =
  | { op: "setup"; setup: EngineSetup; dutyCycle: number }
  | { op: "load"; state: EngineState }
  | { op: "step"; batch?: readonly number[]; maxLoss: number }
  | { op: "snapshot" }
  | { op: "unload" };

/** A failure: the error's name and message, and a ModelError's code and arguments, so the pane can say it in its language. */
export type Reply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; name: string; message: string; code?: MessageCode; args?: unknown[] };

/** What a Worker, a DedicatedWorkerGlobalScope and a MessagePort have in common. */
export interface Endpoint {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/** The buffers under a state's weights, optimizer moments and gradients, each once. */
export function buffersOf(state: Partial<EngineState> & { grads?: Params }): Transferable[] {
  const buffers = new Set<ArrayBuffer>();
  for (const params of [state.params, state.grads]) for (const m of Object.values(params ?? {})) buffers.add(m.data.buffer as ArrayBuffer);
  for (const moments of [state.optimizer?.m, state.optimizer?.v])
    for (const a of Object.values(moments ?? {})) buffers.add(a.buffer as ArrayBuffer);
  return [...buffers];
}
