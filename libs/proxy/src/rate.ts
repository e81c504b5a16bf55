/**
 * Event rates and sliding averages for `show stat` (issue #5), plain numbers updated on the data path.
 *
 * `EventRate` is a per-second rate over 1 s windows, read as HAProxy reads its frequency counters: the events of
 * the current second plus the previous second's count weighted by the part of the window not elapsed yet, so the
 * value moves smoothly instead of jumping at each boundary. `max` is the highest value read at an event
 * (`rate_max`, `req_rate_max`).
 *
 * `SlidingAverage` is the average of roughly the last N samples without keeping them (HAProxy's qtime/ctime/
 * rtime/ttime use N = 1024): each sample replaces 1/N of the running sum. Until N samples have been seen the
 * average is the plain mean, so the first values are not biased toward 0.
 */
export class EventRate {
  private windowStart = 0;
  private current = 0;
  private previous = 0;
  max = 0;

  constructor(private readonly now: () => number = Date.now, private readonly periodMs = 1000) {}

  /** One (or `n`) events now. */
  add(n = 1): void {
    this.addAt(this.now(), n);
  }

  /** As add, at a time the caller already read from this rate's clock (one clock read per event on the data path). */
  addAt(t: number, n = 1): void {
    this.roll(t);
    this.current += n;
    const r = this.read(t);
    if (r > this.max) this.max = r;
  }

  /** Events per period, now. */
  get value(): number {
    return this.read();
  }

  /** `clear counters`: the max restarts from the current value. */
  clearMax(): void {
    this.max = this.read();
  }

  reset(): void {
    this.current = this.previous = this.max = 0;
  }

  private roll(t: number): void {
    const elapsed = t - this.windowStart;
    if (elapsed < this.periodMs) return;
    // One window later the current count becomes the previous one; two or more later both are stale.
    this.previous = elapsed < 2 * this.periodMs ? this.current : 0;
    this.current = 0;
    this.windowStart = t - (elapsed % this.periodMs);
  }

  private read(t = this.now()): number {
    this.roll(t);
    const left = Math.max(0, this.periodMs - (t - this.windowStart));
    return this.current + Math.floor((this.previous * left) / this.periodMs);
  }
}

export class SlidingAverage {
  private sum = 0;
  private count = 0;

  constructor(private readonly samples = 1024) {}

  add(value: number): void {
    if (value < 0) return;
    if (this.count < this.samples) {
      this.count++;
      this.sum += value;
    } else {
      this.sum += value - this.sum / this.samples;
    }
  }

  /** The rounded average in the samples' unit, 0 before the first sample. */
  get value(): number {
    return this.count === 0 ? 0 : Math.round(this.sum / this.count);
  }

  reset(): void {
    this.sum = this.count = 0;
  }
}
