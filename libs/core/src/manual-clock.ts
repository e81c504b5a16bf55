import type { Clock, TimerHandle } from './clock.types.js';

interface PendingTimer {
  readonly due: number;
  readonly order: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when a test says so. Timers fire in due order (ties in creation order) as `advance`
 * passes them. It lives in core rather than in @tandem/testing because every lib's unit specs need it and
 * core is the only lib every lib may import.
 */
export class ManualClock implements Clock {
  private current = 0;
  private sequence = 0;
  private readonly timers: PendingTimer[] = [];

  constructor(private readonly epochMs = 1_700_000_000_000) {}

  now(): number {
    return this.current;
  }

  wallTime(): number {
    return this.epochMs + this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer: PendingTimer = { due: this.current + Math.max(0, delayMs), order: this.sequence++, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => { timer.cancelled = true; } };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.current = next.due;
      if (!next.cancelled) next.callback();
    }
    this.current = target;
  }

  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  private nextDue(limit: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers) {
      if (t.due > limit) continue;
      if (!best || t.due < best.due || (t.due === best.due && t.order < best.order)) best = t;
    }
    return best;
  }
}
