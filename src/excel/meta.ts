/**
 * What the trainer needs to know about a built workbook and cannot read from
 * its cells: the preset, the model config and the vocabulary. They live in a
 * very hidden sheet of key/value rows, written in the same sync as the rest
 * of the build, so the pane can pick up a workbook it built earlier (or one
 * a colleague built) after a restart.
 */
import type { ModelConfig } from "../model/config";
import { isOfficeError } from "./errors";
import { checkMeta, type MetaFields } from "./meta-check";

export const META_SHEET = "AttentionLab";
/** A cell holds at most 32,767 characters; longer values continue in the cells to their right. */
const CELL_CHARS = 30000;
const FORMAT = "attention-lab/1";

export interface WorkbookMeta {
  preset: string;
  config: ModelConfig;
  /** The vocabulary's tokens in id order (specials first). */
  vocab: string[];
  /** The seed the weights were first drawn from ("Reset weights" draws from it again). */
  seed?: number;
  /** Planned sheet name → the name it got in this workbook ("Encoder" → "Encoder (2)"). */
  sheets: Record<string, string>;
}

/** Key/value rows: the key in column A, its value's pieces from column B on, every row padded to the same width. */
export function metaRows(meta: WorkbookMeta): string[][] {
  const entries: [string, string][] = [
    ["format", FORMAT],
    ["preset", meta.preset],
    ["config", JSON.stringify(meta.config)],
    ["vocab", JSON.stringify(meta.vocab)],
    ["sheets", JSON.stringify(meta.sheets)],
    ...(meta.seed === undefined ? [] : [["seed", String(meta.seed)] as [string, string]]),
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
    if (key) byKey.set(key, row.slice(1).map((v) => String(v ?? "")).join(""));
  }
  const problem = (what: string): Error =>
    new Error(`The hidden ${META_SHEET} sheet ${what}; rebuild the workbook from the task pane to restore it.`);
  if (byKey.get("format") !== FORMAT) throw problem(`was not written by this version of Attention Lab (format "${byKey.get("format") ?? ""}")`);
  const json = (key: string): unknown => {
    const text = byKey.get(key);
    if (text === undefined) throw problem(`has no ${key}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw problem(`has a damaged ${key}`);
    }
  };
  const fields: MetaFields = { preset: byKey.get("preset"), config: json("config"), vocab: json("vocab"), sheets: json("sheets"), seed: byKey.get("seed") };
  const problems = checkMeta(fields);
  if (problems.length > 0) {
    throw new Error(`The hidden ${META_SHEET} sheet has settings this add-in cannot use: ${problems.join("; ")}; press Build in the task pane to write a new model and its settings.`);
  }
  const meta = fields as unknown as WorkbookMeta;
  return { ...meta, ...(fields.seed === undefined ? {} : { seed: Number(fields.seed) }) };
}

/** The metadata of the workbook, in one sync; undefined when Attention Lab never built into it. */
export async function readMeta(context: Excel.RequestContext): Promise<WorkbookMeta | undefined> {
  const used = context.workbook.worksheets.getItem(META_SHEET).getUsedRange(true);
  used.load("values");
  try {
    await context.sync();
  } catch (e) {
    if (isOfficeError(e, "ItemNotFound")) return undefined;
    throw e;
  }
  return parseMetaRows(used.values);
}
