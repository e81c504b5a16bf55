import type { RuntimeConfig } from '@tandem/config';

/**
 * HAProxy's dynamic maxconn (`minconn` with `fullconn`): a server accepts `minconn` connections while its backend is
 * quiet and up to `maxconn` once the backend's load (its connections plus its queued requests) reaches `fullconn`,
 * in proportion between the two: max(minconn, maxconn × load / fullconn). 0 or undefined `maxconn`: unlimited.
 * Without a `minconn` below `maxconn` the limit is static.
 */
export function effectiveMaxconn(maxconn: number | undefined, minconn: number | undefined, backendLoad: number, fullconn: number): number | undefined {
  if (maxconn === undefined || maxconn <= 0) return undefined;
  if (minconn === undefined || minconn <= 0 || minconn >= maxconn) return maxconn;
  if (fullconn <= 0 || backendLoad >= fullconn) return maxconn;
  return Math.max(minconn, Math.floor((maxconn * backendLoad) / fullconn), 1);
}

/**
 * `fullconn` of each backend: the configured value, else HAProxy's default, 10% of the sum of the `maxconn` of
 * the frontends that can send traffic to it (`default_backend` and `use_backend` rules with a fixed name; a
 * frontend without `maxconn` counts the global one), rounded up, at least 1.
 */
export function fullconnByBackend(config: RuntimeConfig): Map<string, number> {
  const sums = new Map<string, number>();
  for (const f of config.frontends) {
    const targets = new Set<string>();
    if (f.defaultBackend) targets.add(f.defaultBackend);
    for (const rule of f.policy?.useBackend ?? []) if (!rule.format) targets.add(rule.backend);
    const maxconn = f.maxconn && f.maxconn > 0 ? f.maxconn : config.global.maxconn;
    for (const t of targets) sums.set(t, (sums.get(t) ?? 0) + maxconn);
  }
  const out = new Map<string, number>();
  for (const b of config.backends) {
    out.set(b.name, b.fullconn !== undefined && b.fullconn > 0 ? b.fullconn : Math.max(1, Math.ceil((sums.get(b.name) ?? 0) / 10)));
  }
  return out;
}
