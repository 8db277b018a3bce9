/**
 * The pane's fields as typed (strings), checked and turned into what the
 * model and the trainer take, with one message per field that is wrong.
 */
import { MAX_LAYERS } from "../model/architecture";
import type { ModelConfig } from "../model/config";
import { firstWords, sentenceRole as roleOfKind, sentenceRoom, type SentenceRole } from "../model/generate";
import { decimalOf, wholeOf } from "../model/numbers";
import type { OptimizerConfig } from "../model/optim";
import { configFor, getPreset, Preset, PRESET_NAMES } from "../model/presets";
import { makeTask, Task, TASK_NAMES } from "../model/tasks";
import { SPECIALS, tokenize } from "../model/vocab";
import type { FormulaStyle } from "../sheet/build";
import { messageOf, t } from "../i18n";
import { sheetWord, withSentenceWords } from "./selection";

export interface BuildFields {
  preset: string;
  task: string;
  sentence: string;
  dModel: string;
  heads: string;
  dK: string;
  /** Layers per stack; absent means the preset's (the pane always sends the field, a caller in code may leave it out). */
  layers?: string;
  seed: string;
  style: string;
}

export interface TrainFields {
  optimizer: string;
  lr: string;
  steps: string;
}

export type FieldName = keyof BuildFields | keyof TrainFields;
export type FieldErrors = Partial<Record<FieldName, string>>;

export interface BuildRequest {
  preset: Preset;
  task: Task;
  config: ModelConfig;
  sentence: string[];
  seed: number;
  style: FormulaStyle;
  /** Words of a sentence picked from the user's cells that the task's data lacks, added to its vocabulary. */
  added: string[];
}

export interface TrainRequest {
  optimizer: OptimizerConfig;
  steps: number;
}

/** Sizes the pane offers: beyond them a workbook gets slow to write and to recalculate. */
export const LIMITS = {
  dModel: [1, 64],
  heads: [1, 8],
  dK: [1, 64],
  layers: [1, MAX_LAYERS],
  seed: [0, 4294967295],
  steps: [1, 10000],
} as const;
const MAX_LR = 1000;

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** What the fields show when a preset is chosen. */
export function presetDefaults(name: string): {
  task: string;
  dModel: number;
  heads: number;
  dK: number;
  layers: number;
  optimizer: string;
  lr: number;
  steps: number;
} {
  const p = getPreset(name);
  return {
    task: p.task,
    dModel: p.dModel,
    heads: p.heads,
    dK: p.dK,
    layers: p.layers ?? 1,
    optimizer: p.optimizer.kind,
    lr: p.optimizer.lr,
    steps: p.steps,
  };
}

/** What the Sentence field is for a preset: a sentence the model reads, or a decoder-only model's prompt that it continues. */
export function sentenceRole(presetName: string): SentenceRole {
  return (PRESET_NAMES as readonly string[]).includes(presetName) ? roleOfKind(getPreset(presetName).kind) : "sentence";
}

/** The message for a sentence, or a prompt, longer than the Tokens row takes. */
const TOO_LONG: Record<SentenceRole, (words: number, room: number) => string> = {
  sentence: (words, room) => t().forms.sentenceTooLong(words, room),
  prompt: (words, room) => t().forms.promptTooLong(words, room),
};

function whole(text: string, label: string, [lo, hi]: readonly [number, number]): number | string {
  const typed = text.trim();
  const v = wholeOf(typed);
  if (!Number.isSafeInteger(v) || v < lo || v > hi) return t().forms.whole(label, lo, hi, typed);
  return v;
}

/** `linked`: the words of a sentence picked from the user's cells ("Use selection"), which replace the Sentence field. */
export function checkBuild(f: BuildFields, linked?: readonly string[]): Checked<BuildRequest> {
  const errors: FieldErrors = {};
  const T = t().forms;
  const num = (key: "dModel" | "heads" | "dK" | "layers" | "seed", label: string): number => {
    const v = whole(f[key] ?? "", label, LIMITS[key]);
    if (typeof v === "string") errors[key] = v;
    return typeof v === "number" ? v : 0;
  };
  const dModel = num("dModel", T.dModel);
  const heads = num("heads", T.heads);
  const dK = num("dK", T.dK);
  const layers = f.layers === undefined ? undefined : num("layers", T.layers);
  const seed = num("seed", T.seed);
  if (!(PRESET_NAMES as readonly string[]).includes(f.preset)) errors.preset = T.preset(PRESET_NAMES.join(", "));
  if (!(TASK_NAMES as readonly string[]).includes(f.task)) errors.task = T.task(TASK_NAMES.join(", "));
  if (f.style !== "cells" && f.style !== "functions") errors.style = T.style;
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const preset = getPreset(f.preset);
  const { task, added } = linked
    ? withSentenceWords(makeTask(f.task, { ...preset.taskOptions, seed }), linked)
    : { task: makeTask(f.task, { ...preset.taskOptions, seed }), added: [] };
  let config: ModelConfig;
  try {
    config = configFor(preset, task, { dModel, heads, dK, layers });
  } catch (e) {
    return { ok: false, errors: { task: `${capitalise(messageOf(e))}.` } };
  }
  const sentence = linked ? checkLinked(linked, config) : checkSentence(f.sentence, task, config);
  if (typeof sentence === "string") return { ok: false, errors: { sentence } };
  return { ok: true, value: { preset, task, config, sentence, seed, style: f.style as FormulaStyle, added } };
}

/** The picked words as the vocabulary has them, if the model has room for them. */
function checkLinked(words: readonly string[], config: ModelConfig): string[] | string {
  const room = sentenceRoom(config);
  if (words.length > room) return t().selection.tooMany(words.length, room, config.kind === "decoder-only");
  return words.map(sheetWord);
}

/**
 * The sentence's words, each in the task's vocabulary; an empty field means
 * the first training example, or for a decoder-only model its first words,
 * as `npm run workbook` takes them.
 */
function checkSentence(text: string, task: Task, config: ModelConfig): string[] | string {
  const T = t().forms;
  const words = tokenize(text);
  const first = task.train[0].source;
  if (words.length === 0) return firstWords(config.kind, first);
  const known = task.vocab.tokens.filter((t) => !SPECIALS.includes(t));
  for (const [i, w] of words.entries()) {
    if (SPECIALS.includes(w)) return T.marker(i + 1, w);
    if (!task.vocab.has(w)) return T.unknownWord(w, i + 1, task.name, `${known.slice(0, 16).join(" ")}${known.length > 16 ? " …" : ""}`);
  }
  const room = sentenceRoom(config);
  if (words.length > room) return TOO_LONG[roleOfKind(config.kind)](words.length, room);
  return words;
}

/** `clipNorm` comes from the preset the workbook was built with. */
export function checkTrain(f: TrainFields, presetName: string, steps?: number): Checked<TrainRequest> {
  const errors: FieldErrors = {};
  const T = t().forms;
  if (f.optimizer !== "adam" && f.optimizer !== "sgd") errors.optimizer = T.optimizer;
  const lrText = f.lr.trim();
  const lr = decimalOf(lrText);
  if (!(lr > 0 && lr <= MAX_LR)) errors.lr = T.lr(MAX_LR, lrText);
  const n = steps ?? whole(f.steps, T.steps, LIMITS.steps);
  if (typeof n === "string") errors.steps = n;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const clipNorm = (PRESET_NAMES as readonly string[]).includes(presetName) ? getPreset(presetName).optimizer.clipNorm : 5;
  return { ok: true, value: { optimizer: { kind: f.optimizer as "adam" | "sgd", lr, clipNorm }, steps: n as number } };
}

export function checkSeed(text: string): number | string {
  return whole(text, t().forms.seed, LIMITS.seed);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
