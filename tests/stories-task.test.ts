/**
 * The stories task and its corpus, data/stories.json, read here straight from
 * the file: every story short and clean, a small vocabulary, and no two
 * stories beginning with the same PROMPT_LENGTH words, so that a prompt has
 * exactly one right continuation.
 */
import fs from "fs";
import path from "path";
import { PROMPT_LENGTH, TASK_NAMES, makeTask } from "../src/model/tasks";
import { BOS, EOS, PAD } from "../src/model/vocab";

const FILE = path.join(__dirname, "..", "src", "model", "data", "stories.json");
const corpus = JSON.parse(fs.readFileSync(FILE, "utf8")) as { description: unknown; texts: unknown };
const texts = corpus.texts as string[];
const wordsOf = (t: string) => t.split(" ");

describe("data/stories.json", () => {
  test("is a description and 24 to 40 texts", () => {
    expect(typeof corpus.description).toBe("string");
    expect(Array.isArray(corpus.texts)).toBe(true);
    expect(texts.every((t) => typeof t === "string")).toBe(true);
    expect(texts.length).toBeGreaterThanOrEqual(24);
    expect(texts.length).toBeLessThanOrEqual(40);
  });

  test("every text is 4 to 8 lower-case words, single spaces, no punctuation", () => {
    for (const t of texts) {
      expect(t).toMatch(/^[a-z]+( [a-z]+){3,7}$/);
    }
  });

  test("uses 25 to 40 different words", () => {
    const words = new Set(texts.flatMap(wordsOf));
    expect(words.size).toBeGreaterThanOrEqual(25);
    expect(words.size).toBeLessThanOrEqual(40);
  });

  test(`no two texts begin with the same ${PROMPT_LENGTH} words, so the prompt decides the rest`, () => {
    expect(PROMPT_LENGTH).toBe(2);
    const firstWith = new Map<string, string>();
    for (const t of texts) {
      const prompt = wordsOf(t).slice(0, PROMPT_LENGTH).join(" ");
      expect({ prompt, alsoIn: firstWith.get(prompt) }).toEqual({ prompt, alsoIn: undefined });
      firstWith.set(prompt, t);
    }
    // A prompt never is a whole text, so every prompt has a continuation to check.
    expect(texts.every((t) => wordsOf(t).length > PROMPT_LENGTH)).toBe(true);
  });
});

describe("the stories task", () => {
  const task = makeTask("stories");

  test("is listed, and is the only text task", () => {
    expect(TASK_NAMES).toContain("stories");
    expect(task.text).toBe(true);
    for (const name of TASK_NAMES.filter((n) => n !== "stories")) expect(makeTask(name).text).toBe(false);
  });

  test("trains on every text in file order: the words as source, no target", () => {
    expect(task.train.map((e) => e.source)).toEqual(texts.map(wordsOf));
    expect(task.train.every((e) => e.target.length === 0)).toBe(true);
  });

  test("holds out the same texts: the corpus is meant to be memorised", () => {
    expect(task.heldOut).toEqual(task.train);
    expect(task.heldOut[0]).not.toBe(task.train[0]);
  });

  test("the vocabulary is the specials at ids 0, 1, 2, then exactly the corpus words, sorted", () => {
    expect(task.vocab.tokens.slice(0, 3)).toEqual([PAD, BOS, EOS]);
    const words = [...new Set(texts.flatMap(wordsOf))].sort();
    expect(task.vocab.tokens.slice(3)).toEqual(words);
  });

  test("lengths: the longest text as source, no target, not same-length", () => {
    expect(task.maxSourceLen).toBe(Math.max(...texts.map((t) => wordsOf(t).length)));
    expect(task.maxSourceLen).toBe(8);
    expect(task.maxTargetLen).toBe(0);
    expect(task.sameLength).toBe(false);
  });

  test("takes no options: the data is fixed, so a seed or a length changes nothing", () => {
    expect(makeTask("stories", { seed: 99, length: 3, trainCount: 5, symbols: 4 })).toEqual(task);
  });
});
