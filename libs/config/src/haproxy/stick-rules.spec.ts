import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig } from './parse-haproxy.js';

const BASE = 'defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nfrontend fe\n  bind 127.0.0.1:8080\n  default_backend app\n';

function parse(lines: string) {
  return parseHaproxyConfig([{ file: 's.cfg', text: BASE + lines }]);
}

const APP = 'backend app\n  server s1 127.0.0.1:1\n  server s2 127.0.0.1:2\n';

test('seed 07: stick on cookie(SERVERID) reads req.cook and adds server_id to the table', () => {
  const r = parse(`${APP}  cookie SERVERID insert indirect nocache\n  stick-table type string len 32 size 100k expire 30m\n  stick on cookie(SERVERID)\n`);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const p = r.config.backends[0]!.policy!;
  assert.deepEqual(p.stickRules!.map((s) => [s.kind, s.key.fetch, s.key.args, s.table, s.source.line]), [['on', 'req.cook', ['SERVERID'], 'app', 14]]);
  assert.deepEqual(p.stickTable!.store, [{ type: 'server_id' }]);
});

test('stick match / store-request / store-response with table and conditions; use-server', () => {
  const r = parse(
    `backend shared\n  stick-table type ip size 1k store gpc0\n${APP}  stick-table type string len 64 size 1k\n  acl api path_beg /api\n` +
      '  stick match src table shared if api\n  stick store-request src table shared unless api\n  stick match req.cook(JSESSIONID)\n' +
      '  stick store-response res.cook(JSESSIONID)\n  stick store-response cookie(SID)\n  use-server s2 if { hdr(x-pin) s2 }\n  use-server s1\n',
  );
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const app = r.config.backends.find((b) => b.name === 'app')!.policy!;
  assert.deepEqual(app.stickRules!.map((s) => [s.kind, s.key.fetch, s.table, s.condition?.polarity]), [
    ['match', 'src', 'shared', 'if'],
    ['store-request', 'src', 'shared', 'unless'],
    ['match', 'req.cook', 'app', undefined],
    ['store-response', 'res.cook', 'app', undefined],
    ['store-response', 'res.cook', 'app', undefined],
  ]);
  assert.deepEqual(app.useServer!.map((u) => [u.server, u.condition !== undefined]), [['s2', true], ['s1', false]]);
  const shared = r.config.backends.find((b) => b.name === 'shared')!.policy!.stickTable!;
  assert.deepEqual(shared.store.map((s) => s.type), ['gpc0', 'server_id']);
});

test('errors name file:line: unknown table, no table, unknown server, bad kind, direction; mode tcp loads', () => {
  const r = parse(
    `${APP}  stick on src table nosuch\n  stick match src\n  use-server s9\n  stick keep src\n  stick store-response req.cook(a)\n  stick match res.cook(a)\n  stick on\n` +
      'backend t\n  mode tcp\n  stick-table type ip size 1k\n  stick on src\n  server a 127.0.0.1:1\n',
  );
  assert.equal(r.ok, false);
  const errs = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line} ${d.message}`);
  const has = (line: number, re: RegExp) => assert.ok(errs.some((e) => e.startsWith(`s.cfg:${line} `) && re.test(e)), `${line} ${re} in ${errs.join('\n')}`);
  has(12, /unable to find stick-table 'nosuch'/);
  has(13, /needs a 'table' argument or a 'stick-table'/);
  has(14, /unable to find server 's9' referenced in backend 'app'/);
  has(15, /unknown stick rule 'keep'/);
  has(16, /not available for 'store-response'/);
  has(17, /only available for 'store-response'/);
  has(18, /expects a pattern/);
  assert.ok(!errs.some((e) => e.startsWith('s.cfg:22 ')), `stick on src loads in a mode tcp backend: ${errs.join('\n')}`);
});

test('stick and use-server are refused in a frontend; cook fetches load in ACLs', () => {
  const r = parseHaproxyConfig([{ file: 's.cfg', text: `${BASE}  stick on src\n${APP}` }]);
  assert.equal(r.ok, false);
  const ok = parse(`${APP}  acl has_sid cook(SID) -m found\n  acl beta req.cook(v) beta\n  acl beg cook_beg(v) be\n  use-server s1 if has_sid beta beg\n`);
  assert.ok(ok.ok, JSON.stringify(ok.diagnostics));
});
