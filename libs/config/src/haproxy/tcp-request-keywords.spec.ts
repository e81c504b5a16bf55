import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig } from './parse-haproxy.js';

const HEAD = 'defaults\n  mode tcp\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\n';
const BE = 'backend b\n  server s 127.0.0.1:1\n';
const parse = (body: string) => parseHaproxyConfig([{ file: 'k.cfg', text: HEAD + body + BE }]);
const diags = (r: ReturnType<typeof parse>, severity: 'error' | 'warning') => r.diagnostics.filter((d) => d.severity === severity).map((d) => `${d.line} ${d.keyword}: ${d.message}`);

test('inspect-delay, session rules, Layer 6 fetches and WAIT_END load in a mode tcp frontend', () => {
  const r = parse(
    'frontend f\n  bind 127.0.0.1:9\n  tcp-request inspect-delay 5s\n  tcp-request session reject if { src 10.0.0.0/8 }\n' +
      '  tcp-request content accept if { req_ssl_hello_type 1 } { req.ssl_sni -m end .example } || WAIT_END\n' +
      '  tcp-request content reject if { req.len gt 100 } { req.payload(0,3) -m str GET } || { req.payload_lv(0,1) -m len 2 }\n' +
      '  use_backend b if { req.ssl_ver ge 196609 }\n  default_backend b\n',
  );
  assert.deepEqual(diags(r, 'error'), []);
  assert.deepEqual(diags(r, 'warning'), []);
  assert.ok(r.ok);
  const p = r.config.frontends[0]!.policy!;
  assert.equal(p.inspectDelay, 5000);
  assert.deepEqual(p.tcpSession?.map((x) => x.action), ['reject']);
  assert.equal(p.tcpContent.length, 2);
});

test('a defaults inspect-delay is inherited; a bad delay and payload fetches at connection time are errors', () => {
  const inherited = parseHaproxyConfig([{ file: 'k.cfg', text: HEAD.replace('defaults\n', 'defaults\n  tcp-request inspect-delay 3s\n') + 'frontend f\n  bind 127.0.0.1:9\n  default_backend b\n' + BE }]);
  assert.ok(inherited.ok);
  assert.equal(inherited.config.frontends[0]!.policy?.inspectDelay, 3000);
  const r = parse('frontend f\n  bind 127.0.0.1:9\n  tcp-request inspect-delay soon\n  tcp-request connection reject if { req.len 0 }\n  default_backend b\n');
  const e = diags(r, 'error');
  assert.ok(e.some((x) => x.startsWith('8 tcp-request inspect-delay:')), e.join('\n'));
  assert.ok(e.some((x) => x.startsWith('9 tcp-request connection:') && /request buffer/.test(x)), e.join('\n'));
});

test('payload rules without inspect-delay warn; HTTP fetches and store-response in mode tcp are errors', () => {
  const w = parse('frontend f\n  bind 127.0.0.1:9\n  tcp-request content reject if { req.payload(0,1) -m str x }\n  default_backend b\n');
  assert.ok(w.ok);
  assert.ok(diags(w, 'warning').some((x) => x.startsWith('8 tcp-request content:') && /without any 'tcp-request inspect-delay' setting/.test(x)), diags(w, 'warning').join('\n'));
  const r = parse('frontend f\n  bind 127.0.0.1:9\n  tcp-request content track-sc0 req.hdr(host)\n  use_backend b if { hdr(host) x }\n  default_backend b\nbackend c\n  stick-table type string size 1k\n  stick store-response res.cook(a)\n  server s 127.0.0.1:2\n');
  const e = diags(r, 'error');
  assert.ok(e.some((x) => /^8 track-sc0: fetch 'req.hdr' requires HTTP mode/.test(x)), e.join('\n'));
  assert.ok(e.some((x) => /^9 use_backend: fetch 'hdr' requires HTTP mode/.test(x)), e.join('\n'));
  assert.ok(e.some((x) => /^13 stick store-response: .*requires HTTP mode/.test(x)), e.join('\n'));
});
