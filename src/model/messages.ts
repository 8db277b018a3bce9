/**
 * Every English text of src/model a user reads, as functions of the facts
 * they quote: the messages of the errors the model throws (a ModelError
 * carries its code and arguments), the presets' descriptions and the labels
 * of an evaluation. This is the model's only prose, so the model stays
 * standalone (the CLIs and tests read these texts as they are); the language
 * tables refer to them (src/i18n/en.ts) and translate them (es.ts), and
 * `messageOf` (src/i18n/index.ts) puts a ModelError into the language in use.
 */
import type { PresetName } from "./presets";

/** The sequences a forward pass reads (transformer.ts). */
export type Stream = "source" | "decoderInput";

const STREAM: Record<Stream, string> = { source: "source", decoderInput: "decoder input" };

/** The part of the data a word was read from: the sentence or prompt typed, or an example's source, target or text. */
export type WordPart = "sentence" | "prompt" | "source" | "target" | "text";

/**
 * Where a word was read, for an unknown word's message: a place in the data (each language says it: "example 2, target,
 * word 3"), or a text the caller has already said in the language in use (ATTN.*'s "tokens, cell 2").
 */
export type WordPlace = string | { readonly part: WordPart; readonly example?: number; readonly word?: number };

const PART: Record<WordPart, string> = {
  sentence: "source sentence",
  prompt: "prompt",
  source: "source",
  target: "target",
  text: "text",
};

/** How a language says a place in the data: its words for an example, a part and a word's position. */
export interface PlaceWords {
  example: (n: number) => string;
  part: Record<WordPart, string>;
  word: (n: number) => string;
}

/** A place in the data in a language's words, "example 2, target, word 3"; a place given as text as it is. */
export function sayPlace(where: WordPlace, words: PlaceWords): string {
  if (typeof where === "string") return where;
  const example = where.example === undefined ? [] : [words.example(where.example)];
  const word = where.word === undefined ? [] : [words.word(where.word)];
  return [...example, words.part[where.part], ...word].join(", ");
}

const PLACE: PlaceWords = { example: (n) => `example ${n}`, part: PART, word: (n) => `word ${n}` };
const place = (where: WordPlace): string => sayPlace(where, PLACE);

/** Why a preset's kind of model cannot learn a task (presets.ts). */
export type Refusal = "encoderText" | "encoderLengths" | "pairsText" | "gptPairs";

const got = (v: unknown): string => (typeof v === "string" ? `"${v}"` : String(v));

export const MODEL_MESSAGES = {
  // config.ts
  wholeFrom: (key: string, min: number, max: number, v: unknown) => `${key} should be a whole number from ${min} to ${max}, got ${got(v)}`,
  kind: (kinds: string, v: string) => `kind should be one of ${kinds}, got "${v}"`,
  normalization: (v: string) => `normalization should be "softmax" or "none", got "${v}"`,
  paramMissing: (name: string, rows: number, cols: number) => `the parameter ${name} (${rows} × ${cols}) is missing`,
  paramShape: (name: string, rows: number, cols: number, hasRows: number, hasCols: number) =>
    `${name} should be ${rows} × ${cols} but is ${hasRows} × ${hasCols}`,
  paramNotFinite: (name: string, v: number, row: number, col: number) =>
    `${name} should hold finite numbers but has ${v} at row ${row}, column ${col}`,
  // presets.ts
  unknownPreset: (name: string, names: string) => `unknown preset "${name}"; choose one of ${names}`,
  cannotLearn: (preset: string, task: string, why: Refusal) => `the ${preset} preset cannot learn the ${task} task: ${REFUSALS[why](task)}`,
  // tasks.ts
  unknownTask: (name: string, names: string) => `Unknown task "${name}"; the tasks are: ${names}`,
  taskWhole: (label: string, lo: number, hi: number, v: number) => `${label} must be a whole number from ${lo} to ${hi}, got ${v}`,
  tooFewSequences: (count: number, symbols: number, total: number, length: number) =>
    `${count} examples were asked for (train + held out), but ${symbols} symbols make only ${total} ` +
    `distinct sequences of length ${length}`,
  // vocab.ts
  unknownToken: (word: string, where: WordPlace | undefined, shown: string, more: boolean) =>
    `"${word}" is not in the vocabulary${where ? ` (${place(where)})` : ""}; known words: ${shown}${more ? ", …" : ""}`,
  badWord: (w: string) => `A vocabulary word must be non-empty and without spaces, got "${w}"`,
  tokenId: (id: number, size: number) => `Token id ${id} is out of range: the vocabulary has ${size} tokens (ids 0 to ${size - 1})`,
  sequenceLength: (length: number) => `A sequence length must be a whole number ≥ 0, got ${length}`,
  sentenceTooLong: (words: number, limit: number, places?: [number, number]) =>
    `the sentence has ${words} tokens but this model takes at most ${limit}` +
    (places ? ` (${places[0]} places, ${places[1]} of them for <s>/</s>)` : ""),
  // layers.ts
  positions: (v: number) => `positions should be a whole number ≥ 0, got ${v}`,
  dims: (v: number) => `dims should be a whole number ≥ 1, got ${v}`,
  peWidth: (dModel: number, v: number) => `the encoding's width should be between 0 and ${dModel}, got ${v}`,
  normShape: (name: string, which: "gamma" | "beta", d: number, shape: string) => `${name} ${which} should be 1 × ${d} but is ${shape}`,
  // loss.ts
  targetCount: (targets: number, rows: number) => `there are ${targets} targets but ${rows} rows of logits`,
  targetId: (t: number, position: number, tokens: number) => `target ${t} at position ${position} is outside the ${tokens} tokens`,
  // matrix.ts
  matrixSize: (rows: number, cols: number) => `A matrix needs whole, non-negative sizes, got ${rows} × ${cols}`,
  ragged: (name: string, row: number, got: number, cols: number) => `${name} row ${row} has ${got} values but row 1 has ${cols}`,
  productRows: (b: string, rows: number, a: string, cols: number) => `${b} has ${rows} rows but ${a} has ${cols} columns`,
  productCols: (b: string, bCols: number, a: string, aCols: number) => `${b} has ${bCols} columns but ${a} has ${aCols} columns`,
  addShapes: (a: string, aShape: string, b: string, bShape: string) =>
    `${a} is ${aShape} but ${b} is ${bShape}; they must match to be added`,
  rowShape: (name: string, cols: number, shape: string) => `${name} should be 1 × ${cols} but is ${shape}`,
  tableRow: (id: number, rows: number) => `token id ${id} is outside the table's ${rows} rows`,
  // attention.ts
  padFlags: (flags: number, keys: number) => `the padding flags cover ${flags} keys but there are ${keys}`,
  maskShape: (rows: number, cols: number, scores: string) => `the mask is ${rows} × ${cols} but the scores are ${scores}`,
  keyValueRows: (k: number, v: number) => `K has ${k} rows but V has ${v}; both need one row per key`,
  queryKeyCols: (q: number, k: number) => `Q has ${q} columns but K has ${k}; a score is a dot product of the two`,
  maskQueries: (rows: string, keys: number, q: number, k: number) => `the mask is ${rows} × ${keys} but Q has ${q} rows and K has ${k}`,
  // transformer.ts
  nothingToRun: (what: Stream) => `there is no ${STREAM[what]} to run`,
  streamLength: (what: Stream, n: number, max: number) => `the ${STREAM[what]} has ${n} tokens but this model takes 1 to ${max}`,
  unevenLengths: (what: Stream, s: number, n: number, first: number) =>
    `${STREAM[what]} ${s} has ${n} tokens but ${STREAM[what]} 1 has ${first}; pad them to one length`,
  idRange: (i: number, what: Stream, id: number, max: number) =>
    `token ${i} of the ${STREAM[what]} is id ${id} but ids run from 0 to ${max}`,
  noDecoderInput: () => "an encoder–decoder model needs a decoder input (the target shifted right behind <s>)",
  decoderInputs: (sources: number, inputs: number) => `there are ${sources} sources but ${inputs} decoder inputs`,
  emptyBatch: () => "the batch is empty: there is nothing to train on",
  exampleTargets: (i: number, targets: number, want: number) =>
    `example ${i} has ${targets} targets but the model predicts ${want} positions`,
  allPad: () => "every target in the batch is <pad>: there is nothing to learn",
  exampleDecoderInput: (i: number) =>
    `example ${i} has no decoder input; an encoder–decoder model needs the target shifted right behind <s>`,
  greedyKind: (kind: string) => `greedy decoding of a source needs an encoder–decoder model, not ${kind}`,
  // generate.ts, sampling.ts, rng.ts
  temperature: (v: number) => `the temperature should be a number above 0, got ${v}`,
  dice: (position: number, v: number | undefined) =>
    `sampling needs a dice value from 0 up to (not including) 1 for position ${position}, got ${v}`,
  generateKind: (kind: string) => `generating text needs a decoder-only model, not ${kind}`,
  promptTooLong: (n: number, room: number) => `the prompt has ${n} tokens but this model takes at most ${room} after <s>`,
  noProbability: () => "a row of probabilities needs at least one entry above 0",
  noWeight: () => "a row of weights needs at least one entry above 0",
  seed: (v: number) => `A seed must be a finite number, got ${v}`,
  // optim.ts
  optimizer: (v: string) => `optimizer should be "sgd" or "adam", got "${v}"`,
  learningRate: (v: number) => `the learning rate should be a positive number, got ${v}`,
  unitInterval: (key: string, v: number) => `${key} should be in [0, 1), got ${v}`,
  clipNorm: (v: number) => `clipNorm should be a positive number, got ${v}`,
};

const REFUSALS: Record<Refusal, (task: string) => string> = {
  encoderText: (task) => `it predicts one token per source position; the ${task} task is text to continue and needs the gpt preset`,
  encoderLengths: (task) => `it predicts one token per source position; the ${task} task needs the encoder-decoder preset`,
  pairsText: (task) => `it turns a source into a target; the ${task} task is text to continue, with no target, and needs the gpt preset`,
  gptPairs: (task) => `it continues a text; the ${task} task turns a source into a target and needs the encoder or encoder-decoder preset`,
};

export type ModelMessages = typeof MODEL_MESSAGES;
export type MessageCode = keyof ModelMessages;
export type MessageArgs<C extends MessageCode> = Parameters<ModelMessages[C]>;

/** The English of a code: the one place a ModelError's arguments meet their text. */
export function modelMessage<C extends MessageCode>(table: ModelMessages, code: C, args: MessageArgs<C>): string {
  return (table[code] as (...a: MessageArgs<C>) => string)(...args);
}

/**
 * A check of src/model that failed on its input: a RangeError whose message
 * is the English text of `code` with `args`; `messageOf` (src/i18n) says it in
 * the language in use. Its arguments are numbers, names and shapes, the same
 * in every language.
 */
export class ModelError<C extends MessageCode = MessageCode> extends RangeError {
  readonly code: C;
  readonly args: MessageArgs<C>;
  constructor(code: C, ...args: MessageArgs<C>) {
    super(modelMessage(MODEL_MESSAGES, code, args));
    this.code = code;
    this.args = args;
  }
}

/** The presets' descriptions (presets.ts). */
export const PRESET_DESCRIPTIONS: Record<PresetName, string> = {
  seed:
    "The original AttentionDemo's proportions: 9 tokens, 4 heads, 3-dimensional Q/K/V, a 2-dimensional positional encoding, " +
    "no softmax and no scaling.",
  encoder: "One encoder layer with softmax attention, sized to learn to reverse a sequence in seconds.",
  "encoder-decoder":
    "One encoder layer and one decoder layer (masked self-attention, cross-attention) that learn the English-to-Spanish pairs.",
  gpt:
    "A GPT-style decoder-only model (masked self-attention and FFN, Post-LN as in GPT-1) that learns to continue short stories " +
    "one word at a time.",
};

/** What "the model writes the example exactly" means for each kind that has one (generate.ts). */
export const EXACT_LABELS = {
  greedy: () => "greedy decoding",
  continuation: (words: number) => `greedy continuation of each text's first ${words} words`,
};

/** One of EXACT_LABELS with its arguments, said by `exactLabel` in a table's `exact`. */
export type ExactLabel = { kind: "greedy"; args: [] } | { kind: "continuation"; args: [number] };

export function exactLabel(table: typeof EXACT_LABELS, what: ExactLabel): string {
  return what.kind === "greedy" ? table.greedy() : table.continuation(...what.args);
}
