import { SlidingAverage } from './rate.js';

/**
 * The health-check and state-change figures of one server that `show stat` reports (issue #5), kept with its
 * TrafficCounters so they survive a hitless reload like the counters do. Plain numbers, written by the health lib
 * (backend/health-monitoring.ts) and by ServerRuntime.setState().
 */
export class CheckRecord {
  /** HAProxy's check_status code of the last check: L4OK, L4CON, L4TOUT, L6RSP, L7OK, L7STS, L7RSP, L7TOUT… */
  status: string | undefined;
  /** HTTP status of the last Layer 7 check. */
  code: number | undefined;
  durationMs = 0;
  /** Wall-clock ms of the last check's end (`last_chk` is its age in HAProxy's stats page). */
  at = 0;
  /** Description (check_desc), e.g. `Layer4 check passed`. */
  desc: string | undefined;
  /** Failed checks while the server was UP (HAProxy's `chkfail`). */
  failed = 0;
  /** UP to DOWN transitions (`chkdown`). */
  downs = 0;

  reset(): void {
    this.failed = this.downs = 0;
  }
}

/** Since when the server is in its current state, and how long it has been DOWN in total (`lastchg`, `downtime`). */
export class StateClock {
  /** Wall-clock ms of the last state change (the creation, before any). */
  changedAt = Date.now();
  /** Wall-clock ms the server went DOWN, while it is down. */
  downSince: number | undefined;
  /** Ms spent DOWN before `downSince`. */
  downMs = 0;

  changed(down: boolean, now = Date.now()): void {
    this.changedAt = now;
    if (down && this.downSince === undefined) this.downSince = now;
    else if (!down && this.downSince !== undefined) {
      this.downMs += now - this.downSince;
      this.downSince = undefined;
    }
  }

  /** Total seconds DOWN, the current outage included. */
  downtime(now = Date.now()): number {
    return Math.floor((this.downMs + (this.downSince !== undefined ? now - this.downSince : 0)) / 1000);
  }

  reset(now = Date.now()): void {
    this.downMs = 0;
    if (this.downSince !== undefined) this.downSince = now;
  }
}

/** The averages over the last 1024 transactions, in ms (`qtime`, `ctime`, `rtime`, `ttime`). */
export class PhaseAverages {
  readonly queue = new SlidingAverage();
  readonly connect = new SlidingAverage();
  readonly response = new SlidingAverage();
  readonly total = new SlidingAverage();
  /** Transactions observed: the averages are reported only once there is one. */
  samples = 0;

  observe(tw: number, tc: number, tr: number, tt: number): void {
    this.samples++;
    this.queue.add(tw);
    this.connect.add(tc);
    this.response.add(tr);
    this.total.add(tt);
  }

  reset(): void {
    this.samples = 0;
    for (const a of [this.queue, this.connect, this.response, this.total]) a.reset();
  }
}

/** HAProxy's check_status for a check result's reason text (src/check.c's names), or `UNK` when unknown. */
export function checkStatusCode(reason: string, ok: boolean): string {
  const r = reason.toLowerCase();
  const layer = /layer\s*([4567])/.exec(r)?.[1];
  if (layer === undefined) return ok ? 'L4OK' : 'UNK';
  if (ok) return `L${layer}OK`;
  if (r.includes('timeout')) return `L${layer}TOUT`;
  if (layer === '4') return 'L4CON';
  if (r.includes('wrong status')) return 'L7STS';
  return `L${layer}RSP`;
}
