/**
 * Rest for a worker that trains: Office warns about an add-in that keeps a
 * core above 90% in three 5-second checks, so a long run stays below a
 * share of busy time. A rolling account: each step's busy time adds the
 * rest it owes (busy · (1 − share) / share), time spent waiting (for the
 * pane, or resting) pays it off, and the worker rests once the debt passes
 * `slackMs`, so timers fire rarely and coarsely. Any window then holds at
 * most share · window + slackMs + one step of busy time.
 */

/** Whether `share` is a duty cycle: a share of time in (0, 1]. WorkerEngine checks it on the pane's side, in the pane's language. */
export const isShare = (share: number): boolean => share > 0 && share <= 1;

export class DutyCycle {
  private debt = 0;
  private lastEnd?: number;

  /** `share` 1 never rests. */
  constructor(
    readonly share: number,
    private readonly slackMs = 20,
  ) {
    if (!isShare(share)) throw new RangeError(`the duty cycle should be a share in (0, 1], got ${share}`);
  }

  /** Work from `start` to `end` (ms, one clock): how long to rest after it before the next work. */
  rest(start: number, end: number): number {
    if (this.lastEnd !== undefined) this.debt = Math.max(0, this.debt - Math.max(0, start - this.lastEnd));
    this.debt += ((end - start) * (1 - this.share)) / this.share;
    this.lastEnd = end;
    return this.debt > this.slackMs ? this.debt : 0;
  }
}

/**
 * The default share: 80% busy, so that every 5-second window stays below
 * 85% (the margin covers the slack and one step), well under Office's 90%.
 */
export const DEFAULT_DUTY_CYCLE = 0.8;
