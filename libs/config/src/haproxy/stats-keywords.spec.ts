import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig } from './parse-haproxy.js';

const HEAD = 'defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\n';

function parse(text: string, head = HEAD) {
  return parseHaproxyConfig([{ file: 'c.cfg', text: head + text }]);
}

test('the seed block 10: every stats keyword of a listen section, on its frontend and its backend', () => {
  const r = parse(
    'listen stats\n  bind 127.0.0.1:8404\n  stats enable\n  stats uri /haproxy?stats\n  stats realm HAProxy\\ Statistics\n  stats auth infrarunbook-admin:S3cur3P@ssw0rd!\n  stats auth ro:x:y\n' +
      '  stats refresh 5s\n  stats show-node\n  stats show-legends\n  stats hide-version\n  stats admin if LOCALHOST\n  stats scope .\n  stats scope be\n',
  );
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const s = r.config.frontends[0]!.stats!;
  assert.equal(s.uri, '/haproxy?stats');
  assert.equal(s.realm, 'HAProxy Statistics');
  assert.deepEqual(s.auth, [{ user: 'infrarunbook-admin', password: 'S3cur3P@ssw0rd!' }, { user: 'ro', password: 'x:y' }]);
  assert.equal(s.refreshMs, 5000);
  assert.equal(s.showNode, true);
  assert.deepEqual([s.showLegends, s.hideVersion], [true, true]);
  assert.equal(s.admin?.polarity, 'if');
  assert.deepEqual(s.scope, ['.', 'be']);
  assert.deepEqual(r.config.backends[0]!.stats, s);
});

test('any stats keyword enables the page with HAProxy defaults; defaults are inherited; show-node takes a name', () => {
  const r = parse('  stats auth a:b\nfrontend f\n  bind 127.0.0.1:1\n  stats show-node lb1\nbackend b\n  server s 127.0.0.1:2\nfrontend plain\n  bind 127.0.0.1:3\n', `${HEAD}`);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const f = r.config.frontends[0]!.stats!;
  assert.equal(f.uri, '/haproxy?stats');
  assert.equal(f.realm, 'HAProxy Statistics');
  assert.equal(f.showNode, 'lb1');
  assert.deepEqual(f.auth, [{ user: 'a', password: 'b' }]);
  assert.deepEqual(r.config.backends[0]!.stats?.auth, [{ user: 'a', password: 'b' }]);
  const none = parse('frontend plain\n  bind 127.0.0.1:3\n');
  assert.equal(none.ok && none.config.frontends[0]!.stats, undefined);
});

test('errors: auth without a colon, a bad refresh, admin without a condition or in defaults, unimplemented stats keywords', () => {
  const r = parse('  stats admin if TRUE\nlisten l\n  bind 127.0.0.1:1\n  stats auth nocolon\n  stats refresh soon\n  stats admin\n  stats http-request deny\n');
  assert.equal(r.ok, false);
  const text = r.diagnostics.map((d) => `${d.line} ${d.keyword}: ${d.message}`).join('\n');
  assert.match(text, /^6 stats admin: .*defaults/m);
  assert.match(text, /^9 stats auth: expects '<user>:<password>'/m);
  assert.match(text, /^10 stats refresh: invalid time value 'soon'/m);
  assert.match(text, /^11 stats admin: expects 'if' or 'unless'/m);
  assert.match(text, /^12 stats http-request: .*not implemented yet/m);
});

test('http-request use-service prometheus-exporter; other services are refused', () => {
  const r = parse('frontend f\n  bind 127.0.0.1:1\n  http-request use-service prometheus-exporter if { path /metrics }\n');
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.equal(r.config.frontends[0]!.policy!.httpRequest[0]!.action, 'use-service');
  const bad = parse('frontend f\n  bind 127.0.0.1:1\n  http-request use-service lua.x\n');
  assert.equal(bad.ok, false);
});
