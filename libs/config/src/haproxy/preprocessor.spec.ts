import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSink } from './diagnostics.js';
import { tokenize } from './lexer.js';
import { compareVersions, preprocess } from './preprocessor.js';

function run(text: string, env: Record<string, string> = {}) {
  const sink = new DiagnosticSink();
  const { lines } = tokenize('p.cfg', text, env);
  const kept = preprocess(lines, { env, version: '2.6', features: new Set(['OPENSSL']) }, sink);
  return { kept: kept.map((l) => l.words.join(' ')), diagnostics: sink.all };
}

test('.if/.elif/.else/.endif keep exactly one branch, nested blocks included', () => {
  const text = `.if defined(PROD)
a
.elif version_atleast(2.4) && !version_atleast(3.0)
b
  .if feature(OPENSSL)
b1
  .else
b2
  .endif
.else
c
.endif
d`;
  assert.deepEqual(run(text).kept, ['b', 'b1', 'd']);
  assert.deepEqual(run(text, { PROD: '1' }).kept, ['a', 'd']);
});

test('conditions: streq, strneq, numbers, parentheses and ||', () => {
  assert.deepEqual(run('.if streq(${ENV},prod) || (0 || 1)\nyes\n.endif', { ENV: 'dev' }).kept, ['yes']);
  assert.deepEqual(run('.if strneq(a,a)\nno\n.endif').kept, []);
});

test('.warning adds a warning, .alert an error; an unclosed .if is an error', () => {
  const { diagnostics } = run('.warning careful\n.if 1\n.alert stop\n');
  assert.deepEqual(diagnostics.map((d) => [d.severity, d.keyword, d.line]), [['warning', '.warning', 1], ['error', '.alert', 3], ['error', '.if', 2]]);
});

test('versions compare numerically', () => {
  assert.ok(compareVersions('2.6', '2.10') < 0);
  assert.equal(compareVersions('2.6.0', '2.6'), 0);
});
