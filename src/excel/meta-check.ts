/**
 * The settings read back from the hidden AttentionLab sheet, checked field
 * by field before anything uses them: a macro or another add-in can
 * unhide the sheet (very hidden keeps it out of Excel's menus only) and a
 * user can then edit it, and a config of
 * null or a vocab of {} must become a message, not "Cannot read properties
 * of null". Every field of WorkbookMeta has its check here; the mapped type
 * makes a new field without one a compile error.
 */
import { ModelConfig, validateConfig } from "../model/config";
import { wholeOf } from "../model/numbers";
import { SPECIALS } from "../model/vocab";
import type { WorkbookMeta } from "./meta";
import { messageOf, t } from "../i18n";

const T = () => t().excel.meta;

/** Each field as parsed from its row (JSON values parsed, the seed as its text); undefined when the row is absent. */
export type MetaFields = Record<keyof WorkbookMeta, unknown>;

type FieldCheck = (value: unknown, fields: MetaFields) => string[];

/** Seeds are 32-bit (src/model/rng.ts takes them modulo 2³²). */
const MAX_SEED = 0xffffffff;

const CHECKS: { [K in keyof WorkbookMeta]-?: FieldCheck } = {
  preset: (v) => (typeof v === "string" && v !== "" ? [] : [T().preset(shown(v))]),
  config: (v) => configProblems(v),
  vocab: (v, fields) => vocabProblems(v, fields.config),
  sheets: (v) => {
    if (!isRecord(v)) return [T().sheets(shown(v))];
    const bad = Object.entries(v).find(([, name]) => typeof name !== "string" || name === "");
    return bad ? [T().sheetName(bad[0], shown(bad[1]))] : [];
  },
  names: (v) => {
    if (v === undefined) return [];
    if (!isRecord(v)) return [T().names(shown(v))];
    const bad = Object.entries(v).find(([, name]) => typeof name !== "string" || name === "");
    return bad ? [T().blockName(bad[0], shown(bad[1]))] : [];
  },
  created: (v) => {
    if (v === undefined) return [];
    const lists =
      isRecord(v) && ["sheets", "names"].every((k) => Array.isArray(v[k]) && (v[k] as unknown[]).every((x) => typeof x === "string"));
    return lists ? [] : [T().created(shown(v))];
  },
  style: (v) => (v === undefined || v === "cells" || v === "functions" ? [] : [T().style(shown(v))]),
  seed: (v) => {
    if (v === undefined) return [];
    const seed = typeof v === "string" ? wholeOf(v) : NaN;
    return seed <= MAX_SEED ? [] : [T().seed(MAX_SEED, shown(v))];
  },
};

/** What is wrong with the settings, one phrase per problem; [] when they can be used as a WorkbookMeta. */
export function checkMeta(fields: MetaFields): string[] {
  return (Object.keys(CHECKS) as (keyof WorkbookMeta)[]).flatMap((key) => CHECKS[key](fields[key], fields));
}

/**
 * A config saved before models were lists of layers had `decoder: true |
 * false` and one layer: read it as the kind and the layer count it meant,
 * so a workbook built then still trains.
 */
export function upgradeConfig(v: unknown): unknown {
  if (!isRecord(v) || v.kind !== undefined || typeof v.decoder !== "boolean") return v;
  const { decoder, ...rest } = v;
  return { ...rest, kind: decoder ? "encoder-decoder" : "encoder", layers: v.layers ?? 1 };
}

function configProblems(v: unknown): string[] {
  if (!isRecord(v)) return [T().config(shown(v))];
  const problems: string[] = [];
  if (typeof v.scaled !== "boolean") problems.push(T().scaled(shown(v.scaled)));
  // An encoder–decoder's targetLen is checked by validateConfig; the other kinds' should be 0, but any small whole number is harmless.
  const targetLen = v.targetLen;
  if (v.kind !== "encoder-decoder" && !(Number.isInteger(targetLen) && (targetLen as number) >= 0 && (targetLen as number) <= 512)) {
    problems.push(T().targetLen(shown(targetLen)));
  }
  try {
    validateConfig(v as unknown as ModelConfig);
  } catch (e) {
    problems.push(T().inConfig(messageOf(e)));
  }
  return problems;
}

function vocabProblems(v: unknown, config: unknown): string[] {
  const size = configProblems(config).length === 0 ? (config as ModelConfig).vocabSize : undefined;
  const words = T().words(size);
  if (!Array.isArray(v)) return [T().vocab(words, shown(v))];
  if (size !== undefined && v.length !== size) return [T().vocabSize(words, v.length)];
  const other = v.findIndex((w) => typeof w !== "string");
  if (other >= 0) return [T().vocabWords(other + 1, shown(v[other]))];
  if (SPECIALS.some((s, i) => v[i] !== s)) {
    const quoted = (ws: readonly unknown[]) => ws.map((w) => `"${String(w)}"`).join(", ");
    return [T().vocabStart(quoted(SPECIALS), quoted(v.slice(0, SPECIALS.length)))];
  }
  const first = new Map<string, number>();
  for (const [i, w] of (v as string[]).entries()) {
    const seen = first.get(w);
    if (seen !== undefined) return [T().vocabTwice(w, seen + 1, i + 1)];
    first.set(w, i);
  }
  return [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A value as the user typed it into the sheet, cut short when long. */
function shown(v: unknown): string {
  const text = v === undefined ? T().nothing : JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
