/**
 * Whether a text reads as English: it holds one of the English words a
 * sentence can hardly do without. Quoted examples ("the cat eats fish"),
 * block and range names (Enc_H1_Attn), ATTN.* names, formulas and markup are
 * left out first, so what is judged is the prose around them. A sieve, not a
 * translator: the tests that use it also show it catching English texts.
 */
const ENGLISH = /\b(the|and|of|is|are|with|this|that|each|every|from|which|when)\b/i;
const NOT_PROSE = /"[^"]*"|'[^']*'|“[^”]*”|«[^»]*»|=[A-Z.]+\([^)]*\)|[A-Za-z]+_[A-Za-z0-9_]+|ATTN\.[A-Z]+|<[^>]+>/g;

export const readsAsEnglish = (text: string | undefined): boolean => ENGLISH.test((text ?? "").replace(NOT_PROSE, " "));

/** Every text of a language table: its strings, and what its functions say when given small numbers. */
export function tableTexts(table: unknown, path = ""): { path: string; text: string }[] {
  if (typeof table === "string") return [{ path, text: table }];
  if (typeof table === "function") {
    try {
      const said = (table as (...a: number[]) => unknown)(2, 3, 4, 5, 6, 7, 8);
      return typeof said === "string" ? [{ path: `${path}()`, text: said }] : [];
    } catch {
      return []; // A function that needs other arguments (a record, a list) is left to the tests of its own text.
    }
  }
  if (table && typeof table === "object") return Object.entries(table).flatMap(([k, v]) => tableTexts(v, path ? `${path}.${k}` : k));
  return [];
}
