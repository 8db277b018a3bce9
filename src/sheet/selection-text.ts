/**
 * Every English string of "Use selection" (the pane's buttons, checks and
 * status lines, and the titles and notes it gives the sheets), in one object,
 * so that the English and Spanish tables can take them whole. Here, under
 * src/sheet, because the sheet builders need some of them and may not import
 * the pane.
 */
import { SPECIALS } from "../model/vocab";

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const quoted = (words: readonly string[]): string => words.map((w) => `"${w}"`).join(", ");

export const SELECTION_TEXT = {
  embeddingLabel: "the embedding",
  // The pane's controls.
  useSentence: "Use selection as the sentence",
  useEmbedding: "Use selection as the embedding",
  forget: "Forget",
  sentenceHintLinked: (where: string) =>
    `From your cells ${where}: the Tokens cells on the Overview refer to them, so editing your sentence drives the model. ` +
    "Your sheet is left exactly as it is.",
  embeddingHintLinked: (where: string, rows: number, cols: number) =>
    `Embedding: ${rows} × ${cols} numbers from ${where}, copied into the Input sheet at Build. ` +
    "Training changes the copy, never your cells.",

  // Reading the selection.
  reading: "Reading the selected cells…",
  severalAreas:
    "Select one block of cells: the selection has several areas (or is not cells, such as a chart). " +
    "Expected: one row or one column of words, one word a cell.",
  ourSheet: (sheet: string) =>
    `The selection is on the ${sheet} sheet, which Attention Lab wrote: select the sentence on a sheet of your own ` +
    "(a sentence typed on the Overview is already the model's input).",
  notALine: (where: string, rows: number, cols: number) =>
    `Expected one row or one column of words, one word a cell, but ${where} is ${rows} rows × ${cols} columns.`,
  empty: (where: string) => `Expected words, one a cell, but ${where} is empty.`,
  blankBefore: (cell: string) => `Expected the sentence to start in the first selected cell, but ${cell} is empty.`,
  gap: (cell: string, before: string) =>
    `Expected one word in every cell up to the last one, but ${cell} is empty (the sentence goes on after it, in ${before}).`,
  number: (cell: string, value: string) => `Expected a word in ${cell}, but it holds the number ${value}.`,
  boolean: (cell: string, value: string) => `Expected a word in ${cell}, but it holds ${value}.`,
  error: (cell: string, value: string) => `Expected a word in ${cell}, but it shows the error ${value}.`,
  twoWords: (cell: string, value: string) => `Expected one word in ${cell}, but it holds "${value}": put each word in a cell of its own.`,
  special: (cell: string, value: string) =>
    `${cell} holds "${value}", a marker the model adds itself (${SPECIALS.join(", ")}): select words only.`,
  tooMany: (words: number, room: number, prompt: boolean) =>
    prompt
      ? `The selection has ${plural(words, "word")}, but this model takes a prompt of at most ${room} ` +
        `(its Tokens row is <s> and ${room} more): select fewer words, or build with a longer task.`
      : `The selection has ${plural(words, "word")}, but this model reads at most ${room}: select fewer words.`,
  trailing: (n: number) => ` The ${plural(n, "empty cell")} after the last word ${n === 1 ? "is" : "are"} left out.`,
  sentencePicked: (words: number, where: string, trailing: string) =>
    `Took ${plural(words, "word")} from ${where} as the sentence.${trailing} Press Build: the Overview's Tokens cells ` +
    "will refer to your cells, and your sheet stays as it is.",
  notNumber: (cell: string, value: string) => `Expected a number in every cell of the embedding, but ${cell} holds ${value}.`,
  embeddingPicked: (rows: number, cols: number, where: string, expected: string) =>
    `Took ${rows} × ${cols} numbers from ${where} as the embedding. ${expected} Build copies them into the Input sheet: ` +
    "training changes the copy, never your cells.",
  embeddingExpects: (rows: number, cols: number) => `With the fields as they are now, Build expects ${rows} × ${cols}.`,
  embeddingShape: (where: string, rows: number, cols: number, vocab: number, dModel: number) =>
    `The embedding from ${where} is ${rows} rows × ${cols} columns, but this model needs ${vocab} × ${dModel}: one row per ` +
    `vocabulary word (${vocab}, specials and your sentence's new words included) and d_model (${dModel}) columns.`,
  rereadFailed: (where: string, why: string) => `Could not read your cells ${where} again: ${why}`,

  // Building with it.
  added: (words: readonly string[]) =>
    `${plural(words.length, "word")} of your sentence ${words.length === 1 ? "is" : "are"} not in the task's data ` +
    `(${quoted(words)}) and ${words.length === 1 ? "was" : "were"} added to the vocabulary: ${words.length === 1 ? "its" : "their"} ` +
    "embedding rows are random, and training leaves them so, since no example uses them.",
  allKnown: "Every word of your sentence is in the task's data.",
  builtLinked: (where: string) => `The Overview's Tokens cells refer to ${where}: edit your sentence there and the model follows.`,
  builtEmbedding: (where: string) => `The embedding was copied from ${where} into the Input sheet; your cells are unchanged.`,

  // The sheets.
  tokensTitle: (where: string) => `Tokens (from your cells ${where}: edit them there)`,
  tokensNote: (where: string) =>
    `These cells refer to your sentence in ${where}, one word a cell: change a word there and every block recalculates. ` +
    "A cell after the last word is empty (<pad>) and may be typed in.",
  embeddingTitle: (where: string) => `Embedding E (one row per word; copied from ${where})`,
  embeddingNote: (where: string) =>
    `Copied from your cells ${where} when the model was built. Training changes these numbers, never your cells; ` +
    "each row is one vocabulary word's vector.",
} as const;
