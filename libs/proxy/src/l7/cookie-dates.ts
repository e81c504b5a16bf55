import type { CookiePersistenceConfig } from '@tandem/config';

/**
 * Dated persistence cookies (`cookie … maxidle <idle> maxlife <life>`), in HAProxy 2.6's exact wire format so a
 * cookie issued by HAProxy is understood by Tandem and the reverse, during a migration:
 *
 *   <server cookie>|<last seen>|<first seen>
 *
 * Each date is a UNIX time in 4-second units, its low 30 bits written as 5 characters of the standard base64
 * alphabet (A-Z a-z 0-9 + /), most significant first, unpadded (HAProxy's s30tob64 / b64tos30). HAProxy writes
 * `(now + 3) / 4` (rounded up) and reads `value * 4`. `<last seen>` is written when maxidle or maxlife is set,
 * `<first seen>` only with maxlife (the original first date is kept, else now).
 *
 * Reading (HAProxy's request analyser): in every mode but `prefix`, the server's cookie is the part before the first
 * `|`; a date is taken only when at least 5 characters follow its bar and they decode to a positive value. Then a
 * cookie is "old" when maxlife is set and its first date is more than maxlife in the past or more than 24 h in the
 * future, else "expired" when maxidle is set and its last date is more than maxidle in the past or more than 24 h in
 * the future. Either way it is ignored (as if absent) and both dates are forgotten.
 *
 * Writing (response): besides the usual cases, insert mode re-emits the cookie of a request that went straight to
 * its server when the last date is missing or older than now (with maxidle, or whenever the request's cookie had a
 * date), when maxlife is set and there is no first date yet, or when maxlife is not set but the cookie had one (so the
 * date goes away). HAProxy has no "fraction of maxidle" threshold: with the 4-second resolution and the rounding up,
 * an active client gets a refreshed cookie at most about every 4 seconds.
 */

/** HAProxy's COOKIE_DELIM_DATE. */
export const DATE_DELIMITER = '|';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_REV = new Map([...B64].map((c, i) => [c, i]));

/** A cookie's dates in UNIX seconds (multiples of 4); 0: absent. */
export interface CookieDates {
  readonly last: number;
  readonly first: number;
}

export const NO_DATES: CookieDates = { last: 0, first: 0 };

/** The current UNIX time in whole seconds (HAProxy's `date.tv_sec`). */
export const unixNow = (): number => Math.floor(Date.now() / 1000);

/** The low 30 bits of `v` as 5 base64 characters, most significant first (HAProxy's s30tob64). */
export function encodeS30(v: number): string {
  let out = '';
  for (let shift = 24; shift >= 0; shift -= 6) out += B64[Math.floor(v / 2 ** shift) % 64];
  return out;
}

/** 5 characters written by encodeS30 back to their value; -1 for any other character, padding included (b64tos30). */
export function decodeS30(text: string): number {
  if (text.length < 5) return -1;
  let out = 0;
  for (let i = 0; i < 5; i++) {
    const d = B64_REV.get(text[i]!);
    if (d === undefined) return -1;
    out = out * 64 + d;
  }
  return out;
}

/** A date in seconds as the cookie writes it: `(now + 3) >> 2`, i.e. rounded up to 4 seconds. */
export const encodeDate = (seconds: number): string => encodeS30(Math.floor((seconds + 3) / 4));

/** Splits a cookie value into the server's cookie and its dates, as HAProxy reads them (not for `prefix` mode). */
export function splitDatedValue(value: string): { readonly server: string; readonly dates: CookieDates } {
  const bar = value.indexOf(DATE_DELIMITER);
  if (bar < 0) return { server: value, dates: NO_DATES };
  let last = 0;
  let first = 0;
  const from = bar + 1;
  if (value.length - from >= 5) {
    const v = decodeS30(value.slice(from, from + 5));
    if (v > 0) last = v * 4;
  }
  // HAProxy looks for the second bar from just after the first one, and wants more than 5 characters from it.
  const bar2 = value.indexOf(DATE_DELIMITER, from);
  if (bar2 >= 0 && value.length - bar2 > 5) {
    const v = decodeS30(value.slice(bar2 + 1, bar2 + 6));
    if (v > 0) first = v * 4;
  }
  return { server: value.slice(0, bar), dates: { last, first } };
}

/** Dates in the future by more than this are ignored (lets admins fix clock/timezone errors). */
const FUTURE_SLACK = 86_400;

/** `ok`, or why the cookie must be ignored: `old` (maxlife), `expired` (maxidle); maxlife is checked first. */
export function judgeDates(cfg: Pick<CookiePersistenceConfig, 'maxidle' | 'maxlife'>, dates: CookieDates, now: number): 'ok' | 'old' | 'expired' {
  const { maxidle, maxlife } = cfg;
  if (dates.first && maxlife && (now - dates.first > maxlife || dates.first - now > FUTURE_SLACK)) return 'old';
  if (dates.last && maxidle && (now - dates.last > maxidle || dates.last - now > FUTURE_SLACK)) return 'expired';
  return 'ok';
}

/** Whether a request that went straight to its server still gets a new cookie because of its dates (see above). */
export function needsDateRefresh(cfg: Pick<CookiePersistenceConfig, 'maxidle' | 'maxlife'>, dates: CookieDates, now: number): boolean {
  if ((cfg.maxidle || dates.last) && (!dates.last || dates.last - now < 0)) return true;
  if (cfg.maxlife && !dates.first) return true;
  return !cfg.maxlife && dates.first !== 0;
}

/** The `|<last>[|<first>]` part of an inserted cookie ('' without maxidle nor maxlife). */
export function dateSuffix(cfg: Pick<CookiePersistenceConfig, 'maxidle' | 'maxlife'>, dates: CookieDates, now: number): string {
  if (!cfg.maxidle && !cfg.maxlife) return '';
  let s = DATE_DELIMITER + encodeDate(now);
  if (cfg.maxlife) s += DATE_DELIMITER + (dates.first ? encodeS30(dates.first / 4) : encodeDate(now));
  return s;
}
