/**
 * What every sheet and block builder shares while a plan is built: the
 * model, its live run, the formula style, the placed blocks of each token
 * stream, and the sheets made so far.
 */
import type { Architecture, Layer, StreamName } from "../model/architecture";
import type { ModelConfig, Params } from "../model/config";
import { toRows, type Matrix } from "../model/matrix";
import type { Example } from "../model/tasks";
import type { ForwardResult } from "../model/transformer";
import type { Vocab } from "../model/vocab";
import { f } from "./formula-text";
import { BlockSpec, Fill, Refs, SheetLayout } from "./layout";
import { NUMBER_FORMATS } from "./look";
import type { Label, PlanBlock, PlanCell, PlanValue } from "./plan";
import type { TrainingLogRow } from "./train-log";
import type { FormulaStyle, FormulaStyleName, SwitchReads } from "./style";
import type { Lang } from "../i18n";

export interface WorkbookInput {
  preset: string;
  description: string;
  config: ModelConfig;
  vocab: Vocab;
  params: Params;
  /** The sentence (or a decoder-only model's prompt) typed on the Overview sheet, as words. */
  sentence: string[];
  /**
   * The user's own cells that hold the sentence, one per word ("Use selection"): the Tokens cells refer to them
   * instead of holding the words. `where` names them for the titles and notes ("Sheet1!B2:F2").
   */
  sentenceCells?: { sheet: string; where: string; cells: { row: number; col: number }[] };
  /** Where the embedding's values were copied from, for its title and note. */
  embeddingFrom?: string;
  /** Training examples for the Data sheet. */
  examples: Example[];
  /** Rows already trained (from `npm run workbook -- --train-steps N`). */
  log?: TrainingLogRow[];
  /** Live switch cells for softmax and scaling (the seed preset). */
  switches?: boolean;
  /**
   * `cells` (default): portable per-cell formulas. `functions`: each block
   * of the layers is one spilling ATTN.* formula over the blocks' A1 ranges
   * (never their names, which a later build re-points); it needs the add-in
   * (and Excel with dynamic arrays), and tokens that a model feeds back to
   * itself are fixed at build time, since a whole-block formula cannot feed
   * each prediction back without a circular reference.
   */
  style?: FormulaStyleName;
  /**
   * Add a Check band where ATTN.* recompute each layer's blocks beside the
   * per-cell formulas, and a cell with the largest difference. Only for a
   * workbook built by the add-in: nothing else can compute ATTN.*.
   */
  check?: boolean;
  /** Decoder-only: a number in [0, 1) per position, the draws when sampling is on (docs/architecture.md). */
  dice?: number[];
  /** Decoder-only: the Temperature cell's value (default 1). */
  temperature?: number;
  /** Decoder-only: the Sampling_On cell's value (default false: greedy). */
  sampling?: boolean;
  /**
   * The language of the Guide, the titles, the notes and the texts formulas
   * show (default: the one in use, src/i18n). Sheet names, range names and
   * every number are the same in every language.
   */
  lang?: Lang;
}

/** One token stream's blocks: the typed or fed-back tokens, their vocabulary rows, which are keys, and X. */
export interface StreamBlocks {
  name: StreamName;
  tokens: PlanBlock;
  ids: PlanBlock;
  visible: PlanBlock;
  x: PlanBlock;
  /** The stream's tokens as the model ran them. */
  words: string[];
}

/** A layer's sheet and the stream it reads. */
export interface LayerSheet {
  layer: Layer;
  sheet: SheetLayout;
  refs: Refs;
  stream: StreamBlocks;
  /** The token at each position, for row labels of this stream's blocks. */
  labels: Label[];
}

export interface BuildContext {
  input: WorkbookInput;
  c: ModelConfig;
  arch: Architecture;
  vocab: Vocab;
  p: Params;
  /** The forward pass the live formulas compute for the sheet's sentence. */
  run: ForwardResult;
  /** The chosen token after each position of the top layer's stream, as the workbook's formulas choose it. */
  chosen: number[];
  style: FormulaStyle;
  sheets: SheetLayout[];
  fills: { block: PlanBlock; fill: Fill }[];
  /** Blocks that copy another block's cells (src/sheet/mirror.ts): filled after the others, whose values they show. */
  mirrors: Set<PlanBlock>;
  blocks: Input & Partial<Later>;
  streams: Partial<Record<StreamName, StreamBlocks>>;
  /** Each layer's output block, for the layer after it and cross-attention. */
  layerOut: Map<Layer, { block: PlanBlock; stream: StreamBlocks }>;
  switches?: SwitchReads;
}

/** Blocks of the Input sheet (and the input check beside Tokens) that later sheets read. */
interface Input {
  vocab: PlanBlock;
  embedding: PlanBlock;
  posEnc: PlanBlock;
  inputCheck: PlanBlock;
}

/** Blocks placed later that earlier formulas read (filled once all have their place). */
interface Later {
  predicted: PlanBlock;
  /** Decoder-only: the generation controls' "Reads as" cells and the dice. */
  temperatureRead: PlanBlock;
  samplingRead: PlanBlock;
  dice: PlanBlock;
}

export const NUM = NUMBER_FORMATS.value;

export function newSheet(ctx: Pick<BuildContext, "sheets" | "fills">, name: string, purpose: string): SheetLayout {
  const s = new SheetLayout(name, purpose, ctx.fills);
  ctx.sheets.push(s);
  return s;
}

export const textLabels = (texts: readonly string[]): Label[] => texts.map((t) => ({ cell: t, value: t }));
export const numbered = (prefix: string, n: number): Label[] => textLabels(Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`));

/** A trained parameter's block: its values, as they are. */
export function weights(w: Matrix): { cells: PlanCell[][]; values: PlanValue[][] } {
  const g = toRows(w);
  return { cells: g, values: g };
}

/** A computed block: its formulas and the model's value of each cell. */
export function computed(cells: PlanCell[][], value: Matrix): { cells: PlanCell[][]; values: PlanValue[][] } {
  return { cells, values: toRows(value) };
}

/** A block of numbers with the usual look: two decimals and the diverging colour scale. */
export function matrixSpec(
  spec: Omit<BlockSpec, "numberFormat" | "heatmap"> & Partial<Pick<BlockSpec, "numberFormat" | "heatmap">>,
): BlockSpec {
  return { numberFormat: NUM, heatmap: "diverging", ...spec };
}

/** Row labels showing each position's token, from the stream's vocabulary rows. */
export function tokenLabels(ctx: BuildContext, stream: StreamBlocks, from: Refs): Label[] {
  return stream.words.map((w, j) => ({ cell: f(`INDEX(${from.all(ctx.blocks.vocab)},${from.cell(stream.ids, 0, j)})`), value: w }));
}

/** The residual stream's block and the sublayer output waiting for its add & norm, as the model folds them (src/model/blocks.ts). */
export interface SheetState {
  x: PlanBlock;
  sub?: PlanBlock;
}

/**
 * The output of the last layer placed so far on `stream`: what the next layer of that stream reads, or, for the source, what cross-
 * attention reads.
 */
export function lastLayerOut(ctx: BuildContext, stream: StreamName): { block: PlanBlock; stream: StreamBlocks } | undefined {
  return [...ctx.layerOut.entries()].filter(([layer]) => layer.stream === stream).pop()?.[1];
}
