/**
 * Command-line flags, parsed by pure functions: an argv in, options or the
 * problem with them out, so a test can check every case and the later
 * `npm run workbook` command can share the flags.
 */
import { cliT } from "../i18n/cli";
import { MAX_LAYERS } from "../model/architecture";
import { configFor, getPreset, PRESET_NAMES, type PresetName } from "../model/presets";
import { decimalOf, wholeOf } from "../model/numbers";
import { makeTask, TASK_NAMES, type TaskName } from "../model/tasks";
import type { OptimizerConfig, OptimizerKind } from "../model/optim";
import { isLanguage, LANGUAGES, messageOf, type Lang } from "../i18n";

export interface FlagSpec {
  /** Without the leading dashes: "steps". */
  name: string;
  /** false for a switch such as --json. */
  takesValue: boolean;
}

export type ParsedFlags = { flags: Map<string, string | true> } | { error: string };

/**
 * `--name value`, `--name=value` and switches (`--json`). A value may start
 * with one dash (`--lr -1` reaches the range check); a token starting with
 * two dashes is always a flag.
 */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith("--")) return { error: cliT().unexpected(token) };
    const eq = token.indexOf("=");
    const name = token.slice(2, eq < 0 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec) return { error: cliT().unknownOption(name) };
    if (flags.has(name)) return { error: cliT().twice(name) };
    if (!spec.takesValue) {
      if (eq >= 0) return { error: cliT().noValue(name) };
      flags.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = token.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) value = argv[++i];
    if (value === undefined || value === "") return { error: cliT().needsValue(name) };
    flags.set(name, value);
  }
  return { flags };
}

/** A whole number in [lo, hi], or the problem with `text`. */
export function parseWhole(flag: string, text: string, lo: number, hi: number): number | { error: string } {
  const v = wholeOf(text);
  if (!(v >= lo && v <= hi)) return { error: cliT().whole(flag, lo, hi, text) };
  return v;
}

export function parsePositive(flag: string, text: string): number | { error: string } {
  const v = decimalOf(text);
  if (!(v > 0) || !Number.isFinite(v)) return { error: cliT().positive(flag, text) };
  return v;
}

/** The flags of a command line, read after parseFlags. */
export interface Flags {
  /** --help was given. */
  help: boolean;
  has(name: string): boolean;
  /** The flag's value; undefined when it is absent (or a switch). */
  text(name: string): string | undefined;
}

/** Parses argv; with --help, problems with the other flags are left for later (the usage is printed anyway). */
export function readFlags(argv: readonly string[], specs: readonly FlagSpec[]): Flags | { error: string } {
  const parsed = parseFlags(argv, specs);
  const help = argv.includes("--help");
  if ("error" in parsed && !help) return parsed;
  const flags = "flags" in parsed ? parsed.flags : new Map<string, string | true>();
  return {
    help,
    has: (name) => flags.has(name),
    text: (name) => {
      const v = flags.get(name);
      return typeof v === "string" ? v : undefined;
    },
  };
}

export function checkPreset(name: string): PresetName | { error: string } {
  if (!(PRESET_NAMES as readonly string[]).includes(name)) return { error: cliT().preset(name, PRESET_NAMES.join(", ")) };
  return name as PresetName;
}

export function checkTask(name: string): TaskName | { error: string } {
  if (!(TASK_NAMES as readonly string[]).includes(name)) return { error: cliT().task(name, TASK_NAMES.join(", ")) };
  return name as TaskName;
}

/** The whole number in flag `name`, within [lo, hi]; `fallback` when the flag is absent. */
export function wholeFlag<T extends number | undefined>(
  flags: Flags,
  name: string,
  lo: number,
  hi: number,
  fallback: T,
): number | T | { error: string } {
  const text = flags.text(name);
  return text === undefined ? fallback : parseWhole(name, text, lo, hi);
}

export interface TrainOptions {
  /** --help was given: print the usage and nothing else. */
  help: boolean;
  preset: PresetName;
  task: TaskName;
  steps: number;
  optimizer: OptimizerConfig;
  /** Seeds the initial weights and the mini-batch order; the task data keep the preset's. */
  seed: number;
  /** Layers per stack. */
  layers: number;
  /** Absent: every step uses the whole training set. */
  batchSize?: number;
  /** One JSON object per line instead of text. */
  json: boolean;
  /** The language of the messages and the report (src/i18n); the JSON lines are the same in every language. */
  lang: Lang;
}

export const DEFAULT_PRESET: PresetName = "encoder";
export const DEFAULT_SEED = 1;
export const MAX_STEPS = 1_000_000;
export const MAX_SEED = 4294967295;
/** The tasks hold at most 100 000 examples. */
const MAX_BATCH = 100_000;

export const TRAIN_FLAGS: readonly FlagSpec[] = [
  { name: "preset", takesValue: true },
  { name: "task", takesValue: true },
  { name: "steps", takesValue: true },
  { name: "optimizer", takesValue: true },
  { name: "lr", takesValue: true },
  { name: "seed", takesValue: true },
  { name: "batch-size", takesValue: true },
  { name: "layers", takesValue: true },
  { name: "json", takesValue: false },
  { name: "lang", takesValue: true },
  { name: "help", takesValue: false },
];

/** The usage of `npm run train`, in the language in use. */
export const trainUsage = (): string =>
  cliT().trainUsage({
    presets: PRESET_NAMES.join(" | "),
    preset: DEFAULT_PRESET,
    tasks: TASK_NAMES.join(" | "),
    seed: DEFAULT_SEED,
    layers: MAX_LAYERS,
    langs: LANGUAGES.join(" | "),
  });

/**
 * The language a command line asks for with --lang (English when it names
 * none it knows), read before the other flags so that their problems are
 * told in it; parseLang then reports a bad --lang.
 */
export function langOf(argv: readonly string[]): Lang {
  const i = argv.findIndex((a) => a === "--lang" || a.startsWith("--lang="));
  const value = i < 0 ? undefined : argv[i].startsWith("--lang=") ? argv[i].slice("--lang=".length) : argv[i + 1];
  return value !== undefined && isLanguage(value) ? value : "en";
}

/** The --lang flag: absent (English), a language, or the problem with it. */
export function parseLang(flags: Flags): Lang | { error: string } {
  const lang = flags.text("lang");
  if (lang === undefined) return "en";
  return isLanguage(lang) ? lang : { error: cliT().lang(LANGUAGES.join(", "), lang) };
}

export function parseTrainArgs(argv: readonly string[]): TrainOptions | { error: string } {
  const flags = readFlags(argv, TRAIN_FLAGS);
  if ("error" in flags) return flags;
  const { help } = flags;
  const presetName = checkPreset(help ? DEFAULT_PRESET : (flags.text("preset") ?? DEFAULT_PRESET));
  if (typeof presetName === "object") return presetName;
  const preset = getPreset(presetName);
  const defaults: TrainOptions = {
    help,
    preset: preset.name,
    task: preset.task,
    steps: preset.steps,
    optimizer: { ...preset.optimizer },
    seed: DEFAULT_SEED,
    layers: preset.layers ?? 1,
    json: flags.has("json"),
    lang: "en",
  };
  if (help) return defaults;

  const lang = parseLang(flags);
  if (typeof lang === "object") return lang;
  const task = checkTask(flags.text("task") ?? preset.task);
  if (typeof task === "object") return task;
  const layers = wholeFlag(flags, "layers", 1, MAX_LAYERS, defaults.layers);
  if (typeof layers === "object") return layers;
  try {
    configFor(preset, makeTask(task, preset.taskOptions), { layers });
  } catch (e) {
    return { error: messageOf(e) };
  }
  const options: TrainOptions = { ...defaults, task, layers, lang };

  const steps = wholeFlag(flags, "steps", 1, MAX_STEPS, options.steps);
  if (typeof steps === "object") return steps;
  options.steps = steps;
  const kind = flags.text("optimizer");
  if (kind !== undefined) {
    if (kind !== "adam" && kind !== "sgd") return { error: cliT().optimizer(kind) };
    options.optimizer.kind = kind as OptimizerKind;
  }
  const lr = flags.text("lr");
  if (lr !== undefined) {
    const v = parsePositive("lr", lr);
    if (typeof v !== "number") return v;
    options.optimizer.lr = v;
  }
  const seed = wholeFlag(flags, "seed", 0, MAX_SEED, options.seed);
  if (typeof seed === "object") return seed;
  options.seed = seed;
  const batchSize = wholeFlag(flags, "batch-size", 1, MAX_BATCH, undefined);
  if (typeof batchSize === "object") return batchSize;
  if (batchSize !== undefined) options.batchSize = batchSize;
  return options;
}
