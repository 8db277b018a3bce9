/**
 * What the trainer needs to know about a built workbook and cannot read from
 * its cells: the preset, the model config and the vocabulary. They live in a
 * very hidden sheet of key/value rows, written in the same sync as the rest
 * of the build, so the pane can pick up a workbook it built earlier (or one
 * a colleague built) after a restart.
 *
 * The sheet is ours only when it is very hidden, which the Excel UI cannot
 * do (XlSheetVisibility: "the user cannot make the object visible"), and
 * starts with our format row: a user's own sheet called "AttentionLab" is
 * never taken for it, and the settings then live under a free name
 * ("AttentionLab (2)"), found again by that scan.
 */
import type { ModelConfig } from "../model/config";
import type { FormulaStyleName } from "../sheet/style";
import { checkMeta, upgradeConfig, type MetaFields } from "./meta-check";
import { t } from "../i18n";

export const META_SHEET = "AttentionLab";
/** A cell holds at most 32,767 characters; longer values continue in the cells to their right. */
const CELL_CHARS = 30000;
const FORMAT = "attention-lab/1";

export interface WorkbookMeta {
  preset: string;
  config: ModelConfig;
  /** The vocabulary's tokens in id order (specials first). */
  vocab: string[];
  /**
   * The formula style the workbook was built in: the plan rebuilt from these settings (the pane's explanations) must be
   * that build's. Absent in workbooks built before it was recorded: read as "cells", the Build form's default.
   */
  style?: FormulaStyleName;
  /** The seed the weights were first drawn from ("Reset weights" draws from it again). */
  seed?: number;
  /** Planned sheet name → the name it got in this workbook ("Encoder" → "Encoder (2)"). */
  sheets: Record<string, string>;
  /**
   * Public block name → the workbook name it got in the newest build ("X" → "X_AL" when the user has an X); absent in workbooks
   * built before names were mapped.
   */
  names?: Record<string, string>;
  /** Every sheet and workbook name the add-in created in this workbook, over every build: what it may change again. */
  created?: { sheets: string[]; names: string[] };
}

/** Key/value rows: the key in column A, its value's pieces from column B on, every row padded to the same width. */
export function metaRows(meta: WorkbookMeta): string[][] {
  const entries: [string, string][] = [
    ["format", FORMAT],
    ["preset", meta.preset],
    ["config", JSON.stringify(meta.config)],
    ["vocab", JSON.stringify(meta.vocab)],
    ["sheets", JSON.stringify(meta.sheets)],
    ...(meta.names === undefined ? [] : [["names", JSON.stringify(meta.names)] as [string, string]]),
    ...(meta.created === undefined ? [] : [["created", JSON.stringify(meta.created)] as [string, string]]),
    ...(meta.seed === undefined ? [] : [["seed", String(meta.seed)] as [string, string]]),
    ...(meta.style === undefined ? [] : [["style", meta.style] as [string, string]]),
  ];
  const rows = entries.map(([key, value]) => {
    const pieces: string[] = [];
    for (let i = 0; i < value.length; i += CELL_CHARS) pieces.push(value.slice(i, i + CELL_CHARS));
    return [key, ...(pieces.length ? pieces : [""])];
  });
  const width = Math.max(...rows.map((r) => r.length));
  return rows.map((r) => [...r, ...new Array<string>(width - r.length).fill("")]);
}

/** The metadata in rows read back from the sheet; a clear error when they are not what metaRows wrote. */
export function parseMetaRows(values: readonly (readonly unknown[])[]): WorkbookMeta {
  const byKey = new Map<string, string>();
  for (const row of values) {
    const key = String(row[0] ?? "");
    if (key)
      byKey.set(
        key,
        row
          .slice(1)
          .map((v) => String(v ?? ""))
          .join(""),
      );
  }
  const T = t().excel;
  const problem = (what: string): Error => new Error(T.metaProblem(META_SHEET, what));
  if (byKey.get("format") !== FORMAT) throw problem(T.metaFormat(byKey.get("format") ?? ""));
  const json = (key: string): unknown => {
    const text = byKey.get(key);
    if (text === undefined) throw problem(T.metaMissing(key));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw problem(T.metaDamaged(key));
    }
  };
  const optional = (key: string): unknown => (byKey.has(key) ? json(key) : undefined);
  const fields: MetaFields = {
    preset: byKey.get("preset"),
    config: upgradeConfig(json("config")),
    vocab: json("vocab"),
    sheets: json("sheets"),
    names: optional("names"),
    created: optional("created"),
    seed: byKey.get("seed"),
    style: byKey.get("style"),
  };
  const problems = checkMeta(fields);
  if (problems.length > 0) {
    throw new Error(T.metaUnusable(META_SHEET, problems.join("; ")));
  }
  const present = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as unknown as WorkbookMeta;
  return { ...present, ...(fields.seed === undefined ? {} : { seed: Number(fields.seed) }) };
}

/** True for the rows our settings sheet starts with, whatever its format version. */
function isSettings(values: readonly (readonly unknown[])[]): boolean {
  const first = values[0] ?? [];
  return first[0] === "format" && typeof first[1] === "string" && first[1].startsWith("attention-lab/");
}

export interface SettingsScan {
  /** Every sheet of the workbook, by name. */
  sheets: string[];
  /** Our settings sheet and its rows, when there is one. */
  settings?: { sheet: string; values: unknown[][] };
  syncs: number;
}

/**
 * The workbook's sheets and our settings sheet among them: one sync for the
 * sheets' names and visibility, one more for the rows of the very hidden
 * ones (none in a workbook Attention Lab never built into). Commands queued
 * before the call run in the first sync.
 */
export async function scanSettings(context: Excel.RequestContext): Promise<SettingsScan> {
  const items = context.workbook.worksheets.load("items/name,items/visibility");
  await context.sync();
  const hidden = items.items
    .filter((s) => s.visibility === "VeryHidden")
    .map((s) => ({ sheet: s.name, used: s.getUsedRange(true).load("values") }));
  const sheets = items.items.map((s) => s.name);
  if (hidden.length === 0) return { sheets, syncs: 1 };
  await context.sync();
  const found = hidden.find((h) => isSettings(h.used.values));
  return { sheets, settings: found && { sheet: found.sheet, values: found.used.values }, syncs: 2 };
}

/** The metadata of the workbook, in two syncs; undefined when Attention Lab never built into it. */
export async function readMeta(context: Excel.RequestContext): Promise<WorkbookMeta | undefined> {
  const { settings } = await scanSettings(context);
  return settings && parseMetaRows(settings.values);
}
