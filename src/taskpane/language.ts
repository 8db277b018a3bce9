/**
 * The pane's language: Office's display language at start, unless the user
 * chose one with the switch (kept in the pane's local storage), and the
 * fixed texts of taskpane.html, which name their keys in the table with
 * data-i18n (textContent) and data-i18n-aria-label.
 */
import { isLanguage, language, languageOf, LANGUAGES, setLanguage, t, TABLES, type Lang } from "../i18n";

const STORED = "attention-lab.language";

/** The language the user chose before, if the storage has one (a pane without storage starts from Office's language). */
function stored(): Lang | undefined {
  try {
    const v = globalThis.localStorage?.getItem(STORED);
    return v && isLanguage(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function store(lang: Lang): void {
  try {
    globalThis.localStorage?.setItem(STORED, lang);
  } catch {
    // No storage (a private window, a locked-down host): the choice lasts until the pane closes.
  }
}

/** Puts the language in use: the user's earlier choice, else Office's display language ("es-ES" → Spanish). */
export function startLanguage(displayLanguage: string | undefined): Lang {
  const lang = stored() ?? languageOf(displayLanguage);
  setLanguage(lang);
  return lang;
}

/** Writes the table's texts into the elements that name a key, the page's language for screen readers, and the switch's choice. */
export function applyLanguage(doc: Document): void {
  const html = t().html as Record<string, string>;
  doc.documentElement.lang = language();
  const select = doc.getElementById("language") as HTMLSelectElement | null;
  if (select) select.value = language();
  for (const el of Array.from(doc.querySelectorAll<HTMLElement>("[data-i18n]"))) el.textContent = html[el.dataset.i18n!] ?? "";
  for (const el of Array.from(doc.querySelectorAll<HTMLElement>("[data-i18n-aria-label]")))
    el.setAttribute("aria-label", html[el.dataset.i18nAriaLabel!] ?? "");
}

/** The switch: one option per language, named in its own words; a change puts that language in use and calls `changed`. */
export function languageSwitch(doc: Document, changed: () => void): void {
  const select = doc.getElementById("language") as HTMLSelectElement | null;
  if (!select) return;
  select.replaceChildren(
    ...LANGUAGES.map((lang) => {
      const o = doc.createElement("option");
      o.value = lang;
      o.lang = lang;
      o.textContent = TABLES[lang].languageName;
      return o;
    }),
  );
  select.value = language();
  select.addEventListener("change", () => {
    if (!isLanguage(select.value)) return;
    setLanguage(select.value);
    store(select.value);
    applyLanguage(doc);
    changed();
  });
}
