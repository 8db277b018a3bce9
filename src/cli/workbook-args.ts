/**
 * Flags of `npm run workbook`, parsed and checked by a pure function: an
 * argv in, options or the problem with them out. Everything that can be
 * wrong with the request (preset, task, sentence, steps, seed, file name) is
 * found here, before any training and before any file is written.
 */
import { configFor, getPreset, PRESET_NAMES, type PresetName } from "../model/presets";
import { MAX_LAYERS } from "../model/architecture";
import { sentenceRoom } from "../model/generate";
import { makeTask, PROMPT_LENGTH, TASK_NAMES, type TaskName } from "../model/tasks";
import { SPECIALS, tokenize } from "../model/vocab";
import { isLanguage, LANGUAGES, type Lang } from "../i18n";
import { checkPreset, checkTask, DEFAULT_SEED, MAX_SEED, MAX_STEPS, readFlags, wholeFlag, type FlagSpec } from "./args";

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

export const WORKBOOK_USAGE = `usage: npm run workbook -- [options]

Trains a preset's model and writes it as an .xlsx workbook of plain
formulas that opens in Excel, LibreOffice and Google Sheets.

options:
  --preset NAME       ${PRESET_NAMES.join(" | ")} (default ${DEFAULT_WORKBOOK_PRESET})
  --task NAME         ${TASK_NAMES.join(" | ")} (default: the preset's task)
  --sentence "..."    the sentence on the Overview sheet, made of the task's words
                      (default: the first training example); for gpt, the prompt
                      the model continues (default: the first text's first ${PROMPT_LENGTH} words)
  --layers N          layers per stack, 1 to ${MAX_LAYERS} (default 1): N encoder layers,
                      and N decoder layers for encoder-decoder and gpt
  --train-steps N     training steps before writing, 0 for untrained weights
                      (default: ${PRESET_NAMES.map((p) => `${p} ${defaultTrainSteps(p)}`).join(", ")})
  --seed N            seed of the data, initial weights and batch order (default ${DEFAULT_SEED})
  --dice-seed N       gpt: seed of the Dice cells that sampling draws with (default: --seed)
  --out FILE          the .xlsx file to write (default ${DEFAULT_OUT}); an existing file
                      is replaced and keeps its mode, a link's target is written,
                      a read-only file is refused
  --lang LANG         ${LANGUAGES.join(" | ")}: the language of the Guide, the block titles and
                      the notes (default en); sheet names, range names and numbers stay the same
  --help              this text`;

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
    if (!/\.xlsx$/i.test(out)) return { error: `--out should name an .xlsx file, got "${out}"` };
    options.out = out;
  }

  const lang = text("lang");
  if (lang !== undefined) {
    if (!isLanguage(lang)) return { error: `--lang should be one of ${LANGUAGES.join(", ")}, got "${lang}"` };
    options.lang = lang;
  }

  const taskName = checkTask(text("task") ?? preset.task);
  if (typeof taskName === "object") return taskName;
  options.task = taskName;
  const task = makeTask(taskName, { seed: options.seed, ...preset.taskOptions });
  let room: number;
  try {
    room = sentenceRoom(configFor(preset, task, { layers }));
  } catch (e) {
    return { error: (e as Error).message };
  }

  const sentenceText = text("sentence");
  if (sentenceText === undefined) {
    options.sentence = task.text ? task.train[0].source.slice(0, PROMPT_LENGTH) : [...task.train[0].source];
    return options;
  }
  const words = tokenize(sentenceText);
  if (words.length === 0) return { error: "--sentence has no words" };
  for (const [i, w] of words.entries()) {
    if (SPECIALS.includes(w)) return { error: `--sentence word ${i + 1} is "${w}", a marker the model adds itself; type words only` };
    if (!task.vocab.has(w)) {
      const known = task.vocab.tokens.filter((t) => !SPECIALS.includes(t));
      const shown = known.length > 40 ? `${known.slice(0, 40).join(" ")} …` : known.join(" ");
      return { error: `"${w}" (word ${i + 1} of --sentence) is not in the vocabulary of the ${taskName} task; its words: ${shown}` };
    }
  }
  if (words.length > room) {
    return { error: `--sentence has ${words.length} words but the ${presetName} preset on ${taskName} takes at most ${room}` };
  }
  options.sentence = words;
  return options;
}
