/**
 * Mini-batches without replacement: each epoch is a seeded shuffle of the
 * examples, and a batch takes the next `size` of them, running on into the
 * next epoch. A batch depends only on (seed, cursor, size), so a session that
 * restores its cursor (undo) replays the same batches.
 */
import { Rng } from "../model/rng";
import { t } from "../i18n";

export class BatchSampler {
  private cachedEpoch = -1;
  private cachedOrder: number[] = [];

  constructor(
    private readonly count: number,
    private readonly seed: number,
  ) {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(t().train.batchCount(count));
    if (!Number.isFinite(seed)) throw new RangeError(t().train.batchSeed(seed));
  }

  /** The example indices at positions cursor … cursor + size − 1 of the endless epoch sequence. */
  take(cursor: number, size: number): number[] {
    const out: number[] = [];
    for (let k = cursor; k < cursor + size; k++) out.push(this.order(Math.floor(k / this.count))[k % this.count]);
    return out;
  }

  /** Epoch e's shuffle, from a seed mixed with e so that epochs differ but replay exactly. */
  private order(epoch: number): number[] {
    if (epoch !== this.cachedEpoch) {
      const mixed = ((Math.trunc(this.seed) >>> 0) ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0;
      this.cachedOrder = new Rng(mixed).shuffle(Array.from({ length: this.count }, (_, i) => i));
      this.cachedEpoch = epoch;
    }
    return this.cachedOrder;
  }
}
