/**
 * The Data sheet as training examples: every word checked against the
 * vocabulary, with a message that names the sheet and cell of each word that
 * is not in it, before anything trains.
 */
import { cellIn, displayRange } from "../excel/address";
import { WorkbookError } from "../excel/errors";
import type { ModelConfig } from "../model/config";
import { exampleFromRows } from "../model/presets";
import { BOS_ID, EOS_ID, EncodedExample, PAD_ID } from "../model/transformer";
import { BOS, EOS, PAD } from "../model/vocab";
import type { DataBlock } from "./host";

/** How many unknown words one message lists before it counts the rest. */
const LISTED = 5;

/** Word → id; a word typed with capitals or decomposed accents finds its vocabulary entry, as MATCH does on the sheets. */
export class TokenIndex {
  private readonly ids = new Map<string, number>();

  constructor(readonly tokens: readonly string[]) {
    if (tokens[PAD_ID] !== PAD || tokens[BOS_ID] !== BOS || tokens[EOS_ID] !== EOS) {
      throw new WorkbookError([
        `The vocabulary stored in this workbook does not start with ${PAD}, ${BOS}, ${EOS}: rebuild the workbook from the task pane.`,
      ]);
    }
    tokens.forEach((t, i) => {
      if (!this.ids.has(t)) this.ids.set(t, i);
    });
  }

  id(word: string): number | undefined {
    return this.ids.get(word) ?? this.ids.get(word.normalize("NFC").toLowerCase());
  }
}

/**
 * The vocabulary as the Vocab block shows it: the sheets' formulas look
 * words up there, so training does too (a renamed word is that row's word
 * for both). Its first three cells must still hold the special tokens,
 * and no word may appear twice.
 */
export function sheetVocab(block: DataBlock): string[] {
  const tokens = block.words.map((row) => row[0] ?? "");
  const special = [PAD, BOS, EOS].findIndex((t, i) => tokens[i] !== t);
  if (special >= 0) {
    throw new WorkbookError([
      `The Vocab block must start with ${PAD}, ${BOS} and ${EOS}, which the model needs, but ${cellIn(block.range, special, 0)} holds ${tokens[special] === "" ? "nothing" : `"${tokens[special]}"`}: put them back (or rebuild the workbook).`,
    ]);
  }
  // The sheets find a token with SUMPRODUCT/EXACT over the block, which adds the rows of every copy: a row that is neither.
  const seen = new Map<string, number>();
  tokens.forEach((t, i) => {
    const earlier = seen.get(t);
    if (earlier !== undefined) {
      throw new WorkbookError([
        `Vocab has "${t}" twice, in ${cellIn(block.range, earlier, 0)} and ${cellIn(block.range, i, 0)}: each word may appear once.`,
      ]);
    }
    if (t !== "") seen.set(t, i);
  });
  return tokens;
}

/**
 * One example per row that has any word; an empty cell is <pad>. Encoder
 * only: a target per source position. Encoder–decoder: the target's words
 * (up to its last filled cell) then </s>, and the decoder input behind <s>.
 */
export function encodeData(data: { source: DataBlock; target?: DataBlock }, config: ModelConfig, index: TokenIndex): EncodedExample[] {
  const { source } = data;
  // A decoder-only model's data has no Data_Target: its targets are the texts' next tokens.
  const target = data.target ?? { range: source.range, words: source.words.map(() => []) };
  if (source.words.length !== target.words.length) {
    throw new WorkbookError([
      `Data_Source has ${source.words.length} rows (${displayRange(source.range)}) but Data_Target has ${target.words.length} (${displayRange(target.range)}): every example needs a row in each.`,
    ]);
  }
  const unknown: string[] = [];
  const problems: string[] = [];
  const ids = (block: DataBlock, i: number): number[] =>
    block.words[i].map((w, j) => {
      if (w === "") return PAD_ID;
      const id = index.id(w);
      if (id === undefined) {
        unknown.push(`${cellIn(block.range, i, j)} holds "${w}", which is not in the vocabulary.`);
        return PAD_ID;
      }
      return id;
    });

  const examples: EncodedExample[] = [];
  source.words.forEach((row, i) => {
    const filled = (words: string[]) => words.some((w) => w !== "");
    if (!filled(row) && !filled(target.words[i])) return;
    const src = ids(source, i);
    const tgt = ids(target, i);
    if (!filled(row)) {
      problems.push(
        `${cellIn(source.range, i, 0)}: the source of this example is empty but its target is not; fill it in or clear the target.`,
      );
      return;
    }
    examples.push(exampleFromRows(config, src, tgt));
  });

  if (unknown.length > 0) {
    const more = unknown.length > LISTED ? [`…and ${unknown.length - LISTED} more cells with words that are not in the vocabulary.`] : [];
    problems.unshift(
      ...unknown.slice(0, LISTED),
      ...more,
      "Use words from the Vocabulary block on the Input sheet, or leave the cell empty for <pad>.",
    );
  }
  if (problems.length > 0) throw new WorkbookError(problems);
  if (examples.length === 0) {
    throw new WorkbookError([
      `The Data sheet has no examples (${displayRange(source.range)} is empty): type at least one source and target, one word a cell.`,
    ]);
  }
  return examples;
}
