import type { RateState } from './stick-table.types.js';

/**
 * HAProxy's frequency counter over a sliding period (freq_ctr: update_freq_ctr_period / read_freq_ctr_period),
 * reimplemented from its documented arithmetic.
 *
 * A counter holds three numbers: `tick` (when the current period started), `curr` (events in the current
 * period) and `prev` (events in the previous one).
 * - Adding at `now`: if `now - tick < period` the event goes into `curr`. Otherwise the counter rotates: if less
 *   than two periods passed, `prev = curr` and the period advances by exactly one period (`tick += period`);
 *   if two or more passed, `prev = 0` and the new period starts now (`tick = now`). Then `curr = inc`.
 * - Reading at `now`: `remain = tick + period - now` is what is left of the current period. When that is
 *   negative the current period is over: the reader shifts by one period (`past = curr`, `curr = 0`,
 *   `remain += period`), and a still-negative `remain` means both periods are gone (rate 0). The rate is
 *   `curr + floor(past * remain / period)`: the previous period's count weighted by the part of the window it
 *   still covers. Like HAProxy, when `curr` is 0 and `past` is 0 or 1 the rate is `past` (no flapping between
 *   0 and 1 at very low rates).
 *
 * The functions work on three consecutive slots of a number array so that a table entry keeps all of its data in
 * one array, without an object per counter (see stick-table.ts). `FreqCounter` wraps them for standalone use.
 */
export const RATE_SLOTS = 3;
const TICK = 0;
const CURR = 1;
const PREV = 2;

/** Writes a fresh counter (nothing counted; the first event starts a period). */
export function freqInit(slots: number[], offset: number, now: number, periodMs: number): void {
  // A tick two periods back makes the first add start a new period at that moment, with prev = 0.
  slots[offset + TICK] = now - 2 * periodMs;
  slots[offset + CURR] = 0;
  slots[offset + PREV] = 0;
}

/** Counts `inc` events at `now`; returns the current period's count. */
export function freqAdd(slots: number[], offset: number, periodMs: number, now: number, inc: number): number {
  const tick = slots[offset + TICK]!;
  if (now - tick < periodMs) {
    const curr = slots[offset + CURR]! + inc;
    slots[offset + CURR] = curr;
    return curr;
  }
  if (now - tick < 2 * periodMs) {
    slots[offset + PREV] = slots[offset + CURR]!;
    slots[offset + TICK] = tick + periodMs;
  } else {
    slots[offset + PREV] = 0;
    slots[offset + TICK] = now;
  }
  slots[offset + CURR] = inc;
  return inc;
}

/** The rate at `now`, in events per period (HAProxy's read_freq_ctr_period). */
export function freqRead(slots: readonly number[], offset: number, periodMs: number, now: number): number {
  let curr = slots[offset + CURR]!;
  let past = slots[offset + PREV]!;
  let remain = slots[offset + TICK]! + periodMs - now;
  if (remain < 0) {
    remain += periodMs;
    if (remain < 0) return 0;
    past = curr;
    curr = 0;
  }
  if (past <= 1 && curr === 0) return past;
  return curr + Math.floor((past * remain) / periodMs);
}

/** The counter as peers replicate it: counts plus the age of the current period. */
export function freqState(slots: readonly number[], offset: number, now: number): RateState {
  return { curr: slots[offset + CURR]!, prev: slots[offset + PREV]!, ageMs: now - slots[offset + TICK]! };
}

/** Overwrites the counter with a replicated state (touchRemote). */
export function freqLoad(slots: number[], offset: number, now: number, state: RateState): void {
  slots[offset + TICK] = now - state.ageMs;
  slots[offset + CURR] = state.curr;
  slots[offset + PREV] = state.prev;
}

/** One standalone counter: `add(now, n)` and `read(now)`. */
export class FreqCounter {
  private readonly slots: number[] = [0, 0, 0];

  constructor(readonly periodMs: number, now = 0) {
    freqInit(this.slots, 0, now, periodMs);
  }

  add(now: number, inc = 1): number {
    return freqAdd(this.slots, 0, this.periodMs, now, inc);
  }

  read(now: number): number {
    return freqRead(this.slots, 0, this.periodMs, now);
  }

  state(now: number): RateState {
    return freqState(this.slots, 0, now);
  }
}
