import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig } from './parse-haproxy.js';

const PROXIES = `defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:8080
    default_backend be
backend be
    server s1 127.0.0.1:9001
`;

const parse = (text: string) => {
  const r = parseHaproxyConfig([{ file: 'a.cfg', text }]);
  assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
  if (!r.ok) throw new Error('unreachable');
  return r.config;
};

test("seed 11: 'log global' resolves to the global target; the last of option httplog / log-format wins", () => {
  // Seed block 11 verbatim (the spec must not read ../shared, which a CI clone does not have).
  const seed = `global
    log 127.0.0.1:514 local0 info

defaults
    log global
    option httplog
    log-format "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %tsc %ac/%fc/%bc/%sc/%rc %{+Q}r"
`;
  const config = parse(seed + PROXIES.replace(/^defaults\n/, ''));
  const log = config.frontends[0]!.log!;
  assert.equal(log.targets.length, 1);
  assert.deepEqual({ ...log.targets[0], source: undefined }, { kind: 'udp', address: '127.0.0.1', port: 514, facility: 'local0', level: 'info', format: 'rfc3164', source: undefined });
  assert.deepEqual(log.format, { custom: '%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %tsc %ac/%fc/%bc/%sc/%rc %{+Q}r' });
  assert.equal(log.dontLogNull, false);
});

test('targets: ipv6, stdout format raw, len; option tcplog, dontlognull, log-tag; no log clears', () => {
  const config = parse(`global
    log 127.0.0.1 local0
    log-tag edge
    log-send-hostname lb1
${PROXIES.replace('frontend fe\n', `frontend fe
    log global
    log [::1]:1514 len 200 format rfc5424 local3 notice err
    log stdout format raw daemon
    option tcplog
    option dontlognull
`)}
frontend quiet
    bind 127.0.0.1:8081
    log global
    no log
`);
  const [fe, quiet] = config.frontends;
  assert.equal(config.global.logTag, 'edge');
  assert.equal(config.global.logSendHostname, 'lb1');
  assert.deepEqual(fe!.log!.targets.map((t) => [t.kind, t.address, t.port, t.facility, t.level, t.minLevel, t.format, t.maxLen]), [
    ['udp', '127.0.0.1', 514, 'local0', undefined, undefined, 'rfc3164', undefined],
    ['udp', '::1', 1514, 'local3', 'notice', 'err', 'rfc5424', 200],
    ['stdout', undefined, undefined, 'daemon', undefined, undefined, 'raw', undefined],
  ]);
  assert.equal(fe!.log!.format, 'tcplog');
  assert.equal(fe!.log!.dontLogNull, true);
  assert.equal(fe!.log!.tag, 'edge');
  assert.deepEqual(quiet!.log!.targets, []);
});

test('option httplog clf; a bad log line is an error with its line', () => {
  const config = parse(PROXIES.replace('frontend fe\n', 'frontend fe\n    log 127.0.0.1 local1\n    option httplog clf\n    log-tag web\n'));
  assert.equal(config.frontends[0]!.log!.format, 'httplog-clf');
  assert.equal(config.frontends[0]!.log!.tag, 'web');
  const bad = parseHaproxyConfig([{ file: 'a.cfg', text: PROXIES.replace('frontend fe\n', 'frontend fe\n    log 127.0.0.1 local9\n') }]);
  assert.equal(bad.ok, false);
  assert.match(JSON.stringify(bad.diagnostics), /unknown facility 'local9'/);
});
