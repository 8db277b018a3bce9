/**
 * Tokens to vectors on a sheet, as src/model/transformer.ts's embed does
 * it: each token's vocabulary row, whether it is a key (not <pad>), and
 * X = E[token] + PE.
 */
import type { StreamName } from "../../model/architecture";
import { positionalEncoding } from "../../model/layers";
import { PAD } from "../../model/vocab";
import { toRows } from "../../model/matrix";
import { BuildContext, StreamBlocks, matrixSpec, numbered, tokenLabels, weights } from "../context";
import { f, vocabRow } from "../formula-text";
import { BlockSpec, Refs, SheetLayout, grid } from "../layout";
import { NUMBER_FORMATS } from "../look";
import { NOTES } from "../notes";
import type { PlanBlock, PlanCell, PlanValue } from "../plan";
import { t } from "../../i18n";

/** The vocabulary, the embedding and the positional encoding, side by side. */
export function vocabularyBlocks(ctx: BuildContext, sheet: SheetLayout): [PlanBlock, PlanBlock, PlanBlock] {
  const { c, vocab, p } = ctx;
  const positions = Math.max(c.sourceLen, c.targetLen);
  const pe = positionalEncoding(positions, c.dModel, c.peDims);
  const [vocabBlock, embedding, posEnc] = sheet.band([
    {
      spec: {
        key: "Vocab",
        title: t().sheet.vocab,
        note: NOTES.vocab,
        role: "weight",
        rows: vocab.size,
        cols: 1,
        explain: { computes: { op: "vocabulary" }, topic: "embedding" },
      },
      fill: () => ({ cells: vocab.tokens.map((t) => [t]), values: vocab.tokens.map((t) => [t]) }),
    },
    {
      spec: matrixSpec({
        key: "Embedding",
        explain: { computes: { op: "weight", param: "Embedding" }, topic: "embedding" },
        title: ctx.input.embeddingFrom ? t().selection.embeddingTitle(ctx.input.embeddingFrom) : t().sheet.embedding,
        note: ctx.input.embeddingFrom ? t().selection.embeddingNote(ctx.input.embeddingFrom) : NOTES.embedding,
        role: "weight",
        rows: vocab.size,
        cols: c.dModel,
        colLabels: numbered("d", c.dModel),
      }),
      fill: () => weights(p.Embedding),
    },
    {
      spec: matrixSpec({
        key: "PosEnc",
        explain: { computes: { op: "posEnc", peDims: c.peDims }, topic: "position" },
        title: t().sheet.posEnc,
        note: NOTES.posEnc,
        role: "computed",
        rows: positions,
        cols: c.dModel,
        rowLabels: numbered("pos ", positions),
        colLabels: numbered("d", c.dModel),
      }),
      fill: () => ({ cells: grid(positions, c.dModel, (i, j) => peFormula(i, j, c.peDims)), values: toRows(pe) }),
    },
  ]);
  return [vocabBlock, embedding, posEnc];
}

/** PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(…), positions from 0; columns from peDims on are 0. */
function peFormula(pos: number, j: number, peDims: number): PlanCell {
  if (j >= peDims) return 0;
  const angle = `${pos}/POWER(10000,${j - (j % 2)}/${peDims})`;
  return f(j % 2 === 0 ? `SIN(${angle})` : `COS(${angle})`);
}

/** The names of a stream's blocks: the source's are Tokens, X…; the decoder input's Dec_Tokens, Dec_X… */
const PREFIX: Record<StreamName, string> = { source: "", target: "Dec_" };
/** The key of a stream's Token_Ids block. */
export const idsKey = (name: StreamName): string => `${PREFIX[name]}Token_Ids`;

/** A one-row block of tokens: typed words, fed-back formulas, or both. */
export interface TokensRow {
  spec: Pick<BlockSpec, "title" | "note" | "role" | "explain">;
  /** Filled once every block has its place: a fed-back cell reads Predicted, placed later. */
  cells: () => PlanCell[];
  values: PlanValue[];
}

/**
 * A token stream's rows and X, placed on `sheet` below the tokens row `tokens`
 * (already placed); `beforeX` places what goes between. The vocabulary rows
 * read `shown`, the copy of the tokens on this sheet when they are typed on
 * another one.
 */
export function streamBlocks(
  ctx: BuildContext,
  sheet: SheetLayout,
  R: Refs,
  name: StreamName,
  tokens: PlanBlock,
  beforeX: () => void = () => undefined,
  shown: PlanBlock = tokens,
): StreamBlocks {
  const { vocab } = ctx;
  const prefix = PREFIX[name];
  const n = tokens.cols;
  const stream = ctx.run.streams[name]!;
  const words = stream.ids.map((id) => vocab.word(id));
  const [ids] = sheet.band([
    {
      spec: {
        key: idsKey(name),
        explain: { computes: { op: "vocabRow", tokens: shown.key, vocab: "Vocab" }, topic: "embedding" },
        named: false,
        title: t().sheet.tokenIds,
        note: NOTES.tokenIds,
        role: "computed",
        rows: 1,
        cols: n,
        colLabels: numbered("", n),
        numberFormat: NUMBER_FORMATS.whole,
      },
      fill: () => ({
        cells: [grid(1, n, (_, j) => f(vocabRow(R.cell(shown, 0, j), ctx.blocks.vocab, R)))[0]],
        values: [stream.ids.map((id) => id + 1)],
      }),
    },
  ]);
  const [visible] = sheet.band([
    {
      spec: {
        key: `${prefix}Key_Visible`,
        explain: { computes: { op: "visible", ids: idsKey(name) }, topic: "scores" },
        title: t().sheet.visible,
        note: NOTES.visible,
        role: "computed",
        rows: 1,
        cols: n,
        colLabels: numbered("", n),
        numberFormat: NUMBER_FORMATS.whole,
      },
      fill: () => ({
        cells: [grid(1, n, (_, j) => f(`IF(${R.cell(ids, 0, j)}=${vocab.id(PAD) + 1},0,1)`))[0]],
        values: [words.map((t) => (t === PAD ? 0 : 1))],
      }),
    },
  ]);
  beforeX();
  const blocks: StreamBlocks = { name, tokens, ids, visible, x: ids, words };
  const [x] = sheet.band([
    {
      spec: matrixSpec({
        key: `${prefix}X`,
        explain: { computes: { op: "embed", embedding: "Embedding", ids: idsKey(name), posEnc: "PosEnc" }, topic: "position" },
        title: t().sheet.x(!!prefix),
        note: name === "source" ? NOTES.x : NOTES.decX,
        role: "computed",
        rows: n,
        cols: ctx.c.dModel,
        rowLabels: [],
        colLabels: numbered("d", ctx.c.dModel),
      }),
      fill: () => ({
        cells: grid(n, ctx.c.dModel, (i, j) =>
          f(`INDEX(${R.all(ctx.blocks.embedding)},${R.cell(ids, 0, i)},${j + 1})+${R.cell(ctx.blocks.posEnc, i, j)}`),
        ),
        values: toRows(stream.X),
      }),
    },
  ]);
  blocks.x = x;
  x.rowLabels = tokenLabels(ctx, blocks, R);
  return blocks;
}

/** The spec and fill of a tokens row named `key`. */
export function tokensBlock(key: string, row: TokensRow): { spec: BlockSpec; fill: () => { cells: PlanCell[][]; values: PlanValue[][] } } {
  const n = row.values.length;
  return {
    spec: { key, ...row.spec, rows: 1, cols: n, colLabels: numbered("", n) },
    fill: () => ({ cells: [row.cells()], values: [row.values] }),
  };
}
