/**
 * `slowstart <time>`: when a server comes back UP after being DOWN, its effective weight ramps up from a small
 * share to the full weight over `slowstart`, so a cold server is not flooded. As in HAProxy, the share is the
 * elapsed fraction rounded up to a whole percent (at least 1%), the weight is rounded up (at least 1), and it
 * never applies when the daemon starts, only after a DOWN period.
 */
export function slowstartWeight(weight: number, elapsedMs: number, slowstartMs: number): number {
  if (weight === 0 || elapsedMs >= slowstartMs) return weight;
  const percent = Math.max(1, Math.min(100, Math.ceil((Math.max(0, elapsedMs) * 100) / slowstartMs)));
  return Math.max(1, Math.ceil((weight * percent) / 100));
}

/** How often the ramp is recomputed: every twentieth of the period, but not more than once a second (HAProxy's pace). */
export function slowstartStepMs(slowstartMs: number): number {
  return Math.max(1000, Math.floor(slowstartMs / 20));
}
