/**
 * The pane's engine: a Web Worker when the host has `Worker`, else the
 * in-thread engine in short slices. Only the pane's entry imports this
 * (`import.meta.url` is for webpack; node and jest use the other engines).
 */
import type { EngineFactory } from "./engine";
import { inThreadEngine } from "./in-thread-engine";
import { WorkerEngine, type WorkerEngineOptions } from "./worker-engine";

export function browserEngine(options: WorkerEngineOptions = {}): EngineFactory {
  if (typeof Worker === "undefined") return inThreadEngine;
  return (setup) => new WorkerEngine(new Worker(new URL("./train.worker.ts", import.meta.url), { name: "attention-lab-training" }), setup, options);
}
