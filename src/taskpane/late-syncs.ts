/**
 * Which of Excel's answers are late, so the pane can say it waits. A batch
 * waits at its context.sync: while Excel calculates, and, since every
 * Excel.run of ours passes delayForCellEdit, while the user types in a cell
 * (on Windows clicking the pane does not end cell-edit mode, office-js
 * #806). Timing each sync, not each Excel.run, keeps a long build that
 * moves on from counting as late.
 */
import type { ExcelRun } from "../excel";

export class LateSyncs {
  private late = 0;
  private ms = 3000;
  private listener?: (waiting: boolean) => void;

  /** `listener(true)` once a sync has gone `ms` without an answer, `listener(false)` when every late one is answered. */
  listen(ms: number, listener: (waiting: boolean) => void): void {
    this.ms = ms;
    this.listener = listener;
  }

  /** `run` with each of its batches' syncs timed. */
  watch(run: ExcelRun): ExcelRun {
    return (batch) =>
      run((context) => {
        const sync = context.sync.bind(context);
        context.sync = (<T>(passThroughValue?: T) => this.time(sync(passThroughValue))) as typeof context.sync;
        return batch(context);
      });
  }

  private time<T>(answer: Promise<T>): Promise<T> {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      if (this.late++ === 0) this.listener?.(true);
    }, this.ms);
    return answer.finally(() => {
      clearTimeout(timer);
      if (late && --this.late === 0) this.listener?.(false);
    });
  }
}
