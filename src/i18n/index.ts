/**
 * The language of everything a user reads: one table per language (en.ts,
 * es.ts), and the one that is in use. The pane picks it from Office's
 * display language and its switch; `npm run workbook -- --lang es` and a
 * plan's `lang` pick it for one build.
 */
import { en, type Strings } from "./en";
import { es } from "./es";
import { ModelError, modelMessage } from "../model/messages";

export type { Strings } from "./en";

export const LANGUAGES = ["en", "es"] as const;
export type Lang = (typeof LANGUAGES)[number];

export const TABLES: Record<Lang, Strings> = { en, es };

/**
 * The language in use, kept on the page's global object: the pane and the
 * ATTN.* functions are two bundles in one page (webpack.config.js), each with
 * its own copy of this module, and the functions' messages must follow the
 * pane's switch (as src/functions/model-source.ts shares the model).
 */
const KEY = "attentionLabLanguage";
const slot = globalThis as { [KEY]?: Lang };

/** The table of the language in use. Read it when a text is shown or a sheet is built, never when a module loads. */
export function t(): Strings {
  return TABLES[language()];
}

export function language(): Lang {
  return slot[KEY] ?? "en";
}

export function setLanguage(lang: Lang): void {
  slot[KEY] = lang;
}

export function isLanguage(x: string): x is Lang {
  return (LANGUAGES as readonly string[]).includes(x);
}

/** Runs `fn` with `lang` in use (when given), then puts the language back. */
export function withLanguage<T>(lang: Lang | undefined, fn: () => T): T {
  const before = language();
  if (lang === undefined || lang === before) return fn();
  setLanguage(lang);
  try {
    return fn();
  } finally {
    setLanguage(before);
  }
}

/** `withLanguage` for work that awaits (a CLI's main): the language stays in use until `fn` settles. */
export async function withLanguageAsync<T>(lang: Lang, fn: () => Promise<T>): Promise<T> {
  const before = language();
  setLanguage(lang);
  try {
    return await fn();
  } finally {
    setLanguage(before);
  }
}

/** Office's display language ("es-ES", "es-419", "en-US", …) as one of ours: Spanish for any Spanish, English otherwise. */
export function languageOf(tag: string | undefined): Lang {
  const primary = (tag ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return isLanguage(primary) ? primary : "en";
}

/**
 * An error's text for a user, in the language in use: a ModelError (a check
 * of src/model, which knows no language) by its code and arguments in the
 * table, any other error by its message, which src/train, src/excel and the
 * pane already took from the table. Wherever a caught error reaches a user:
 * ATTN.* (src/functions/errors.ts), the pane, the CLIs.
 */
export function messageOf(error: unknown): string {
  if (error instanceof ModelError) return modelMessage(t().model, error.code, error.args);
  return error instanceof Error ? error.message : String(error);
}
