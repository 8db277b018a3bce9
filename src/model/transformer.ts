/**
 * The whole model, Post-LN as in "Attention Is All You Need" (section 3.1):
 * the layer list of src/model/architecture.ts run block by block. Forward
 * keeps every intermediate (the sheets show them all); backward walks the
 * same caches in reverse.
 */
import { Architecture, Layer, StreamName, architecture, memoryLayer } from "./architecture";
import { Mask, attentionMask } from "./attention";
import { BackState, BlockCache, BlockContext, StreamState, blockDef } from "./blocks";
import { ModelConfig, Params, checkParams, zeroGrads } from "./config";
import { positionalEncoding } from "./layers";
import { CrossEntropy, argmaxRow, crossEntropy, crossEntropyBackward } from "./loss";
import { Matrix, add, addRow, gatherRows, inWorkspace, matmul, matmulTransA, matmulTransB, sumRows } from "./matrix";
import { ModelError, type Stream } from "./messages";

export const PAD_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;

/** One training example as token ids, padded to the model's lengths. */
export interface EncodedExample {
  /** The Tokens row: a source sentence, or a decoder-only model's <s> and text. */
  source: number[]; // (sourceLen)
  /** A target per output position: per source position, or the encoder–decoder's target then </s>. */
  target: number[];
  /** Encoder–decoder only: the target shifted right behind <s>. */
  decoderInput?: number[];
}

/** One token stream of a batch: its ids, sequence after sequence, and its embedded input. */
export interface StreamRun {
  ids: number[];
  /** Positions of one sequence. */
  length: number;
  /** Positional encodings of one sequence. */
  PE: Matrix; // (length, d_model)
  /** Embedding + positional encoding. */
  X: Matrix; // (B·length, d_model)
}

export interface LayerRun {
  layer: Layer;
  input: Matrix;
  /** One cache per block of the layer, in its order. */
  caches: BlockCache[];
  out: Matrix;
}

export interface ForwardResult {
  config: ModelConfig;
  arch: Architecture;
  /** Sequences stacked row-wise in every block below (1 for the workbook's single sentence). */
  batch: number;
  streams: Partial<Record<StreamName, StreamRun>>;
  layers: LayerRun[];
  logits: Matrix; // (B·positions, V)
}

function checkIds(seqs: readonly (readonly number[])[], max: number, c: ModelConfig, what: Stream): number {
  if (seqs.length === 0) throw new ModelError("nothingToRun", what);
  const n = seqs[0].length;
  if (n < 1 || n > max) throw new ModelError("streamLength", what, n, max);
  for (let s = 0; s < seqs.length; s++) {
    const ids = seqs[s];
    if (ids.length !== n) throw new ModelError("unevenLengths", what, s + 1, ids.length, n);
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id >= c.vocabSize) {
        throw new ModelError("idRange", i + 1, what, id, c.vocabSize - 1);
      }
    }
  }
  return n;
}

/** Embedding rows of the stacked `ids` plus the positional encoding of each sequence of length `n`. */
export function embed(p: Params, c: ModelConfig, ids: readonly number[], n: number): { X: Matrix; PE: Matrix } {
  const PE = positionalEncoding(n, c.dModel, c.peDims);
  const X = gatherRows(p.Embedding, ids);
  const x = X.data,
    pe = PE.data;
  for (let at = 0; at < x.length; at += pe.length) for (let j = 0; j < pe.length; j++) x[at + j] += pe[j];
  return { X, PE };
}

function streamRun(p: Params, c: ModelConfig, seqs: readonly (readonly number[])[], max: number, what: Stream): StreamRun {
  const length = checkIds(seqs, max, c, what);
  const ids: number[] = [];
  for (const seq of seqs) for (let i = 0; i < seq.length; i++) ids.push(seq[i]);
  return { ids, length, ...embed(p, c, ids, length) };
}

/** Keys each query may see: pad keys hidden, and for `causal` the later positions too. */
function keyMask(queries: StreamRun, keys: StreamRun, batch: number, causal: boolean): Mask {
  return attentionMask(queries.length, keys.length, { causal, keyIsPad: keys.ids.map((id) => id === PAD_ID), batch });
}

/**
 * The whole forward pass for a batch of equally long sequences (and, for an
 * encoder–decoder, their decoder inputs). Pad keys are masked everywhere;
 * masked self-attention is causal.
 */
export function forwardBatch(
  p: Params,
  c: ModelConfig,
  sources: readonly (readonly number[])[],
  decoderInputs?: readonly (readonly number[])[],
): ForwardResult {
  const arch = architecture(c);
  const batch = sources.length;
  const streams: Partial<Record<StreamName, StreamRun>> = { source: streamRun(p, c, sources, c.sourceLen, "source") };
  if (arch.streams.includes("target")) {
    if (!decoderInputs) throw new ModelError("noDecoderInput");
    if (decoderInputs.length !== batch) throw new ModelError("decoderInputs", batch, decoderInputs.length);
    streams.target = streamRun(p, c, decoderInputs, c.targetLen, "decoderInput");
  }
  const memory = memoryLayer(arch);
  const state: Partial<Record<StreamName, Matrix>> = {};
  for (const name of arch.streams) state[name] = streams[name]!.X;
  const layers: LayerRun[] = [];
  // Each mask is made when a block first asks for it (an encoder has no use for the causal one), once for all the layers of its stream.
  const masks = new Map<string, Mask>();
  const maskFor = (key: string, make: () => Mask): Mask => {
    let mask = masks.get(key);
    if (!mask) masks.set(key, (mask = make()));
    return mask;
  };
  for (const layer of arch.layers) {
    const own = streams[layer.stream]!;
    const memoryRun = memory && layers.find((r) => r.layer === memory);
    const ctx: BlockContext = {
      config: c,
      params: p,
      get selfMask() {
        return maskFor(`${layer.stream} self`, () => keyMask(own, own, batch, false));
      },
      get causalMask() {
        return maskFor(`${layer.stream} causal`, () => keyMask(own, own, batch, true));
      },
      memory: memoryRun?.out,
      get memoryMask() {
        return memoryRun ? maskFor(`${layer.stream} memory`, () => keyMask(own, streams.source!, batch, false)) : undefined;
      },
    };
    const input = state[layer.stream]!;
    let s: StreamState = { x: input };
    const caches: BlockCache[] = [];
    for (const b of layer.blocks) {
      const r = blockDef(b).forward(b, s, ctx);
      caches.push(r.cache);
      s = r.state;
    }
    layers.push({ layer, input, caches, out: s.x });
    state[layer.stream] = s.x;
  }
  const top = layers[layers.length - 1].out;
  const logits = addRow(matmul(top, p.Out_W, arch.top.out, "Out_W"), p.Out_B, "Out_B");
  return { config: c, arch, batch, streams, layers, logits };
}

/** The forward pass for one sentence: every block is that sentence's. */
export function forward(p: Params, c: ModelConfig, sourceIds: readonly number[], decoderInputIds?: readonly number[]): ForwardResult {
  return forwardBatch(p, c, [sourceIds], decoderInputIds ? [decoderInputIds] : undefined);
}

/** Adds dL/dparams for one forward pass into `grads`, given dL/dlogits. */
export function backward(p: Params, f: ForwardResult, dLogits: Matrix, grads: Params): void {
  const top = f.layers[f.layers.length - 1];
  matmulTransA(top.out, dLogits, grads.Out_W);
  sumRows(dLogits, grads.Out_B);
  const dStream: Partial<Record<StreamName, Matrix>> = { [top.layer.stream]: matmulTransB(dLogits, p.Out_W) };
  const memory = memoryLayer(f.arch);
  let dMemory: Matrix | undefined;
  for (let l = f.layers.length - 1; l >= 0; l--) {
    const { layer, caches } = f.layers[l];
    if (layer === memory) {
      if (!dMemory) throw new Error(`no decoder layer attends to ${layer.out}`);
      dStream[layer.stream] = dStream[layer.stream] ? add(dStream[layer.stream]!, dMemory) : dMemory;
    }
    let g: BackState = { dx: dStream[layer.stream]!, dMemory };
    for (let b = layer.blocks.length - 1; b >= 0; b--) g = blockDef(layer.blocks[b]).backward(layer.blocks[b], caches[b], g, grads);
    dStream[layer.stream] = g.dx;
    dMemory = g.dMemory;
  }
  for (const name of [...f.arch.streams].reverse()) scatterRows(grads.Embedding, f.streams[name]!.ids, dStream[name]!);
}

/** table[ids[i]] += rows[i]: the embedding lookup's backward. */
function scatterRows(table: Matrix, ids: readonly number[], rows: Matrix): void {
  const d = table.cols;
  const T = table.data,
    R = rows.data;
  for (let i = 0; i < ids.length; i++) {
    const at = ids[i] * d;
    for (let j = 0; j < d; j++) T[at + j] += R[i * d + j];
  }
}

export interface BatchResult {
  /** Mean cross-entropy over the batch's non-pad targets. */
  loss: number;
  /** Share of non-pad targets predicted right (teacher forcing). */
  accuracy: number;
  tokens: number;
  correct: number;
}

function runBatch(p: Params, c: ModelConfig, batch: readonly EncodedExample[], grads?: Params): BatchResult {
  if (batch.length === 0) throw new ModelError("emptyBatch");
  const want = architecture(c).top.stream === "target" ? c.targetLen : batch[0].source.length;
  const targets: number[] = [];
  let tokens = 0;
  for (let i = 0; i < batch.length; i++) {
    const target = batch[i].target;
    if (target.length !== want) {
      throw new ModelError("exampleTargets", i + 1, target.length, want);
    }
    for (let j = 0; j < target.length; j++) {
      targets.push(target[j]);
      if (target[j] !== PAD_ID) tokens++;
    }
  }
  if (tokens === 0) throw new ModelError("allPad");
  const decoderInputs = architecture(c).streams.includes("target")
    ? batch.map((ex, i) => ex.decoderInput ?? missingDecoderInput(i))
    : undefined;
  const f = forwardBatch(
    p,
    c,
    batch.map((ex) => ex.source),
    decoderInputs,
  );
  const ce: CrossEntropy = crossEntropy(f.logits, targets, PAD_ID);
  if (grads) backward(p, f, crossEntropyBackward(ce, targets, PAD_ID, 1 / tokens), grads);
  return { loss: ce.sum / tokens, accuracy: ce.correct / tokens, tokens, correct: ce.correct };
}

function missingDecoderInput(i: number): never {
  throw new ModelError("exampleDecoderInput", i + 1);
}

/** Loss and token accuracy of a batch, without gradients. */
export function evaluate(p: Params, c: ModelConfig, batch: readonly EncodedExample[]): BatchResult {
  checkParams(p, c);
  return inWorkspace(() => runBatch(p, c, batch));
}

/** Mean cross-entropy of the batch and its exact gradient for every parameter. */
export function lossAndGradients(p: Params, c: ModelConfig, batch: readonly EncodedExample[]): BatchResult & { grads: Params } {
  checkParams(p, c);
  const grads = zeroGrads(c);
  return { ...inWorkspace(() => runBatch(p, c, batch, grads)), grads };
}

/** The most probable token at each output position. */
export function predictIds(logits: Matrix): number[] {
  const out: number[] = [];
  for (let i = 0; i < logits.rows; i++) out.push(argmaxRow(logits, i));
  return out;
}

/**
 * Greedy decoding: decoder input i + 1 is the prediction at position i, for
 * every position, as the workbook's live formulas do it. Returns the
 * predictions at every decoder position (read them up to </s>).
 */
export function greedyDecode(p: Params, c: ModelConfig, sourceIds: readonly number[]): { predicted: number[]; result: ForwardResult } {
  if (!architecture(c).streams.includes("target")) throw new ModelError("greedyKind", c.kind);
  const input = new Array<number>(c.targetLen).fill(PAD_ID);
  input[0] = BOS_ID;
  let result = forward(p, c, sourceIds, input);
  for (let i = 0; i + 1 < c.targetLen; i++) {
    input[i + 1] = argmaxRow(result.logits, i);
    result = forward(p, c, sourceIds, input);
  }
  return { predicted: predictIds(result.logits), result };
}
