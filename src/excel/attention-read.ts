/**
 * The attention weights as the sheet shows them, for the pane's head view:
 * every head of one attention block with its query and key tokens, read by
 * name (through the build's mapping) in one sync; which head a selection
 * falls in; and the workbook events that tell the pane to read again.
 */
import { architecture, type AttentionRole, type StreamName } from "../model/architecture";
import type { ModelConfig } from "../model/config";
import { parseCell } from "../sheet/a1";
import { parseSheetRange, type SheetRange } from "./address";
import { readNamed } from "./named";
import { actualName, type NameMap } from "./owned";

/** An attention block the head view can show: its prefix, its role, and the streams its queries and keys come from. */
export interface AttentionTarget {
  block: string;
  role: AttentionRole;
  queries: StreamName;
  keys: StreamName;
  heads: number;
}

/** One block's heads as the cells hold them now. */
export interface AttentionRead {
  target: AttentionTarget;
  queries: string[];
  keys: string[];
  /** False for a <pad> key, which no query attends to. */
  keyVisible: boolean[];
  /** weights[h][i][j]: head h + 1, query i, key j; null where the cell holds no number (an error, or not calculated yet). */
  weights: (number | null)[][][];
  /** Where each head's block is, to name a cell. */
  ranges: SheetRange[];
}

/** A token stream's rows (docs/architecture.md, Named ranges): the source's Tokens, the decoder input's Dec_Tokens. */
const STREAM_NAMES: Record<StreamName, { tokens: string; visible: string }> = {
  source: { tokens: "Tokens", visible: "Key_Visible" },
  target: { tokens: "Dec_Tokens", visible: "Dec_Key_Visible" },
};

/** The attention blocks of `config`, in the order they compute (the layer list's order). */
export function attentionTargets(config: ModelConfig): AttentionTarget[] {
  return architecture(config).layers.flatMap((layer) =>
    layer.blocks.flatMap((b) =>
      b.kind === "attention"
        ? [
            {
              block: b.name,
              role: b.role,
              queries: layer.stream,
              keys: b.role === "cross" ? ("source" as const) : layer.stream,
              heads: config.heads,
            },
          ]
        : [],
    ),
  );
}

/** The public name of head `h` (1-based) of `block`'s weights: `Dec_Cross_H2_Attn`. */
export const attnName = (block: string, h: number): string => `${block}_H${h}_Attn`;

/** True where query i may attend to key j: a visible key, and for a causal block one at or before the query. */
export function attends(read: Pick<AttentionRead, "keyVisible" | "target">, i: number, j: number): boolean {
  return read.keyVisible[j] && (read.target.role !== "masked" || j <= i);
}

const streamLength = (config: ModelConfig, s: StreamName): number => (s === "source" ? config.sourceLen : config.targetLen);
const word = (v: unknown): string => (v === null || v === undefined ? "" : String(v).trim());

/** Every head of `target`, its tokens and its keys' visibility, in one sync; a missing or resized block is a WorkbookError. */
export async function readAttention(
  context: Excel.RequestContext,
  config: ModelConfig,
  target: AttentionTarget,
  names?: NameMap,
): Promise<AttentionRead> {
  const nq = streamLength(config, target.queries);
  const nk = streamLength(config, target.keys);
  const q = STREAM_NAMES[target.queries];
  const k = STREAM_NAMES[target.keys];
  const heads = Array.from({ length: target.heads }, (_, h) => attnName(target.block, h + 1));
  const blocks = await readNamed(context, [
    { name: actualName(names, q.tokens), rows: 1, cols: nq },
    { name: actualName(names, k.tokens), rows: 1, cols: nk },
    { name: actualName(names, k.visible), rows: 1, cols: nk },
    ...heads.map((n) => ({ name: actualName(names, n), rows: nq, cols: nk })),
  ]);
  const [queries, keys, visible, ...attn] = blocks;
  return {
    target,
    queries: queries.values[0].map(word),
    keys: keys.values[0].map(word),
    // The sheet computes it from the token's row in the vocabulary; anything but 0 counts as visible, as the formulas read it.
    keyVisible: visible.values[0].map((v) => v !== 0),
    weights: attn.map((b) => b.values.map((row) => row.map((v) => (typeof v === "number" && Number.isFinite(v) ? v : null)))),
    ranges: attn.map((b) => b.range),
  };
}

/**
 * The block and head whose weights contain the selection (`address` on the
 * sheet with id `worksheetId`, as WorksheetSelectionChangedEventArgs give
 * them), or undefined: one sync for the sheet's name and every head's range.
 */
export async function attentionAt(
  context: Excel.RequestContext,
  targets: readonly AttentionTarget[],
  worksheetId: string,
  address: string,
  names?: NameMap,
): Promise<{ block: string; head: number } | undefined> {
  const sheet = context.workbook.worksheets.getItem(worksheetId).load("name");
  const heads = targets.flatMap((t) => Array.from({ length: t.heads }, (_, h) => ({ block: t.block, head: h + 1 })));
  const ranges = heads.map((x) =>
    context.workbook.names
      .getItem(actualName(names, attnName(x.block, x.head)))
      .getRange()
      .load("address"),
  );
  try {
    await context.sync();
  } catch {
    // A name deleted or pointing nowhere: the selection shows nothing, and the head view's own read says what is wrong.
    return undefined;
  }
  const corner = selectionCorner(address);
  if (!corner) return undefined;
  const k = ranges.findIndex((r) => {
    const b = parseSheetRange(r.address);
    return (
      b.sheet.toLowerCase() === sheet.name.toLowerCase() &&
      corner.row >= b.top &&
      corner.row < b.top + b.rows &&
      corner.col >= b.left &&
      corner.col < b.left + b.cols
    );
  });
  return k < 0 ? undefined : heads[k];
}

/** The top-left cell of a selection's first area ("C5:E9", "C5:E9, G2" for several areas), 0-based; undefined for a whole row or column. */
export function selectionCorner(address: string): { row: number; col: number } | undefined {
  const first = address.split(/[,:]/)[0].trim().replace(/^.*!/, "");
  return /^\$?[A-Z]+\$?\d+$/.test(first) ? parseCell(first) : undefined;
}

/** What the pane hears from the workbook; each returns when it has dealt with the event. */
export interface WorkbookListeners {
  calculated(): Promise<void>;
  selectionChanged(worksheetId: string, address: string): Promise<void>;
}

/** Registers `listeners` on every worksheet's onCalculated (ExcelApi 1.8) and onSelectionChanged (1.9), in one sync. */
export async function watchWorkbook(context: Excel.RequestContext, listeners: WorkbookListeners): Promise<void> {
  context.workbook.worksheets.onCalculated.add(() => listeners.calculated());
  context.workbook.worksheets.onSelectionChanged.add((e) => listeners.selectionChanged(e.worksheetId, e.address));
  await context.sync();
}
