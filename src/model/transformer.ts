/**
 * The encoder layer, the decoder layer and the whole model, Post-LN as in
 * "Attention Is All You Need" (section 3.1). Forward keeps every intermediate
 * (the sheets show them all); backward walks the same caches in reverse.
 */
import { AttentionOptions, Mask, MultiHeadCache, MultiHeadWeights, attentionMask, multiHead, multiHeadBackward } from "./attention";
import { ModelConfig, Params, checkParams, zeroGrads } from "./config";
import { FeedForwardCache, LayerNormCache, feedForward, feedForwardBackward, layerNorm, layerNormBackward, positionalEncoding } from "./layers";
import { CrossEntropy, argmaxRow, crossEntropy, crossEntropyBackward } from "./loss";
import { Matrix, add, addInto, addRow, gatherRows, matmul, matmulTransA, matmulTransB, sumRows } from "./matrix";

export const PAD_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;

/** One training example as token ids, padded to the model's lengths. */
export interface EncodedExample {
  source: number[]; // (sourceLen)
  /** Encoder-only: a target per source position. Encoder–decoder: the target then </s>. */
  target: number[];
  /** Encoder–decoder only: the target shifted right behind <s>. */
  decoderInput?: number[];
}

function attentionWeights(p: Params, prefix: string, heads: number): MultiHeadWeights {
  const hs = [];
  for (let h = 1; h <= heads; h++) hs.push({ Wq: p[`${prefix}_H${h}_Wq`], Wk: p[`${prefix}_H${h}_Wk`], Wv: p[`${prefix}_H${h}_Wv`] });
  return { heads: hs, Wo: p[`${prefix}_Wo`] };
}

function addAttentionGrads(grads: Params, prefix: string, g: ReturnType<typeof multiHeadBackward>): void {
  g.heads.forEach((h, i) => {
    addInto(grads[`${prefix}_H${i + 1}_Wq`], h.Wq);
    addInto(grads[`${prefix}_H${i + 1}_Wk`], h.Wk);
    addInto(grads[`${prefix}_H${i + 1}_Wv`], h.Wv);
  });
  addInto(grads[`${prefix}_Wo`], g.dWo);
}

function addNormGrads(grads: Params, prefix: string, g: { dGamma: Matrix; dBeta: Matrix }): void {
  addInto(grads[`${prefix}_Gamma`], g.dGamma);
  addInto(grads[`${prefix}_Beta`], g.dBeta);
}

function ffnWeights(p: Params, prefix: string) {
  return { W1: p[`${prefix}_FF_W1`], b1: p[`${prefix}_FF_B1`], W2: p[`${prefix}_FF_W2`], b2: p[`${prefix}_FF_B2`] };
}

function addFfnGrads(grads: Params, prefix: string, g: ReturnType<typeof feedForwardBackward>["grads"]): void {
  addInto(grads[`${prefix}_FF_W1`], g.W1);
  addInto(grads[`${prefix}_FF_B1`], g.b1);
  addInto(grads[`${prefix}_FF_W2`], g.W2);
  addInto(grads[`${prefix}_FF_B2`], g.b2);
}

function options(c: ModelConfig): AttentionOptions {
  return { normalization: c.normalization, scaled: c.scaled };
}

export interface EncoderCache {
  X: Matrix; // (n, d_model) input
  selfAttention: MultiHeadCache;
  ln1: LayerNormCache; // Y1 = LN1(X + MHA(X))
  ffn: FeedForwardCache;
  ln2: LayerNormCache; // Y = LN2(Y1 + FFN(Y1))
  out: Matrix; // (n, d_model) Y
}

/** Encoder layer: Y1 = LN1(X + MHA(X)), Y = LN2(Y1 + FFN(Y1)). */
export function encoderLayer(X: Matrix, p: Params, c: ModelConfig, mask: Mask): EncoderCache {
  const selfAttention = multiHead(X, X, attentionWeights(p, "Enc", c.heads), options(c), mask, "Enc");
  const ln1 = layerNorm(add(X, selfAttention.out), p.Enc_LN1_Gamma, p.Enc_LN1_Beta, "Enc_LN1");
  const ffn = feedForward(ln1.out, ffnWeights(p, "Enc"), "Enc_FF");
  const ln2 = layerNorm(add(ln1.out, ffn.out), p.Enc_LN2_Gamma, p.Enc_LN2_Beta, "Enc_LN2");
  return { X, selfAttention, ln1, ffn, ln2, out: ln2.out };
}

/** Adds the layer's parameter gradients into `grads`; returns dL/dX. */
export function encoderLayerBackward(e: EncoderCache, dY: Matrix, grads: Params): Matrix {
  const n2 = layerNormBackward(e.ln2, dY);
  addNormGrads(grads, "Enc_LN2", n2);
  const f = feedForwardBackward(e.ffn, n2.dx);
  addFfnGrads(grads, "Enc", f.grads);
  const dY1 = add(n2.dx, f.dx);
  const n1 = layerNormBackward(e.ln1, dY1);
  addNormGrads(grads, "Enc_LN1", n1);
  const a = multiHeadBackward(e.selfAttention, n1.dx);
  addAttentionGrads(grads, "Enc", a);
  return add(add(n1.dx, a.dXq), a.dXkv);
}

export interface DecoderCache {
  T: Matrix; // (m, d_model) input
  selfAttention: MultiHeadCache; // masked (causal)
  ln1: LayerNormCache; // Z1 = LN1(T + MaskedMHA(T))
  crossAttention: MultiHeadCache; // queries Z1, keys and values Y
  ln2: LayerNormCache; // Z2 = LN2(Z1 + CrossMHA(Z1, Y))
  ffn: FeedForwardCache;
  ln3: LayerNormCache; // Z = LN3(Z2 + FFN(Z2))
  out: Matrix; // (m, d_model) Z
}

export function decoderLayer(T: Matrix, Y: Matrix, p: Params, c: ModelConfig, selfMask: Mask, crossMask: Mask): DecoderCache {
  const selfAttention = multiHead(T, T, attentionWeights(p, "Dec_Self", c.heads), options(c), selfMask, "Dec_Self");
  const ln1 = layerNorm(add(T, selfAttention.out), p.Dec_LN1_Gamma, p.Dec_LN1_Beta, "Dec_LN1");
  const crossAttention = multiHead(ln1.out, Y, attentionWeights(p, "Dec_Cross", c.heads), options(c), crossMask, "Dec_Cross");
  const ln2 = layerNorm(add(ln1.out, crossAttention.out), p.Dec_LN2_Gamma, p.Dec_LN2_Beta, "Dec_LN2");
  const ffn = feedForward(ln2.out, ffnWeights(p, "Dec"), "Dec_FF");
  const ln3 = layerNorm(add(ln2.out, ffn.out), p.Dec_LN3_Gamma, p.Dec_LN3_Beta, "Dec_LN3");
  return { T, selfAttention, ln1, crossAttention, ln2, ffn, ln3, out: ln3.out };
}

/** Adds the layer's parameter gradients into `grads`; returns dL/dT and dL/dY. */
export function decoderLayerBackward(d: DecoderCache, dZ: Matrix, grads: Params): { dT: Matrix; dY: Matrix } {
  const n3 = layerNormBackward(d.ln3, dZ);
  addNormGrads(grads, "Dec_LN3", n3);
  const f = feedForwardBackward(d.ffn, n3.dx);
  addFfnGrads(grads, "Dec", f.grads);
  const n2 = layerNormBackward(d.ln2, add(n3.dx, f.dx));
  addNormGrads(grads, "Dec_LN2", n2);
  const cross = multiHeadBackward(d.crossAttention, n2.dx);
  addAttentionGrads(grads, "Dec_Cross", cross);
  const n1 = layerNormBackward(d.ln1, add(n2.dx, cross.dXq));
  addNormGrads(grads, "Dec_LN1", n1);
  const self = multiHeadBackward(d.selfAttention, n1.dx);
  addAttentionGrads(grads, "Dec_Self", self);
  return { dT: add(add(n1.dx, self.dXq), self.dXkv), dY: cross.dXkv };
}

export interface ForwardResult {
  config: ModelConfig;
  /** Sequences stacked row-wise in every block below (1 for the workbook's single sentence). */
  batch: number;
  /** Source ids, sequence after sequence. */
  sourceIds: number[];
  decoderInputIds?: number[];
  /** Positional encodings of one source sequence. */
  PE: Matrix;
  /** Embedding + positional encoding of the source. */
  X: Matrix; // (B·n, d_model)
  encoder: EncoderCache;
  /** Embedding + positional encoding of the decoder input. */
  decoderX?: Matrix; // (B·m, d_model)
  decoder?: DecoderCache;
  logits: Matrix; // (B·positions, V)
}

function checkIds(seqs: readonly (readonly number[])[], max: number, c: ModelConfig, what: string): number {
  if (seqs.length === 0) throw new RangeError(`there is no ${what} to run`);
  const n = seqs[0].length;
  if (n < 1 || n > max) throw new RangeError(`the ${what} has ${n} tokens but this model takes 1 to ${max}`);
  seqs.forEach((ids, s) => {
    if (ids.length !== n) throw new RangeError(`${what} ${s + 1} has ${ids.length} tokens but ${what} 1 has ${n}; pad them to one length`);
    ids.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id >= c.vocabSize) {
        throw new RangeError(`token ${i + 1} of the ${what} is id ${id} but ids run from 0 to ${c.vocabSize - 1}`);
      }
    });
  });
  return n;
}

/** Embedding rows of the stacked `ids` plus the positional encoding of each sequence of length `n`. */
export function embed(p: Params, c: ModelConfig, ids: readonly number[], n: number): { X: Matrix; PE: Matrix } {
  const PE = positionalEncoding(n, c.dModel, c.peDims);
  const X = gatherRows(p.Embedding, ids);
  for (let i = 0; i < X.data.length; i++) X.data[i] += PE.data[i % PE.data.length];
  return { X, PE };
}

/**
 * The whole forward pass for a batch of equally long sequences (and, with a
 * decoder, their decoder inputs). Pad keys are masked everywhere; decoder
 * self-attention is causal.
 */
export function forwardBatch(
  p: Params,
  c: ModelConfig,
  sources: readonly (readonly number[])[],
  decoderInputs?: readonly (readonly number[])[],
): ForwardResult {
  const n = checkIds(sources, c.sourceLen, c, "source");
  const batch = sources.length;
  const sourceIds = sources.flat();
  const { X, PE } = embed(p, c, sourceIds, n);
  const sourcePad = sourceIds.map((id) => id === PAD_ID);
  const encoder = encoderLayer(X, p, c, attentionMask(n, n, { keyIsPad: sourcePad, batch }));
  if (!c.decoder) {
    const logits = addRow(matmul(encoder.out, p.Out_W, "Enc_Out", "Out_W"), p.Out_B, "Out_B");
    return { config: c, batch, sourceIds, PE, X, encoder, logits };
  }
  if (!decoderInputs) throw new RangeError("an encoder–decoder model needs a decoder input (the target shifted right behind <s>)");
  if (decoderInputs.length !== batch) throw new RangeError(`there are ${batch} sources but ${decoderInputs.length} decoder inputs`);
  const m = checkIds(decoderInputs, c.targetLen, c, "decoder input");
  const decoderInputIds = decoderInputs.flat();
  const dec = embed(p, c, decoderInputIds, m);
  const targetPad = decoderInputIds.map((id) => id === PAD_ID);
  const decoder = decoderLayer(
    dec.X,
    encoder.out,
    p,
    c,
    attentionMask(m, m, { causal: true, keyIsPad: targetPad, batch }),
    attentionMask(m, n, { keyIsPad: sourcePad, batch }),
  );
  const logits = addRow(matmul(decoder.out, p.Out_W, "Dec_Out", "Out_W"), p.Out_B, "Out_B");
  return { config: c, batch, sourceIds, decoderInputIds, PE, X, encoder, decoderX: dec.X, decoder, logits };
}

/** The forward pass for one sentence: every block is that sentence's. */
export function forward(p: Params, c: ModelConfig, sourceIds: readonly number[], decoderInputIds?: readonly number[]): ForwardResult {
  return forwardBatch(p, c, [sourceIds], decoderInputIds ? [decoderInputIds] : undefined);
}

/** Adds dL/dparams for one forward pass into `grads`, given dL/dlogits. */
export function backward(p: Params, f: ForwardResult, dLogits: Matrix, grads: Params): void {
  const top = f.decoder ? f.decoder.out : f.encoder.out;
  matmulTransA(top, dLogits, grads.Out_W);
  sumRows(dLogits, grads.Out_B);
  const dTop = matmulTransB(dLogits, p.Out_W);
  let dY = dTop;
  if (f.decoder && f.decoderInputIds) {
    const d = decoderLayerBackward(f.decoder, dTop, grads);
    scatterRows(grads.Embedding, f.decoderInputIds, d.dT);
    dY = d.dY;
  }
  const dX = encoderLayerBackward(f.encoder, dY, grads);
  scatterRows(grads.Embedding, f.sourceIds, dX);
}

/** table[ids[i]] += rows[i]: the embedding lookup's backward. */
function scatterRows(table: Matrix, ids: readonly number[], rows: Matrix): void {
  const d = table.cols;
  ids.forEach((id, i) => {
    for (let j = 0; j < d; j++) table.data[id * d + j] += rows.data[i * d + j];
  });
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
  if (batch.length === 0) throw new RangeError("the batch is empty: there is nothing to train on");
  const want = c.decoder ? c.targetLen : batch[0].source.length;
  batch.forEach((ex, i) => {
    if (ex.target.length !== want) {
      throw new RangeError(`example ${i + 1} has ${ex.target.length} targets but the model predicts ${want} positions`);
    }
  });
  const targets = batch.flatMap((ex) => ex.target);
  const tokens = targets.filter((t) => t !== PAD_ID).length;
  if (tokens === 0) throw new RangeError("every target in the batch is <pad>: there is nothing to learn");
  const decoderInputs = c.decoder ? batch.map((ex, i) => ex.decoderInput ?? missingDecoderInput(i)) : undefined;
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
  throw new RangeError(`example ${i + 1} has no decoder input; an encoder–decoder model needs the target shifted right behind <s>`);
}

/** Loss and token accuracy of a batch, without gradients. */
export function evaluate(p: Params, c: ModelConfig, batch: readonly EncodedExample[]): BatchResult {
  checkParams(p, c);
  return runBatch(p, c, batch);
}

/** Mean cross-entropy of the batch and its exact gradient for every parameter. */
export function lossAndGradients(p: Params, c: ModelConfig, batch: readonly EncodedExample[]): BatchResult & { grads: Params } {
  checkParams(p, c);
  const grads = zeroGrads(c);
  return { ...runBatch(p, c, batch, grads), grads };
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
  if (!c.decoder) throw new RangeError("greedy decoding needs an encoder–decoder model");
  const input = new Array<number>(c.targetLen).fill(PAD_ID);
  input[0] = BOS_ID;
  let result = forward(p, c, sourceIds, input);
  for (let i = 0; i + 1 < c.targetLen; i++) {
    input[i + 1] = argmaxRow(result.logits, i);
    result = forward(p, c, sourceIds, input);
  }
  return { predicted: predictIds(result.logits), result };
}
