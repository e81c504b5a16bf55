import type { StatsRequestOptions } from './stats-page.types.js';

/**
 * Whether `uri` (path and query, as received) is for the stats page at `prefix`: HAProxy compares the prefix with
 * the start of the request URI, so `/haproxy?stats;csv` and `/haproxy?stats;up` match `/haproxy?stats`.
 */
export function matchesStatsUri(uri: string, prefix: string): boolean {
  return uri.startsWith(prefix);
}

/** The `;`-options after the prefix (HAProxy's http_stats_check_uri / stats_process_uri). */
export function parseStatsOptions(uri: string, prefix: string): StatsRequestOptions {
  const rest = uri.slice(prefix.length);
  const has = (word: string) => rest.includes(`;${word}`);
  const st = /;st=([A-Z]+)/.exec(rest)?.[1];
  return {
    format: has('csv') ? 'csv' : has('json') ? 'json' : has('latency') ? 'latency' : 'html',
    upOnly: /;up(;|$|\b)/.test(rest),
    noMaint: has('no-maint'),
    noRefresh: has('norefresh'),
    ...(st ? { status: st } : {}),
  };
}

/**
 * `Authorization: Basic <base64(user:pass)>` against the `stats auth` list. No list: anyone may read the page
 * (HAProxy's behaviour without `stats auth`). Returns the user that authenticated, '' without a list, or undefined.
 */
export function checkBasicAuth(header: string | undefined, users: ReadonlyArray<{ readonly user: string; readonly password: string }>): string | undefined {
  if (users.length === 0) return '';
  const m = header === undefined ? null : /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return users.some((u) => u.user === user && u.password === password) ? user : undefined;
}

/** The admin form's body (`application/x-www-form-urlencoded`): `b=#<iid>`, `s=<server>` (several), `action=`. */
export function parseAdminForm(body: string): { backend?: string; servers: string[]; action?: string } {
  const params = new URLSearchParams(body);
  const backend = params.get('b') ?? undefined;
  const action = params.get('action') ?? undefined;
  return { ...(backend !== undefined ? { backend } : {}), servers: params.getAll('s'), ...(action !== undefined ? { action } : {}) };
}
