import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandRegistry } from './command-registry.js';

const admin = { level: 'admin', origin: 'test' } as const;
const user = { level: 'user', origin: 'test' } as const;

function registry(): CommandRegistry {
  const r = new CommandRegistry();
  r.register({ words: ['show', 'info'], usage: 'show info : report information about the running process', level: 'user', run: () => 'Name: tandem\n' });
  r.register({ words: ['show', 'info', 'typed'], usage: 'show info typed : typed output', level: 'user', run: () => 'typed\n' });
  r.register({ words: ['reload'], usage: 'reload : reload the configuration', level: 'admin', run: (args) => `reloaded ${args.join(',')}\n` });
  return r;
}

test('the longest registered prefix wins and the rest are arguments', async () => {
  const r = registry();
  assert.equal(await r.execute(['show', 'info'], user), 'Name: tandem\n');
  assert.equal(await r.execute(['show', 'info', 'typed'], user), 'typed\n');
  assert.equal(await r.execute(['reload', 'now'], admin), 'reloaded now\n');
});

test('a command above the socket level is refused', async () => {
  assert.equal(await registry().execute(['reload'], user), 'Permission denied\n');
});

test('help lists only what the level may run', async () => {
  const text = await registry().execute(['help'], user);
  assert.match(text, /show info/);
  assert.doesNotMatch(text, /reload/);
});

test('an unknown command names itself and lists the valid ones', async () => {
  const text = await registry().execute(['shwo'], admin);
  assert.match(text, /^Unknown command: 'shwo'/);
  assert.match(text, /reload/);
});

test('registering the same words twice is an error', () => {
  const r = registry();
  assert.throws(() => r.register({ words: ['reload'], usage: '', level: 'admin', run: () => '' }), { code: 'E_CONTROL_DUPLICATE' });
});

test('commands that change something are reported to the audit sink before the answer, refusals included', async () => {
  const r = registry();
  r.register({ words: ['set', 'thing'], usage: 'set thing', level: 'admin', mutates: true, run: (args) => (args[0] === 'bad' ? Promise.reject(new Error('Bad thing.')) : '') });
  const seen: string[] = [];
  r.setAuditSink(async (e) => {
    seen.push(`${e.context.origin} ${e.context.level} ${e.line} ${e.outcome} ${JSON.stringify(e.answer)}`);
  });
  assert.equal(await r.execute(['set', 'thing', 'x'], admin), '');
  assert.equal(await r.execute(['set', 'thing', 'bad'], admin), 'Bad thing.\n');
  assert.equal(await r.execute(['set', 'thing', 'x'], user), 'Permission denied\n');
  await r.execute(['show', 'info'], admin);
  assert.deepEqual(seen, ['test admin set thing x ok ""', 'test admin set thing bad error "Bad thing.\\n"', 'test user set thing x denied "Permission denied\\n"']);
});
