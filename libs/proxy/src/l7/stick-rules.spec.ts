import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '@tandem/core';
import { parseHaproxyConfig, type BackendConfig, type RuntimeConfig } from '@tandem/config';
import type { RequestView } from '@tandem/policy';
import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import { StickTableRegistry } from '../stick/stick-table-registry.js';
import { CompiledServerRules, persistRequest, persistResponse } from './stick-rules.js';

const HEAD = 'defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nfrontend fe\n  bind 127.0.0.1:8080\n  default_backend app\n';

function load(backend: string): RuntimeConfig {
  const r = parseHaproxyConfig([{ file: 's.cfg', text: `${HEAD}backend app\n  server s1 127.0.0.1:1\n  server s2 127.0.0.1:2\n  server s3 127.0.0.1:3\n${backend}` }]);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return r.config;
}

type State = 'up' | 'drain' | 'down';
/** The parts of BackendRuntime the rules read: servers (name, id, usable for persistence) and `option persist`. */
function backend(config: BackendConfig, states: Record<string, State> = {}): BackendRuntime {
  const servers = config.servers.map((c) => ({ config: c, get acceptsPersistent() { return (states[c.name] ?? 'up') !== 'down'; } }));
  return { config, servers } as unknown as BackendRuntime;
}

function headers(...pairs: Array<[string, string]>) {
  return { names: pairs.map(([n]) => n.toLowerCase()), rawNames: pairs.map(([n]) => n), values: pairs.map(([, v]) => v) };
}

function view(src: string, h = headers()): RequestView {
  return { src, srcPort: 40000, dst: '127.0.0.1', dstPort: 8080, method: 'GET', uri: '/', ssl: false, sni: undefined, nbsrv: () => 3, headers: h };
}

function setup(backendLines: string, states?: Record<string, State>) {
  const config = load(backendLines);
  const clock = new ManualClock(1_000_000);
  const tables = new StickTableRegistry(clock);
  tables.apply(config);
  const be = backend(config.backends[0]!, states);
  const rules = new CompiledServerRules(config.backends[0]!.policy!);
  const server = (name: string) => be.servers.find((s) => s.config.name === name) as ServerRuntime;
  return { config, clock, tables, be, rules, server };
}

test('stick on src: no entry balances; the answering server is stored with its server_id; the next request sticks', () => {
  const { tables, be, rules, server } = setup('  stick-table type ip size 1k expire 30m\n  stick on src\n');
  const v = view('192.0.2.1');
  const first = persistRequest(rules, v, v.headers, be, tables, undefined);
  assert.equal(first.pinned, undefined);
  assert.deepEqual(first.stores, [{ table: 'app', key: '192.0.2.1' }]);
  persistResponse(rules, v, headers(), first.stores, tables, server('s2'));
  assert.equal(tables.get('app')!.getServerId('192.0.2.1'), 2);
  const again = persistRequest(rules, v, v.headers, be, tables, undefined);
  assert.equal(again.pinned, server('s2'));
  assert.equal(persistRequest(rules, view('192.0.2.9'), headers(), be, tables, undefined).pinned, undefined, 'another client balances');
});

test('a stored server that is DOWN is ignored unless option persist; DRAIN still takes it', () => {
  for (const [state, persist, expected] of [['down', false, undefined], ['down', true, 's1'], ['drain', false, 's1']] as const) {
    const { tables, be, rules, server } = setup(`  stick-table type ip size 1k\n  stick on src\n${persist ? '  option persist\n' : ''}`, { s1: state });
    tables.get('app')!.setServerId('192.0.2.1', 1);
    const r = persistRequest(rules, view('192.0.2.1'), headers(), be, tables, undefined);
    assert.equal(r.pinned, expected && server(expected), `${state} persist=${persist}`);
  }
});

test('use-server wins over the cookie and the stick table; a DOWN use-server target falls through to the next rule', () => {
  const { tables, be, rules, server } = setup('  stick-table type ip size 1k\n  stick on src\n  use-server s3 if { hdr(x-pin) s3 }\n  use-server s2 if { hdr(x-pin) any }\n  use-server s1 if { hdr(x-pin) any }\n', { s2: 'down' });
  tables.get('app')!.setServerId('192.0.2.1', 1);
  const pin3 = view('192.0.2.1', headers(['X-Pin', 's3']));
  assert.equal(persistRequest(rules, pin3, pin3.headers, be, tables, server('s2')).pinned, server('s3'));
  const any = view('192.0.2.1', headers(['X-Pin', 'any']));
  assert.equal(persistRequest(rules, any, any.headers, be, tables, undefined).pinned, server('s1'), 's2 is DOWN: next rule');
  // A request already pinned (cookie) is not matched, but the store still happens.
  const plain = view('192.0.2.1');
  const r = persistRequest(rules, plain, plain.headers, be, tables, server('s3'));
  assert.equal(r.pinned, server('s3'));
  persistResponse(rules, plain, headers(), r.stores, tables, server('s3'));
  assert.equal(tables.get('app')!.getServerId('192.0.2.1'), 3);
});

test('app session persistence: store-response res.cook learns the id, stick match req.cook finds it (last occurrence keys)', () => {
  const { tables, be, rules, server } = setup('  stick-table type string len 32 size 1k expire 30m\n  stick match req.cook(JSESSIONID)\n  stick store-response res.cook(JSESSIONID)\n');
  const v = view('192.0.2.1');
  const r = persistRequest(rules, v, v.headers, be, tables, undefined);
  assert.deepEqual(r.stores, []);
  persistResponse(rules, v, headers(['Set-Cookie', 'JSESSIONID=abc123; Path=/; HttpOnly']), r.stores, tables, server('s3'));
  assert.equal(tables.get('app')!.getServerId('abc123'), 3);
  const back = view('192.0.2.50', headers(['Cookie', 'x=1; JSESSIONID=zzz'], ['Cookie', 'JSESSIONID=abc123']));
  assert.equal(persistRequest(rules, back, back.headers, be, tables, undefined).pinned, server('s3'));
});

test('the stick rules see the request as forwarded (an indirect cookie already removed), and only the first store per table counts', () => {
  const { tables, be, rules } = setup('  stick-table type string len 32 size 1k\n  stick store-request req.cook(SERVERID)\n  stick store-request hdr(x-user)\n  stick store-request src\n');
  const received = view('192.0.2.1', headers(['Cookie', 'SERVERID=s1'], ['X-User', 'bob']));
  const forwarded = headers(['X-User', 'bob']);
  assert.deepEqual(persistRequest(rules, received, forwarded, be, tables, undefined).stores, [{ table: 'app', key: 'bob' }]);
  assert.deepEqual(persistRequest(rules, received, received.headers, be, tables, undefined).stores, [{ table: 'app', key: 's1' }]);
});

test('a match renews the entry it finds; expired entries no longer pin', () => {
  const { clock, tables, be, rules, server } = setup('  stick-table type ip size 1k expire 10s\n  stick match src\n');
  tables.get('app')!.setServerId('192.0.2.1', 2);
  for (let i = 0; i < 3; i++) {
    clock.advance(8000);
    assert.equal(persistRequest(rules, view('192.0.2.1'), headers(), be, tables, undefined).pinned, server('s2'), `after ${(i + 1) * 8} s`);
  }
  clock.advance(11_000);
  assert.equal(persistRequest(rules, view('192.0.2.1'), headers(), be, tables, undefined).pinned, undefined);
});

test('stick patterns with converters: req.cook(sid),lower makes two casings one key; src,ipmask(24) one key per /24', () => {
  const { tables, be, rules, server } = setup('  stick-table type string len 16 size 1k\n  stick on req.cook(sid),lower\n');
  const upper = view('192.0.2.1', headers(['Cookie', 'sid=ABC123']));
  const first = persistRequest(rules, upper, upper.headers, be, tables, undefined);
  assert.deepEqual(first.stores, [{ table: 'app', key: 'abc123' }]);
  persistResponse(rules, upper, headers(), first.stores, tables, server('s3'));
  const lower = view('192.0.2.2', headers(['Cookie', 'sid=abc123']));
  assert.equal(persistRequest(rules, lower, lower.headers, be, tables, undefined).pinned, server('s3'));

  const net = setup('  stick-table type ip size 1k\n  stick on src,ipmask(24)\n');
  const a = view('198.51.100.7');
  const sa = persistRequest(net.rules, a, a.headers, net.be, net.tables, undefined);
  assert.deepEqual(sa.stores, [{ table: 'app', key: '198.51.100.0' }]);
  persistResponse(net.rules, a, headers(), sa.stores, net.tables, net.server('s2'));
  assert.equal(persistRequest(net.rules, view('198.51.100.200'), headers(), net.be, net.tables, undefined).pinned, net.server('s2'));
  assert.equal(persistRequest(net.rules, view('198.51.101.7'), headers(), net.be, net.tables, undefined).pinned, undefined);
});

test('a pattern that cannot be cast to the table type does nothing (HAProxy: no key, no rule)', () => {
  const { tables, be, rules } = setup('  stick-table type ip size 1k\n  stick on req.hdr(x-client),lower\n');
  const v = view('192.0.2.1', headers(['X-Client', 'Alice']));
  assert.deepEqual(persistRequest(rules, v, v.headers, be, tables, undefined).stores, []);
  const ip = view('192.0.2.1', headers(['X-Client', '203.0.113.9']));
  assert.deepEqual(persistRequest(rules, ip, ip.headers, be, tables, undefined).stores, [{ table: 'app', key: '203.0.113.9' }], 'a string that is a dotted quad casts to ip');
});
