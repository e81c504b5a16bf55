import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpretReload, parseCtlArguments } from './tandemctl-args.js';

test('the socket defaults under TANDEM_RUN_DIR and -S overrides it', () => {
  assert.deepEqual(parseCtlArguments(['reload'], { TANDEM_RUN_DIR: '/tmp/x' }), { socket: '/tmp/x/master.sock', json: false, words: ['reload'] });
  assert.deepEqual(parseCtlArguments(['-S', '/s.sock', '--json', 'show', 'info'], {}), { socket: '/s.sock', json: true, words: ['show', 'info'] });
});

test('no command is an error', () => {
  assert.deepEqual(parseCtlArguments(['-S', '/s'], {}), { error: 'no command given' });
});

test('a reload answer maps to success or failure with its messages', () => {
  assert.deepEqual(interpretReload('Success=1\n--\n\n'), { ok: true, messages: [] });
  const failed = interpretReload("Success=0\n--\n[ALERT] parsing [a.cfg:3] : 'balance': unknown\nReload failed\n\n");
  assert.equal(failed.ok, false);
  assert.equal(failed.messages.length, 2);
});
