import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFailure, judgeExpect, withImplicitConnect, type ExpectRule } from './tcp-check.js';

const source = { file: 'h.cfg', line: 7 };
const expect = (match: ExpectRule['match'], pattern: string, negate = false): ExpectRule => ({ kind: 'expect', match, pattern, negate, source });

test('expect string: pass once present, read more while absent, fail when the server closes', () => {
  const rule = expect('string', '+PONG');
  assert.equal(judgeExpect(rule, Buffer.from('+PO'), false), 'more');
  assert.equal(judgeExpect(rule, Buffer.from('+PONG\r\n'), false), 'pass');
  assert.equal(judgeExpect(rule, Buffer.from('-ERR\r\n'), true), 'fail');
});

test('negated expect fails as soon as the unwanted content is there, passes only at the end without it', () => {
  const rule = expect('rstring', 'role:slave', true);
  assert.equal(judgeExpect(rule, Buffer.from('role:master\r\n'), false), 'more');
  assert.equal(judgeExpect(rule, Buffer.from('role:master\r\n'), true), 'pass');
  assert.equal(judgeExpect(rule, Buffer.from('role:slave\r\n'), false), 'fail');
});

test('expect binary compares bytes; a full buffer is judged without waiting for the end', () => {
  assert.equal(judgeExpect(expect('binary', '0a0b'), Buffer.from([1, 0x0a, 0x0b]), false), 'pass');
  assert.equal(judgeExpect(expect('binary', '0a0b'), Buffer.alloc(16 * 1024), false), 'fail');
});

test('a sequence without a leading connect gets one; failures are worded like HAProxy', () => {
  const rules = withImplicitConnect([{ kind: 'send', data: Buffer.from('PING\r\n'), source }, expect('string', '+PONG')]);
  assert.equal(rules[0]!.kind, 'connect');
  assert.equal(rules.length, 3);
  assert.equal(describeFailure(rules[2]!, 3, 'mismatch'), "TCPCHK did not match content string '+PONG' at step 3");
  assert.equal(describeFailure(rules[2]!, 3, 'timeout'), "Timeout at step 3 of tcp-check (expect string '+PONG')");
  assert.equal(describeFailure(rules[0]!, 1, 'connect', 'Connection refused'), 'Connection refused at step 1 of tcp-check (connect)');
});
