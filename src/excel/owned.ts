/**
 * Which workbook names are ours, and the name a block gets when the user's
 * workbook already has one of its public names (docs/architecture.md: `X`, `Tokens`,
 * `Vocab`, …). A name the add-in did not create is never changed: our
 * block gets the public name with the suffix `_AL` ("X_AL", then "X_AL2",
 * …), which can never read as a cell address and sorts beside the user's
 * own name in the Name Manager. The settings record public name → actual
 * name, and every reader finds blocks through that mapping.
 */
import { parseSheetRange } from "./address";
import { parseMetaRows, WorkbookMeta } from "./meta";
import { t } from "../i18n";

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
function freeName(publicName: string, existing: ReadonlySet<string>, owned: ReadonlySet<string>): string {
  const usable = (n: string): boolean => !existing.has(n.toLowerCase()) || owned.has(n.toLowerCase());
  if (usable(publicName)) return publicName;
  for (let k = 1; ; k++) {
    const name = `${publicName}${NAME_SUFFIX}${k === 1 ? "" : k}`;
    if (usable(name)) return name;
  }
}

/**
 * Where `planned` names go in a workbook that has `existing` names (lower
 * case), of which `owned` are ours: each public name's free name; the
 * existing names the build may replace (ours); and, when some of the
 * user's own names were in the way, the warning that says so.
 */
export function placeNames(
  planned: readonly string[],
  existing: ReadonlySet<string>,
  owned: ReadonlySet<string>,
): { names: Map<string, string>; replaceable: Set<string>; warning?: string } {
  const names = new Map(planned.map((n) => [n, freeName(n, existing, owned)]));
  const theirs = [...names].filter(([publicName, actual]) => publicName !== actual && !owned.has(publicName.toLowerCase()));
  const replaceable = new Set([...existing].filter((n) => owned.has(n)));
  return { names, replaceable, ...(theirs.length > 0 ? { warning: userNamesWarning(theirs) } : {}) };
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

/** The settings an earlier build left, or undefined when there are none or they cannot be read (they are still ours, and rewritten). */
export function previousMeta(values: unknown[][] | undefined): WorkbookMeta | undefined {
  if (!values) return undefined;
  try {
    return parseMetaRows(values);
  } catch {
    return undefined;
  }
}

/** What the settings list as created once `sheets` and `names` are made: what was there before, and these. */
export function createdAfter(
  previous: WorkbookMeta | undefined,
  owned: ReadonlySet<string>,
  settingsSheet: string,
  sheets: string[],
  names: string[],
): { sheets: string[]; names: string[] } {
  return {
    sheets: union(previous?.created?.sheets ?? (previous ? [...Object.values(previous.sheets), settingsSheet] : []), [
      ...sheets,
      settingsSheet,
    ]),
    names: union(previous?.created?.names ?? [...owned], names),
  };
}

/** The pane's warning when the user already has some of the public names: ours got `renamed` (public → actual) and theirs are unchanged. */
function userNamesWarning(renamed: [string, string][]): string {
  if (renamed.length === 1) {
    const [[planned, actual]] = renamed;
    return t().excel.userName(planned, actual);
  }
  const shown = renamed.slice(0, 4);
  return t().excel.userNames(
    shown.map(([p]) => p).join(", "),
    shown.map(([, a]) => a).join(", "),
    Math.max(0, renamed.length - 4),
    NAME_SUFFIX,
  );
}
