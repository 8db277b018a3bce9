import { BOS, EOS, PAD, SPECIALS, UnknownTokenError, Vocab, tokenize } from "../src/model/vocab";
import { TASK_NAMES, makeTask, type Example } from "../src/model/tasks";
import translation from "../src/model/data/translation.json";

const key = (words: readonly string[]) => words.join(" ");

describe("tokenize", () => {
  test("lower-cases, splits on whitespace and drops edge punctuation", () => {
    expect(tokenize("  The cat, eats FISH! ")).toEqual(["the", "cat", "eats", "fish"]);
  });

  test("keeps accents and drops Spanish inverted marks", () => {
    expect(tokenize("¿El NIÑO bebe café?")).toEqual(["el", "niño", "bebe", "café"]);
  });

  test("treats an accent typed as a combining mark like the precomposed letter", () => {
    expect(tokenize("cafe\u0301")).toEqual(["caf\u00e9"]);
  });

  test("blank input gives no tokens", () => {
    expect(tokenize("")).toEqual([]);
    expect(tokenize("   \t ")).toEqual([]);
    expect(tokenize(" ... ! ")).toEqual([]);
  });
});

describe("Vocab", () => {
  const vocab = new Vocab(["the", "cat", "eats", "fish", "cat", "the"]);

  test("specials take ids 0, 1, 2 and duplicates are dropped in order", () => {
    expect(SPECIALS).toEqual([PAD, BOS, EOS]);
    expect([vocab.id(PAD), vocab.id(BOS), vocab.id(EOS)]).toEqual([0, 1, 2]);
    expect(vocab.tokens).toEqual([PAD, BOS, EOS, "the", "cat", "eats", "fish"]);
    expect(vocab.size).toBe(7);
  });

  test("a word list that repeats a special keeps the special at its fixed id", () => {
    const v = new Vocab([EOS, "x", PAD]);
    expect(v.tokens).toEqual([PAD, BOS, EOS, "x"]);
  });

  test("has, id and word agree", () => {
    expect(vocab.has("cat")).toBe(true);
    expect(vocab.has("dog")).toBe(false);
    for (let i = 0; i < vocab.size; i++) expect(vocab.id(vocab.word(i))).toBe(i);
  });

  test("encode pads to exactly the length and decode gives the words back", () => {
    const words = ["the", "cat", "eats", "fish"];
    const ids = vocab.encode(words, 9, { bos: true, eos: true });
    expect(ids).toHaveLength(9);
    expect(ids[0]).toBe(1);
    expect(ids[5]).toBe(2);
    expect(ids.slice(6)).toEqual([0, 0, 0]);
    expect(vocab.decode(ids)).toEqual(words);
    expect(vocab.decode(vocab.encode(words, 4))).toEqual(words);
  });

  test("decode stops at </s> and skips <pad> and <s>", () => {
    const [pad, bos, eos] = [0, 1, 2];
    const cat = vocab.id("cat");
    const fish = vocab.id("fish");
    expect(vocab.decode([bos, cat, pad, fish, eos, cat])).toEqual(["cat", "fish"]);
  });

  test("a sentence too long names its length and the limit", () => {
    const words = Array.from({ length: 11 }, () => "cat");
    expect(() => vocab.encode(words, 9)).toThrow(RangeError);
    expect(() => vocab.encode(words, 9)).toThrow(/11 tokens.*at most 9/);
    expect(() => vocab.encode(words, 11, { bos: true, eos: true })).toThrow(/11 tokens.*at most 9/);
  });

  test("an unknown word names the word and where it came from", () => {
    let caught: unknown;
    try {
      vocab.ids(["the", "gato"]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UnknownTokenError);
    const message = (caught as Error).message;
    expect(message).toContain('"gato"');
    expect(message).toContain("source sentence, word 2");
    expect(message).toContain("cat");
  });

  test("an unknown word error lists at most 12 known words", () => {
    const many = new Vocab(Array.from({ length: 20 }, (_, i) => `w${i}`));
    const message = (() => {
      try {
        many.id("nope");
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })();
    expect(message).toContain("w11");
    expect(message).not.toContain("w12");
    expect(message).toContain("…");
  });

  test("an id out of range names the id and the size", () => {
    expect(() => vocab.word(7)).toThrow(RangeError);
    expect(() => vocab.word(7)).toThrow(/7.*7 tokens/);
    expect(() => vocab.word(-1)).toThrow(RangeError);
  });
});

describe("symbol tasks", () => {
  const sources = (examples: Example[]) => examples.map((e) => key(e.source));

  test.each(["copy", "reverse", "sort"] as const)("%s is deterministic for a seed and differs for another", (name) => {
    const a = makeTask(name, { seed: 7 });
    const b = makeTask(name, { seed: 7 });
    const c = makeTask(name, { seed: 8 });
    expect(b.train).toEqual(a.train);
    expect(b.heldOut).toEqual(a.heldOut);
    expect(sources(c.train)).not.toEqual(sources(a.train));
  });

  test.each(["copy", "reverse", "sort"] as const)("%s: counts, lengths, no repeats, held-out disjoint", (name) => {
    const task = makeTask(name, { length: 5, symbols: 6, trainCount: 150, heldOutCount: 60 });
    expect(task.train).toHaveLength(150);
    expect(task.heldOut).toHaveLength(60);
    expect(task.sameLength).toBe(true);
    expect(task.maxSourceLen).toBe(5);
    expect(task.maxTargetLen).toBe(5);
    const train = new Set(sources(task.train));
    expect(train.size).toBe(150);
    const held = new Set(sources(task.heldOut));
    expect(held.size).toBe(60);
    for (const s of held) expect(train.has(s)).toBe(false);
    for (const e of [...task.train, ...task.heldOut]) {
      expect(e.source).toHaveLength(5);
      expect(e.target).toHaveLength(5);
      for (const w of [...e.source, ...e.target]) expect(task.vocab.has(w)).toBe(true);
    }
    expect(task.vocab.size).toBe(3 + 6);
  });

  test("defaults: 200 train, 100 held out, length 6, symbols a..h", () => {
    const task = makeTask("copy");
    expect(task.train).toHaveLength(200);
    expect(task.heldOut).toHaveLength(100);
    expect(task.vocab.tokens.slice(3)).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
    expect(task.train.every((e) => e.source.length === 6)).toBe(true);
    expect(task.train.every((e) => key(e.target) === key(e.source))).toBe(true);
    expect(makeTask("copy", { seed: 1 }).train).toEqual(task.train);
  });

  test("reverse targets are the reversed source", () => {
    const task = makeTask("reverse", { seed: 3 });
    for (const e of [...task.train, ...task.heldOut]) {
      expect(e.target).toEqual(e.source.slice().reverse());
    }
  });

  test("sort targets are the source in ascending order", () => {
    const task = makeTask("sort", { seed: 3 });
    for (const e of [...task.train, ...task.heldOut]) {
      expect(e.target).toEqual(e.source.slice().sort());
    }
  });

  test("more than 26 symbols get distinct names and sort follows alphabet order", () => {
    const task = makeTask("sort", { symbols: 30, length: 4, trainCount: 50, heldOutCount: 10 });
    const alphabet = task.vocab.tokens.slice(3);
    expect(new Set(alphabet).size).toBe(30);
    const place = (w: string) => alphabet.indexOf(w);
    for (const e of task.train) {
      expect(e.target).toEqual(e.source.slice().sort((x, y) => place(x) - place(y)));
    }
  });

  test("asking for every distinct sequence works; asking for more is a clear error", () => {
    const all = makeTask("copy", { symbols: 2, length: 3, trainCount: 6, heldOutCount: 2 });
    expect(new Set([...sources(all.train), ...sources(all.heldOut)]).size).toBe(8);
    expect(() => makeTask("copy", { symbols: 2, length: 3, trainCount: 6, heldOutCount: 3 })).toThrow(RangeError);
    expect(() => makeTask("copy", { symbols: 2, length: 3, trainCount: 6, heldOutCount: 3 })).toThrow(/9.*8/);
  });

  test("options out of range are rejected", () => {
    expect(() => makeTask("copy", { length: 1 })).toThrow(/length/);
    expect(() => makeTask("copy", { length: 33 })).toThrow(/length/);
    expect(() => makeTask("copy", { symbols: 1 })).toThrow(/symbols/);
    expect(() => makeTask("copy", { trainCount: 2.5 })).toThrow(/trainCount/);
  });
});

describe("translate", () => {
  const task = makeTask("translate");
  const pairs = translation.pairs as [string, string][];

  test("has at least 48 pairs, every side at most 9 tokens, no repeated English side", () => {
    expect(pairs.length).toBeGreaterThanOrEqual(48);
    expect(task.train).toHaveLength(pairs.length);
    for (const [en, es] of pairs) {
      const enWords = en.split(" ");
      const esWords = es.split(" ");
      expect(enWords.length).toBeLessThanOrEqual(9);
      expect(esWords.length).toBeLessThanOrEqual(9);
      // Already clean: lower case, single spaces, no punctuation.
      expect(tokenize(en)).toEqual(enWords);
      expect(tokenize(es)).toEqual(esWords);
    }
    expect(new Set(pairs.map(([en]) => en)).size).toBe(pairs.length);
  });

  test("every word of every pair is in the vocabulary, and the lengths are the longest sides", () => {
    for (const [en, es] of pairs) {
      for (const w of [...en.split(" "), ...es.split(" ")]) expect(task.vocab.has(w)).toBe(true);
    }
    expect(task.maxSourceLen).toBe(Math.max(...pairs.map(([en]) => en.split(" ").length)));
    expect(task.maxTargetLen).toBe(Math.max(...pairs.map(([, es]) => es.split(" ").length)));
    expect(task.sameLength).toBe(false);
  });

  test("the vocabulary is the specials then the words sorted, and held-out equals train", () => {
    const words = task.vocab.tokens.slice(3);
    expect(words).toEqual(words.slice().sort());
    expect(task.vocab.tokens.slice(0, 3)).toEqual([PAD, BOS, EOS]);
    expect(task.heldOut).toEqual(task.train);
    expect(makeTask("translate", { seed: 99 })).toEqual(task);
  });
});

test("an unknown task name lists the valid names", () => {
  expect(() => makeTask("translation")).toThrow(/translation/);
  for (const name of TASK_NAMES) expect(() => makeTask("nope")).toThrow(new RegExp(name));
  expect(TASK_NAMES).toEqual(["copy", "reverse", "sort", "translate", "stories"]);
});
