import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxyConfig, type ProxyPolicy } from '@tandem/config';
import { CompiledProxyPolicy } from './http-rules.js';
import { CompiledTcpRules } from './tcp-content-rules.js';
import type { RequestView, StickAccess } from './request-view.types.js';
import { newTxnState } from './txn-state.js';

function policyOf(lines: string, mode = 'http'): ProxyPolicy {
  const text = `defaults\n  mode ${mode}\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nfrontend fe\n  bind 127.0.0.1:8080\n  stick-table type ip size 1k store gpc0,gpc1,gpt0\n${lines}\n  default_backend b0\nbackend b0\n  server s 127.0.0.1:1\n`;
  const r = parseHaproxyConfig([{ file: 't.cfg', text }]);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return r.config.frontends[0]!.policy as ProxyPolicy;
}

/** A stick access recording the writes: counter 0 tracks one entry. */
function recorder() {
  const log: string[] = [];
  const stick: StickAccess = {
    proxyTable: undefined,
    track: () => undefined,
    readCounter: (_c, type) => (type === 'gpt0' ? gpt0 : 0),
    readKey: () => 0,
    incGpc0: (c) => void log.push(`gpc0+1@${c}`),
    incGpc1: (c) => void log.push(`gpc1+1@${c}`),
    setGpt0: (c, v) => {
      log.push(`gpt0=${v}@${c}`);
      gpt0 = v;
    },
    updateCounter: (c, op, type) => (log.push(`${op}:${type}@${c}`), 42),
  };
  let gpt0 = 0;
  return { log, stick };
}

function view(stick: StickAccess, over: Partial<RequestView> = {}): RequestView {
  return { src: '10.1.2.3', srcPort: 40000, dst: '10.10.10.1', dstPort: 80, method: 'GET', uri: '/login', ssl: false, sni: undefined, nbsrv: () => 1, headers: { names: ['x-level'], rawNames: ['X-Level'], values: ['4'] }, version: '1.1', stick, txn: newTxnState(), ...over };
}

test('http-request sc-inc-gpc1, sc-set-gpt0 <int> and <expr>; a later rule sees gpt0 (flag abusers)', () => {
  const p = new CompiledProxyPolicy(policyOf([
    '  http-request sc-inc-gpc1(0)',
    '  http-request sc-set-gpt0(0) 1 if { path /login }',
    '  http-request deny if { sc_get_gpt0(0) eq 1 }',
  ].join('\n')));
  const { log, stick } = recorder();
  assert.equal(p.evaluateRequest(view(stick)).kind, 'deny');
  assert.deepEqual(log, ['gpc1+1@0', 'gpt0=1@0']);
  const q = new CompiledProxyPolicy(policyOf('  http-request sc-set-gpt0(2) req.hdr(x-level),add(1)\n  http-request set-var(txn.v) sc_inc_gpc1(2)'));
  const r = recorder();
  const v = view(r.stick);
  assert.equal(q.evaluateRequest(v).kind, 'continue');
  assert.deepEqual(r.log, ['gpt0=5@2', 'inc:gpc1@2']);
  assert.equal(v.txn!.vars.get('txn.v'), 42);
});

test('http-request early-hint gathers headers for HTTP/1.1 clients only', () => {
  const p = new CompiledProxyPolicy(policyOf('  http-request early-hint Link "</a.css>; rel=preload"\n  http-request early-hint Link "<%[path]>; rel=preload"'));
  const { stick } = recorder();
  const v11 = view(stick);
  p.evaluateRequest(v11);
  assert.deepEqual(v11.txn!.earlyHints, [['Link', '</a.css>; rel=preload'], ['Link', '</login>; rel=preload']]);
  const v10 = view(stick, { version: '1.0' });
  p.evaluateRequest(v10);
  assert.equal(v10.txn!.earlyHints, undefined);
});

test('tcp rules: set-var then silent-drop on it; sc actions; resume at the rule that waited, not from the first', () => {
  const pol = policyOf([
    '  tcp-request inspect-delay 1s',
    '  tcp-request content sc-inc-gpc0(0)',
    '  tcp-request content set-var(sess.x) req.payload(0,3)',
    '  tcp-request content silent-drop if { var(sess.x) -m str bad }',
    '  tcp-request content set-src str(192.0.2.9)',
  ].join('\n'), 'tcp');
  const rules = new CompiledTcpRules(pol.tcpContent, pol.acls, 'fe');
  const { log, stick } = recorder();
  const sess = new Map();
  const bad = view(stick, { txn: newTxnState(sess), payload: { data: Buffer.from('bad!'), final: true, mayChange: false } });
  assert.equal(rules.evaluate(bad), 'silent-drop');
  assert.equal(sess.get('sess.x'), 'bad');
  const good = view(stick, { txn: newTxnState(), payload: { data: Buffer.from('GET'), final: true, mayChange: false } });
  assert.equal(rules.evaluate(good), 'continue');
  assert.equal(good.src, '192.0.2.9', 'set-src rewrote the view');
  assert.ok(good.txn!.addressesSet);
  assert.deepEqual(log, ['gpc0+1@0', 'gpc0+1@0']);
  // Waiting on a short buffer: the counter action before the waiting rule runs once.
  const waits = policyOf('  tcp-request inspect-delay 1s\n  tcp-request content sc-inc-gpc1(0)\n  tcp-request content reject if { req.payload(0,4) -m str QUIT }', 'tcp');
  const w = new CompiledTcpRules(waits.tcpContent, waits.acls, 'fe');
  const r = recorder();
  const resume = { index: 0 };
  const data = { data: Buffer.from('QU'), final: false, mayChange: false };
  const v = view(r.stick, { payload: data });
  assert.equal(w.evaluate(v, resume), 'wait');
  (v as { payload: typeof data }).payload = { data: Buffer.from('QUIT'), final: false, mayChange: false };
  assert.equal(w.evaluate(v, resume), 'reject');
  assert.deepEqual(r.log, ['gpc1+1@0']);
});

test('tcp-request connection rules (HTTP mode policy): set-var and silent-drop', () => {
  const p = new CompiledProxyPolicy(policyOf('  tcp-request connection set-var(sess.c) str(1)\n  tcp-request connection silent-drop if { var(sess.c) -m int 1 }'));
  const { stick } = recorder();
  assert.equal(p.evaluateTcpConnection(view(stick)), 'silent-drop');
});
