import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig } from './parse-haproxy.js';

const HEAD = 'defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\n';

function parse(text: string) {
  return parseHaproxyConfig([{ file: 'c.cfg', text: HEAD + text }]);
}

test('the seed block 07: cookie SERVERID insert indirect nocache, server cookie values; a server without one has none', () => {
  const r = parse('backend sticky_app\n  balance roundrobin\n  cookie SERVERID insert indirect nocache\n  server node01 127.0.0.1:1 check cookie node01\n  server node02 127.0.0.1:2 check\n');
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const be = r.config.backends[0]!;
  assert.deepEqual({ ...be.cookie, source: undefined }, {
    name: 'SERVERID', mode: 'insert', indirect: true, nocache: true, postonly: false, preserve: false, httponly: false, secure: false, domains: [], attrs: [], source: undefined,
  });
  assert.equal(be.cookie!.source.line, 8);
  assert.equal(be.persist, false);
  assert.equal(be.servers[0]!.cookie, 'node01');
  assert.equal(be.servers[1]!.cookie, undefined);
});

test('every option: domains repeat, attrs, httponly, secure, postonly, preserve; a cookie without a mode is passive; option persist', () => {
  const r = parse('backend b\n  option persist\n  cookie S prefix indirect preserve httponly secure postonly domain .a.example domain .b.example attr SameSite=Lax\n  server s 127.0.0.1:1 cookie s\nbackend p\n  cookie P\n  server s 127.0.0.1:1\n');
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const [b, p] = r.config.backends;
  assert.equal(b!.persist, true);
  assert.equal(b!.cookie!.mode, 'prefix');
  assert.deepEqual([b!.cookie!.indirect, b!.cookie!.preserve, b!.cookie!.httponly, b!.cookie!.secure, b!.cookie!.postonly], [true, true, true, true, true]);
  assert.deepEqual(b!.cookie!.domains, ['.a.example', '.b.example']);
  assert.deepEqual(b!.cookie!.attrs, ['SameSite=Lax']);
  assert.equal(p!.cookie!.mode, 'passive');
  assert.equal(p!.persist, false);
});

test('cookie and option persist are inherited from defaults; no option persist turns it off', () => {
  const r = parseHaproxyConfig([{ file: 'c.cfg', text: `${HEAD}  cookie D insert\n  option persist\nbackend a\n  server s 127.0.0.1:1 cookie s\nbackend b\n  no option persist\n  server s 127.0.0.1:1\n` }]);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.equal(r.config.backends[0]!.cookie!.name, 'D');
  assert.equal(r.config.backends[0]!.persist, true);
  assert.equal(r.config.backends[1]!.persist, false);
});

test('errors name the line: two modes, preserve alone, unknown option, missing name, frontend; maxidle, maxlife, dynamic name issue #6', () => {
  const lines = [
    'backend b',
    '  cookie A insert rewrite',
    '  cookie B preserve',
    '  cookie C insert frob',
    '  cookie',
    '  cookie D insert maxidle 30m',
    '  cookie E insert maxlife 1h',
    '  cookie F insert dynamic',
    '  dynamic-cookie-key k',
    '  server s 127.0.0.1:1',
    'frontend f',
    '  bind 127.0.0.1:1',
    '  cookie G insert',
  ];
  const r = parse(lines.join('\n') + '\n');
  assert.equal(r.ok, false);
  const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line} ${d.keyword}: ${d.message}`);
  const at = (line: number) => errors.filter((e) => e.startsWith(`${line + 6} `)).join('\n');
  assert.match(at(1), /mutually exclusive/);
  assert.match(at(2), /'preserve' requires at least 'insert' or 'indirect'/);
  assert.match(at(3), /unknown option 'frob'/);
  assert.match(at(4), /expects <cookie_name>/);
  for (const line of [5, 6, 7, 8]) assert.match(at(line), /not implemented yet in Tandem \(issue #6/);
  assert.match(at(12), /not allowed in a 'frontend' section/);
});

test('cookie in a mode tcp backend warns that it is ignored', () => {
  const r = parseHaproxyConfig([{ file: 'c.cfg', text: 'backend b\n  mode tcp\n  timeout connect 1s\n  timeout server 1s\n  cookie S insert\n  server s 127.0.0.1:1 cookie s\n' }]);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.ok(r.config.warnings.some((w) => w.keyword === 'cookie' && /mode http/.test(w.message)));
});
