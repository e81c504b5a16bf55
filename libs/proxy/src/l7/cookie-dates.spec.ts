import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CookiePersistenceConfig } from '@tandem/config';
import { dateSuffix, decodeS30, encodeDate, encodeS30, judgeDates, needsDateRefresh, NO_DATES, splitDatedValue } from './cookie-dates.js';
import { applyResponseCookie, cookieTransaction, readRequestCookie, type CookieServer } from './cookie-persistence.js';
import type { HttpHeaders } from './wire/http-head.types.js';

// Every test runs on an injected clock: NOW is a fixed UNIX time, never Date.now().
const NOW = 1_795_655_382;
const MIN = 60;

function cfg(over: Partial<CookiePersistenceConfig> = {}): CookiePersistenceConfig {
  return { name: 'SRV', mode: 'insert', indirect: false, nocache: false, postonly: false, preserve: false, httponly: false, secure: false, domains: [], attrs: [], source: { file: 't', line: 1 }, ...over };
}
const headers = (...pairs: Array<[string, string]>): HttpHeaders => ({ names: pairs.map(([n]) => n.toLowerCase()), rawNames: pairs.map(([n]) => n), values: pairs.map(([, v]) => v) });
const srv = (cookie: string): CookieServer => ({ cookie, acceptsPersistent: true });
const SERVERS = [srv('s1'), srv('s2')];
/** A cookie value as HAProxy writes it for server `s` last seen `idle` s ago and first seen `age` s ago. */
const dated = (s: string, idle: number, age?: number) => `${s}|${encodeDate(NOW - idle)}${age === undefined ? '' : `|${encodeDate(NOW - age)}`}`;

describe('cookie dates: HAProxy wire format', () => {
  it('5 base64 characters, most significant first, rounded up to 4 s (a value captured from haproxy 2.6.12)', () => {
    // haproxy 2.6.12 answered `SRV=…|aweG2|aweG2` to a request at UNIX time 1795655382 (maxidle and maxlife set).
    assert.equal(encodeDate(NOW), 'aweG2');
    assert.equal(decodeS30('aweG2'), Math.floor((NOW + 3) / 4));
    assert.equal(encodeS30(0), 'AAAAA');
    assert.equal(encodeS30(2 ** 30 - 1), '/////');
    assert.equal(encodeS30(2 ** 30), 'AAAAA', 'only the low 30 bits');
    for (const v of [1, 63, 64, 4095, 123_456_789, 448_913_846]) assert.equal(decodeS30(encodeS30(v)), v);
  });

  it('decoding refuses padding, other characters and short input', () => {
    assert.equal(decodeS30('AAAA='), -1);
    assert.equal(decodeS30('AA-AA'), -1);
    assert.equal(decodeS30('AAAA'), -1);
  });

  it('splits <server>|<last>|<first>; a date needs 5 valid characters and a positive value', () => {
    const last = encodeDate(NOW);
    assert.deepEqual(splitDatedValue(`s1|${last}|${last}`), { server: 's1', dates: { last: decodeS30(last) * 4, first: decodeS30(last) * 4 } });
    assert.deepEqual(splitDatedValue('s1'), { server: 's1', dates: NO_DATES });
    assert.deepEqual(splitDatedValue('s1|'), { server: 's1', dates: NO_DATES });
    assert.deepEqual(splitDatedValue('s1|abc'), { server: 's1', dates: NO_DATES }, 'too short');
    assert.deepEqual(splitDatedValue('s1|AAAAA'), { server: 's1', dates: NO_DATES }, 'zero is no date');
    assert.deepEqual(splitDatedValue('s1|*****|' + last), { server: 's1', dates: { last: 0, first: decodeS30(last) * 4 } });
    assert.deepEqual(splitDatedValue(`s1|${last}extra`).dates.last, decodeS30(last) * 4, 'characters after the 5 are ignored');
  });

  it('writes |last with maxidle, |last|first with maxlife (the first date kept), nothing without them', () => {
    assert.equal(dateSuffix({}, NO_DATES, NOW), '');
    assert.equal(dateSuffix({ maxidle: 1800 }, NO_DATES, NOW), '|aweG2');
    assert.equal(dateSuffix({ maxlife: 3600 }, NO_DATES, NOW), '|aweG2|aweG2');
    const first = (NOW - 1000) - ((NOW - 1000) % 4);
    assert.equal(dateSuffix({ maxidle: 1800, maxlife: 3600 }, { last: NOW - 8, first }, NOW), `|aweG2|${encodeS30(first / 4)}`);
  });
});

describe('cookie dates: maxidle / maxlife on an injected clock', () => {
  it('judges: old before expired, 24 h of future slack, dates ignored when their limit is not set', () => {
    const d = (idle: number, age: number) => splitDatedValue(dated('s1', idle, age)).dates;
    assert.equal(judgeDates({ maxidle: 30 * MIN }, d(29 * MIN, 0), NOW), 'ok');
    assert.equal(judgeDates({ maxidle: 30 * MIN }, d(31 * MIN, 0), NOW), 'expired');
    assert.equal(judgeDates({ maxlife: 60 * MIN }, d(0, 61 * MIN), NOW), 'old');
    assert.equal(judgeDates({ maxidle: 30 * MIN, maxlife: 60 * MIN }, d(31 * MIN, 61 * MIN), NOW), 'old');
    assert.equal(judgeDates({ maxidle: 30 * MIN }, d(-25 * 3600, 0), NOW), 'expired', 'more than 24 h in the future');
    assert.equal(judgeDates({ maxidle: 30 * MIN }, d(-23 * 3600, 0), NOW), 'ok', 'less than 24 h in the future');
    assert.equal(judgeDates({ maxlife: 60 * MIN }, d(0, -25 * 3600), NOW), 'old');
    assert.equal(judgeDates({}, d(99 * 3600, 99 * 3600), NOW), 'ok');
    assert.equal(judgeDates({ maxidle: 30 * MIN, maxlife: 60 * MIN }, NO_DATES, NOW), 'ok', 'a cookie without a date is accepted');
  });

  it('refresh decision (HAProxy response analyser): missing or past last date, missing first date, stale first date', () => {
    const fresh = { last: Math.floor((NOW + 3) / 4) * 4, first: 0 };
    assert.equal(needsDateRefresh({ maxidle: 1800 }, fresh, NOW), false, 'just refreshed');
    assert.equal(needsDateRefresh({ maxidle: 1800 }, fresh, fresh.last + 1), true, 'one second after the rounded-up date');
    assert.equal(needsDateRefresh({ maxidle: 1800 }, NO_DATES, NOW), true, 'no date: refreshed');
    assert.equal(needsDateRefresh({ maxlife: 3600 }, fresh, NOW), true, 'maxlife and no first date');
    assert.equal(needsDateRefresh({ maxlife: 3600 }, { ...fresh, first: NOW - 100 }, NOW), false);
    assert.equal(needsDateRefresh({}, { last: 0, first: NOW - 100 }, NOW), true, 'first date without maxlife: removed');
    assert.equal(needsDateRefresh({}, NO_DATES, NOW), false);
  });

  it('request side: a fresh dated cookie pins its server; an idle or old one is ignored (balanced, dates dropped)', () => {
    const c = cfg({ maxidle: 30 * MIN, maxlife: 8 * 60 * MIN, indirect: true });
    const ok = readRequestCookie(c, false, headers(['Cookie', `a=1; SRV=${dated('s2', 10 * MIN, 60 * MIN)}`]), SERVERS, NOW);
    assert.deepEqual([ok.status, ok.server], ['valid', SERVERS[1]]);
    assert.ok(ok.dates.last > 0 && ok.dates.first > 0);
    assert.deepEqual(ok.headers, headers(['Cookie', 'a=1']), 'indirect still removes the dated cookie');
    const idle = readRequestCookie(c, false, headers(['Cookie', `SRV=${dated('s2', 31 * MIN, 60 * MIN)}`]), SERVERS, NOW);
    assert.deepEqual([idle.status, idle.server, idle.dates], ['expired', undefined, NO_DATES]);
    const old = readRequestCookie(c, false, headers(['Cookie', `SRV=${dated('s2', MIN, 9 * 60 * MIN)}`]), SERVERS, NOW);
    assert.deepEqual([old.status, old.server, old.dates], ['old', undefined, NO_DATES]);
    const undated = readRequestCookie(c, false, headers(['Cookie', 'SRV=s1']), SERVERS, NOW);
    assert.deepEqual([undated.status, undated.server], ['valid', SERVERS[0]]);
    // The same idle cookie is fine 2 minutes earlier: only the injected clock moved.
    assert.equal(readRequestCookie(c, false, headers(['Cookie', `SRV=${dated('s2', 31 * MIN, 60 * MIN)}`]), SERVERS, NOW - 2 * MIN).status, 'valid');
  });

  it('response side: an undated valid cookie is refreshed with dates, a fresh one is left alone, an expired one gets a new cookie', () => {
    const c = cfg({ maxidle: 30 * MIN, maxlife: 60 * MIN });
    const undated = readRequestCookie(c, false, headers(['Cookie', 'SRV=s1']), SERVERS, NOW);
    const h1 = headers();
    assert.equal(applyResponseCookie(c, { ...cookieTransaction('GET', SERVERS[0], undated.server, undated.dates), now: NOW }, h1), 'updated');
    assert.deepEqual(h1.values, ['SRV=s1|aweG2|aweG2; path=/']);

    const justSet = readRequestCookie(c, false, headers(['Cookie', 'SRV=s1|aweG2|aweG2']), SERVERS, NOW);
    const h2 = headers();
    assert.equal(applyResponseCookie(c, { ...cookieTransaction('GET', SERVERS[0], justSet.server, justSet.dates), now: NOW }, h2), 'none');
    assert.deepEqual(h2.values, []);
    // 10 minutes later the last date is refreshed; the first date is kept.
    const later = NOW + 10 * MIN;
    const again = readRequestCookie(c, false, headers(['Cookie', 'SRV=s1|aweG2|aweG2']), SERVERS, later);
    const h3 = headers();
    assert.equal(applyResponseCookie(c, { ...cookieTransaction('GET', SERVERS[0], again.server, again.dates), now: later }, h3), 'updated');
    assert.deepEqual(h3.values, [`SRV=s1|${encodeDate(later)}|aweG2; path=/`]);

    const expired = readRequestCookie(c, false, headers(['Cookie', `SRV=${dated('s1', 31 * MIN, 40 * MIN)}`]), SERVERS, NOW);
    const h4 = headers();
    // Balanced as if there were no cookie: the answering server is whatever the algorithm chose (s2 here).
    assert.equal(applyResponseCookie(c, { ...cookieTransaction('GET', SERVERS[1], expired.server, expired.dates), now: NOW }, h4), 'inserted');
    assert.deepEqual(h4.values, ['SRV=s2|aweG2|aweG2; path=/']);
  });

  it('without maxidle/maxlife, a dated cookie still pins its server and is rewritten without its dates', () => {
    const c = cfg();
    const r = readRequestCookie(c, false, headers(['Cookie', `SRV=${dated('s1', 99 * 3600, 99 * 3600)}`]), SERVERS, NOW);
    assert.deepEqual([r.status, r.server], ['valid', SERVERS[0]]);
    const h = headers();
    applyResponseCookie(c, { ...cookieTransaction('GET', SERVERS[0], r.server, r.dates), now: NOW }, h);
    assert.deepEqual(h.values, ['SRV=s1; path=/']);
  });
});
