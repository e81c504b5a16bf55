import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig } from './parse-haproxy.js';

const PROLOGUE = 'global\n  ssl-server-verify none\ndefaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\n';
const parse = (body: string) => parseHaproxyConfig([{ file: 'k.cfg', text: PROLOGUE + body }]);
const errors = (r: ReturnType<typeof parse>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line} ${d.keyword}: ${d.message}`);

test('track-sc keys and stick patterns take converters (issue #6): kept with the fetch', () => {
  const r = parse(
    'frontend fe\n  bind 127.0.0.1:8080\n  stick-table type string size 1k store http_req_rate(10s)\n  http-request track-sc0 req.hdr(x-client-id),lower\n  tcp-request content track-sc1 src,ipmask(24) table fe\n  default_backend be\n' +
      'backend be\n  stick-table type string size 1k\n  stick on req.cook(sid),lower\n  server s 127.0.0.1:1\n',
  );
  assert.deepEqual(errors(r), []);
  assert.ok(r.ok);
  const fe = r.config.frontends[0]!.policy!;
  const track = fe.httpRequest[0]!;
  assert.ok(track.action === 'track-sc');
  assert.deepEqual({ fetch: track.key.fetch, args: track.key.args, conv: track.key.converters?.map((c) => c.name) }, { fetch: 'req.hdr', args: ['x-client-id'], conv: ['lower'] });
  const tcp = fe.tcpContent[0]!;
  assert.ok(tcp.action === 'track-sc');
  assert.deepEqual(tcp.key.converters, [{ name: 'ipmask', args: ['24'] }]);
  const stick = r.config.backends[0]!.policy!.stickRules![0]!;
  assert.deepEqual({ fetch: stick.key.fetch, conv: stick.key.converters?.map((c) => c.name) }, { fetch: 'req.cook', conv: ['lower'] });
});

test('a stick pattern whose converters make a boolean is refused; a bad converter names the line', () => {
  const r = parse('backend be\n  stick-table type string size 1k\n  stick on req.cook(sid),bool\n  stick on req.cook(sid),lowr\n  server s 127.0.0.1:1\n');
  const e = errors(r);
  assert.ok(e.some((x) => x.startsWith('10 stick on:') && /boolean and cannot be a stick-table key/.test(x)), e.join('\n'));
  assert.ok(e.some((x) => x.startsWith('11 stick on:') && /unknown converter 'lowr'/.test(x)), e.join('\n'));
});

test('balance hash <expr>: the expression is parsed and kept; missing or extra words are errors', () => {
  const ok = parse('backend be\n  balance hash req.hdr(host),lower\n  hash-type consistent\n  server s 127.0.0.1:1\n');
  assert.deepEqual(errors(ok), []);
  assert.ok(ok.ok);
  const b = ok.config.backends[0]!.balance;
  assert.equal(b.algorithm, 'hash');
  assert.equal(b.hashType, 'consistent');
  assert.deepEqual({ fetch: b.expr?.fetch, args: b.expr?.args, conv: b.expr?.converters?.map((c: { name: string }) => c.name) }, { fetch: 'req.hdr', args: ['host'], conv: ['lower'] });
  const bad = parse('backend a\n  balance hash\n  server s 127.0.0.1:1\nbackend b\n  balance hash path extra\n  server s 127.0.0.1:1\nbackend c\n  balance hash pth\n  server s 127.0.0.1:1\n');
  assert.deepEqual(errors(bad).map((x) => x.split(':')[0]), ['9 balance hash', '12 balance hash', '15 balance hash']);
  assert.match(errors(bad)[0]!, /requires a sample expression/);
  assert.match(errors(bad)[2]!, /unknown fetch method 'pth'/);
});

test('server sni <expr>: str() stays a fixed name, any other expression is kept for each connection', () => {
  const r = parse('backend be\n  default-server ssl sni str(fixed.example)\n  server a 127.0.0.1:443\n  server b 127.0.0.1:443 sni req.hdr(host)\n  server c 127.0.0.1:443 sni ssl_fc_sni\n');
  assert.deepEqual(errors(r), []);
  assert.ok(r.ok);
  const [a, b, c] = r.config.backends[0]!.servers;
  assert.equal(a!.tls?.sni, 'fixed.example');
  assert.equal(a!.tls?.sniExpr, undefined);
  assert.equal(b!.tls?.sni, undefined, "the server line's sni replaces default-server's");
  assert.deepEqual(b!.tls?.sniExpr, { fetch: 'req.hdr', args: ['host'] });
  assert.deepEqual(c!.tls?.sniExpr, { fetch: 'ssl_fc_sni', args: [] });
});

test('balance hash and sni <expr> in a mode tcp backend are refused, not silently ignored', () => {
  const r = parse('backend t\n  mode tcp\n  balance hash src\n  server a 127.0.0.1:443 ssl sni ssl_fc_sni\n');
  const e = errors(r);
  assert.ok(e.some((x) => /'balance hash <expr>' in a 'mode tcp' backend is recognised but not implemented/.test(x)), e.join('\n'));
  assert.ok(e.some((x) => x.startsWith('11 server:') && /'sni <expr>'.*'mode tcp'/.test(x)), e.join('\n'));
});
