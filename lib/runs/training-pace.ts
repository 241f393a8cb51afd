/**
 * Seconds per batch over the last `window` batches, for a run's images/s and time left. A window rather than the
 * whole run so a pause (a val pass, a checkpoint) fades out of the figure.
 */
export class TrainingPace {
  private readonly stamps: number[] = [];

  constructor(
    readonly batchSize: number,
    private readonly window = 20,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records that a batch finished; returns the mean seconds per batch, or null until two batches were seen. */
  tick(): number | null {
    this.stamps.push(this.now());
    if (this.stamps.length > this.window + 1) this.stamps.shift();
    if (this.stamps.length < 2) return null;
    return (this.stamps[this.stamps.length - 1] - this.stamps[0]) / 1000 / (this.stamps.length - 1);
  }
}
