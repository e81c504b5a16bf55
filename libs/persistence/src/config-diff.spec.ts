import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeConfigSources } from './config-sources.js';
import { diffConfigRevisions, unifiedLineDiff } from './config-diff.js';

const labels = { from: 'a', to: 'b' };

test('identical texts: no diff', () => {
  assert.equal(unifiedLineDiff('x\ny\n', 'x\ny\n', labels), '');
});

test('one changed line in the middle, 3 lines of context (expected output written as diff -u prints it)', () => {
  const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n') + '\n';
  const b = a.replace('5\n', 'five\n');
  assert.equal(unifiedLineDiff(a, b, labels), ['--- a', '+++ b', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ''].join('\n'));
});

test('a removed line and an added one in separate hunks (checked against GNU diff -u)', () => {
  const a = Array.from({ length: 20 }, (_, i) => `l${i + 1}`).join('\n') + '\n';
  const b = a.replace('l2\n', '').replace('l18\n', 'l18\nnew\n');
  assert.equal(
    unifiedLineDiff(a, b, labels),
    ['--- a', '+++ b', '@@ -1,5 +1,4 @@', ' l1', '-l2', ' l3', ' l4', ' l5', '@@ -16,5 +15,6 @@', ' l16', ' l17', ' l18', '+new', ' l19', ' l20', ''].join('\n'),
  );
});

test('from empty and to empty', () => {
  assert.equal(unifiedLineDiff('', 'a\nb\n', labels), '--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  assert.equal(unifiedLineDiff('a\n', '', labels), '--- a\n+++ b\n@@ -1 +0,0 @@\n-a\n');
});

test('config revisions are diffed file by file', () => {
  const a = encodeConfigSources([{ file: '/etc/t.cfg', text: 'backend be\n    server s1 a:1\n    server s2 b:1\n' }]).text;
  const b = encodeConfigSources([{ file: '/etc/t.cfg', text: 'backend be\n    server s2 b:1\n' }]).text;
  assert.equal(diffConfigRevisions({ id: 1, text: a }, { id: 2, text: b }), '--- /etc/t.cfg\t(revision 1)\n+++ /etc/t.cfg\t(revision 2)\n@@ -1,3 +1,2 @@\n backend be\n-    server s1 a:1\n     server s2 b:1\n');
});
