import type { Clock, TimerHandle } from '@tandem/core';
import type { CheckResult, Health, HealthTransition } from './health.types.js';
import { applyCheck, initialHealth, isUp } from './hysteresis.js';
import { spreadInterval } from './spread.js';

export interface CheckTiming {
  /** `inter`: between checks while the server is stable. */
  readonly inter: number;
  /** `fastinter`: while the server is going up or going down (defaults to inter). */
  readonly fastinter?: number;
  /** `downinter`: while the server is fully down (defaults to inter). */
  readonly downinter?: number;
  readonly rise: number;
  readonly fall: number;
  /** `spread-checks`: move each interval at random by up to this percentage. */
  readonly spreadPercent?: number;
  readonly random?: () => number;
}

/**
 * Runs one server's checks on the Clock: one check at a time, the next one scheduled when the previous result is
 * in, at HAProxy's interval for the current health (inter, fastinter while transitioning, downinter when down).
 * Health comes only from `applyCheck`; the owner hears about transitions through `onTransition`.
 */
export class CheckMonitor {
  private health: Health;
  private timer?: TimerHandle;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly timing: CheckTiming,
    private readonly runCheck: () => Promise<CheckResult>,
    private readonly onTransition: (transition: Exclude<HealthTransition, undefined>, result: CheckResult) => void,
  ) {
    this.health = initialHealth(timing.rise, timing.fall);
  }

  get up(): boolean {
    return isUp(this.health);
  }

  /** The first check runs after `firstDelayMs` (the owner spreads servers over the interval). */
  start(firstDelayMs = 0): void {
    this.schedule(firstDelayMs);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Feeds one result (also used by tests); returns the transition it caused. */
  record(result: CheckResult): HealthTransition {
    const step = applyCheck(this.health, result.ok);
    this.health = step.health;
    if (step.transition) this.onTransition(step.transition, result);
    return step.transition;
  }

  nextInterval(): number {
    const { counter, rise, fall } = this.health;
    const top = rise + fall - 1;
    if (counter === 0) return this.timing.downinter ?? this.timing.inter;
    if (counter === top) return this.timing.inter;
    return this.timing.fastinter ?? this.timing.inter;
  }

  private spread(interval: number): number {
    return spreadInterval(interval, this.timing.spreadPercent ?? 0, this.timing.random);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      void this.runCheck().then(
        (result) => {
          if (this.stopped) return;
          this.record(result);
          this.schedule(this.spread(this.nextInterval()));
        },
        () => this.schedule(this.spread(this.nextInterval())),
      );
    }, delay);
  }
}
