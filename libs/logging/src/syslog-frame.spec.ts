import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveLevel, frameSyslog } from './syslog-frame.js';

process.env.TZ = 'UTC';

const DATE = Date.UTC(2026, 10, 5, 8, 7, 6, 54);
const HEADER = { date: DATE, tag: 'haproxy', pid: 42 };
const T = { facility: 'local0', format: 'rfc3164' as const };

test('rfc3164: <PRI>Mmm dd hh:mm:ss tag[pid]: msg, the day padded with a space (RFC 3164 4.1.2)', () => {
  // local0 (16) * 8 + info (6) = 134
  assert.equal(frameSyslog(T, HEADER, 'hello')!.toString(), '<134>Nov  5 08:07:06 haproxy[42]: hello\n');
  assert.equal(frameSyslog(T, { ...HEADER, hostname: 'lb1' }, 'hello')!.toString(), '<134>Nov  5 08:07:06 lb1 haproxy[42]: hello\n');
});

test('rfc5424: <PRI>1 timestamp host app procid - - msg (RFC 5424 6)', () => {
  assert.equal(frameSyslog({ ...T, facility: 'local7', format: 'rfc5424' }, HEADER, 'hi')!.toString(), '<190>1 2026-11-05T08:07:06.054000+00:00 - haproxy 42 - - hi\n');
  assert.equal(frameSyslog({ ...T, format: 'rfc5424' }, { ...HEADER, hostname: 'lb1' }, 'hi')!.toString(), '<134>1 2026-11-05T08:07:06.054000+00:00 lb1 haproxy 42 - - hi\n');
});

test('raw and short', () => {
  assert.equal(frameSyslog({ ...T, format: 'raw' }, HEADER, 'x y')!.toString(), 'x y\n');
  assert.equal(frameSyslog({ ...T, format: 'short' }, HEADER, 'x')!.toString(), '<6>x\n');
});

test('level filters, minlevel raises, len truncates keeping the newline', () => {
  assert.equal(frameSyslog({ ...T, level: 'notice' }, HEADER, 'dropped'), undefined);
  assert.equal(effectiveLevel({ ...T, level: 'debug', minLevel: 'notice' }, 6), 6);
  assert.equal(effectiveLevel({ ...T, minLevel: 'err' }, 1), 3);
  const line = frameSyslog({ ...T, format: 'raw', maxLen: 80 }, HEADER, 'a'.repeat(200))!;
  assert.equal(line.length, 80);
  assert.equal(line.at(-1), 0x0a);
});
