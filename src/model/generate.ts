/**
 * Choosing the next token, and a decoder-only model writing text one token
 * at a time, exactly as the workbook's live formulas do it
 * (docs/architecture.md, "Live generation"): Probs = softmax(Logits / T);
 * the chosen token is the argmax of Probs, or with sampling on the first
 * vocabulary row whose cumulative probability reaches the position's dice
 * value times the row's total (src/model/sampling.ts, as ATTN.SAMPLE).
 */
import type { ModelConfig, Params } from "./config";
import type { Matrix } from "./matrix";
import { Rng } from "./rng";
import { pickByDice } from "./sampling";
import type { ModelKind } from "./architecture";
import { PROMPT_LENGTH } from "./tasks";
import type { Vocab } from "./vocab";
import { BOS_ID, EOS_ID, EncodedExample, ForwardResult, PAD_ID, forward, greedyDecode, predictIds } from "./transformer";
import { ModelError, type ExactLabel } from "./messages";

export interface Sampling {
  /** Divides the logits before the softmax; default 1. */
  temperature?: number;
  /** Draw from the probabilities instead of taking the most probable token. */
  sampling?: boolean;
  /** One number in [0, 1) per position: the draw when sampling is on. */
  dice?: readonly number[];
}

/** softmax(row / T) of row i of `logits`. */
export function probsAt(logits: Matrix, i: number, temperature = 1): number[] {
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new ModelError("temperature", temperature);
  const row = Array.from(logits.data.subarray(i * logits.cols, (i + 1) * logits.cols), (l) => l / temperature);
  const max = Math.max(...row);
  const e = row.map((z) => Math.exp(z - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** The first most probable row. */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let j = 1; j < values.length; j++) if (values[j] > values[best]) best = j;
  return best;
}

/** The token chosen after position i: greedy, or drawn with that position's dice. */
export function chooseToken(logits: Matrix, i: number, s: Sampling = {}): number {
  const probs = probsAt(logits, i, s.temperature ?? 1);
  if (!s.sampling) return argmax(probs);
  const dice = s.dice?.[i];
  if (dice === undefined || !(dice >= 0 && dice < 1)) throw new ModelError("dice", i + 1, dice);
  return pickByDice(probs, dice);
}

/** The chosen token after every position. */
export function chosenTokens(logits: Matrix, s: Sampling = {}): number[] {
  return Array.from({ length: logits.rows }, (_, i) => chooseToken(logits, i, s));
}

/**
 * A decoder-only model continues `prompt` (its words' ids, without <s>):
 * Tokens = <s>, the prompt, then at each later position the token chosen
 * after the position before it; once </s> (or <pad>) is there, the rest are
 * <pad>. Returns every Tokens id and the forward pass over them.
 */
export function generate(
  p: Params,
  c: ModelConfig,
  prompt: readonly number[],
  s: Sampling = {},
): { tokens: number[]; chosen: number[]; result: ForwardResult } {
  if (c.kind !== "decoder-only") throw new ModelError("generateKind", c.kind);
  if (prompt.length + 1 > c.sourceLen) throw new ModelError("promptTooLong", prompt.length, c.sourceLen - 1);
  const tokens = new Array<number>(c.sourceLen).fill(PAD_ID);
  tokens[0] = BOS_ID;
  prompt.forEach((id, i) => (tokens[i + 1] = id));
  let result = forward(p, c, tokens);
  for (let k = prompt.length + 1; k < c.sourceLen; k++) {
    const before = tokens[k - 1];
    tokens[k] = before === EOS_ID || before === PAD_ID ? PAD_ID : chooseToken(result.logits, k - 1, s);
    result = forward(p, c, tokens);
  }
  return { tokens, chosen: chosenTokens(result.logits, s), result };
}

/** `n` dice values, uniform in [0, 1), the same for a seed on every machine. */
export function rollDice(seed: number, n: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.uniform(0, 1));
}

/**
 * What a workbook's live formulas compute for the sentence typed on its Overview sheet: the forward pass and the token chosen after
 * each position.
 */
export interface LiveRun {
  result: ForwardResult;
  chosen: number[];
}

/**
 * Each model kind's sentence on the Overview sheet: how many words its Tokens
 * row takes, their ids, and the run its live formulas compute: an encoder
 * as it is, an encoder–decoder by greedy decoding, a decoder-only model by
 * generating from the prompt.
 */
interface LiveKind {
  /** What the user types: a sentence the model reads, or a prompt that it continues. */
  role: SentenceRole;
  /** The words a build takes when none are typed, from the first training example's. */
  firstWords(first: readonly string[]): string[];
  room(c: ModelConfig): number;
  ids(vocab: Vocab, words: readonly string[], c: ModelConfig): number[];
  run(p: Params, c: ModelConfig, ids: readonly number[], s: Sampling): LiveRun;
}

export type SentenceRole = "sentence" | "prompt";

const typedSentence = {
  role: "sentence" as const,
  firstWords: (first: readonly string[]) => [...first],
  room: (c: ModelConfig) => c.sourceLen,
  ids: (vocab: Vocab, words: readonly string[], c: ModelConfig) => vocab.encode(words, c.sourceLen, {}, { part: "sentence" }),
};

const LIVE: Record<ModelKind, LiveKind> = {
  encoder: {
    ...typedSentence,
    run: (p, c, ids) => {
      const result = forward(p, c, ids);
      return { result, chosen: predictIds(result.logits) };
    },
  },
  "encoder-decoder": {
    ...typedSentence,
    run: (p, c, ids) => {
      const { predicted, result } = greedyDecode(p, c, ids);
      return { result, chosen: predicted };
    },
  },
  "decoder-only": {
    role: "prompt",
    firstWords: (first) => first.slice(0, PROMPT_LENGTH),
    room: (c) => c.sourceLen - 1,
    ids: (vocab, words) => vocab.encode(words, words.length, {}, { part: "prompt" }),
    run: (p, c, ids, s) => {
      const { chosen, result } = generate(p, c, ids, s);
      return { result, chosen };
    },
  },
};

/** The run of the workbook's live formulas for `words` on its Overview sheet. */
export function liveRun(p: Params, c: ModelConfig, vocab: Vocab, words: readonly string[], s: Sampling = {}): LiveRun {
  const kind = LIVE[c.kind];
  const room = kind.room(c);
  if (words.length > room) throw new ModelError("sentenceTooLong", words.length, room);
  return kind.run(p, c, kind.ids(vocab, words, c), s);
}

/** Words the Tokens row takes after what the kind puts there itself (<s> for a decoder-only model). */
export function sentenceRoom(c: ModelConfig): number {
  return LIVE[c.kind].room(c);
}

/** What the user of a `kind` types on the Overview sheet: a sentence, or a prompt. */
export function sentenceRole(kind: ModelKind): SentenceRole {
  return LIVE[kind].role;
}

/** The words a build of `kind` starts from when none are typed: the first example's, or a prompt of its first words. */
export function firstWords(kind: ModelKind, first: readonly string[]): string[] {
  return LIVE[kind].firstWords(first);
}

/** ids up to </s> or <pad> (not included). */
function upToEnd(ids: readonly number[]): number[] {
  const out: number[] = [];
  for (const id of ids) {
    if (id === EOS_ID || id === PAD_ID) break;
    out.push(id);
  }
  return out;
}

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** What "the model writes the example exactly" means for each kind, decoding greedily as the workbook does; none for an encoder. */
const EXACT: Record<ModelKind, { what: ExactLabel; check: (p: Params, c: ModelConfig, ex: EncodedExample) => boolean } | undefined> = {
  encoder: undefined,
  "encoder-decoder": {
    what: { kind: "greedy", args: [] },
    check: (p, c, ex) => same(upToEnd(greedyDecode(p, c, ex.source).predicted), upToEnd(ex.target)),
  },
  "decoder-only": {
    what: { kind: "continuation", args: [PROMPT_LENGTH] },
    check: (p, c, ex) => {
      const text = upToEnd(ex.source.slice(1));
      return same(upToEnd(generate(p, c, text.slice(0, PROMPT_LENGTH)).tokens.slice(1)), text);
    },
  },
};

/** The share of `examples` the model writes exactly, and what that means (to say with exactLabel); undefined for an encoder. */
export function exactMatches(
  p: Params,
  c: ModelConfig,
  examples: readonly EncodedExample[],
): { what: ExactLabel; matches: number } | undefined {
  const exact = EXACT[c.kind];
  return exact && { what: exact.what, matches: examples.filter((ex) => exact.check(p, c, ex)).length };
}
