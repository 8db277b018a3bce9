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
import { t } from "../i18n";

/** How many unknown words one message lists before it counts the rest. */
const LISTED = 5;

/** Word → id; a word typed with capitals or decomposed accents finds its vocabulary entry, as MATCH does on the sheets. */
export class TokenIndex {
  private readonly ids = new Map<string, number>();

  constructor(readonly tokens: readonly string[]) {
    if (tokens[PAD_ID] !== PAD || tokens[BOS_ID] !== BOS || tokens[EOS_ID] !== EOS) {
      throw new WorkbookError([t().data.storedVocab([PAD, BOS, EOS])]);
    }
    tokens.forEach((word, i) => {
      if (!this.ids.has(word)) this.ids.set(word, i);
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
  const special = [PAD, BOS, EOS].findIndex((special, i) => tokens[i] !== special);
  if (special >= 0) {
    throw new WorkbookError([
      t().data.vocabStart([PAD, BOS, EOS], cellIn(block.range, special, 0), tokens[special] === "" ? undefined : tokens[special]),
    ]);
  }
  // The sheets find a token with SUMPRODUCT/EXACT over the block, which adds the rows of every copy: a row that is neither.
  const seen = new Map<string, number>();
  tokens.forEach((word, i) => {
    const earlier = seen.get(word);
    if (earlier !== undefined) {
      throw new WorkbookError([t().data.twice(word, cellIn(block.range, earlier, 0), cellIn(block.range, i, 0))]);
    }
    if (word !== "") seen.set(word, i);
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
      t().data.rows(source.words.length, displayRange(source.range), target.words.length, displayRange(target.range)),
    ]);
  }
  const unknown: string[] = [];
  const problems: string[] = [];
  const ids = (block: DataBlock, i: number): number[] =>
    block.words[i].map((w, j) => {
      if (w === "") return PAD_ID;
      const id = index.id(w);
      if (id === undefined) {
        unknown.push(t().data.unknown(cellIn(block.range, i, j), w));
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
      problems.push(t().data.emptySource(cellIn(source.range, i, 0)));
      return;
    }
    examples.push(exampleFromRows(config, src, tgt));
  });

  if (unknown.length > 0) {
    const more = unknown.length > LISTED ? [t().data.more(unknown.length - LISTED)] : [];
    problems.unshift(...unknown.slice(0, LISTED), ...more, t().data.useVocab);
  }
  if (problems.length > 0) throw new WorkbookError(problems);
  if (examples.length === 0) {
    throw new WorkbookError([t().data.noExamples(displayRange(source.range))]);
  }
  return examples;
}
