/**
 * The presets, and how a preset plus a task becomes a model config and
 * token-id examples.
 */
import { MAX_LAYERS, ModelKind } from "./architecture";
import type { Normalization } from "./attention";
import type { ModelConfig } from "./config";
import type { OptimizerConfig } from "./optim";
import { Example, Task, TaskName, TaskOptions } from "./tasks";
import { BOS_ID, EOS_ID, EncodedExample, PAD_ID } from "./transformer";
import { ModelError, PRESET_DESCRIPTIONS, type Refusal } from "./messages";

export type PresetName = "seed" | "encoder" | "encoder-decoder" | "gpt";
export const PRESET_NAMES: readonly PresetName[] = ["seed", "encoder", "encoder-decoder", "gpt"];

export interface Preset {
  name: PresetName;
  description: string;
  kind: ModelKind;
  /** Layers per stack (default 1). */
  layers?: number;
  dModel: number;
  heads: number;
  dK: number;
  dFF: number;
  /** Columns of X that carry the positional encoding; the default is all of them. */
  peDims?: number;
  normalization: Normalization;
  scaled: boolean;
  task: TaskName;
  taskOptions: TaskOptions;
  optimizer: OptimizerConfig;
  steps: number;
}

const PRESETS: Record<PresetName, Preset> = {
  seed: {
    name: "seed",
    description: PRESET_DESCRIPTIONS.seed,
    kind: "encoder",
    dModel: 3,
    heads: 4,
    dK: 3,
    dFF: 6,
    peDims: 2,
    normalization: "none",
    scaled: false,
    task: "copy",
    taskOptions: { length: 9, symbols: 9, trainCount: 200, heldOutCount: 100 },
    optimizer: { kind: "adam", lr: 0.01, clipNorm: 1 },
    steps: 200,
  },
  encoder: {
    name: "encoder",
    description: PRESET_DESCRIPTIONS.encoder,
    kind: "encoder",
    dModel: 16,
    heads: 2,
    dK: 8,
    dFF: 32,
    normalization: "softmax",
    scaled: true,
    task: "reverse",
    taskOptions: { length: 6, symbols: 8, trainCount: 200, heldOutCount: 100 },
    optimizer: { kind: "adam", lr: 0.01, clipNorm: 5 },
    steps: 300,
  },
  "encoder-decoder": {
    name: "encoder-decoder",
    description: PRESET_DESCRIPTIONS["encoder-decoder"],
    kind: "encoder-decoder",
    dModel: 32,
    heads: 4,
    dK: 8,
    dFF: 64,
    normalization: "softmax",
    scaled: true,
    task: "translate",
    taskOptions: {},
    optimizer: { kind: "adam", lr: 0.005, clipNorm: 5 },
    steps: 300,
  },
  gpt: {
    name: "gpt",
    description: PRESET_DESCRIPTIONS.gpt,
    kind: "decoder-only",
    dModel: 32,
    heads: 4,
    dK: 8,
    dFF: 64,
    normalization: "softmax",
    scaled: true,
    task: "stories",
    taskOptions: {},
    optimizer: { kind: "adam", lr: 0.005, clipNorm: 5 },
    steps: 300,
  },
};

export function getPreset(name: string): Preset {
  if (!(PRESET_NAMES as readonly string[]).includes(name)) {
    throw new ModelError("unknownPreset", name, PRESET_NAMES.join(", "));
  }
  return PRESETS[name as PresetName];
}

/** Sizes a preset may override. */
export type SizeOverrides = Partial<Pick<ModelConfig, "dModel" | "heads" | "dK" | "dFF" | "normalization" | "scaled" | "layers">>;

/** Each model kind's lengths and examples: what its Tokens row holds and what it predicts at each position. */
interface KindData {
  /** sourceLen and targetLen for a task. */
  lengths(task: Task): { sourceLen: number; targetLen: number };
  encode(task: Task, c: ModelConfig, ex: Example, example: number): EncodedExample;
  /**
   * An example from a data sheet's rows of ids (a blank cell is <pad>):
   * `target` is empty when the kind has no Data_Target.
   */
  fromRows(c: ModelConfig, source: number[], target: number[]): EncodedExample;
  /** Columns of Data_Source and Data_Target (0: no Data_Target). */
  dataColumns(c: ModelConfig): { source: number; target: number };
  /** Why the kind cannot learn the task, if it cannot. */
  refuses(task: Task): Refusal | undefined;
}

const KIND_DATA: Record<ModelKind, KindData> = {
  /** A target per source position. */
  encoder: {
    lengths: (task) => ({ sourceLen: task.maxSourceLen, targetLen: 0 }),
    encode: (task, c, ex, example) => ({
      source: task.vocab.encode(ex.source, c.sourceLen, {}, { part: "source", example }),
      target: task.vocab.encode(ex.target, c.sourceLen, {}, { part: "target", example }),
    }),
    fromRows: (_c, source, target) => ({ source, target }),
    dataColumns: (c) => ({ source: c.sourceLen, target: c.sourceLen }),
    refuses: (task) => (task.text ? "encoderText" : task.sameLength ? undefined : "encoderLengths"),
  },
  /** The target then </s>, and the decoder input: the target shifted right behind <s>. */
  "encoder-decoder": {
    lengths: (task) => ({ sourceLen: task.maxSourceLen, targetLen: task.maxTargetLen + 1 }),
    encode: (task, c, ex, example) => ({
      source: task.vocab.encode(ex.source, c.sourceLen, {}, { part: "source", example }),
      target: task.vocab.encode(ex.target, c.targetLen, { eos: true }, { part: "target", example }),
      decoderInput: task.vocab.encode(ex.target, c.targetLen, { bos: true }, { part: "target", example }),
    }),
    fromRows: (c, source, target) => {
      const words = upToLastWord(target);
      return { source, target: padded([...words, EOS_ID], c.targetLen), decoderInput: padded([BOS_ID, ...words], c.targetLen) };
    },
    dataColumns: (c) => ({ source: c.sourceLen, target: c.targetLen - 1 }),
    refuses: (task) => (task.text ? "pairsText" : undefined),
  },
  /** Tokens = <s> then the text; the target at each position is the next token, </s> after the last. */
  "decoder-only": {
    lengths: (task) => ({ sourceLen: task.maxSourceLen + 1, targetLen: 0 }),
    encode: (task, c, ex, example) => ({
      source: task.vocab.encode(ex.source, c.sourceLen, { bos: true }, { part: "text", example }),
      target: task.vocab.encode(ex.source, c.sourceLen, { eos: true }, { part: "text", example }),
    }),
    fromRows: (c, source) => {
      const words = upToLastWord(source);
      return { source: padded([BOS_ID, ...words], c.sourceLen), target: padded([...words, EOS_ID], c.sourceLen) };
    },
    dataColumns: (c) => ({ source: c.sourceLen - 1, target: 0 }),
    refuses: (task) => (task.text ? undefined : "gptPairs"),
  },
};

/** The model config for `preset` on `task`: lengths and vocabulary come from the task. */
export function configFor(preset: Preset, task: Task, overrides: SizeOverrides = {}): ModelConfig {
  const refusal = KIND_DATA[preset.kind].refuses(task);
  if (refusal) throw new ModelError("cannotLearn", preset.name, task.name, refusal);
  const layers = overrides.layers ?? preset.layers ?? 1;
  if (!Number.isInteger(layers) || layers < 1 || layers > MAX_LAYERS) throw new ModelError("wholeFrom", "layers", 1, MAX_LAYERS, layers);
  const dModel = overrides.dModel ?? preset.dModel;
  return {
    vocabSize: task.vocab.size,
    dModel,
    heads: overrides.heads ?? preset.heads,
    dK: overrides.dK ?? preset.dK,
    dFF: overrides.dFF ?? preset.dFF,
    ...KIND_DATA[preset.kind].lengths(task),
    kind: preset.kind,
    layers,
    normalization: overrides.normalization ?? preset.normalization,
    scaled: overrides.scaled ?? preset.scaled,
    peDims: Math.min(preset.peDims ?? dModel, dModel),
  };
}

function upToLastWord(ids: readonly number[]): number[] {
  let last = ids.length - 1;
  while (last >= 0 && ids[last] === PAD_ID) last--;
  return ids.slice(0, last + 1);
}

function padded(ids: readonly number[], length: number): number[] {
  return [...ids, ...new Array<number>(length - ids.length).fill(PAD_ID)];
}

/** An example from a data sheet's rows of ids (a blank cell is <pad>), as the model kind reads it. */
export function exampleFromRows(c: ModelConfig, source: number[], target: number[]): EncodedExample {
  return KIND_DATA[c.kind].fromRows(c, source, target);
}

/** Columns of Data_Source and Data_Target (0 when the kind has no Data_Target). */
export function dataColumns(c: ModelConfig): { source: number; target: number } {
  return KIND_DATA[c.kind].dataColumns(c);
}

/** Token ids for a model, padded to its lengths (see KIND_DATA). */
export function encodeExample(task: Task, c: ModelConfig, ex: Example, index = 0): EncodedExample {
  return KIND_DATA[c.kind].encode(task, c, ex, index + 1);
}

export function encodeExamples(task: Task, c: ModelConfig, examples: readonly Example[]): EncodedExample[] {
  return examples.map((ex, i) => encodeExample(task, c, ex, i));
}
