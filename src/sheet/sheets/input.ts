/** The Input sheet: the switches, the Tokens row, the vocabulary, the embedding, the positional encoding and X. */
import { BuildContext } from "../context";
import { vocabularyBlocks, streamBlocks, tokensBlock } from "../blocks/embedding";
import { f, switchCheck } from "../formula-text";
import { SHEET_KINDS } from "../kinds";
import { Refs, SheetLayout } from "../layout";
import { NUMBER_FORMATS } from "../look";
import { NOTES } from "../notes";
import type { PlanBlock } from "../plan";

export const INPUT_EMPTY = "Type a sentence in Tokens: the input is empty";
export const INPUT_UNKNOWN = "A word in Tokens is not in the vocabulary (its row shows #N/A): use the words of the Vocabulary list";
export const NO_INPUT = "(no input: type a sentence in Tokens)";

/** A live switch and, beside it, what it reads as; the formulas read the second. */
export function switchPair(sheet: SheetLayout, R: Refs, key: string, title: string, note: string, on: boolean): [PlanBlock, PlanBlock] {
  const placed = sheet.band([
    { spec: { key, title, note, role: "switch", rows: 1, cols: 1 }, fill: () => ({ cells: [[on ? 1 : 0]], values: [[on ? 1 : 0]] }) },
    {
      spec: {
        key: key.replace(/_On$/, "_Check"),
        named: false,
        title: "Reads as",
        note: NOTES.switchCheck,
        role: "computed",
        rows: 1,
        cols: 1,
      },
      fill: () => ({ cells: [[f(switchCheck(R.cell(placed[0], 0, 0)))]], values: [[on ? "on" : "off"]] }),
    },
  ]);
  return [placed[0], placed[1]];
}

export function inputSheet(ctx: BuildContext, sheet: SheetLayout): void {
  const { c, input } = ctx;
  const kind = SHEET_KINDS[c.kind];
  const R = new Refs(sheet.sheet.name);
  if (input.switches) {
    const [, softmax] = switchPair(sheet, R, "Softmax_On", "Softmax on?", NOTES.softmaxSwitch, c.normalization === "softmax");
    const [, scaling] = switchPair(sheet, R, "Scaling_On", "Scale by √d_k?", NOTES.scalingSwitch, c.scaled);
    ctx.switches = { softmax, scaling };
  }
  const n = c.sourceLen;
  const row = kind.tokens(ctx, R, () => tokens);
  const empty = kind.emptyMeansNoInput && input.sentence.length === 0;
  const checkValue = empty ? INPUT_EMPTY : "OK";
  const placed = sheet.band([
    tokensBlock("Tokens", row),
    {
      spec: { key: "Input_Check", named: false, title: "Input check", note: NOTES.inputCheck, role: "computed", rows: 1, cols: 1 },
      fill: () => {
        const unknown = `IF(ISERROR(SUM(${R.all(ctx.streams.source!.ids)})),"${INPUT_UNKNOWN}","OK")`;
        return {
          cells: [[f(kind.emptyMeansNoInput ? `IF(${isEmpty(ctx, R)},"${INPUT_EMPTY}",${unknown})` : unknown)]],
          values: [[checkValue]],
        };
      },
    },
    ...(kind.generation
      ? [
          {
            spec: {
              key: "Prompt_Length",
              title: "Prompt length",
              note: NOTES.promptLength,
              role: "computed" as const,
              rows: 1,
              cols: 1,
              numberFormat: NUMBER_FORMATS.whole,
            },
            fill: () => ({ cells: [[Math.min(input.sentence.length, n - 1)]], values: [[Math.min(input.sentence.length, n - 1)]] }),
          },
        ]
      : []),
  ]);
  const tokens = placed[0];
  ctx.blocks.inputCheck = placed[1];
  ctx.streams.source = streamBlocks(ctx, sheet, R, "source", tokens, () => {
    const [vocab, embedding, posEnc] = vocabularyBlocks(ctx, sheet);
    Object.assign(ctx.blocks, { vocab, embedding, posEnc });
  });
}

/** True when every Tokens cell is empty. */
export function isEmpty(ctx: BuildContext, R: Refs): string {
  return `COUNTBLANK(${R.all(ctx.streams.source!.tokens)})=${ctx.c.sourceLen}`;
}
