/**
 * The three presets, and how a preset plus a task becomes a model config and
 * token-id examples.
 */
import type { Normalization } from "./attention";
import type { ModelConfig } from "./config";
import type { OptimizerConfig } from "./optim";
import { Example, Task, TaskName, TaskOptions } from "./tasks";
import { EncodedExample } from "./transformer";

export type PresetName = "seed" | "encoder" | "encoder-decoder";
export const PRESET_NAMES: readonly PresetName[] = ["seed", "encoder", "encoder-decoder"];

export interface Preset {
  name: PresetName;
  description: string;
  decoder: boolean;
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
    description:
      "The original AttentionDemo's proportions: 9 tokens, 4 heads, 3-dimensional Q/K/V, a 2-dimensional positional encoding, no softmax and no scaling.",
    decoder: false,
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
    description: "One encoder layer with softmax attention, sized to learn to reverse a sequence in seconds.",
    decoder: false,
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
    description: "One encoder layer and one decoder layer (masked self-attention, cross-attention) that learn the English-to-Spanish pairs.",
    decoder: true,
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
};

export function getPreset(name: string): Preset {
  if (!(PRESET_NAMES as readonly string[]).includes(name)) {
    throw new RangeError(`unknown preset "${name}"; choose one of ${PRESET_NAMES.join(", ")}`);
  }
  return PRESETS[name as PresetName];
}

/** Sizes a preset may override. */
export type SizeOverrides = Partial<Pick<ModelConfig, "dModel" | "heads" | "dK" | "dFF" | "normalization" | "scaled">>;

/** The model config for `preset` on `task`: lengths and vocabulary come from the task. */
export function configFor(preset: Preset, task: Task, overrides: SizeOverrides = {}): ModelConfig {
  if (!preset.decoder && !task.sameLength) {
    throw new RangeError(
      `the ${preset.name} preset has no decoder, so it predicts one token per source position; the ${task.name} task needs the encoder-decoder preset`,
    );
  }
  const dModel = overrides.dModel ?? preset.dModel;
  return {
    vocabSize: task.vocab.size,
    dModel,
    heads: overrides.heads ?? preset.heads,
    dK: overrides.dK ?? preset.dK,
    dFF: overrides.dFF ?? preset.dFF,
    sourceLen: task.maxSourceLen,
    targetLen: preset.decoder ? task.maxTargetLen + 1 : 0,
    decoder: preset.decoder,
    normalization: overrides.normalization ?? preset.normalization,
    scaled: overrides.scaled ?? preset.scaled,
    peDims: Math.min(preset.peDims ?? dModel, dModel),
  };
}

/**
 * Token ids for a model: the source padded to sourceLen; for an encoder-only
 * model a target per position, for an encoder–decoder the target then </s>,
 * and the decoder input (the target shifted right behind <s>).
 */
export function encodeExample(task: Task, c: ModelConfig, ex: Example, index = 0): EncodedExample {
  const where = `example ${index + 1}`;
  const source = task.vocab.encode(ex.source, c.sourceLen, {}, `${where}, source`);
  if (!c.decoder) return { source, target: task.vocab.encode(ex.target, c.sourceLen, {}, `${where}, target`) };
  const target = task.vocab.encode(ex.target, c.targetLen, { eos: true }, `${where}, target`);
  const decoderInput = task.vocab.encode(ex.target, c.targetLen, { bos: true }, `${where}, target`);
  return { source, target, decoderInput };
}

export function encodeExamples(task: Task, c: ModelConfig, examples: readonly Example[]): EncodedExample[] {
  return examples.map((ex, i) => encodeExample(task, c, ex, i));
}
