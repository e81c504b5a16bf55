import type { Health, HealthTransition } from './health.types.js';

/**
 * The one place server health is derived from check results (ARCHITECTURE rule 8).
 *
 * Start state: UP at the bottom of the good range (`counter = rise`), as HAProxy's default `init-state up`: the
 * server takes traffic at once, and the first failed check takes it DOWN.
 * A success climbs by one up to rise+fall-1; reaching `rise` from below is the DOWN -> UP transition, and the
 * counter then jumps to the top so that `fall` consecutive failures are needed to go down again.
 * A failure descends by one while above `rise`; a failure at `rise` is the UP -> DOWN transition (counter 0), so
 * `rise` consecutive successes are needed to come back.
 */
export function initialHealth(rise: number, fall: number): Health {
  return { counter: rise, rise, fall };
}

export function isUp(health: Health): boolean {
  return health.counter >= health.rise;
}

export function applyCheck(health: Health, ok: boolean): { health: Health; transition: HealthTransition } {
  const { counter, rise, fall } = health;
  const top = rise + fall - 1;
  if (ok) {
    if (counter >= rise) return { health: { ...health, counter: Math.min(top, counter + 1) }, transition: undefined };
    const next = counter + 1;
    if (next >= rise) return { health: { ...health, counter: top }, transition: 'up' };
    return { health: { ...health, counter: next }, transition: undefined };
  }
  if (counter > rise) return { health: { ...health, counter: counter - 1 }, transition: undefined };
  if (counter === rise) return { health: { ...health, counter: 0 }, transition: 'down' };
  return { health: { ...health, counter: 0 }, transition: undefined };
}
