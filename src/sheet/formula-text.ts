/**
 * Formula text shared by the sheets: switch readings, exact vocabulary
 * lookups, joining words. Plain functions of addresses, no layout.
 */
import { PAD } from "../model/vocab";
import type { Refs } from "./layout";
import type { PlanBlock, PlanCell } from "./plan";
import { t } from "../i18n";

export const f = (formula: string): PlanCell => ({ formula });

/**
 * What a switch cell reads as: "on" for TRUE or 1, "off" for FALSE or 0, and
 * a warning for anything else (text, other numbers, an empty cell). Both
 * comparisons are needed: in Excel TRUE=1 is FALSE.
 */
export function switchCheck(x: string): string {
  // CHAR(34) is a double quote: HyperFormula does not read "" inside a text.
  const T = t().sheet;
  const shown = `IF(ISBLANK(${x}),"${T.emptyCell}",IF(ISTEXT(${x}),CHAR(34)&${x}&CHAR(34),${x}))`;
  const warning = `"⚠ "&${shown}&"${T.notASwitch}"`;
  return `IF(OR(${x}=TRUE(),${x}=1),"on",IF(AND(NOT(ISBLANK(${x})),OR(${x}=FALSE(),${x}=0)),"off",${warning}))`;
}

/**
 * "+0" while the switch's check cell reads "on" or "off", "+#N/A" otherwise:
 * added to a whole spilled block, it turns every cell to #N/A and keeps the
 * block's shape (an IF whose branch is a lone NA() would spill one cell).
 */
export function naUnlessRead(check: string): string {
  return `+IF(OR(${check}="on",${check}="off"),0,NA())`;
}

/** `on` when the switch's check cell reads "on", `off` when "off", #N/A when the switch holds anything else. */
export function byReading(check: string, on: string, off: string): string {
  return `IF(${check}="on",${on},IF(${check}="off",${off},NA()))`;
}

/**
 * What a temperature cell reads as: the number when it is above 0, else a
 * warning; Probs divides by this cell, so a warning there shows as #VALUE!.
 * ISNUMBER first: in Excel a text compares greater than any number.
 */
export function temperatureCheck(x: string): string {
  return `IF(AND(ISNUMBER(${x}),${x}>0),${x},"${t().sheet.badTemperature}")`;
}

/**
 * The row of the word in `cell` in the vocabulary, or #N/A: a blank cell is
 * <pad>, and a typed word is lower-cased first, as the add-in reads typed
 * words (every vocabulary word is lower case). EXACT, not MATCH: MATCH reads
 * `*`, `?` and `~` as wildcards, so "c*" would find "café". SUMPRODUCT
 * computes over the whole vocabulary without Ctrl+Shift+Enter.
 */
export function vocabRow(cell: string, vocab: PlanBlock, refs: Refs): string {
  const hit = `EXACT(${refs.all(vocab)},IF(${cell}="","${PAD}",LOWER(${cell})))`;
  const row = `ROW(${refs.all(vocab)})-ROW(${refs.cell(vocab, 0, 0)})+1`;
  return `IF(SUMPRODUCT(--${hit})=0,NA(),SUMPRODUCT(${hit}*(${row})))`;
}

/** The words of `cells` joined with spaces, stopping at </s> or <pad>: nested IFs, no text-join function needed. */
export function joinUntilEos(cells: readonly string[]): string {
  let expr = '""';
  for (let i = cells.length - 1; i >= 0; i--) {
    const cell = cells[i];
    const rest = expr === '""' ? "" : `&${expr}`;
    const word = i === 0 ? cell : `" "&${cell}`;
    expr = `IF(OR(${cell}="</s>",${cell}="<pad>"),"",${word}${rest})`;
  }
  return expr;
}
