/**
 * What each kind of block is: its parameters, its forward rule and its
 * backward rule, side by side. A layer is run by folding its blocks over
 * the residual stream: attention and FFN compute a sublayer output from the
 * stream, and add & norm folds it back in, LN(x + sublayer(x)).
 * Adding a kind of block is one entry here (docs/architecture.md).
 */
import { AttentionOptions, Mask, MultiHeadCache, MultiHeadWeights, multiHead, multiHeadBackward } from "./attention";
import type { AttentionBlock, Block, BlockKind, FfnBlock, NormBlock } from "./architecture";
import type { ModelConfig, ParamSpec, Params } from "./config";
import { FeedForwardCache, LayerNormCache, feedForward, feedForwardBackward, addAndNorm, layerNormBackward } from "./layers";
import { Matrix, add, addInto } from "./matrix";

/** What a block reads besides the residual stream. */
export interface BlockContext {
  config: ModelConfig;
  params: Params;
  /** Keys the stream's own positions may see (pad keys hidden; causal for masked attention). */
  selfMask: Mask;
  causalMask: Mask;
  /** The top encoder layer's output and the keys of it each query may see (cross-attention only). */
  memory?: Matrix;
  memoryMask?: Mask;
}

/** The residual stream `x` and the sublayer output waiting for its add & norm. */
export interface StreamState {
  x: Matrix;
  sub?: Matrix;
}

export interface NormCache extends LayerNormCache {
  /** The residual sum x + sublayer(x) that is normalised. */
  sum: Matrix;
}

export type BlockCache = MultiHeadCache | NormCache | FeedForwardCache;

/** Gradients flowing back: into the stream, into the pending sublayer output, and into the memory. */
export interface BackState {
  dx: Matrix;
  dSub?: Matrix;
  dMemory?: Matrix;
}

export interface BlockDef<B extends Block, C extends BlockCache> {
  params(b: B, c: ModelConfig): ParamSpec[];
  forward(b: B, s: StreamState, ctx: BlockContext): { state: StreamState; cache: C };
  /** Adds the block's parameter gradients into `grads`. */
  backward(b: B, cache: C, g: BackState, grads: Params): BackState;
}

function attentionWeights(p: Params, name: string, heads: number): MultiHeadWeights {
  const hs = [];
  for (let h = 1; h <= heads; h++) hs.push({ Wq: p[`${name}_H${h}_Wq`], Wk: p[`${name}_H${h}_Wk`], Wv: p[`${name}_H${h}_Wv`] });
  return { heads: hs, Wo: p[`${name}_Wo`] };
}

function options(c: ModelConfig): AttentionOptions {
  return { normalization: c.normalization, scaled: c.scaled };
}

/** The sublayer output (or its gradient) an add & norm folds in; every attention or FFN block is followed by a norm. */
function pending(m: Matrix | undefined, name: string): Matrix {
  if (!m)
    throw new Error(`${name} has no sublayer before it to add and normalise: a layer must put a norm after each attention or FFN block`);
  return m;
}

const attention: BlockDef<AttentionBlock, MultiHeadCache> = {
  params(b, c) {
    const specs: ParamSpec[] = [];
    for (let h = 1; h <= c.heads; h++) {
      for (const w of ["Wq", "Wk", "Wv"]) specs.push({ name: `${b.name}_H${h}_${w}`, rows: c.dModel, cols: c.dK, kind: "weight" });
    }
    specs.push({ name: `${b.name}_Wo`, rows: c.heads * c.dK, cols: c.dModel, kind: "weight" });
    return specs;
  },
  forward(b, s, ctx) {
    const keys = b.role === "cross" ? ctx.memory : s.x;
    const mask = b.role === "cross" ? ctx.memoryMask : b.role === "masked" ? ctx.causalMask : ctx.selfMask;
    if (!keys || !mask) throw new Error(`${b.name} is cross-attention but the model has no encoder output to attend to`);
    const cache = multiHead(s.x, keys, attentionWeights(ctx.params, b.name, ctx.config.heads), options(ctx.config), mask, b.name);
    return { state: { x: s.x, sub: cache.out }, cache };
  },
  backward(b, cache, g, grads) {
    const a = multiHeadBackward(cache, pending(g.dSub, b.name));
    a.heads.forEach((h, i) => {
      addInto(grads[`${b.name}_H${i + 1}_Wq`], h.Wq);
      addInto(grads[`${b.name}_H${i + 1}_Wk`], h.Wk);
      addInto(grads[`${b.name}_H${i + 1}_Wv`], h.Wv);
    });
    addInto(grads[`${b.name}_Wo`], a.dWo);
    if (b.role === "cross") return { dx: add(g.dx, a.dXq), dMemory: g.dMemory ? add(g.dMemory, a.dXkv) : a.dXkv };
    return { dx: add(add(g.dx, a.dXq), a.dXkv), dMemory: g.dMemory };
  },
};

const norm: BlockDef<NormBlock, NormCache> = {
  params(b, c) {
    return [
      { name: `${b.name}_Gamma`, rows: 1, cols: c.dModel, kind: "gain" },
      { name: `${b.name}_Beta`, rows: 1, cols: c.dModel, kind: "bias" },
    ];
  },
  forward(b, s, ctx) {
    const cache = addAndNorm(s.x, pending(s.sub, b.name), ctx.params[`${b.name}_Gamma`], ctx.params[`${b.name}_Beta`], b.name);
    return { state: { x: cache.out }, cache };
  },
  backward(b, cache, g, grads) {
    const n = layerNormBackward(cache, g.dx);
    addInto(grads[`${b.name}_Gamma`], n.dGamma);
    addInto(grads[`${b.name}_Beta`], n.dBeta);
    // The sum's gradient reaches both the stream (the residual path) and the sublayer.
    return { dx: n.dx, dSub: n.dx, dMemory: g.dMemory };
  },
};

const ffn: BlockDef<FfnBlock, FeedForwardCache> = {
  params(b, c) {
    return [
      { name: `${b.name}_W1`, rows: c.dModel, cols: c.dFF, kind: "weight" },
      { name: `${b.name}_B1`, rows: 1, cols: c.dFF, kind: "bias" },
      { name: `${b.name}_W2`, rows: c.dFF, cols: c.dModel, kind: "weight" },
      { name: `${b.name}_B2`, rows: 1, cols: c.dModel, kind: "bias" },
    ];
  },
  forward(b, s, ctx) {
    const p = ctx.params;
    const cache = feedForward(s.x, { W1: p[`${b.name}_W1`], b1: p[`${b.name}_B1`], W2: p[`${b.name}_W2`], b2: p[`${b.name}_B2`] }, b.name);
    return { state: { x: s.x, sub: cache.out }, cache };
  },
  backward(b, cache, g, grads) {
    const f = feedForwardBackward(cache, pending(g.dSub, b.name));
    addInto(grads[`${b.name}_W1`], f.grads.W1);
    addInto(grads[`${b.name}_B1`], f.grads.b1);
    addInto(grads[`${b.name}_W2`], f.grads.W2);
    addInto(grads[`${b.name}_B2`], f.grads.b2);
    return { dx: add(g.dx, f.dx), dMemory: g.dMemory };
  },
};

const DEFS: { [K in BlockKind]: BlockDef<Extract<Block, { kind: K }>, BlockCache> } = {
  attention: attention as BlockDef<AttentionBlock, BlockCache>,
  norm: norm as BlockDef<NormBlock, BlockCache>,
  ffn: ffn as BlockDef<FfnBlock, BlockCache>,
};

/** The definition of `b`'s kind. */
export function blockDef(b: Block): BlockDef<Block, BlockCache> {
  return DEFS[b.kind] as BlockDef<Block, BlockCache>;
}
