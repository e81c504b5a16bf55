import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { ManualClock } from '@tandem/core';
import { parseHaproxyConfig, type RuntimeConfig } from '@tandem/config';
import { CompiledProxyPolicy, type RequestView } from '@tandem/policy';
import { StickTableRegistry, trackerFor } from './stick-table-registry.js';
import { stickTableCommands } from '../admin/table-commands.js';

/** Seed block 08, on loopback. */
const SEED_08 = (period = '10s', limit = 100) =>
  `defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nfrontend http_ratelimit\n  bind 127.0.0.1:8080\n  stick-table type ip size 200k expire 60s store http_req_rate(${period})\n  http-request track-sc0 src\n  http-request deny deny_status 429 if { sc_http_req_rate(0) gt ${limit} }\n  default_backend web_servers\nbackend web_servers\n  server s1 127.0.0.1:1\n`;

function load(text: string): RuntimeConfig {
  const r = parseHaproxyConfig([{ file: '08.cfg', text }]);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return r.config;
}

function view(src: string, stick: RequestView['stick']): RequestView {
  return { src, srcPort: 40000, dst: '127.0.0.1', dstPort: 8080, method: 'GET', uri: '/', ssl: false, sni: undefined, nbsrv: () => 1, headers: { names: [], rawNames: [], values: [] }, ...(stick ? { stick } : {}) };
}

/** One request on its own connection (a fresh socket stand-in), closed after the answer. */
function request(policy: CompiledProxyPolicy, registry: StickTableRegistry, src: string) {
  const conn = new EventEmitter();
  const tracker = trackerFor(conn, registry);
  tracker.beginHttpRequest();
  const verdict = policy.evaluateRequest(view(src, tracker));
  return { verdict, close: () => conn.emit('close') };
}

test('seed 08 with a manual clock: 100 requests pass, the 101st inside 10 s reads > 100 and gets 429; other IPs unaffected; accepted again once the rate falls', () => {
  const clock = new ManualClock(1_000_000);
  const config = load(SEED_08());
  const registry = new StickTableRegistry(clock);
  assert.deepEqual(registry.apply(config), ['http_ratelimit']);
  const policy = new CompiledProxyPolicy(config.frontends[0]!.policy!);
  for (let i = 1; i <= 100; i++) {
    const r = request(policy, registry, '192.0.2.7');
    assert.deepEqual(r.verdict, { kind: 'continue' }, `request ${i}`);
    r.close();
    clock.advance(50); // 100 requests over 5 s
  }
  const table = registry.get('http_ratelimit')!;
  const r101 = request(policy, registry, '192.0.2.7');
  assert.equal(table.read('192.0.2.7', 'http_req_rate'), 101);
  assert.deepEqual(r101.verdict, { kind: 'deny', status: 429 });
  r101.close();
  assert.deepEqual(request(policy, registry, '192.0.2.8').verdict, { kind: 'continue' }, 'another source is unaffected');
  // Still limited while the sliding rate stays above 100 ...
  clock.advance(5_000);
  assert.deepEqual(request(policy, registry, '192.0.2.7').verdict, { kind: 'deny', status: 429 });
  // ... and accepted again once it falls (two periods without requests empty the counter).
  clock.advance(20_000);
  assert.deepEqual(request(policy, registry, '192.0.2.7').verdict, { kind: 'continue' });
  assert.equal(table.read('192.0.2.7', 'http_req_rate'), 1);
});

test('tracking per connection: keep-alive requests count each; conn_cur follows open connections; tables survive an unchanged reload and are recreated when changed', () => {
  const clock = new ManualClock(0);
  const text = SEED_08().replace('store http_req_rate(10s)', 'store http_req_rate(10s),http_req_cnt,conn_cur,conn_cnt,http_err_cnt');
  const config = load(text);
  const registry = new StickTableRegistry(clock);
  registry.apply(config);
  const policy = new CompiledProxyPolicy(config.frontends[0]!.policy!);
  const conn = new EventEmitter();
  const tracker = trackerFor(conn, registry);
  for (let i = 0; i < 3; i++) {
    tracker.beginHttpRequest();
    policy.evaluateRequest(view('10.0.0.1', tracker));
  }
  tracker.countHttpError();
  const other = request(policy, registry, '10.0.0.1');
  const t = registry.get('http_ratelimit')!;
  assert.deepEqual(t.lookup('10.0.0.1')!.data, { http_req_cnt: 4, http_req_rate: 4, conn_cnt: 2, conn_cur: 2, http_err_cnt: 1 });
  assert.equal(t.lookup('10.0.0.1')!.use, 2);
  conn.emit('close');
  other.close();
  assert.equal(t.read('10.0.0.1', 'conn_cur'), 0);
  assert.equal(t.lookup('10.0.0.1')!.use, 0);
  assert.ok(t.updateSeq > 0, 'local writes carry update sequence numbers');

  assert.deepEqual(registry.apply(load(text)), [], 'same definition: kept');
  assert.equal(registry.get('http_ratelimit'), t);
  assert.deepEqual(registry.apply(load(text.replace('size 200k', 'size 100k'))), ['http_ratelimit'], 'changed: recreated');
  assert.notEqual(registry.get('http_ratelimit'), t);
  assert.equal(registry.get('http_ratelimit')!.used, 0);
});

test('show table / clear table answer as HAProxy', async () => {
  const clock = new ManualClock(0);
  const config = load(SEED_08());
  const registry = new StickTableRegistry(clock);
  registry.apply(config);
  const policy = new CompiledProxyPolicy(config.frontends[0]!.policy!);
  request(policy, registry, '127.0.0.1').close();
  request(policy, registry, '127.0.0.1').close();
  request(policy, registry, '127.0.0.2').close();
  const [show, clear] = stickTableCommands({ stickTables: registry });
  assert.equal(await show!.run([]), '# table: http_ratelimit, type: ip, size:204800, used:2\n');
  assert.equal(await show!.run(['http_ratelimit']), '# table: http_ratelimit, type: ip, size:204800, used:2\n0x1: key=127.0.0.1 use=0 exp=60000 http_req_rate(10000)=2\n0x2: key=127.0.0.2 use=0 exp=60000 http_req_rate(10000)=1\n');
  assert.equal(await show!.run(['http_ratelimit', 'data.http_req_rate', 'gt', '1']), '# table: http_ratelimit, type: ip, size:204800, used:2\n0x1: key=127.0.0.1 use=0 exp=60000 http_req_rate(10000)=2\n');
  assert.equal(await show!.run(['http_ratelimit', 'key', '127.0.0.2']), '# table: http_ratelimit, type: ip, size:204800, used:2\n0x2: key=127.0.0.2 use=0 exp=60000 http_req_rate(10000)=1\n');
  assert.throws(() => show!.run(['nope']), /No such table/);
  assert.throws(() => show!.run(['http_ratelimit', 'data.conn_cur', 'gt', '1']), /Data type not stored in this table/);
  assert.equal(await clear!.run(['http_ratelimit', 'key', '127.0.0.1']), '');
  assert.equal(await show!.run([]), '# table: http_ratelimit, type: ip, size:204800, used:1\n');
  assert.equal(await clear!.run(['http_ratelimit']), '');
  assert.equal(await show!.run([]), '# table: http_ratelimit, type: ip, size:204800, used:0\n');
});
