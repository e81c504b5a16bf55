/**
 * `spread-checks <percent>`: each interval between two checks is moved by a random amount of up to ±percent of
 * itself, so checks of many servers on one host do not fall in step. 0 (the default) keeps exact intervals.
 */
export function spreadInterval(intervalMs: number, percent: number, random: () => number = Math.random): number {
  if (percent <= 0) return intervalMs;
  const range = (intervalMs * Math.min(50, percent)) / 100;
  return Math.max(1, Math.round(intervalMs + (random() * 2 - 1) * range));
}
