import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSink } from '../haproxy/diagnostics.js';
import { buildStatements, tokenize, type Statement } from './lexer.js';

const shape = (list: readonly Statement[]): unknown[] =>
  list.map((s) => [s.line, s.keyword, ...s.args.map((t) => t.text), ...(s.block ? [shape(s.block)] : [])]);

test('words, # and ! comments, quoted strings; a ! inside a word is kept', () => {
  const sink = new DiagnosticSink();
  const tokens = tokenize('k.conf', '! header\nscript "killall -0 haproxy"  # why\nauth_pass secret!x ! trailing\n', sink);
  assert.deepEqual(tokens.map((t) => [t.line, t.text, t.quoted]), [
    [2, 'script', false], [2, 'killall -0 haproxy', true], [3, 'auth_pass', false], [3, 'secret!x', false],
  ]);
  assert.equal(sink.all.length, 0);
});

test('a block may open on the same line or the next, and close on the same line as its content', () => {
  const sink = new DiagnosticSink();
  const text = 'vrrp_instance VI_1\n{\n  track_script { chk }\n  authentication{\n    auth_type PASS\n  }}\n';
  assert.deepEqual(shape(buildStatements(tokenize('k.conf', text, sink), sink)), [
    [1, 'vrrp_instance', 'VI_1', [[3, 'track_script', [[3, 'chk']]], [4, 'authentication', [[5, 'auth_type', 'PASS']]]]],
  ]);
  assert.equal(sink.all.length, 0);
});

test('unbalanced braces, unterminated quotes, @ conditionals and $ definitions are reported with their line', () => {
  const sink = new DiagnosticSink();
  const text = '}\n@node1 priority 100\n$IF=eth0\nscript "oops\nglobal_defs {\n';
  buildStatements(tokenize('k.conf', text, sink), sink);
  assert.deepEqual(sink.all.map((d) => `${d.line} ${d.keyword}: ${d.message}`), [
    "2 @node1: conditional configuration lines ('@config-id …') are not supported by Tandem; keep one configuration file per node",
    "3 $IF: parameter definitions ('$NAME=value') are not supported by Tandem; write the value in place",
    '4 "oops: unterminated quoted string (a string ends on the line it starts)',
    "1 }: unexpected '}': no block is open here",
    "5 global_defs: block is never closed (missing '}')",
  ]);
});
