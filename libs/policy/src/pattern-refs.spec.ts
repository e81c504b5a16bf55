import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupPatternRef, parseHaproxyConfig, type ConfigFilePort, type ProxyPolicy, type RuntimeConfig } from '@tandem/config';
import { CompiledProxyPolicy } from './http-rules.js';
import type { RequestView } from './request-view.types.js';

const FILES: Record<string, string> = {
  'hosts.map': '# routing\na.example be_a\nb.example be_b\n',
  'blocked.acl': '192.0.2.1\n198.51.100.0/24\n',
  'empty.acl': '',
};
const files: ConfigFilePort = { read: (p) => (FILES[p] !== undefined ? Buffer.from(FILES[p]!) : new Error(`ENOENT '${p}'`)), listDirectory: () => undefined };

function load(lines: string, fs: ConfigFilePort = files): RuntimeConfig {
  const text = `defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nfrontend fe\n  bind 127.0.0.1:8080\n${lines}\n  default_backend be_default\nbackend be_default\n  server s 127.0.0.1:1\nbackend be_a\n  server s 127.0.0.1:1\nbackend be_b\n  server s 127.0.0.1:1\n`;
  const r = parseHaproxyConfig([{ file: 't.cfg', text }], { files: fs });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return r.config;
}
const compiled = (c: RuntimeConfig) => new CompiledProxyPolicy(c.frontends[0]!.policy as ProxyPolicy);

function view(host: string, src = '10.0.0.9', uri = '/'): RequestView {
  return { src, srcPort: 1, dst: '10.0.0.1', dstPort: 80, method: 'GET', uri, ssl: false, sni: undefined, nbsrv: () => 1, headers: { names: ['host'], rawNames: ['Host'], values: [host] } };
}

test('one reference per file, shared by every converter and ACL naming it; a change is seen by all at once', () => {
  const c = load([
    '  acl known req.hdr(host),lower,map(hosts.map) -m found',
    '  http-request deny if { src -f blocked.acl }',
    '  use_backend %[req.hdr(host),lower,map(hosts.map,be_default)] if known',
  ].join('\n'));
  assert.deepEqual(c.patternRefs!.map((r) => [r.id, r.file, r.usedByMap, r.usedByAcl]), [[0, 'hosts.map', true, false], [1, 'blocked.acl', false, true]]);
  const hosts = lookupPatternRef(c.patternRefs!, 'hosts.map')!;
  assert.equal(lookupPatternRef(c.patternRefs!, '#0'), hosts);
  assert.equal(hosts.display, "pattern loaded from file 'hosts.map' used by map at file 't.cfg' line 8, by map at file 't.cfg' line 10");
  const p = compiled(c);
  assert.equal(p.selectBackend(view('A.example')), 'be_a');
  assert.equal(p.selectBackend(view('c.example')), undefined, 'not in the map: the ACL does not match');
  assert.equal(hosts.add('c.example', 'be_b'), undefined);
  assert.equal(p.selectBackend(view('c.example')), 'be_b', 'both the ACL and the use_backend converter see the new key');
  assert.equal(hosts.set('a.example', 'be_b'), undefined);
  assert.equal(p.selectBackend(view('a.example')), 'be_b');
  assert.equal(hosts.delete('a.example'), true);
  assert.equal(p.selectBackend(view('a.example')), undefined);

  const blocked = lookupPatternRef(c.patternRefs!, 'blocked.acl')!;
  assert.deepEqual(p.evaluateRequest(view('x', '198.51.100.7')), { kind: 'deny', status: 403 });
  assert.deepEqual(p.evaluateRequest(view('x', '203.0.113.5')), { kind: 'continue' });
  assert.match(blocked.add('not-an-ip', undefined) ?? '', /is not an IPv4 or IPv6 address/);
  assert.equal(blocked.add('203.0.113.0/24', undefined), undefined);
  assert.deepEqual(p.evaluateRequest(view('x', '203.0.113.5')), { kind: 'deny', status: 403 });
  blocked.clear();
  assert.deepEqual(p.evaluateRequest(view('x', '198.51.100.7')), { kind: 'continue' });
});

test('set-map, del-map, add-acl, del-acl actions change the reference; a file no ACL or map loads only warns', () => {
  const c = load([
    '  http-request add-acl(blocked.acl) %[src] if { path /ban-me }',
    '  http-request del-acl(blocked.acl) %[src] if { path /unban-me }',
    '  http-request set-map(hosts.map) %[req.hdr(host)] %[url_param(to)] if { path /route }',
    '  http-request del-map(hosts.map) %[req.hdr(host)] if { path /unroute }',
    '  http-request deny if { src -f blocked.acl }',
    '  use_backend %[req.hdr(host),map(hosts.map,be_default)]',
  ].join('\n'));
  const p = compiled(c);
  const blocked = lookupPatternRef(c.patternRefs!, 'blocked.acl')!;
  assert.deepEqual(p.evaluateRequest(view('x', '10.1.1.1', '/ban-me')), { kind: 'deny', status: 403 }, 'added, then matched by the rule after it');
  p.evaluateRequest(view('x', '10.1.1.1', '/ban-me'));
  assert.equal(blocked.entries().filter((e) => e.key === '10.1.1.1').length, 1, 'add-acl does not add a key twice');
  assert.deepEqual(p.evaluateRequest(view('x', '10.1.1.1', '/unban-me')), { kind: 'continue' });
  p.evaluateRequest(view('new.example', '10.1.1.2', '/route?to=be_a'));
  assert.equal(p.selectBackend(view('new.example')), 'be_a');
  p.evaluateRequest(view('new.example', '10.1.1.2', '/route?to=be_b'));
  assert.equal(p.selectBackend(view('new.example')), 'be_b', 'set-map updates an existing key');
  p.evaluateRequest(view('new.example', '10.1.1.2', '/unroute'));
  assert.equal(p.selectBackend(view('new.example')), 'be_default');

  const text = `defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nfrontend fe\n  bind 127.0.0.1:8080\n  http-request add-acl(nowhere.acl) %[src]\n  default_backend b\nbackend b\n  server s 127.0.0.1:1\n`;
  const r = parseHaproxyConfig([{ file: 't.cfg', text }], { files });
  assert.ok(r.ok);
  assert.match(r.diagnostics.map((d) => d.message).join('\n'), /'nowhere.acl' is not loaded by any map converter/);
});

test('a file read as one column and as two columns is refused (HAProxy); a reload reads the files again', () => {
  const text = `defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nfrontend fe\n  bind 127.0.0.1:8080\n  acl a req.hdr(host),map(hosts.map) -m found\n  acl b req.hdr(host) -f hosts.map\n  use_backend b if a b\nbackend b\n  server s 127.0.0.1:1\n`;
  const r = parseHaproxyConfig([{ file: 't.cfg', text }], { files });
  assert.equal(r.ok, false);
  assert.match(r.diagnostics.map((d) => d.message).join('\n'), /The file "hosts.map" is already used as two column file and cannot be used by as one column file/);
  const first = load('  http-request deny if { src -f blocked.acl }');
  lookupPatternRef(first.patternRefs!, 'blocked.acl')!.add('10.9.9.9', undefined);
  const second = load('  http-request deny if { src -f blocked.acl }');
  assert.deepEqual(lookupPatternRef(second.patternRefs!, 'blocked.acl')!.entries().map((e) => e.key), ['192.0.2.1', '198.51.100.0/24']);
});
