/**
 * The pane's engine: a Web Worker when the host has `Worker` and the worker
 * starts, else the in-thread engine in short slices. Only the pane's entry
 * imports this (`import.meta.url` is for webpack; node and jest use the
 * other engines).
 */
import type { EngineFactory } from "./engine";
import { workerOrInThread, type FallbackOptions } from "./fallback-engine";
import { inThreadEngine } from "./in-thread-engine";

export function browserEngine(options: FallbackOptions = {}): EngineFactory {
  if (typeof Worker === "undefined") return inThreadEngine;
  return workerOrInThread(() => new Worker(new URL("./train.worker.ts", import.meta.url), { name: "attention-lab-training" }), options);
}
