/**
 * Commands queued for one or more `context.sync` calls. Every command is an
 * Op with an estimate of the bytes it adds to the request, so a long list is
 * cut into as few batches as the payload limit allows: one for every preset
 * we ship, more only for very large models.
 *
 * Excel on the web rejects a request (and a response) larger than 5 MB with
 * RequestPayloadSizeLimitExceeded ("Payload size limit best practices",
 * learn.microsoft.com/office/dev/add-ins/excel/performance). Our estimate is
 * the UTF-8 size of each argument's JSON plus a fixed allowance for the
 * command and its object path; PAYLOAD_LIMIT keeps a fifth in reserve for
 * what the estimate misses.
 */

export const PAYLOAD_LIMIT = 4 * 1024 * 1024;
/** Bytes a command costs beyond its arguments: action, object path, ids. */
export const OP_OVERHEAD = 200;

export interface Op {
  bytes: number;
  /** Queues the command on the context; runs in order, so a later op may use a proxy an earlier one made. */
  run: () => void;
}

export function op(run: () => void, ...payload: unknown[]): Op {
  let bytes = OP_OVERHEAD;
  for (const p of payload) bytes += utf8Length(JSON.stringify(p) ?? "");
  return { bytes, run };
}

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      n += 4;
      i += 1;
    } else n += 3;
  }
  return n;
}

/** Consecutive ops in batches of at most `limit` bytes; an op larger than the limit travels alone (callers split big writes first). */
export function intoBatches(ops: readonly Op[], limit = PAYLOAD_LIMIT): Op[][] {
  const out: Op[][] = [];
  let current: Op[] = [];
  let bytes = 0;
  for (const o of ops) {
    if (current.length > 0 && bytes + o.bytes > limit) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(o);
    bytes += o.bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * Row ranges [start, start + rows) of a grid, each of whose JSON stays under
 * `limit` bytes: how one big block is written in parts.
 */
export function rowChunks(grid: readonly unknown[][], limit = PAYLOAD_LIMIT): { start: number; rows: number }[] {
  const chunks: { start: number; rows: number }[] = [];
  let start = 0;
  let bytes = OP_OVERHEAD;
  grid.forEach((row, i) => {
    const b = utf8Length(JSON.stringify(row)) + 1;
    if (i > start && bytes + b > limit) {
      chunks.push({ start, rows: i - start });
      start = i;
      bytes = OP_OVERHEAD;
    }
    bytes += b;
  });
  if (grid.length > start) chunks.push({ start, rows: grid.length - start });
  return chunks;
}

/**
 * Queues each batch and syncs it. `beforeBatch` runs first in every batch:
 * the suspensions of calculation and screen updating last only until the
 * next sync, so each batch asks for them again.
 */
export async function runBatches(
  context: Excel.RequestContext,
  batches: readonly Op[][],
  beforeBatch: () => void,
  onBatch?: (index: number, count: number) => void,
): Promise<number> {
  let syncs = 0;
  for (const [k, batch] of batches.entries()) {
    onBatch?.(k, batches.length);
    beforeBatch();
    for (const o of batch) o.run();
    // A batch per payload limit is the point of this loop: one sync each, never one per command.
    // eslint-disable-next-line office-addins/no-context-sync-in-loop
    await context.sync();
    syncs += 1;
  }
  return syncs;
}
