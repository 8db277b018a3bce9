/**
 * Flags of `npm run workbook`, parsed and checked by a pure function: an
 * argv in, options or the problem with them out. Everything that can be
 * wrong with the request (preset, task, sentence, steps, seed, file name) is
 * found here, before any training and before any file is written.
 */
import { cliT } from "../i18n/cli";
import { configFor, getPreset, PRESET_NAMES, type PresetName } from "../model/presets";
import { MAX_LAYERS } from "../model/architecture";
import { sentenceRoom } from "../model/generate";
import { makeTask, PROMPT_LENGTH, TASK_NAMES, type TaskName } from "../model/tasks";
import { SPECIALS, tokenize } from "../model/vocab";
import { LANGUAGES, messageOf, type Lang } from "../i18n";
import { checkPreset, checkTask, DEFAULT_SEED, MAX_SEED, MAX_STEPS, parseLang, readFlags, wholeFlag, type FlagSpec } from "./args";

export interface WorkbookOptions {
  /** --help was given: print the usage and nothing else. */
  help: boolean;
  preset: PresetName;
  task: TaskName;
  /** The source sentence as words, each in the task's vocabulary, at most the model's source length. */
  sentence: string[];
  /** 0 writes the untrained model. */
  trainSteps: number;
  /** Seeds the task's data, the initial weights and the batch order. */
  seed: number;
  /** Layers per stack. */
  layers: number;
  /** Seeds a decoder-only workbook's Dice cells. */
  diceSeed: number;
  /** The file as given; relative to the directory the command was run from. */
  out: string;
  /** The language of the Guide, the titles and the notes (src/i18n); names and numbers are the same in every language. */
  lang: Lang;
}

export const DEFAULT_WORKBOOK_PRESET: PresetName = "encoder-decoder";
export const DEFAULT_OUT = "AttentionLab.xlsx";
/**
 * The encoder-decoder's full 300 steps take a minute or more; by step 80 it
 * already translates every training pair, so the default run takes seconds.
 * The other presets train their full steps in seconds.
 */
const QUICK_STEPS: Partial<Record<PresetName, number>> = { "encoder-decoder": 80 };

export function defaultTrainSteps(preset: PresetName): number {
  return QUICK_STEPS[preset] ?? getPreset(preset).steps;
}

export const WORKBOOK_FLAGS: readonly FlagSpec[] = [
  { name: "preset", takesValue: true },
  { name: "task", takesValue: true },
  { name: "sentence", takesValue: true },
  { name: "train-steps", takesValue: true },
  { name: "seed", takesValue: true },
  { name: "layers", takesValue: true },
  { name: "dice-seed", takesValue: true },
  { name: "out", takesValue: true },
  { name: "lang", takesValue: true },
  { name: "help", takesValue: false },
];

/** The usage of `npm run workbook`, in the language in use. */
export const workbookUsage = (): string =>
  cliT().workbookUsage({
    presets: PRESET_NAMES.join(" | "),
    preset: DEFAULT_WORKBOOK_PRESET,
    tasks: TASK_NAMES.join(" | "),
    prompt: PROMPT_LENGTH,
    layers: MAX_LAYERS,
    steps: PRESET_NAMES.map((p) => `${p} ${defaultTrainSteps(p)}`).join(", "),
    seed: DEFAULT_SEED,
    out: DEFAULT_OUT,
    langs: LANGUAGES.join(" | "),
  });

export function parseWorkbookArgs(argv: readonly string[]): WorkbookOptions | { error: string } {
  const flags = readFlags(argv, WORKBOOK_FLAGS);
  if ("error" in flags) return flags;
  const text = flags.text;
  const defaults = (preset: PresetName): WorkbookOptions => ({
    help: flags.help,
    preset,
    task: getPreset(preset).task,
    sentence: [],
    trainSteps: defaultTrainSteps(preset),
    seed: DEFAULT_SEED,
    layers: getPreset(preset).layers ?? 1,
    diceSeed: DEFAULT_SEED,
    out: DEFAULT_OUT,
    lang: "en",
  });
  if (flags.help) return defaults(DEFAULT_WORKBOOK_PRESET);

  const presetName = checkPreset(text("preset") ?? DEFAULT_WORKBOOK_PRESET);
  if (typeof presetName === "object") return presetName;
  const options = defaults(presetName);
  const preset = getPreset(presetName);

  const seed = wholeFlag(flags, "seed", 0, MAX_SEED, options.seed);
  if (typeof seed === "object") return seed;
  options.seed = seed;
  const diceSeed = wholeFlag(flags, "dice-seed", 0, MAX_SEED, seed);
  if (typeof diceSeed === "object") return diceSeed;
  options.diceSeed = diceSeed;
  const layers = wholeFlag(flags, "layers", 1, MAX_LAYERS, options.layers);
  if (typeof layers === "object") return layers;
  options.layers = layers;
  const steps = wholeFlag(flags, "train-steps", 0, MAX_STEPS, options.trainSteps);
  if (typeof steps === "object") return steps;
  options.trainSteps = steps;
  const out = text("out");
  if (out !== undefined) {
    if (!/\.xlsx$/i.test(out)) return { error: cliT().xlsx(out) };
    options.out = out;
  }

  const lang = parseLang(flags);
  if (typeof lang === "object") return lang;
  options.lang = lang;

  const taskName = checkTask(text("task") ?? preset.task);
  if (typeof taskName === "object") return taskName;
  options.task = taskName;
  const task = makeTask(taskName, { seed: options.seed, ...preset.taskOptions });
  let room: number;
  try {
    room = sentenceRoom(configFor(preset, task, { layers }));
  } catch (e) {
    return { error: messageOf(e) };
  }

  const sentenceText = text("sentence");
  if (sentenceText === undefined) {
    options.sentence = task.text ? task.train[0].source.slice(0, PROMPT_LENGTH) : [...task.train[0].source];
    return options;
  }
  const words = tokenize(sentenceText);
  if (words.length === 0) return { error: cliT().noWords };
  for (const [i, w] of words.entries()) {
    if (SPECIALS.includes(w)) return { error: cliT().marker(i + 1, w) };
    if (!task.vocab.has(w)) {
      const known = task.vocab.tokens.filter((t) => !SPECIALS.includes(t));
      const shown = known.length > 40 ? `${known.slice(0, 40).join(" ")} …` : known.join(" ");
      return { error: cliT().unknownWord(w, i + 1, taskName, shown) };
    }
  }
  if (words.length > room) {
    return { error: cliT().tooLong(words.length, presetName, taskName, room) };
  }
  options.sentence = words;
  return options;
}
