/**
 * Optimizers over named parameters: SGD with momentum, and Adam (Kingma & Ba,
 * 2015), with optional clipping by global norm.
 */
import type { Params } from "./config";
import { ModelError } from "./messages";

export type OptimizerKind = "sgd" | "adam";

export interface OptimizerConfig {
  kind: OptimizerKind;
  lr: number;
  /** SGD only; 0 is plain gradient descent. */
  momentum?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Rescale the gradients so their global L2 norm is at most this. */
  clipNorm?: number;
}

/** Per-parameter buffers, by parameter name, plus Adam's step count. */
export interface OptimizerState {
  t: number;
  m: Record<string, Float64Array>;
  v: Record<string, Float64Array>;
}

export function checkOptimizerConfig(o: OptimizerConfig): void {
  if (o.kind !== "sgd" && o.kind !== "adam") throw new ModelError("optimizer", String(o.kind));
  if (!(o.lr > 0) || !Number.isFinite(o.lr)) throw new ModelError("learningRate", o.lr);
  const unit = (key: "momentum" | "beta1" | "beta2"): void => {
    const v = o[key];
    if (v !== undefined && !(v >= 0 && v < 1)) throw new ModelError("unitInterval", key, v);
  };
  unit("momentum");
  unit("beta1");
  unit("beta2");
  if (o.clipNorm !== undefined && !(o.clipNorm > 0)) throw new ModelError("clipNorm", o.clipNorm);
}

export function newOptimizerState(): OptimizerState {
  return { t: 0, m: {}, v: {} };
}

export function cloneOptimizerState(s: OptimizerState): OptimizerState {
  const copy = (r: Record<string, Float64Array>) => Object.fromEntries(Object.entries(r).map(([k, a]) => [k, Float64Array.from(a)]));
  return { t: s.t, m: copy(s.m), v: copy(s.v) };
}

/** The L2 norm of all gradients taken together. */
export function globalNorm(grads: Params): number {
  let s = 0;
  for (const g of Object.values(grads)) for (let i = 0; i < g.data.length; i++) s += g.data[i] * g.data[i];
  return Math.sqrt(s);
}

/**
 * One update of `params` in place from `grads`. Returns the gradient norm
 * before clipping.
 */
export function optimizerStep(params: Params, grads: Params, o: OptimizerConfig, state: OptimizerState): number {
  const norm = globalNorm(grads);
  const clip = o.clipNorm !== undefined && norm > o.clipNorm ? o.clipNorm / norm : 1;
  state.t += 1;
  const { lr } = o;
  const momentum = o.momentum ?? 0.9;
  const b1 = o.beta1 ?? 0.9;
  const b2 = o.beta2 ?? 0.999;
  const eps = o.eps ?? 1e-8;
  const c1 = 1 - Math.pow(b1, state.t);
  const c2 = 1 - Math.pow(b2, state.t);
  for (const [name, g] of Object.entries(grads)) {
    const w = params[name].data;
    const m = (state.m[name] ??= new Float64Array(w.length));
    if (o.kind === "sgd") {
      // m ← μ·m + g;  w ← w − lr·m
      for (let i = 0; i < w.length; i++) {
        m[i] = momentum * m[i] + g.data[i] * clip;
        w[i] -= lr * m[i];
      }
    } else {
      // m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  w ← w − lr·m̂/(√v̂ + ε)
      const v = (state.v[name] ??= new Float64Array(w.length));
      for (let i = 0; i < w.length; i++) {
        const gi = g.data[i] * clip;
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        w[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
    }
  }
  return norm;
}
