/**
 * Which workbook names are ours, and the name a block gets when the user's
 * workbook already has one of its public names (DESIGN.md: `X`, `Tokens`,
 * `Vocab`, …). A name the add-in did not create is never changed: our
 * block gets the public name with the suffix `_AL` ("X_AL", then "X_AL2",
 * …), which can never read as a cell address and sorts beside the user's
 * own name in the Name Manager. The settings record public name → actual
 * name, and every reader finds blocks through that mapping.
 */
import { parseSheetRange } from "./address";
import type { WorkbookMeta } from "./meta";

export const NAME_SUFFIX = "_AL";

/** Public name → workbook name; a name missing from the mapping is its own public name. */
export type NameMap = Readonly<Record<string, string>>;

export function actualName(names: NameMap | undefined, key: string): string {
  return names?.[key] ?? key;
}

/**
 * The first of `public`, `public_AL`, `public_AL2`, … that no one else's
 * name takes: free, or created by the add-in (then re-pointed to this build).
 */
export function freeName(publicName: string, existing: ReadonlySet<string>, owned: ReadonlySet<string>): string {
  const usable = (n: string): boolean => !existing.has(n.toLowerCase()) || owned.has(n.toLowerCase());
  if (usable(publicName)) return publicName;
  for (let k = 1; ; k++) {
    const name = `${publicName}${NAME_SUFFIX}${k === 1 ? "" : k}`;
    if (usable(name)) return name;
  }
}

/**
 * The names the add-in created before, lower-cased: as the settings list
 * them, or, in a workbook built before they were listed, the names that
 * point into the sheets the last build made (which only a build made).
 */
export function ownedNames(previous: WorkbookMeta | undefined, names: readonly { name: string; value: unknown }[]): Set<string> {
  if (!previous) return new Set();
  if (previous.created) return new Set(previous.created.names.map((n) => n.toLowerCase()));
  const ours = new Set(Object.values(previous.sheets).map((s) => s.toLowerCase()));
  const owned = new Set<string>();
  for (const n of names) {
    try {
      if (ours.has(parseSheetRange(String(n.value).replace(/^=/, "")).sheet.toLowerCase())) owned.add(n.name.toLowerCase());
    } catch {
      // Not a range on one sheet (a constant, a formula, #REF!): not a block of ours.
    }
  }
  return owned;
}

/** `before` then `added`, each entry once (names compared without case, as Excel does). */
export function union(before: readonly string[], added: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...before, ...added].filter((n) => {
    const k = n.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
