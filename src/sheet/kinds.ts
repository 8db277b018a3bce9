/**
 * What each kind of model shows that the others do not (docs/architecture.md):
 * its Tokens row, the decoder input of an encoder–decoder, the generation
 * controls of a decoder-only model, the sentence it writes, and its
 * sheets' names. The sheet builders read this table and never branch on
 * the kind themselves.
 */
import type { Layer, ModelKind } from "../model/architecture";
import { BOS, EOS, PAD } from "../model/vocab";
import type { BuildContext } from "./context";
import { f } from "./formula-text";
import type { TokensRow } from "./blocks/embedding";
import type { Refs } from "./layout";
import { cellAddress, qualify } from "./a1";
import { NOTES } from "./notes";
import { t } from "../i18n";
import type { Computes, PlanBlock, PlanCell, PlanValue } from "./plan";

export interface SheetKind {
  /** The Tokens row (typed on the Overview sheet). */
  tokens(ctx: BuildContext, R: Refs, self: () => PlanBlock): TokensRow;
  /** The decoder input row (Dec_Tokens), on the first decoder layer's sheet. */
  decoderTokens?(ctx: BuildContext, R: Refs): TokensRow;
  /** An empty Tokens row means there is no input (a decoder-only model always has <s>). */
  emptyMeansNoInput: boolean;
  /** Prompt_Length, Temperature, Sampling_On and Dice. */
  generation: boolean;
  /** The sentence the model writes, in one cell. */
  text?: {
    key: string;
    title: string;
    note: string;
    /** Which words it joins, for the pane's explanation: the same cells as `words`. */
    computes: Extract<Computes, { op: "text" }>;
    words(ctx: BuildContext, R: Refs): string[];
    value(ctx: BuildContext): string;
  };
  /** The model's line in the Guide (a getter: in the language in use). */
  readonly summary: string;
  /** Predicted's title and note, for a kind without generation controls. */
  readonly predicted: { title: string; note: string };
}

/** A value as a workbook shows it: a blank for a typed <pad>. */
const typed = (w: string): PlanValue => (w === PAD ? null : w);

/** Words of `ids` up to </s> (or <pad>), joined with spaces. */
function upToEos(ctx: BuildContext, ids: readonly number[]): string {
  const words: string[] = [];
  for (const id of ids) {
    const w = ctx.vocab.word(id);
    if (w === EOS || w === PAD) break;
    words.push(w);
  }
  return words.join(" ");
}

/**
 * Word k of the sentence: typed, or, when the sentence lives in the user's own cells, a reference to its cell
 * (an empty cell reads as "", which the vocabulary lookup takes for <pad>, where a bare reference would give 0).
 */
function sentenceWord(ctx: BuildContext, k: number, w: string): PlanCell {
  const at = ctx.input.sentenceCells;
  const cell = at?.cells[k];
  if (!at || !cell) return typed(w);
  const ref = qualify(cellAddress(cell.row, cell.col), at.sheet);
  return { formula: `IF(${ref}="","",${ref})`, external: true };
}

/** The Tokens row's title and note: type here, or edit the user's cells it refers to. */
function tokensSpec(ctx: BuildContext, typedTitle: string, typedNote: string, explain: TokensRow["spec"]["explain"]): TokensRow["spec"] {
  const at = ctx.input.sentenceCells;
  return at
    ? { title: t().selection.tokensTitle(at.where), note: t().selection.tokensNote(at.where), role: "input", explain }
    : { title: typedTitle, note: typedNote, role: "input", explain };
}

const typedTokens = (ctx: BuildContext): TokensRow => {
  const words = ctx.run.streams.source!.ids.map((id) => ctx.vocab.word(id));
  return {
    spec: tokensSpec(ctx, t().sheet.tokensTyped, NOTES.tokens, {
      computes: { op: "tokens", start: false, typed: "all", fixed: false },
      topic: "embedding",
    }),
    cells: () => words.map((w, k) => sentenceWord(ctx, k, w)),
    values: words.map(typed),
  };
};

/**
 * <s>, then at each later position the token chosen after the one before it
 * (`from(j)` for position j ≥ 1), or values fixed at build time when the
 * formula style cannot feed tokens back.
 */
function fedBack(
  ctx: BuildContext,
  words: string[],
  from: (j: number) => PlanCell,
  typedUpTo = 0,
): { cells: () => PlanCell[]; values: PlanValue[] } {
  const values = words.map((w, j) => (j === 0 ? BOS : j <= typedUpTo ? typed(w) : w));
  const cells = (): PlanCell[] =>
    words.map((w, j) => {
      if (j === 0) return f(`"${BOS}"`);
      if (j <= typedUpTo) return sentenceWord(ctx, j - 1, w);
      return ctx.style.fixedFeedback ? w : from(j);
    });
  return { cells, values };
}

export const SHEET_KINDS: Record<ModelKind, SheetKind> = {
  encoder: {
    tokens: typedTokens,
    emptyMeansNoInput: true,
    generation: false,
    get summary() {
      return t().sheet.kinds.encoder.summary;
    },
    get predicted() {
      return { title: t().sheet.kinds.encoder.predicted, note: NOTES.predicted };
    },
  },
  "encoder-decoder": {
    tokens: typedTokens,
    decoderTokens(ctx, R) {
      const words = ctx.run.streams.target!.ids.map((id) => ctx.vocab.word(id));
      const fixed = ctx.style.fixedFeedback;
      return {
        spec: {
          title: fixed ? t().sheet.decoderInputFixed : t().sheet.decoderInputLive,
          note: fixed ? NOTES.decTokensFixed : NOTES.decTokens,
          role: fixed ? "input" : "computed",
          explain: { computes: { op: "tokens", start: true, typed: 0, fedFrom: "Predicted", fixed }, topic: "output" },
        },
        ...fedBack(ctx, words, (j) => f(R.cell(ctx.blocks.predicted!, 0, j - 1))),
      };
    },
    emptyMeansNoInput: true,
    generation: false,
    text: {
      key: "Translation",
      get title() {
        return t().sheet.translation;
      },
      get note() {
        return NOTES.translation;
      },
      computes: { op: "text", words: "Predicted", from: 0, said: "predicted" },
      words: (ctx, R) => ctx.chosen.map((_, i) => R.cell(ctx.blocks.predicted!, 0, i)),
      value: (ctx) => upToEos(ctx, ctx.chosen),
    },
    get summary() {
      return t().sheet.kinds["encoder-decoder"].summary;
    },
    get predicted() {
      return { title: t().sheet.kinds["encoder-decoder"].predicted, note: NOTES.predictedDecoder };
    },
  },
  "decoder-only": {
    tokens(ctx, R, self) {
      const words = ctx.run.streams.source!.ids.map((id) => ctx.vocab.word(id));
      const prompt = promptLength(ctx);
      const fixed = ctx.style.fixedFeedback;
      return {
        spec: tokensSpec(ctx, t().sheet.tokensGenerated, fixed ? NOTES.tokensGeneratedFixed : NOTES.tokensGenerated, {
          computes: { op: "tokens", start: true, typed: prompt, promptLength: "Prompt_Length", fedFrom: "Predicted", fixed },
          topic: "embedding",
        }),
        ...fedBack(
          ctx,
          words,
          (j) => {
            const before = R.cell(self(), 0, j - 1);
            return f(`IF(OR(${before}="${EOS}",${before}="${PAD}",${before}=""),"${PAD}",${R.cell(ctx.blocks.predicted!, 0, j - 1)})`);
          },
          prompt,
        ),
      };
    },
    emptyMeansNoInput: false,
    generation: true,
    text: {
      key: "Generated",
      get title() {
        return t().sheet.generated;
      },
      get note() {
        return NOTES.generated;
      },
      computes: { op: "text", words: "Tokens", from: 1, said: "generated" },
      words: (ctx, R) => ctx.run.streams.source!.ids.slice(1).map((_, i) => R.cell(ctx.streams.source!.tokens, 0, i + 1)),
      value: (ctx) => upToEos(ctx, ctx.run.streams.source!.ids.slice(1)),
    },
    get summary() {
      return t().sheet.kinds["decoder-only"].summary;
    },
    get predicted() {
      return { title: t().sheet.kinds["decoder-only"].predicted, note: NOTES.predictedGenerated };
    },
  },
};

/** Tokens cells after <s> that hold the user's prompt. */
export function promptLength(ctx: BuildContext): number {
  return Math.min(ctx.input.sentence.length, ctx.c.sourceLen - 1);
}

/** "Encoder", "Encoder 2", "Decoder", "Decoder 2". */
export function layerSheetName(layer: Layer): string {
  const stack = layer.stack === "encoder" ? "Encoder" : "Decoder";
  return layer.index === 1 ? stack : `${stack} ${layer.index}`;
}
