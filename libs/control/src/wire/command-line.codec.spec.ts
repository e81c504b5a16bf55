import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineFramer, splitCommandLine } from './command-line.codec.js';

test('commands are separated by semicolons and words by spaces', () => {
  assert.deepEqual(splitCommandLine('show info; show stat'), [['show', 'info'], ['show', 'stat']]);
  assert.deepEqual(splitCommandLine('  set server be/s1 state drain  '), [['set', 'server', 'be/s1', 'state', 'drain']]);
  assert.deepEqual(splitCommandLine(';;'), []);
});

test('a backslash escapes a semicolon or a space', () => {
  assert.deepEqual(splitCommandLine('set var a\\;b; echo x\\ y'), [['set', 'var', 'a;b'], ['echo', 'x y']]);
});

test('the framer keeps a partial line across chunks, at every split point', () => {
  const text = 'show info\nreload\nhelp\n';
  for (let cut = 0; cut <= text.length; cut++) {
    const framer = new LineFramer();
    const lines = [...framer.push(text.slice(0, cut)).lines, ...framer.push(text.slice(cut)).lines];
    assert.deepEqual(lines, ['show info', 'reload', 'help'], `cut at ${cut}`);
  }
});

test('the framer reports an over-long line instead of buffering it', () => {
  const framer = new LineFramer(8);
  assert.equal(framer.push('x'.repeat(20)).overflow, true);
  assert.deepEqual(framer.push('ok\n').lines, ['ok']);
});
