/**
 * The short notes that explain each block, in plain words: what it computes
 * and why. They appear as cell notes on each block's title and in the guided
 * tour. Their texts are in the language tables (src/i18n); NOTES reads the
 * table of the language in use when a note is read.
 */
import { t, type Strings } from "../i18n";

export type Notes = Strings["notes"];

export const NOTES: Notes = new Proxy({} as Notes, {
  get: (_, key) => t().notes[key as keyof Notes],
});
