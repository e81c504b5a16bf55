import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translateCtlWords } from './ctl-commands.js';

test('audit and config verbs become admin-socket commands; --json asks the daemon for JSON', () => {
  assert.deepEqual(translateCtlWords(['audit'], false), { line: 'show audit', answersJson: false });
  assert.deepEqual(translateCtlWords(['audit', '5'], true), { line: 'show audit 5 json', answersJson: true });
  assert.deepEqual(translateCtlWords(['config', 'history'], false), { line: 'show config history', answersJson: false });
  assert.deepEqual(translateCtlWords(['config', 'diff', '3', '7'], true), { line: 'show config diff 3 7', answersJson: false });
  assert.deepEqual(translateCtlWords(['show', 'stat'], false), { line: 'show stat', answersJson: false });
});

test('bad arguments are refused before anything is sent', () => {
  assert.ok('error' in translateCtlWords(['audit', 'x'], false));
  assert.ok('error' in translateCtlWords(['config', 'diff', '1'], false));
  assert.ok('error' in translateCtlWords(['config', 'history', '1', '2'], false));
});
