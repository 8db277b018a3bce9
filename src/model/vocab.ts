/**
 * Words ↔ token ids. The three special tokens always take ids 0, 1 and 2, so
 * a sheet or a saved set of weights can rely on them.
 */

import { ModelError, type WordPart, type WordPlace } from "./messages";

export const PAD = "<pad>";
export const BOS = "<s>";
export const EOS = "</s>";
export const SPECIALS: readonly string[] = [PAD, BOS, EOS];

/** How many known words an UnknownTokenError lists before it stops. */
const WORDS_LISTED = 12;

export class UnknownTokenError extends ModelError<"unknownToken"> {
  constructor(
    readonly word: string,
    known: readonly string[],
    readonly where?: WordPlace,
  ) {
    super("unknownToken", word, where, known.slice(0, WORDS_LISTED).join(", "), known.length > WORDS_LISTED);
    this.name = "UnknownTokenError";
  }
}

/** Punctuation that may cling to a word; the tasks have none, so it is dropped. */
const EDGE_PUNCTUATION = /^[.,!?¿¡;:"]+|[.,!?¿¡;:"]+$/g;

/**
 * Lower-cases and splits on whitespace, dropping punctuation at either end of
 * a word. Accents are kept (NFC, so "é" typed as e + accent matches "é").
 */
export function tokenize(sentence: string): string[] {
  return sentence
    .normalize("NFC")
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(EDGE_PUNCTUATION, ""))
    .filter((w) => w.length > 0);
}

export interface EncodeOptions {
  /** Put `<s>` before the words. */
  bos?: boolean;
  /** Put `</s>` after the words. */
  eos?: boolean;
}

export class Vocab {
  readonly tokens: readonly string[];
  private readonly index: ReadonlyMap<string, number>;

  /** The specials come first (ids 0, 1, 2); repeated words keep their first place. */
  constructor(words: readonly string[]) {
    const tokens: string[] = [];
    const index = new Map<string, number>();
    for (const w of [...SPECIALS, ...words]) {
      if (w.length === 0 || /\s/.test(w)) {
        throw new ModelError("badWord", w);
      }
      if (!index.has(w)) {
        index.set(w, tokens.length);
        tokens.push(w);
      }
    }
    this.tokens = tokens;
    this.index = index;
  }

  get size(): number {
    return this.tokens.length;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  /** `where` says where the word came from, for the error message: "source sentence, word 3". */
  id(word: string, where?: WordPlace): number {
    const id = this.index.get(word);
    if (id === undefined) throw new UnknownTokenError(word, this.tokens.slice(SPECIALS.length), where);
    return id;
  }

  /** `where` names the sentence (by default, the source sentence); the error adds the word's position, counted from 1. */
  ids(words: readonly string[], where: { part: WordPart; example?: number } = { part: "sentence" }): number[] {
    return words.map((w, i) => this.id(w, { ...where, word: i + 1 }));
  }

  word(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.tokens.length) {
      throw new ModelError("tokenId", id, this.tokens.length);
    }
    return this.tokens[id];
  }

  /**
   * Exactly `length` ids: optional `<s>`, the words, optional `</s>`, then
   * `<pad>` up to the length.
   */
  encode(words: readonly string[], length: number, options: EncodeOptions = {}, where?: { part: WordPart; example?: number }): number[] {
    if (!Number.isInteger(length) || length < 0) {
      throw new ModelError("sequenceLength", length);
    }
    const specials = (options.bos ? 1 : 0) + (options.eos ? 1 : 0);
    const limit = length - specials;
    if (words.length > limit) {
      const places: [number, number] | undefined = specials > 0 ? [length, specials] : undefined;
      throw new ModelError("sentenceTooLong", words.length, Math.max(limit, 0), places);
    }
    const out: number[] = [];
    if (options.bos) out.push(this.id(BOS));
    out.push(...this.ids(words, where));
    if (options.eos) out.push(this.id(EOS));
    while (out.length < length) out.push(this.id(PAD));
    return out;
  }

  /** The words up to the first `</s>`, without `<pad>` and `<s>`. */
  decode(ids: readonly number[]): string[] {
    const words: string[] = [];
    for (const id of ids) {
      const w = this.word(id);
      if (w === EOS) break;
      if (w !== PAD && w !== BOS) words.push(w);
    }
    return words;
  }
}
