/**
 * The Tokens row the user types (placed on the Overview), and the Input sheet:
 * the switches, a copy of Tokens, the vocabulary, the embedding, the
 * positional encoding and X.
 */
import { BuildContext } from "../context";
import { idsKey, vocabularyBlocks, streamBlocks, tokensBlock } from "../blocks/embedding";
import { f, switchCheck } from "../formula-text";
import { SHEET_KINDS } from "../kinds";
import { BlockSpec, Fill, Refs, SheetLayout } from "../layout";
import { mirrorFill } from "../mirror";
import { NUMBER_FORMATS } from "../look";
import { NOTES } from "../notes";
import type { Computes, PlanBlock, Topic } from "../plan";
import { t } from "../../i18n";

/** A live switch and, beside it, what it reads as; the formulas read the second. */
export function switchPair(
  sheet: SheetLayout,
  R: Refs,
  key: string,
  title: string,
  note: string,
  on: boolean,
  topic: Topic,
): [PlanBlock, PlanBlock] {
  const placed = sheet.band([
    {
      spec: { key, title, note, role: "switch", rows: 1, cols: 1, explain: { computes: { op: "typed" }, topic } },
      fill: () => ({ cells: [[on ? 1 : 0]], values: [[on ? 1 : 0]] }),
    },
    {
      spec: {
        key: key.replace(/_On$/, "_Check"),
        named: false,
        title: t().sheet.readsAs,
        note: NOTES.switchCheck,
        role: "computed",
        rows: 1,
        cols: 1,
        explain: { computes: { op: "readsAs", of: key, kind: "switch" }, topic },
      },
      fill: () => ({ cells: [[f(switchCheck(R.cell(placed[0], 0, 0)))]], values: [[on ? "on" : "off"]] }),
    },
  ]);
  return [placed[0], placed[1]];
}

/**
 * The Tokens row the user types, for a model that generates Prompt_Length,
 * then `beside`, then the input check, whose warning overflows to its right.
 * They lead the sheet the user types on (the Overview); the Input sheet shows
 * a copy.
 */
export function tokensBand(
  ctx: BuildContext,
  sheet: SheetLayout,
  beside: { spec: BlockSpec; fill: Fill; gap?: number }[],
  gapRows = 1,
): { tokens: PlanBlock; beside: PlanBlock[] } {
  const { c, input } = ctx;
  const kind = SHEET_KINDS[c.kind];
  const R = new Refs(sheet.sheet.name);
  const n = c.sourceLen;
  const row = kind.tokens(ctx, R, () => tokens);
  const empty = kind.emptyMeansNoInput && input.sentence.length === 0;
  const { inputEmpty, inputUnknown } = t().sheet;
  const checkValue = empty ? inputEmpty : "OK";
  const placed = sheet.band(
    [
      tokensBlock("Tokens", row),
      ...(kind.generation
        ? [
            {
              spec: {
                key: "Prompt_Length",
                explain: { computes: { op: "typed" as const }, topic: "output" as const },
                title: t().sheet.promptLength,
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
      ...beside,
      // Last, so that a long warning overflows into the empty cells to its right.
      {
        spec: inputCheckSpec("Input_Check", {
          op: "inputCheck",
          tokens: "Tokens",
          ids: idsKey("source"),
          emptyMatters: kind.emptyMeansNoInput,
        }),
        fill: () => {
          const unknown = `IF(ISERROR(SUM(${R.all(ctx.streams.source!.ids)})),"${inputUnknown}","OK")`;
          return {
            cells: [[f(kind.emptyMeansNoInput ? `IF(${isEmpty(ctx, R)},"${inputEmpty}",${unknown})` : unknown)]],
            values: [[checkValue]],
          };
        },
      },
    ],
    undefined,
    gapRows,
  );
  const tokens = placed[0];
  ctx.blocks.inputCheck = placed[placed.length - 1];
  return { tokens, beside: placed.slice(placed.length - 1 - beside.length, placed.length - 1) };
}

/** The Input sheet: the switches, a copy of the typed Tokens, and the source stream's blocks read from that copy. */
export function inputSheet(ctx: BuildContext, sheet: SheetLayout, tokens: PlanBlock): void {
  const { c, input } = ctx;
  const R = new Refs(sheet.sheet.name);
  if (input.switches) {
    const [, softmax] = switchPair(
      sheet,
      R,
      "Softmax_On",
      t().sheet.softmaxOn,
      NOTES.softmaxSwitch,
      c.normalization === "softmax",
      "softmax",
    );
    const [, scaling] = switchPair(sheet, R, "Scaling_On", t().sheet.scalingOn, NOTES.scalingSwitch, c.scaled, "scores");
    ctx.switches = { softmax, scaling };
  }
  const [shown] = sheet.band([
    {
      spec: {
        key: "Input_Tokens",
        named: false,
        title: t().sheet.tokensCopy(tokens.sheet),
        explain: { computes: { op: "copy", source: tokens.key }, topic: "embedding" },
        note: NOTES.tokensCopy,
        role: "computed",
        rows: 1,
        cols: tokens.cols,
        colLabels: tokens.colLabels,
      },
      fill: mirrorFill(R, () => tokens, true),
    },
  ]);
  ctx.mirrors.add(shown);
  ctx.streams.source = streamBlocks(
    ctx,
    sheet,
    R,
    "source",
    tokens,
    () => {
      const [vocab, embedding, posEnc] = vocabularyBlocks(ctx, sheet);
      Object.assign(ctx.blocks, { vocab, embedding, posEnc });
    },
    shown,
  );
}

/** True when every Tokens cell is empty. */
export function isEmpty(ctx: BuildContext, R: Refs): string {
  return `COUNTBLANK(${R.all(ctx.streams.source!.tokens)})=${ctx.c.sourceLen}`;
}

/** The one-cell input check (the Input sheet's, and the Output sheet's copy of it): what it computes is all that differs. */
export function inputCheckSpec(key: string, computes: Computes): BlockSpec {
  return {
    key,
    named: false,
    title: t().sheet.inputCheck,
    note: NOTES.inputCheck,
    role: "computed",
    rows: 1,
    cols: 1,
    explain: { computes, topic: "embedding" },
  };
}
