/**
 * A latency histogram with fixed buckets (Prometheus' cumulative `le` buckets), beyond HAProxy: HAProxy's stats only
 * give averages over the last 1024 requests; these give quantiles (p50, p99) over the process' life. Recording is
 * one array walk, no allocation.
 */
export const LATENCY_BUCKETS_MS: readonly number[] = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];

export class LatencyHistogram {
  /** counts[i]: observations <= LATENCY_BUCKETS_MS[i] and > the previous bound; the last slot is +Inf. */
  readonly counts: number[] = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  count = 0;
  sumMs = 0;

  observe(ms: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS_MS.length && ms > LATENCY_BUCKETS_MS[i]!) i++;
    this.counts[i]!++;
    this.count++;
    this.sumMs += ms;
  }

  /** The q-quantile (0..1) in ms, interpolated linearly inside its bucket; undefined without observations. */
  quantile(q: number): number | undefined {
    if (this.count === 0) return undefined;
    const rank = q * this.count;
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const c = this.counts[i]!;
      if (c > 0 && seen + c >= rank) {
        const lo = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1]!;
        const hi = LATENCY_BUCKETS_MS[i] ?? lo;
        return lo + (hi - lo) * Math.max(0, Math.min(1, (rank - seen) / c));
      }
      seen += c;
    }
    return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1];
  }

  toJSON(): { count: number; sum_ms: number; p50_ms?: number; p90_ms?: number; p99_ms?: number; buckets: Record<string, number> } {
    const buckets: Record<string, number> = {};
    let cumulative = 0;
    this.counts.forEach((c, i) => {
      cumulative += c;
      buckets[i < LATENCY_BUCKETS_MS.length ? String(LATENCY_BUCKETS_MS[i]) : '+Inf'] = cumulative;
    });
    const q = (p: number) => {
      const v = this.quantile(p);
      return v === undefined ? undefined : Math.round(v * 1000) / 1000;
    };
    const p50 = q(0.5);
    const p90 = q(0.9);
    const p99 = q(0.99);
    return { count: this.count, sum_ms: this.sumMs, ...(p50 !== undefined ? { p50_ms: p50 } : {}), ...(p90 !== undefined ? { p90_ms: p90 } : {}), ...(p99 !== undefined ? { p99_ms: p99 } : {}), buckets };
  }

  /** Prometheus histogram lines (seconds), `labels` without braces. */
  toPrometheus(name: string, labels: string): string {
    let cumulative = 0;
    const lines: string[] = [];
    this.counts.forEach((c, i) => {
      cumulative += c;
      const le = i < LATENCY_BUCKETS_MS.length ? String(LATENCY_BUCKETS_MS[i]! / 1000) : '+Inf';
      lines.push(`${name}_bucket{${labels},le="${le}"} ${cumulative}`);
    });
    lines.push(`${name}_sum{${labels}} ${this.sumMs / 1000}`, `${name}_count{${labels}} ${this.count}`);
    return `${lines.join('\n')}\n`;
  }
}
