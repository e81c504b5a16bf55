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

test('errors name the line: two modes, preserve alone, unknown option, missing name, timers (HAProxy messages), frontend', () => {
  const lines = [
    'backend b',
    '  cookie A insert rewrite',
    '  cookie B preserve',
    '  cookie C insert frob',
    '  cookie',
    '  cookie D insert maxidle',
    '  cookie E insert maxlife',
    '  cookie F insert maxidle 10x',
    '  cookie G insert maxlife 2147483648',
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
  assert.equal(at(5), "11 cookie: 'maxidle' expects <idletime> in seconds as argument.");
  assert.equal(at(6), "12 cookie: 'maxlife' expects <lifetime> in seconds as argument.");
  assert.equal(at(7), "13 cookie: unexpected character 'x' in argument to <maxidle>.");
  assert.equal(at(8), '14 cookie: timer overflow in argument <2147483648> to <maxlife>, maximum value is 2147483647 s (~68 years).');
  assert.ok(r.diagnostics.every((d) => d.file === 'c.cfg'));
  assert.match(at(12), /not allowed in a 'frontend' section/);
});

test('cookie in a mode tcp backend warns that it is ignored', () => {
  const r = parseHaproxyConfig([{ file: 'c.cfg', text: 'backend b\n  mode tcp\n  timeout connect 1s\n  timeout server 1s\n  cookie S insert\n  server s 127.0.0.1:1 cookie s\n' }]);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.ok(r.config.warnings.some((w) => w.keyword === 'cookie' && /mode http/.test(w.message)));
});

test('maxidle / maxlife in seconds by default, units rounded up to whole seconds, 0 is off; dynamic; dynamic-cookie-key', () => {
  const r = parse([
    'backend a',
    '  cookie SRV insert indirect nocache maxidle 30m maxlife 8h dynamic',
    '  dynamic-cookie-key "s3cr3t key"',
    '  server s 127.0.0.1:1',
    'backend b',
    '  cookie SRV insert maxidle 30 maxlife 1500ms',
    '  server s 127.0.0.1:1',
    'backend c',
    '  cookie SRV insert maxidle 0 maxlife 1us',
    '  server s 127.0.0.1:1',
  ].join('\n') + '\n');
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const [a, b, c] = r.config.backends;
  assert.deepEqual([a!.cookie!.maxidle, a!.cookie!.maxlife, a!.cookie!.dynamic, a!.dynamicCookieKey], [1800, 28800, true, 's3cr3t key']);
  assert.deepEqual([b!.cookie!.maxidle, b!.cookie!.maxlife, b!.cookie!.dynamic, b!.dynamicCookieKey], [30, 2, undefined, undefined]);
  assert.deepEqual([c!.cookie!.maxidle, c!.cookie!.maxlife], [undefined, 1]);
  assert.equal(r.config.warnings.length, 0, JSON.stringify(r.config.warnings));
});

test('dynamic-cookie-key: inherited from defaults, overridden per backend; no argument is an error; frontend refused', () => {
  const r = parseHaproxyConfig([{ file: 'c.cfg', text: `${HEAD}  dynamic-cookie-key fromdefaults\nbackend a\n  cookie S insert dynamic\n  server s 127.0.0.1:1\nbackend b\n  dynamic-cookie-key own\n  cookie S insert dynamic\n  server s 127.0.0.1:1\n` }]);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.deepEqual(r.config.backends.map((b) => b.dynamicCookieKey), ['fromdefaults', 'own']);
  const bad = parse('backend b\n  dynamic-cookie-key\n  server s 127.0.0.1:1\nfrontend f\n  bind 127.0.0.1:1\n  dynamic-cookie-key k\n');
  assert.equal(bad.ok, false);
  const errors = bad.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line} ${d.keyword}: ${d.message}`);
  assert.ok(errors.includes("c.cfg:7 dynamic-cookie-key: 'dynamic-cookie-key' expects <secret_key> as argument."), errors.join('\n'));
  assert.ok(errors.some((e) => e.startsWith('c.cfg:11 dynamic-cookie-key:') && /not allowed in a 'frontend'/.test(e)), errors.join('\n'));
});

test('accepted with a warning where HAProxy 2.6 is silent: timers outside insert mode, dynamic without a key, garbage after a unit', () => {
  const r = parse('backend a\n  cookie S rewrite maxidle 30m\n  server s 127.0.0.1:1\nbackend b\n  cookie S insert dynamic\n  server s 127.0.0.1:1\nbackend c\n  cookie S insert maxidle 10mx\n  server s 127.0.0.1:1\n');
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const w = r.config.warnings.map((d) => `${d.line} ${d.keyword}: ${d.message}`);
  assert.ok(w.some((x) => /^7 cookie: 'maxidle' and 'maxlife' only work with 'insert' mode/.test(x)), w.join('\n'));
  assert.ok(w.some((x) => /^10 cookie: backend 'b': 'dynamic' without a 'dynamic-cookie-key'/.test(x)), w.join('\n'));
  assert.ok(w.some((x) => x.startsWith("13 cookie: unexpected character 'x' after the timer value '10mx'")), w.join('\n'));
  assert.equal(r.config.backends[0]!.cookie!.maxidle, 1800);
  assert.equal(r.config.backends[2]!.cookie!.maxidle, 600);
});
