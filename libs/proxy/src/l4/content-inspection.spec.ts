import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '@tandem/core';
import { parseHaproxyConfig, type FrontendConfig } from '@tandem/config';
import { CompiledTcpRules, type RequestView } from '@tandem/policy';
import { ContentInspection } from './content-inspection.js';

/** A `mode tcp` frontend's content rules, parsed from HAProxy text (so the test exercises the real parser). */
function frontend(lines: string): FrontendConfig {
  const text = `defaults\n  mode tcp\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\nfrontend fe\n  bind 127.0.0.1:9000\n${lines}\n  default_backend be\nbackend be\n  server s1 127.0.0.1:1\n`;
  const r = parseHaproxyConfig([{ file: 't.cfg', text }]);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return r.config.frontends[0]!;
}

function view(payload: RequestView['payload']): RequestView {
  return { src: '192.0.2.7', srcPort: 40000, dst: '127.0.0.1', dstPort: 9000, method: '', uri: '', headers: { names: [], rawNames: [], values: [] }, ssl: false, sni: undefined, nbsrv: () => 1, payload };
}

/** An inspection over a growing buffer, driven by a manual clock; records verdicts and how many evaluations ran. */
function harness(lines: string, maxBytes = 1000) {
  const f = frontend(lines);
  const rules = new CompiledTcpRules(f.policy!.tcpContent, f.policy!.acls, undefined);
  const clock = new ManualClock(0);
  const chunks: Buffer[] = [];
  const verdicts: string[] = [];
  let evaluations = 0;
  const insp = new ContentInspection((p) => {
    evaluations++;
    return rules.evaluate(view(p));
  }, f.policy!.inspectDelay ?? 0, maxBytes, () => Buffer.concat(chunks), clock, (v) => verdicts.push(`${v}@${clock.now()}`));
  return {
    insp,
    clock,
    verdicts,
    evaluations: () => evaluations,
    push(text: string) {
      chunks.push(Buffer.from(text, 'latin1'));
      insp.data();
    },
  };
}

test('a rule whose fetch lacks data waits, and decides as soon as enough data arrives', () => {
  const h = harness('  tcp-request inspect-delay 5s\n  tcp-request content reject if { req.payload(0,4) -m str EVIL }');
  h.insp.start();
  assert.deepEqual(h.verdicts, [], 'no data: wait');
  h.clock.advance(100);
  h.push('EV');
  assert.deepEqual(h.verdicts, [], 'two bytes of four: still waiting');
  h.clock.advance(100);
  h.push('IL and more');
  assert.deepEqual(h.verdicts, ['reject@200']);
  h.clock.advance(10_000);
  assert.deepEqual(h.verdicts, ['reject@200'], 'the delay timer was cancelled');
});

test('when the inspect-delay expires, the rules run once more on what is there (final)', () => {
  const h = harness('  tcp-request inspect-delay 2s\n  tcp-request content reject if { req.payload(0,4) -m str EVIL }\n  tcp-request content accept if WAIT_END');
  h.insp.start();
  h.push('EV');
  h.clock.advance(1999);
  assert.deepEqual(h.verdicts, []);
  h.clock.advance(1);
  // Final: the 4-byte payload does not exist, so the reject rule fails; WAIT_END now holds.
  assert.deepEqual(h.verdicts, ['accept@2000']);
});

test('without inspect-delay the rules run at once on the data present', () => {
  const h = harness('  tcp-request content reject if { req.len 0 }');
  h.insp.start();
  assert.deepEqual(h.verdicts, ['reject@0'], 'an empty buffer, final at once');
  const g = harness('  tcp-request content reject if { req.payload(0,4) -m str EVIL }');
  g.insp.start();
  assert.deepEqual(g.verdicts, ['accept@0'], 'missing payload is no match when final');
});

test('SNI routing rule: waits for the whole handshake message, accepts on hello type 1', () => {
  const h = harness('  tcp-request inspect-delay 5s\n  tcp-request content accept if { req.ssl_hello_type 1 }\n  tcp-request content reject');
  h.insp.start();
  // A record with a 4-byte handshake message (type 1, length 4): complete at 13 bytes.
  h.push('\x16\x03\x01\x00\x08\x01');
  assert.deepEqual(h.verdicts, []);
  h.push('\x00\x00\x04\x03\x03');
  assert.deepEqual(h.verdicts, [], 'the handshake message is not complete yet');
  h.push('\x00\x00');
  assert.deepEqual(h.verdicts, ['accept@0']);
  const plain = harness('  tcp-request inspect-delay 5s\n  tcp-request content accept if { req.ssl_hello_type 1 }\n  tcp-request content reject');
  plain.insp.start();
  plain.push('GET / HTTP/1.0\r\n');
  assert.deepEqual(plain.verdicts, ['reject@0'], 'not TLS: the fetch fails at once, the next rule rejects');
});

test('a full buffer is final; the client closing is final', () => {
  const h = harness('  tcp-request inspect-delay 5s\n  tcp-request content accept if { req.len ge 100 }\n  tcp-request content reject', 8);
  h.insp.start();
  h.push('1234567');
  assert.deepEqual(h.verdicts, [], 'req.len may still grow');
  h.push('8');
  assert.deepEqual(h.verdicts, ['reject@0'], 'bufsize reached: final, req.len 8 < 100');
  const e = harness('  tcp-request inspect-delay 5s\n  tcp-request content reject if { req.payload(0,3) -m str BAD }');
  e.insp.start();
  e.push('BA');
  e.insp.end();
  assert.deepEqual(e.verdicts, ['accept@0']);
});

test('MISS propagates as HAProxy orders it: unless keeps MISS, OR prefers PASS', () => {
  const u = harness('  tcp-request inspect-delay 5s\n  tcp-request content reject unless { req.payload(0,2) -m str OK }');
  u.insp.start();
  u.push('O');
  assert.deepEqual(u.verdicts, [], '`unless` on a MISS waits instead of rejecting');
  u.push('K');
  assert.deepEqual(u.verdicts, ['accept@0']);
  const o = harness('  tcp-request inspect-delay 5s\n  tcp-request content accept if { req.payload(0,9) -m str NEVERMORE } || { src 192.0.2.0/24 }\n  tcp-request content reject');
  o.insp.start();
  assert.deepEqual(o.verdicts, ['accept@0'], 'a PASS in another group wins over a MISS');
});

test('cancel stops the timer and any verdict', () => {
  const h = harness('  tcp-request inspect-delay 1s\n  tcp-request content accept if WAIT_END');
  h.insp.start();
  const before = h.evaluations();
  h.insp.cancel();
  h.clock.advance(5000);
  h.push('x');
  assert.deepEqual(h.verdicts, []);
  assert.equal(h.evaluations(), before);
});
