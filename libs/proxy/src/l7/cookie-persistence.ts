import type { CookiePersistenceConfig } from '@tandem/config';
import type { HttpHeaders } from './wire/http-head.types.js';
import { dateSuffix, judgeDates, needsDateRefresh, NO_DATES, splitDatedValue, unixNow, type CookieDates } from './cookie-dates.js';

/**
 * Cookie persistence (`cookie <name> …`, issue #6), as HAProxy does it. Pure helpers: the HTTP session asks
 * `readRequestCookie` which server the request's cookie names (and gets the headers to forward), then calls
 * `applyResponseCookie` on the response head. No state lives here; the server list is the backend's.
 *
 * HAProxy's rules kept here:
 * - the first cookie `<name>` in the request's `Cookie` headers counts; its value must equal a server's `cookie`
 *   exactly (in `prefix` mode, the part before the first `~`). A server without a `cookie` value is never sticky;
 * - a server UP or draining (or up with weight 0) takes the request directly; a DOWN or maintained server only with
 *   `option persist`, otherwise the request is balanced as if it had no cookie and a new cookie is set;
 * - `insert indirect` removes the cookie from the request sent to the server, `prefix` strips `<value>~`;
 * - `insert` sets the cookie when the request did not go directly to the server its cookie named (`postonly`: only
 *   answers to POST), with `; path=/`, the `domain`s, `HttpOnly`, `Secure` and `attr`s; a server without a cookie
 *   value gets an expired cookie, which removes a stale one; `nocache` adds `Cache-Control: private` to a cacheable
 *   response that gets the cookie; without `preserve`, the server's own cookie of that name is removed;
 * - `rewrite` replaces the value of the server's own cookie of that name, `prefix` prefixes it with `<value>~`
 *   (`indirect`: removed instead when the client already holds the right one); `preserve` leaves it untouched;
 * - `maxidle` / `maxlife`: dated cookies (`<value>|<last>|<first>`), read, judged and refreshed as cookie-dates.ts
 *   explains; `dynamic`: servers without a `cookie` value get one from dynamic-cookie.ts (ServerRuntime.cookie).
 */

/** One `name=value` pair of a `Cookie` header. */
export interface CookiePair {
  readonly name: string;
  readonly value: string;
  /** The pair as written, blanks around it removed. */
  readonly raw: string;
}

/** The pairs of one `Cookie` header value (`a=1; b=2`), blanks around names and values removed. */
export function parseCookieHeader(value: string): CookiePair[] {
  const out: CookiePair[] = [];
  for (const part of value.split(';')) {
    const raw = part.trim();
    if (!raw) continue;
    const eq = raw.indexOf('=');
    if (eq < 0) out.push({ name: raw, value: '', raw });
    else out.push({ name: raw.slice(0, eq).trim(), value: raw.slice(eq + 1).trim(), raw });
  }
  return out;
}

/** Cookie delimiter of `prefix` mode (HAProxy's COOKIE_DELIM). */
export const PREFIX_DELIMITER = '~';

/**
 * What the request's cookie says. `status`: none, valid (server usable), down (server not usable), invalid, expired
 * (last date older than maxidle) or old (first date older than maxlife); expired and old cookies are ignored.
 */
export interface RequestCookie<S> {
  readonly status: 'none' | 'valid' | 'down' | 'invalid' | 'expired' | 'old';
  /** The server the request must go to (valid, or down with `option persist`); undefined: balance normally. */
  readonly server: S | undefined;
  /** The headers to forward when the cookie was removed or unprefixed; undefined when unchanged. */
  readonly headers: HttpHeaders | undefined;
  /** The cookie's dates (NO_DATES when it had none, or was expired or old), which the response side needs. */
  readonly dates: CookieDates;
}

/** A server as persistence sees it: its `cookie` value and whether it takes persistent traffic (UP or DRAIN). */
export interface CookieServer {
  readonly cookie: string | undefined;
  readonly acceptsPersistent: boolean;
}

/**
 * Finds the server named by the request's persistence cookie and the headers to forward. `persist`: `option
 * persist` (a cookie naming a server that is not usable still sends the request there). `now`: UNIX seconds.
 */
export function readRequestCookie<S extends CookieServer>(cfg: CookiePersistenceConfig, persist: boolean, headers: HttpHeaders, servers: readonly S[], now: number = unixNow()): RequestCookie<S> {
  let found: string | undefined;
  const edit = cfg.mode === 'prefix' || (cfg.mode === 'insert' && cfg.indirect);
  let changed = false;
  const values = headers.values.slice();
  const drop: number[] = [];
  for (let k = 0; k < headers.names.length; k++) {
    if (headers.names[k] !== 'cookie') continue;
    const pairs = parseCookieHeader(headers.values[k]!);
    if (!pairs.some((p) => p.name === cfg.name)) continue;
    const kept: string[] = [];
    for (const p of pairs) {
      if (p.name !== cfg.name) {
        kept.push(p.raw);
        continue;
      }
      let value = p.value;
      if (cfg.mode === 'prefix') {
        const d = value.indexOf(PREFIX_DELIMITER);
        if (found === undefined) found = d < 0 ? value : value.slice(0, d);
        if (d >= 0) {
          value = value.slice(d + 1);
          changed = true;
        }
        kept.push(`${p.name}=${value}`);
        continue;
      }
      if (found === undefined) found = value;
      if (edit) changed = true;
      else kept.push(p.raw);
    }
    if (!edit) continue;
    if (kept.length === 0) drop.push(k);
    else values[k] = kept.join('; ');
  }
  let forward: HttpHeaders | undefined;
  if (changed) {
    const names: string[] = [];
    const rawNames: string[] = [];
    const vals: string[] = [];
    for (let k = 0; k < headers.names.length; k++) {
      if (drop.includes(k)) continue;
      names.push(headers.names[k]!);
      rawNames.push(headers.rawNames[k]!);
      vals.push(values[k]!);
    }
    forward = { names, rawNames, values: vals };
  }
  if (found === undefined) return { status: 'none', server: undefined, headers: forward, dates: NO_DATES };
  let dates = NO_DATES;
  if (cfg.mode !== 'prefix') ({ server: found, dates } = splitDatedValue(found));
  const verdict = judgeDates(cfg, dates, now);
  if (verdict !== 'ok') return { status: verdict, server: undefined, headers: forward, dates: NO_DATES };
  const server = found === '' ? undefined : servers.find((s) => s.cookie !== undefined && s.cookie === found);
  if (!server) return { status: 'invalid', server: undefined, headers: forward, dates };
  if (server.acceptsPersistent) return { status: 'valid', server, headers: forward, dates };
  return { status: 'down', server: persist ? server : undefined, headers: forward, dates };
}

/**
 * The `Set-Cookie` value for a server (`undefined`: the server has no cookie value, so the cookie is expired).
 * `dates`: the `|<last>|<first>` suffix of maxidle/maxlife ('' without them).
 */
export function buildSetCookie(cfg: CookiePersistenceConfig, serverCookie: string | undefined, dates = ''): string {
  let s = serverCookie === undefined ? `${cfg.name}=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/` : `${cfg.name}=${serverCookie}${dates}; path=/`;
  for (const d of cfg.domains) s += `; domain=${d}`;
  if (cfg.httponly) s += '; HttpOnly';
  if (cfg.secure) s += '; Secure';
  for (const a of cfg.attrs) s += `; ${a}`;
  return s;
}

/** How the request reached its server, as the response side needs it. */
export interface CookieTransaction {
  /** The request's method (`postonly`). */
  readonly method: string;
  /** The server that answers: its cookie value, if any. */
  readonly serverCookie: string | undefined;
  /** The request went to the server its valid cookie named (HAProxy's "direct"). */
  readonly direct: boolean;
  /** The request cookie's dates (maxidle/maxlife); absent: none. */
  readonly dates?: CookieDates;
  /** UNIX seconds; absent: the clock now. */
  readonly now?: number;
}

/** The response side's view of a transaction: `answering` is the server that answers, `pinned` the cookie's one. */
export function cookieTransaction(method: string, answering: { readonly cookie: string | undefined } | undefined, pinned: object | undefined, dates: CookieDates): CookieTransaction {
  return { method, serverCookie: answering?.cookie, direct: pinned !== undefined && answering === pinned, dates };
}

/**
 * Applies the backend's cookie rules to a response head, in place (the head's arrays are the session's own).
 * Returns what was done: `inserted` when a Set-Cookie was added.
 */
export function applyResponseCookie(cfg: CookiePersistenceConfig, tx: CookieTransaction, headers: HttpHeaders): 'inserted' | 'updated' | 'rewritten' | 'none' {
  const names = headers.names as string[];
  const rawNames = headers.rawNames as string[];
  const values = headers.values as string[];
  let serverSetIt = false;
  let rewritten = false;
  for (let k = 0; k < names.length; k++) {
    if (names[k] !== 'set-cookie') continue;
    const v = values[k]!;
    const eq = v.indexOf('=');
    if (eq < 0 || v.slice(0, eq).trim() !== cfg.name) continue;
    serverSetIt = true;
    if (cfg.preserve || cfg.mode === 'passive') continue;
    const remove = (): void => {
      names.splice(k, 1);
      rawNames.splice(k, 1);
      values.splice(k, 1);
      k--;
    };
    if (cfg.mode === 'insert') {
      remove();
      continue;
    }
    if (cfg.indirect && tx.direct) {
      // The client already holds the right cookie.
      remove();
      continue;
    }
    if (tx.serverCookie === undefined) continue;
    const semi = v.indexOf(';', eq);
    const oldValue = (semi < 0 ? v.slice(eq + 1) : v.slice(eq + 1, semi)).trim();
    const rest = semi < 0 ? '' : v.slice(semi);
    const newValue = cfg.mode === 'rewrite' ? tx.serverCookie : `${tx.serverCookie}${PREFIX_DELIMITER}${oldValue}`;
    values[k] = `${cfg.name}=${newValue}${rest}`;
    rewritten = true;
  }
  if (cfg.mode !== 'insert') return rewritten ? 'rewritten' : 'none';
  if (serverSetIt && cfg.preserve) return 'none';
  const now = tx.now ?? unixNow();
  const dates = tx.dates ?? NO_DATES;
  if (tx.direct && !needsDateRefresh(cfg, dates, now)) return 'none';
  if (cfg.postonly && tx.method !== 'POST') return 'none';
  names.push('set-cookie');
  rawNames.push('Set-Cookie');
  values.push(buildSetCookie(cfg, tx.serverCookie, dateSuffix(cfg, dates, now)));
  if (cfg.nocache && isCacheable(headers)) {
    names.push('cache-control');
    rawNames.push('Cache-Control');
    values.push('private');
  }
  return tx.direct && tx.serverCookie !== undefined ? 'updated' : 'inserted';
}

/** A response a shared cache may keep: no Cache-Control private/no-cache/no-store (HAProxy's TX_CACHEABLE, simplified). */
function isCacheable(headers: HttpHeaders): boolean {
  for (let k = 0; k < headers.names.length; k++) {
    if (headers.names[k] !== 'cache-control') continue;
    if (/(^|[\s,])(private|no-cache|no-store)\b/i.test(headers.values[k]!)) return false;
  }
  return true;
}
