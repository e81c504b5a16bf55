import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig } from './parse-haproxy.js';
import type { ConfigFilePort } from './parse-context.js';
import { splitSampleExpr } from './sample-expr.js';

const files = (map: Record<string, string>): ConfigFilePort => ({
  read: (path) => (map[path] !== undefined ? Buffer.from(map[path]!, 'latin1') : new Error(`ENOENT: no such file '${path}'`)),
  listDirectory: () => undefined,
});

const BASE = 'defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nbackend b0\n  server s 127.0.0.1:1\nfrontend fe\n  bind 127.0.0.1:8080\n  default_backend b0\n';
const parse = (lines: string, fs: Record<string, string> = {}) => parseHaproxyConfig([{ file: 'p.cfg', text: BASE + lines }], { files: files(fs) });

test('sample expressions split into fetch and converters; quotes and \\, protect commas and parentheses', () => {
  assert.deepEqual(splitSampleExpr('req.hdr(host),lower,map(/m,dflt)'), { name: 'req.hdr', args: ['host'], converters: [{ name: 'lower', args: [] }, { name: 'map', args: ['/m', 'dflt'] }] });
  assert.deepEqual(splitSampleExpr("path,regsub('(a|b),c','\\1',g)").converters, [{ name: 'regsub', args: ['(a|b),c', '\\1', 'g'] }]);
  assert.deepEqual(splitSampleExpr('path,regsub(a\\,b,x)').converters[0]!.args, ['a,b', 'x']);
  assert.deepEqual(splitSampleExpr('hdr()').args, []);
});

test('converters parse in ACLs; the last converter gives the default match method; map files are read at load', () => {
  const r = parse('  acl h req.hdr(host),lower,map(/hosts.map,none) -m str be1\n  acl n src,ipmask(24) 10.0.0.0\n  acl ok hdr_cnt(x),bool\n  use_backend b0 if h n ok\n', { '/hosts.map': '# comment\n\n  Example.com be1\nfoo.com   be2 with  spaces\r\n' });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const acls = r.config.frontends[0]!.policy!.acls;
  const h = acls.get('h')!.terms[0]!;
  assert.deepEqual(h.converters!.map((c) => c.name), ['lower', 'map']);
  assert.deepEqual(h.converters![1]!.map!.entries, [{ key: 'Example.com', value: 'be1' }, { key: 'foo.com', value: 'be2 with  spaces' }]);
  assert.equal(acls.get('n')!.terms[0]!.match, 'ip');
  assert.equal(acls.get('ok')!.terms[0]!.match, 'bool');
});

test('-f pattern files (several, comments, leading blanks) and -M map files as pattern lists', () => {
  const r = parse('  acl a path_beg -f /a.lst -f /b.lst /inline\n  acl m hdr(host) -M -f /h.map\n  use_backend b0 if a m\n', { '/a.lst': '# x\n/api\n   /static\n\n', '/b.lst': '/img\n', '/h.map': 'a.com be1\nb.com be2\n' });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const acls = r.config.frontends[0]!.policy!.acls;
  assert.deepEqual(acls.get('a')!.terms[0]!.values, ['/api', '/static', '/img', '/inline']);
  assert.deepEqual(acls.get('m')!.terms[0]!.values, ['a.com', 'b.com']);
});

test('converter and file errors name file:line', () => {
  const r = parse([
    '  acl a path,lowr x',
    '  acl b path,field(0,/) x',
    '  acl c src,ipmask(33) 1.2.3.4',
    '  acl d path,regsub((,x) x',
    '  acl e path,map(/missing.map) x',
    '  acl f src,map_ip(/bad-ip.map) x',
    '  acl g path -f /missing.lst',
    '  acl h path -M',
    '  acl i src -f /ips.lst',
    '  acl j path,map_int_int(/bad-int.map) 1',
    '',
  ].join('\n'), { '/bad-ip.map': '10.0.0.0/8 a\nnot-an-ip b\n', '/ips.lst': '10.0.0.1\nbogus\n', '/bad-int.map': '1 x\n' });
  assert.equal(r.ok, false);
  const byLine = new Map(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d]));
  assert.match(byLine.get(11)!.message, /unknown converter 'lowr'/);
  assert.equal(byLine.get(11)!.suggestion, 'lower');
  assert.match(byLine.get(12)!.message, /index '0'/);
  assert.match(byLine.get(13)!.message, /not an IPv4 mask/);
  assert.match(byLine.get(14)!.message, /invalid regex/);
  assert.match(byLine.get(15)!.message, /cannot read map file '\/missing\.map'/);
  assert.match(byLine.get(16)!.message, /map file '\/bad-ip\.map' line 2/);
  assert.match(byLine.get(17)!.message, /cannot read pattern file '\/missing\.lst'/);
  assert.match(byLine.get(18)!.message, /-M.*-f/);
  assert.match(byLine.get(19)!.message, /'bogus' is not an IPv4 or IPv6/);
  assert.match(byLine.get(20)!.message, /value 'x' is not an integer/);
});
