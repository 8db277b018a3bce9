/**
 * The parts of a build the model works without: notes (or comments),
 * colour scales, column widths, frozen panes and the loss chart. They are
 * written after the core, one kind per sync: a command that fails ends its
 * request, and the commands queued behind it are never run, so one kind that
 * a host turns down (NotImplemented, though it reports the requirement set)
 * cannot take the others with it. A kind that fails becomes a warning that
 * names it; the build goes on.
 */
import { intoBatches, PAYLOAD_LIMIT } from "./batch";
import { WARNINGS, type SheetWriter } from "./write";
import { t } from "../i18n";

export type Extra = "notes" | "colour scales" | "column widths" | "frozen panes" | "charts";

/** The order the extras are written in. */
export const EXTRAS: readonly Extra[] = ["notes", "colour scales", "column widths", "frozen panes", "charts"];

/** What Excel said when a sync failed: "NotImplemented: …". */
export function describeFailure(e: unknown): string {
  const code = typeof e === "object" && e !== null && "code" in e ? `${String((e as { code: unknown }).code)}: ` : "";
  return code + (e instanceof Error ? e.message : String(e));
}

/** The warning for an extra this Excel turned down. */
export function extraFailed(kind: Extra, e: unknown): string {
  return t().excel.extraFailed(t().excel.extra[kind], describeFailure(e));
}

/** Writes each kind of extra the writer queued, in its own syncs; returns how many syncs it made. */
export async function writeExtras(context: Excel.RequestContext, writer: SheetWriter, limit = PAYLOAD_LIMIT): Promise<number> {
  let syncs = 0;
  for (const kind of EXTRAS) {
    const ops = writer.extras.get(kind);
    if (!ops || ops.length === 0) continue;
    try {
      for (const batch of intoBatches(ops, limit)) {
        for (const o of batch) o.run();
        syncs += 1;
        // One kind (and payload-sized batch) per sync is the point: see the comment at the top.
        // eslint-disable-next-line office-addins/no-context-sync-in-loop
        await context.sync();
      }
      if (kind === "charts") {
        // The series Excel made are known only now; naming them and setting their ranges is part of the chart.
        writer.finishCharts();
        syncs += 1;
        // eslint-disable-next-line office-addins/no-context-sync-in-loop
        await context.sync();
      }
      // Said once the comments are in: a host may turn them down too, and then the warning below says so instead.
      if (kind === "notes" && writer.can.notes === "comments") writer.warn(WARNINGS.notesAsComments);
    } catch (e) {
      writer.warn(extraFailed(kind, e));
    }
  }
  return syncs;
}
