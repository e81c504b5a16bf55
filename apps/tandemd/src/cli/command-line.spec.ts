import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommandLine } from './command-line.js';

test('several -f in order, with -c, -d, -p and -L as HAProxy takes them', () => {
  const result = parseCommandLine(['-f', 'a.cfg', '-f', 'conf.d', '-c', '-d', '-p', '/run/t.pid', '-L', 'lb1']);
  assert.equal(result.kind, 'run');
  if (result.kind !== 'run') return;
  assert.deepEqual(result.options.configPaths, ['a.cfg', 'conf.d']);
  assert.equal(result.options.checkOnly, true);
  assert.equal(result.options.debug, true);
  assert.equal(result.options.pidFile, '/run/t.pid');
  assert.equal(result.options.localPeer, 'lb1');
});

test('-D, -W and -S', () => {
  const result = parseCommandLine(['-D', '-W', '-S', '/run/tandem/master.sock,mode,600', '-f', 'x']);
  assert.equal(result.kind, 'run');
  if (result.kind !== 'run') return;
  assert.equal(result.options.daemonize, true);
  assert.equal(result.options.masterWorker, true);
  assert.equal(result.options.masterSocket, '/run/tandem/master.sock');
});

test('-v and -vv ask for the version', () => {
  assert.deepEqual(parseCommandLine(['-v']), { kind: 'version', verbose: false });
  assert.deepEqual(parseCommandLine(['-vv']), { kind: 'version', verbose: true });
});

test('a missing config file, a missing argument, an unknown flag are errors that say so', () => {
  assert.match(errorOf([]), /No configuration file specified/);
  assert.match(errorOf(['-f']), /'-f' requires/);
  assert.match(errorOf(['-f', 'x', '-Z']), /unknown option '-Z'/);
});

test("HAProxy's reload flags are named as not implemented, with what to do instead", () => {
  assert.match(errorOf(['-f', 'x', '-sf', '123']), /'-sf' is not implemented in tandemd: tandemd reloads in place/);
});

test('--demo needs no -f', () => {
  const result = parseCommandLine(['--demo']);
  assert.equal(result.kind, 'run');
});

function errorOf(argv: string[]): string {
  const result = parseCommandLine(argv);
  assert.equal(result.kind, 'error');
  return result.kind === 'error' ? result.message : '';
}
