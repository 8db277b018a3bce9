/**
 * The toy tasks a model can be built and trained for. Every task is a fixed
 * function of its name and options (seed included), so the same workbook can
 * be rebuilt, and a test can rely on the data it gets.
 */

import { Rng } from "./rng";
import { Vocab, tokenize } from "./vocab";
import translation from "./data/translation.json";
import stories from "./data/stories.json";
import { ModelError } from "./messages";

export type TaskName = "copy" | "reverse" | "sort" | "translate" | "stories";
export const TASK_NAMES: readonly TaskName[] = ["copy", "reverse", "sort", "translate", "stories"];

/**
 * How many words of a story the user types in a decoder-only workbook: no
 * two stories of data/stories.json begin with the same PROMPT_LENGTH words,
 * so the prompt decides the rest of the story.
 */
export const PROMPT_LENGTH = 2;

/** Words only: no `<s>`, `</s>` or `<pad>`. */
export interface Example {
  source: string[];
  target: string[];
}

export interface Task {
  name: TaskName;
  vocab: Vocab;
  train: Example[];
  heldOut: Example[];
  maxSourceLen: number;
  maxTargetLen: number;
  /** True when target[i] is predicted at position i from the source, so an encoder-only model can learn it. */
  sameLength: boolean;
  /**
   * True for a text task, for a decoder-only model: the source is the whole
   * text, the target is empty, and the next token at each position is what
   * the model learns (maxTargetLen is 0).
   */
  text: boolean;
}

/** Options for copy / reverse / sort; translate and stories have fixed data and ignore them. */
export interface TaskOptions {
  seed?: number;
  /** Tokens per sequence, 2..32 (default 6). */
  length?: number;
  /** Default 200, at most 100 000. */
  trainCount?: number;
  /** Default 100, at most 100 000. */
  heldOutCount?: number;
  /** Size of the symbol alphabet, 2..100 (default 8). */
  symbols?: number;
}

const LENGTH_RANGE = [2, 32] as const;
const SYMBOLS_RANGE = [2, 100] as const;
/** Far more rows than a data sheet should hold; a guard against a typo, not a design limit. */
const MAX_COUNT = 100_000;

export function makeTask(name: TaskName | string, options: TaskOptions = {}): Task {
  switch (name) {
    case "copy":
      return symbolTask(name, options, (s) => [...s]);
    case "reverse":
      return symbolTask(name, options, (s) => [...s].reverse());
    case "sort":
      return symbolTask(name, options, (s, order) => [...s].sort((a, b) => order(a) - order(b)));
    case "translate":
      return translateTask();
    case "stories":
      return storiesTask();
    default:
      throw new ModelError("unknownTask", name, TASK_NAMES.join(", "));
  }
}

/** "a" … "z", then "s26", "s27", …: short words that read well in a cell. */
function symbolAlphabet(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i < 26 ? String.fromCharCode(97 + i) : `s${i}`));
}

function wholeNumberIn(label: string, value: number, lo: number, hi: number): number {
  if (!Number.isInteger(value) || value < lo || value > hi) {
    throw new ModelError("taskWhole", label, lo, hi, value);
  }
  return value;
}

/**
 * Random sequences over the alphabet, all distinct: the first `trainCount`
 * are for training and the rest are held out, so no held-out source is ever
 * seen in training. The target is `transform` of the source; `order` gives a
 * symbol's place in the alphabet (sort is by that place, not by spelling).
 */
function symbolTask(
  name: TaskName,
  options: TaskOptions,
  transform: (source: string[], order: (symbol: string) => number) => string[],
): Task {
  const seed = options.seed ?? 1;
  const length = wholeNumberIn("length", options.length ?? 6, ...LENGTH_RANGE);
  const symbolCount = wholeNumberIn("symbols", options.symbols ?? 8, ...SYMBOLS_RANGE);
  const trainCount = wholeNumberIn("trainCount", options.trainCount ?? 200, 1, MAX_COUNT);
  const heldOutCount = wholeNumberIn("heldOutCount", options.heldOutCount ?? 100, 0, MAX_COUNT);

  const alphabet = symbolAlphabet(symbolCount);
  const place = new Map(alphabet.map((s, i) => [s, i]));
  const order = (s: string) => place.get(s)!;

  const sequences = distinctSequences(new Rng(seed), symbolCount, length, trainCount + heldOutCount);
  const examples = sequences.map((digits) => {
    const source = digits.map((d) => alphabet[d]);
    return { source, target: transform(source, order) };
  });
  return {
    name,
    vocab: new Vocab(alphabet),
    train: examples.slice(0, trainCount),
    heldOut: examples.slice(trainCount),
    maxSourceLen: length,
    maxTargetLen: length,
    sameLength: true,
    text: false,
  };
}

/** `count` distinct sequences of `length` symbol indices, in random order. */
function distinctSequences(rng: Rng, symbols: number, length: number, count: number): number[][] {
  const total = Math.pow(symbols, length);
  if (count > total) {
    throw new ModelError("tooFewSequences", count, symbols, total, length);
  }
  // When the request is most of what exists, drawing at random would keep
  // hitting repeats: enumerate everything and shuffle instead.
  if (total <= 2 * count) {
    const all = Array.from({ length: total }, (_, k) => k);
    return rng
      .shuffle(all)
      .slice(0, count)
      .map((k) => digitsOf(k, symbols, length));
  }
  const seen = new Set<string>();
  const out: number[][] = [];
  while (out.length < count) {
    const seq = Array.from({ length }, () => rng.int(symbols));
    const key = seq.join(",");
    if (!seen.has(key)) {
      seen.add(key);
      out.push(seq);
    }
  }
  return out;
}

function digitsOf(k: number, base: number, length: number): number[] {
  const digits: number[] = [];
  for (let i = 0; i < length; i++) {
    digits.push(k % base);
    k = Math.floor(k / base);
  }
  return digits;
}

/**
 * The English → Spanish pairs of data/translation.json, in file order. There
 * are too few to hold any out and still learn the language, so held-out is
 * the training set itself: the model is meant to memorise the pairs, then be
 * explored (its attention, its answers to new sentences made of known words).
 */
function translateTask(): Task {
  const examples: Example[] = (translation.pairs as [string, string][]).map(([en, es]) => ({
    source: tokenize(en),
    target: tokenize(es),
  }));
  const words = new Set<string>();
  for (const e of examples) for (const w of [...e.source, ...e.target]) words.add(w);
  return {
    name: "translate",
    vocab: new Vocab([...words].sort()),
    train: examples,
    heldOut: examples.map((e) => ({ source: [...e.source], target: [...e.target] })),
    maxSourceLen: Math.max(...examples.map((e) => e.source.length)),
    maxTargetLen: Math.max(...examples.map((e) => e.target.length)),
    sameLength: false,
    text: false,
  };
}

/**
 * The texts of data/stories.json, in file order, for a decoder-only model.
 * Held-out is the training set itself, as for translate: each story is the
 * only one with its prompt, so the rest of a story never seen in training
 * cannot be inferred from the others, and held-out prompts would measure
 * guessing. The model is meant to memorise the stories, then continue their
 * prompts (and be explored with prompts of known words that begin no story).
 */
function storiesTask(): Task {
  const examples: Example[] = (stories.texts as string[]).map((t) => ({ source: tokenize(t), target: [] }));
  const words = new Set(examples.flatMap((e) => e.source));
  return {
    name: "stories",
    vocab: new Vocab([...words].sort()),
    train: examples,
    heldOut: examples.map((e) => ({ source: [...e.source], target: [] })),
    maxSourceLen: Math.max(...examples.map((e) => e.source.length)),
    maxTargetLen: 0,
    sameLength: false,
    text: true,
  };
}
