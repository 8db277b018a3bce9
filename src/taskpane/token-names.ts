import { t } from "../i18n";

/**
 * Word k of a row of tokens as the pane names it: with its position when the word appears more than once ("h (4)"), so two
 * tokens never read the same (the head view's weights, an explanation's entry and inputs); an empty word stays "".
 */
export function tokenName(words: readonly string[], k: number): string {
  const w = words[k] ?? "";
  return !w || words.indexOf(w) === words.lastIndexOf(w) ? w : t().pane.repeatedToken(w, k + 1);
}
