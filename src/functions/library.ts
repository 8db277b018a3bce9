/**
 * The ATTN.* functions as plain TypeScript, without Excel: each reads its
 * arguments (args.ts), calls `src/model`, and returns the 2-D array that
 * Excel spills. A bad argument throws (ArgError, or the model's own error);
 * functions.ts turns that into #VALUE! or #N/A. Tests and a formula engine
 * call these directly.
 *
 * Conventions (docs/architecture.md): one row per position, projections X·W, weights in
 * the order of the math, `mask` before `Xkv` so that self-attention needs
 * neither.
 */
import { Mask, attentionMask, multiHead, scaledDotProduct, softmaxRows } from "../model/attention";
import { feedForward, layerNorm, positionalEncoding } from "../model/layers";
import { argmaxRow, crossEntropy } from "../model/loss";
import { Matrix, addRow, gatherRows, inWorkspace, matmul, shapeOf, sliceCols, zeros } from "../model/matrix";
import { generate as generateIds } from "../model/generate";
import { sampleToken } from "../model/sampling";
import { EOS_ID, PAD_ID } from "../model/transformer";
import { EOS, PAD, SPECIALS, tokenize } from "../model/vocab";
import {
  blankAsZero,
  MAX_CELLS,
  MAX_POSITIONS,
  WordIndex,
  wordKey,
  checkProduct,
  checkWork,
  flagList,
  isOmitted,
  maskArg,
  maskKind,
  numberMatrix,
  numberVector,
  positiveNumber,
  result,
  switchArg,
  text,
  wholeNumber,
  wordList,
} from "./args";
import { ArgError } from "./errors";
import type { ModelSnapshot } from "./model-source";
import { t } from "../i18n";

const SEQUENCE = { positions: true };
const ATTENTION = { normalization: "softmax", scaled: true } as const;

/** Splits a sentence into a column of tokens: lower case, punctuation at either end of a word dropped. */
export function tokens(sentence: unknown): string[][] {
  const words = tokenize(text(sentence, "sentence", "The cat sat."));
  if (words.length === 0) throw new ArgError(t().fn.noWords);
  if (words.length > MAX_POSITIONS) throw new ArgError(t().fn.tooManyWords(words.length, MAX_POSITIONS));
  return words.map((w) => [w]);
}

/** Sinusoidal positional encoding: `positions` rows (positions 0, 1, …) × `dims` columns; only the first `encodedDims` carry it. */
export function posenc(positions: unknown, dims: unknown, encodedDims?: unknown): number[][] {
  const n = wholeNumber(positions, "positions", 1, MAX_POSITIONS);
  const d = wholeNumber(dims, "dims", 1, Math.floor(MAX_CELLS / n));
  const e = isOmitted(encodedDims) ? d : wholeNumber(encodedDims, "encodedDims", 0, d);
  return result(positionalEncoding(n, d, e));
}

/** Row i is the embedding row of token i: the row of `embedding` at the token's place in `vocab`. */
export function embed(tokenList: unknown, vocab: unknown, embedding: unknown): number[][] {
  const words = wordList(tokenList, "tokens", SEQUENCE);
  const index = new WordIndex(vocab, "vocab");
  const E = numberMatrix(embedding, "embedding");
  if (E.rows !== index.size) throw new ArgError(t().fn.embedRows(E.rows, index.size));
  const ids = words.map((w, i) => index.id(w, t().fn.tokensCell(i + 1)));
  return result(gatherRows(E, ids));
}

/** Scores Q·Kᵀ, divided by √d_k unless `scaled` is FALSE. */
export function score(Q: unknown, K: unknown, scaled?: unknown): number[][] {
  const q = numberMatrix(Q, "Q", SEQUENCE); // (n, d_k)
  const k = numberMatrix(K, "K", SEQUENCE); // (m, d_k)
  if (k.cols !== q.cols) throw new ArgError(t().fn.scoreWidth(k.cols, q.cols));
  const options = { normalization: "none", scaled: switchArg(scaled, "scaled", true) } as const;
  checkWork(q.rows * k.rows * q.cols, `Q (${shapeOf(q)}) times Kᵀ (K is ${shapeOf(k)})`);
  // No values (V has no columns): only the scores are wanted.
  return result(scaledDotProduct(q, k, zeros(k.rows, 0), options).S); // (n, m)
}

/** Row softmax; keys hidden by `mask` get weight 0. */
export function softmax(scores: unknown, mask?: unknown): number[][] {
  const S = numberMatrix(scores, "scores", SEQUENCE);
  return result(softmaxRows(S, maskArg(mask, "mask", S.rows, S.cols)));
}

/** Probabilities: the row softmax of logits. */
export function probs(logits: unknown): number[][] {
  return result(softmaxRows(numberMatrix(logits, "logits", SEQUENCE)));
}

interface AttentionInputs {
  x: Matrix; // (n, d_model)
  xkv: Matrix; // (m, d_kv), X itself for self-attention
  kvName: string;
  mask?: Mask; // (n, m)
}

function attentionInputs(X: unknown, mask: unknown, Xkv: unknown): AttentionInputs {
  const x = numberMatrix(X, "X", SEQUENCE);
  const self = isOmitted(Xkv);
  const xkv = self ? x : numberMatrix(Xkv, "Xkv", SEQUENCE);
  return { x, xkv, kvName: self ? "X" : "Xkv", mask: maskArg(mask, "mask", x.rows, xkv.rows) };
}

/** Wq and Wk, checked against X and Xkv: (d_model, d_k) and (d_kv, d_k). */
function queryKeyWeights(a: AttentionInputs, Wq: unknown, Wk: unknown): { wq: Matrix; wk: Matrix } {
  const wq = numberMatrix(Wq, "Wq");
  const wk = numberMatrix(Wk, "Wk");
  checkProduct(a.x, "X", wq, "Wq");
  checkProduct(a.xkv, a.kvName, wk, "Wk");
  if (wk.cols !== wq.cols) throw new ArgError(t().fn.keyWidth(wk.cols, wq.cols));
  return { wq, wk };
}

/** Wv, checked against Xkv: (d_kv, d_v). */
function valueWeights(a: AttentionInputs, Wv: unknown): Matrix {
  const wv = numberMatrix(Wv, "Wv");
  checkProduct(a.xkv, a.kvName, wv, "Wv");
  return wv;
}

/** Multiply-adds of the projections and of the scores and the weighted sum. */
function attentionWork(a: AttentionInputs, qkWidth: number, vWidth: number): number {
  const { x, xkv } = a;
  return x.rows * x.cols * qkWidth + xkv.rows * xkv.cols * (qkWidth + vWidth) + x.rows * xkv.rows * (qkWidth + vWidth);
}

/** Attention weights: softmax(X·Wq (Xkv·Wk)ᵀ / √d_k), keys hidden by `mask` at 0. */
export function weights(X: unknown, Wq: unknown, Wk: unknown, mask?: unknown, Xkv?: unknown): number[][] {
  const a = attentionInputs(X, mask, Xkv);
  const { wq, wk } = queryKeyWeights(a, Wq, Wk);
  checkWork(attentionWork(a, wq.cols, 0), t().fn.attentionOf(shapeOf(a.x), [`Wq (${shapeOf(wq)})`]));
  const Q = matmul(a.x, wq); // (n, d_k)
  const K = matmul(a.xkv, wk); // (m, d_k)
  return result(scaledDotProduct(Q, K, zeros(K.rows, 0), ATTENTION, a.mask).A); // (n, m); no values needed
}

/** One head's output: the attention weights times Xkv·Wv. */
export function head(X: unknown, Wq: unknown, Wk: unknown, Wv: unknown, mask?: unknown, Xkv?: unknown): number[][] {
  const a = attentionInputs(X, mask, Xkv);
  const { wq, wk } = queryKeyWeights(a, Wq, Wk);
  const wv = valueWeights(a, Wv);
  checkWork(attentionWork(a, wq.cols, wv.cols), t().fn.attentionOf(shapeOf(a.x), [`Wq (${shapeOf(wq)})`, `Wv (${shapeOf(wv)})`]));
  const Q = matmul(a.x, wq),
    K = matmul(a.xkv, wk),
    V = matmul(a.xkv, wv);
  return result(scaledDotProduct(Q, K, V, ATTENTION, a.mask).O); // (n, d_v)
}

/**
 * Multi-head attention. Wq, Wk and Wv hold the heads' weights side by side:
 * head h uses columns h·d_k … (h+1)·d_k − 1; the heads' outputs side by side
 * times Wo give the result.
 */
export function multihead(
  X: unknown,
  Wq: unknown,
  Wk: unknown,
  Wv: unknown,
  Wo: unknown,
  heads: unknown,
  mask?: unknown,
  Xkv?: unknown,
): number[][] {
  // Every matrix of the call in the workspace (reused by the next call); only the result's arrays leave it.
  return inWorkspace(() => {
    const a = attentionInputs(X, mask, Xkv);
    const { wq, wk } = queryKeyWeights(a, Wq, Wk);
    const wv = valueWeights(a, Wv);
    const wo = numberMatrix(Wo, "Wo");
    const h = wholeNumber(heads, "heads", 1);
    for (const [w, name] of [
      [wq, "Wq"],
      [wv, "Wv"],
    ] as const) {
      if (w.cols % h !== 0) {
        throw new ArgError(t().fn.headSplit(h, name, w.cols));
      }
    }
    if (wo.rows !== wv.cols) throw new ArgError(t().fn.woRows(wo.rows, wv.cols));
    checkWork(
      attentionWork(a, wq.cols, wv.cols) + a.x.rows * wo.rows * wo.cols,
      t().fn.attentionOf(shapeOf(a.x), [`Wq (${shapeOf(wq)})`, `Wv (${shapeOf(wv)})`, `Wo (${shapeOf(wo)})`]),
    );
    const dk = wq.cols / h,
      dv = wv.cols / h;
    const perHead = Array.from({ length: h }, (_, i) => ({
      Wq: sliceCols(wq, i * dk, dk), // (d_model, d_k)
      Wk: sliceCols(wk, i * dk, dk),
      Wv: sliceCols(wv, i * dv, dv),
    }));
    return result(multiHead(a.x, a.xkv, { heads: perHead, Wo: wo }, ATTENTION, a.mask).out); // (n, Wo columns)
  });
}

/** Each row normalised to mean 0 and variance 1, times gamma plus beta (1s and 0s when omitted). */
export function layernorm(X: unknown, gamma?: unknown, beta?: unknown): number[][] {
  const x = numberMatrix(X, "X");
  const against = t().fn.hasColumns("X", x.cols);
  const g = isOmitted(gamma) ? ones(x.cols) : numberVector(gamma, "gamma", x.cols, against);
  const b = isOmitted(beta) ? zeros(1, x.cols) : numberVector(beta, "beta", x.cols, against);
  return result(layerNorm(x, g, b).out);
}

function ones(n: number): Matrix {
  const m = zeros(1, n);
  m.data.fill(1);
  return m;
}

/** X·W, plus the row b when given. */
export function linear(X: unknown, W: unknown, b?: unknown): number[][] {
  const x = numberMatrix(X, "X");
  const w = numberMatrix(W, "W");
  checkProduct(x, "X", w, "W");
  const bias = isOmitted(b) ? undefined : numberVector(b, "b", w.cols, t().fn.hasColumns("W", w.cols));
  checkWork(x.rows * x.cols * w.cols, `X (${shapeOf(x)}) times W (${shapeOf(w)})`);
  const out = matmul(x, w); // (n, m)
  return result(bias ? addRow(out, bias, "b") : out);
}

/** Position-wise feed-forward network: ReLU(X·W1 + b1)·W2 + b2. */
export function ffn(X: unknown, W1: unknown, b1: unknown, W2: unknown, b2: unknown): number[][] {
  const x = numberMatrix(X, "X");
  const w1 = numberMatrix(W1, "W1");
  checkProduct(x, "X", w1, "W1");
  const bias1 = numberVector(b1, "b1", w1.cols, t().fn.hasColumns("W1", w1.cols));
  const w2 = numberMatrix(W2, "W2");
  checkProduct(w1, "W1", w2, "W2");
  const bias2 = numberVector(b2, "b2", w2.cols, t().fn.hasColumns("W2", w2.cols));
  checkWork(x.rows * w1.cols * (x.cols + w2.cols), `X (${shapeOf(x)}) through W1 (${shapeOf(w1)}) and W2 (${shapeOf(w2)})`);
  return result(feedForward(x, { W1: w1, b1: bias1, W2: w2, b2: bias2 }).out);
}

/** Mean cross-entropy of softmax(logits) against the target words; <pad> targets are left out. */
export function loss(logits: unknown, targets: unknown, vocab: unknown): number[][] {
  const L = numberMatrix(logits, "logits", SEQUENCE);
  const index = new WordIndex(vocab, "vocab");
  if (L.cols !== index.size) throw new ArgError(t().fn.vocabColumns("logits", L.cols, index.size));
  const words = wordList(targets, "targets", SEQUENCE);
  if (words.length !== L.rows) throw new ArgError(t().fn.targetRows(words.length, L.rows));
  const ids = words.map((w, i) => index.id(w, t().fn.targetsCell(i + 1)));
  const ce = crossEntropy(L, ids, index.find(PAD));
  if (ce.count === 0) throw new ArgError(t().fn.allPad(PAD));
  return [[ce.sum / ce.count]];
}

/** The most probable word of each row (the first on a tie), as a column. */
export function argmax(probabilities: unknown, vocab: unknown): string[][] {
  const P = numberMatrix(probabilities, "probs", SEQUENCE);
  const index = new WordIndex(vocab, "vocab");
  if (P.cols !== index.size) throw new ArgError(t().fn.vocabColumns("probs", P.cols, index.size));
  return Array.from({ length: P.rows }, (_, i) => [index.words[argmaxRow(P, i)]]);
}

/** How far a row of probabilities may miss 1: a softmax's rounding, or typed decimals that really add up to 1. */
const SUM_TOLERANCE = 1e-9;

/**
 * The rows of `P`, each checked to be probabilities. Weights that do not add
 * up to 1 are refused rather than renormalised: they are most often logits,
 * which are not probabilities even when none is negative.
 */
function probabilityRows(P: Matrix): number[][] {
  const hint = t().fn.probsHint;
  return Array.from({ length: P.rows }, (_, i) => {
    const row = Array.from(P.data.subarray(i * P.cols, (i + 1) * P.cols));
    const j = row.findIndex((x) => x < 0);
    if (j >= 0) throw new ArgError(t().fn.negative(i + 1, j + 1, row[j], hint));
    const sum = row.reduce((s, x) => s + x, 0);
    if (sum === 0) throw new ArgError(t().fn.allZero(i + 1, blankAsZero()));
    if (Math.abs(sum - 1) > SUM_TOLERANCE) throw new ArgError(t().fn.sumNotOne(i + 1, sum, hint));
    return row;
  });
}

/**
 * The word drawn from each row of probabilities by its dice value: keep the
 * topK most probable words, raise to 1/temperature and renormalise (that is
 * softmax(logits / T)), then take the first vocabulary word whose cumulative
 * probability reaches the dice value (cumulative ≥ dice).
 */
export function sample(probabilities: unknown, vocab: unknown, dice: unknown, temperature?: unknown, topK?: unknown): string[][] {
  const P = numberMatrix(probabilities, "probs", SEQUENCE);
  const index = new WordIndex(vocab, "vocab");
  if (P.cols !== index.size) throw new ArgError(t().fn.vocabColumns("probs", P.cols, index.size));
  const rows = probabilityRows(P);
  const rolls = numberVector(dice, "dice", P.rows, t().fn.hasRows("probs", P.rows)).data;
  rolls.forEach((x, i) => {
    if (!(x >= 0 && x < 1)) throw new ArgError(t().fn.diceValue(i + 1, x));
  });
  const options = { temperature: positiveNumber(temperature, "temperature", 1), topK: isOmitted(topK) ? 0 : wholeNumber(topK, "topK", 0) };
  return rows.map((p, i) => [index.words[sampleToken(p, rolls[i], options)]]);
}

/** The n × n mask of 1 (visible) and 0 (hidden): causal or not, with padded keys hidden. */
export function mask(n: unknown, kind?: unknown, padding?: unknown): number[][] {
  const size = wholeNumber(n, "n", 1, MAX_POSITIONS);
  const causal = maskKind(kind, "kind", "causal") === "causal";
  const visible = isOmitted(padding) ? undefined : flagList(padding, "padding", size, t().fn.nIs(size));
  const m = attentionMask(size, size, { causal, keyIsPad: visible?.map((v) => !v) });
  return Array.from({ length: size }, (_, i) => Array.from(m.allowed.subarray(i * size, (i + 1) * size)));
}

/**
 * A decoder-only model's greedy continuation of `prompt` (one word a cell,
 * or one text), as the workbook's live Tokens formulas write it: the words
 * after the prompt up to </s>, as one row; at most `maxTokens` of them.
 */
export function generate(model: ModelSnapshot, prompt: unknown, maxTokens?: unknown): string[][] {
  const { config: c, params, vocab } = model;
  if (c.kind !== "decoder-only") {
    throw new ArgError(t().fn.notGpt(t().stacks(c)));
  }
  const index = new WordIndex([[...vocab]], "vocab");
  const words = typeof prompt === "string" ? tokenize(prompt) : wordList(prompt, "prompt", SEQUENCE);
  const room = c.sourceLen - 1;
  if (words.length > room) throw new ArgError(t().fn.promptTooLong(words.length, room));
  const ids = words.map((w, i) => {
    if (SPECIALS.includes(wordKey(w))) throw new ArgError(t().fn.promptMarker(i + 1, w));
    return index.id(w, t().fn.promptWord(i + 1));
  });
  const limit = isOmitted(maxTokens) ? room - ids.length : wholeNumber(maxTokens, "maxTokens", 1, Math.max(1, room - ids.length));
  const tokens = generateIds(params, c, ids).tokens.slice(1 + ids.length, 1 + ids.length + limit);
  const end = tokens.findIndex((id) => id === EOS_ID || id === PAD_ID);
  const continuation = (end < 0 ? tokens : tokens.slice(0, end)).map((id) => index.words[id]);
  return [continuation.length > 0 ? continuation : [EOS]];
}
