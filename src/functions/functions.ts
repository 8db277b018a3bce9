// ATTN.* custom functions. The JSDoc of each function is what Excel shows in
// the formula bar: write it for the person typing the formula. The build
// (custom-functions-metadata-plugin) reads only `function` declarations and
// appends the CustomFunctions.associate calls to this file.
//
// Each function is a thin call into library.ts, which does the work; guard()
// turns any error into #VALUE! or #N/A with a message, so nothing is thrown
// to Excel. Ranges are typed unknown[][] (metadata type "any", a matrix) so
// that text and blank cells reach our checks (args.ts) and get a message that
// names the argument, instead of a bare #VALUE!. Error values never arrive:
// the build keeps them out of the metadata (webpack.config.js).
import packageJson from "../../package.json";
import { guard, toCustomFunctionError } from "./errors";
import * as lib from "./library";
import { currentModel } from "./model-source";

// Outside Excel (the page opened in a plain browser) there is no custom
// functions runtime, and the CustomFunctions.associate calls the build
// appends would throw. A stand-in that associates nothing keeps the page
// usable there; in Excel the runtime has defined CustomFunctions already.
if (typeof CustomFunctions === "undefined") {
  (globalThis as { CustomFunctions?: unknown }).CustomFunctions = { associate: () => undefined };
}

/**
 * The version of the Attention Lab add-in, for example "0.1.0".
 * @customfunction
 * @returns The add-in version.
 */
export function version(): string {
  return packageJson.version;
}

/**
 * Splits a sentence into tokens, one per row: lower case, punctuation at the ends of words dropped.
 * @customfunction
 * @param sentence The text to split, for example "The cat sat."
 * @returns {string[][]} A column of tokens.
 */
export function tokens(sentence: string) {
  return guard("TOKENS", () => lib.tokens(sentence));
}

/**
 * Sinusoidal positional encoding: row p is position p (from 0); sin in even columns, cos in odd ones.
 * @customfunction
 * @param positions How many positions (rows), 1 to 512.
 * @param dims How many dimensions (columns), usually d_model.
 * @param encodedDims Optional. How many of the first columns carry the encoding; the rest are 0. Default: all.
 * @returns {number[][]} A positions × dims range.
 */
export function posenc(positions: number, dims: number, encodedDims?: number) {
  return guard("POSENC", () => lib.posenc(positions, dims, encodedDims));
}

/**
 * Looks up each token's row of the embedding matrix: one row per token.
 * @customfunction
 * @param tokens One row or column of tokens.
 * @param vocab The vocabulary, one word per cell, in the order of the embedding's rows. Case is ignored, as in MATCH.
 * @param embedding The embedding matrix: one row per vocabulary word.
 * @returns {number[][]} One embedding row per token.
 */
export function embed(tokens: unknown[][], vocab: unknown[][], embedding: unknown[][]) {
  return guard("EMBED", () => lib.embed(tokens, vocab, embedding));
}

/**
 * Attention scores Q·Kᵀ, divided by √d_k (the columns of Q) unless scaled is FALSE.
 * @customfunction
 * @param Q Queries: one row per query position.
 * @param K Keys: one row per key position, as many columns as Q.
 * @param scaled Optional. TRUE (default) divides by √d_k; FALSE gives the raw dot products.
 * @returns {number[][]} One row per query, one column per key.
 */
export function score(Q: unknown[][], K: unknown[][], scaled?: boolean) {
  return guard("SCORE", () => lib.score(Q, K, scaled));
}

/**
 * Turns each row of scores into weights that add up to 1 (row softmax); masked keys get weight 0.
 * @customfunction
 * @param scores Scores: one row per query, one column per key.
 * @param mask Optional. "causal" (query i sees keys 1 to i), "none", or 1s (visible) and 0s (hidden): per score, or one row of keys.
 * @returns {number[][]} A range of the same size; each row holds weights that sum to 1.
 */
export function softmax(scores: unknown[][], mask?: unknown[][]) {
  return guard("SOFTMAX", () => lib.softmax(scores, mask));
}

/**
 * Attention weights softmax(Q·Kᵀ/√d_k) with Q = X·Wq and K = Xkv·Wk (Xkv = X when omitted).
 * @customfunction
 * @param X The input: one row per position, d_model columns.
 * @param Wq Query weights: d_model rows, d_k columns.
 * @param Wk Key weights: as many rows as Xkv has columns, d_k columns.
 * @param mask Optional. "causal", "none", or 1s (visible) and 0s (hidden): one row per position of X, one column per key.
 * @param Xkv Optional. Where keys come from, for cross-attention (the encoder output). Default: X (self-attention).
 * @returns {number[][]} One row per position of X, one column per key; each row sums to 1.
 */
export function weights(X: unknown[][], Wq: unknown[][], Wk: unknown[][], mask?: unknown[][], Xkv?: unknown[][]) {
  return guard("WEIGHTS", () => lib.weights(X, Wq, Wk, mask, Xkv));
}

/**
 * One attention head: the attention weights times the values V = Xkv·Wv (Xkv = X when omitted).
 * @customfunction
 * @param X The input: one row per position, d_model columns.
 * @param Wq Query weights: d_model rows, d_k columns.
 * @param Wk Key weights: as many rows as Xkv has columns, d_k columns.
 * @param Wv Value weights: as many rows as Xkv has columns, d_v columns.
 * @param mask Optional. "causal", "none", or 1s (visible) and 0s (hidden): one row per position of X, one column per key.
 * @param Xkv Optional. Where keys and values come from, for cross-attention (the encoder output). Default: X.
 * @returns {number[][]} The head's output: one row per position of X, d_v columns.
 */
export function head(X: unknown[][], Wq: unknown[][], Wk: unknown[][], Wv: unknown[][], mask?: unknown[][], Xkv?: unknown[][]) {
  return guard("HEAD", () => lib.head(X, Wq, Wk, Wv, mask, Xkv));
}

/**
 * Multi-head attention: every head attends with its share of the columns of Wq, Wk and Wv; the heads side by side times Wo.
 * @customfunction
 * @param X The input: one row per position, d_model columns.
 * @param Wq Query weights of all heads side by side: d_model rows, heads × d_k columns (head 1 first).
 * @param Wk Key weights of all heads side by side: as many rows as Xkv has columns, heads × d_k columns.
 * @param Wv Value weights of all heads side by side: as many rows as Xkv has columns, heads × d_v columns.
 * @param Wo Output weights: heads × d_v rows, d_model columns.
 * @param heads The number of heads; it must divide the columns of Wq, Wk and Wv.
 * @param mask Optional. "causal", "none", or 1s (visible) and 0s (hidden): one row per position of X, one column per key.
 * @param Xkv Optional. Where keys and values come from, for cross-attention (the encoder output). Default: X.
 * @returns {number[][]} One row per position of X, as many columns as Wo.
 */
export function multihead(
  X: unknown[][],
  Wq: unknown[][],
  Wk: unknown[][],
  Wv: unknown[][],
  Wo: unknown[][],
  heads: number,
  mask?: unknown[][],
  Xkv?: unknown[][],
) {
  return guard("MULTIHEAD", () => lib.multihead(X, Wq, Wk, Wv, Wo, heads, mask, Xkv));
}

/**
 * Layer normalization of each row: (x − mean) / √(variance + 0.00001) × gamma + beta.
 * @customfunction
 * @param X The rows to normalize.
 * @param gamma Optional. A gain per column of X (one row or column). Default: 1s.
 * @param beta Optional. A shift per column of X (one row or column). Default: 0s.
 * @returns {number[][]} A range the size of X.
 */
export function layernorm(X: unknown[][], gamma?: unknown[][], beta?: unknown[][]) {
  return guard("LAYERNORM", () => lib.layernorm(X, gamma, beta));
}

/**
 * A linear layer: X·W, plus the bias b added to every row.
 * @customfunction
 * @param X The input: one row per position.
 * @param W Weights: as many rows as X has columns.
 * @param b Optional. A bias per column of W (one row or column). Default: none.
 * @returns {number[][]} One row per row of X, as many columns as W.
 */
export function linear(X: unknown[][], W: unknown[][], b?: unknown[][]) {
  return guard("LINEAR", () => lib.linear(X, W, b));
}

/**
 * The position-wise feed-forward network: ReLU(X·W1 + b1)·W2 + b2.
 * @customfunction
 * @param X The input: one row per position, d_model columns.
 * @param W1 First weights: d_model rows, d_ff columns.
 * @param b1 First bias: one value per column of W1.
 * @param W2 Second weights: d_ff rows, d_model columns.
 * @param b2 Second bias: one value per column of W2.
 * @returns {number[][]} One row per row of X, as many columns as W2.
 */
export function ffn(X: unknown[][], W1: unknown[][], b1: unknown[][], W2: unknown[][], b2: unknown[][]) {
  return guard("FFN", () => lib.ffn(X, W1, b1, W2, b2));
}

/**
 * Turns each row of logits into probabilities that add up to 1 (row softmax).
 * @customfunction
 * @param logits Logits: one row per position, one column per vocabulary word.
 * @returns {number[][]} A range the size of logits; each row sums to 1.
 */
export function probs(logits: unknown[][]) {
  return guard("PROBS", () => lib.probs(logits));
}

/**
 * Mean cross-entropy of the row softmax of logits against the target tokens; <pad> targets are left out.
 * @customfunction
 * @param logits Logits: one row per position, one column per vocabulary word.
 * @param targets The correct token of each row: one row or column, as many tokens as logits has rows.
 * @param vocab The vocabulary, one word per cell, in the order of the columns of logits.
 * @returns {number[][]} The loss, in one cell.
 */
export function loss(logits: unknown[][], targets: unknown[][], vocab: unknown[][]) {
  return guard("LOSS", () => lib.loss(logits, targets, vocab));
}

/**
 * The most probable token of each row (the first one on a tie).
 * @customfunction
 * @param probs Probabilities or logits: one row per position, one column per vocabulary word.
 * @param vocab The vocabulary, one word per cell, in the order of the columns of probs.
 * @returns {string[][]} A column of tokens, one per row of probs.
 */
export function argmax(probs: unknown[][], vocab: unknown[][]) {
  return guard("ARGMAX", () => lib.argmax(probs, vocab));
}

/**
 * Draws a token from each row of probabilities: the first word whose cumulative probability reaches the row's dice value.
 * @customfunction
 * @param probs Probabilities: one row per position, one column per vocabulary word; each row adds up to 1.
 * @param vocab The vocabulary, one word per cell, in the order of the columns of probs.
 * @param dice A number from 0 up to (not including) 1 per row of probs, such as RAND(): one cell, or one row or column.
 * @param temperature Optional. Above 0 (default 1): each row becomes p^(1/T) renormalised, which is softmax(logits / T).
 * @param topK Optional. Keep only the K most probable words (a tie keeps the earlier word) before drawing. Default 0: all.
 * @returns {string[][]} A column of tokens, one per row of probs.
 */
export function sample(probs: unknown[][], vocab: unknown[][], dice: unknown[][], temperature?: number, topK?: number) {
  return guard("SAMPLE", () => lib.sample(probs, vocab, dice, temperature, topK));
}

/**
 * An n × n attention mask: 1 where query row i may see key column j, 0 where it may not.
 * @customfunction
 * @param n How many positions, 1 to 512.
 * @param kind Optional. "causal" (default): row i sees columns 1 to i; "none": every column.
 * @param padding Optional. A 1 (real token) or 0 (padding) per position, one row or column; padding columns are hidden.
 * @returns {number[][]} n rows and n columns of 1s and 0s.
 */
export function mask(n: number, kind?: string, padding?: unknown[][]) {
  return guard("MASK", () => lib.mask(n, kind, padding));
}

/**
 * A gpt workbook's greedy continuation of a prompt, as its Tokens cells write it, computed from this workbook's model.
 * @customfunction
 * @param prompt The prompt: one word a cell (one row or column), or one text such as "the cat".
 * @param maxTokens Optional. At most this many words (default: as many as the model's positions allow).
 * @param after Optional. Any range, such as Out_W: the result recalculates when it changes, for example after training.
 * @returns {string[][]} One row of words, up to the end token.
 */
export async function generate(prompt: unknown[][], maxTokens?: number, after?: unknown[][]) {
  void after;
  try {
    const model = await currentModel();
    return guard("GENERATE", () =>
      lib.generate(
        model,
        prompt.length === 1 && prompt[0].length === 1 && typeof prompt[0][0] === "string" ? prompt[0][0] : prompt,
        maxTokens,
      ),
    );
  } catch (error) {
    return toCustomFunctionError("GENERATE", error);
  }
}
