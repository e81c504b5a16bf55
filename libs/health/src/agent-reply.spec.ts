import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAgentReply, weightFromPercent } from './agent-reply.js';

test('agent replies: states, weights and reasons in any order, as HAProxy reads them', () => {
  assert.deepEqual(parseAgentReply('drain\n'), { admin: 'drain' });
  assert.deepEqual(parseAgentReply('50%'), { weightPercent: 50 });
  assert.deepEqual(parseAgentReply('up'), { operational: 'up' });
  assert.deepEqual(parseAgentReply('ready,75% # back from deploy'), { admin: 'ready', weightPercent: 75, reason: 'back from deploy' });
  assert.deepEqual(parseAgentReply('stopped #maintenance window'), { operational: 'down', reason: 'maintenance window' });
  assert.deepEqual(parseAgentReply('MAINT'), { admin: 'maint' });
  assert.match(parseAgentReply('sideways') as string, /unknown agent reply word 'sideways'/);
});

test('NN% is a share of the configured weight, never 0 unless 0%', () => {
  assert.equal(weightFromPercent(2, 50), 1);
  assert.equal(weightFromPercent(1, 10), 1);
  assert.equal(weightFromPercent(100, 150), 150);
  assert.equal(weightFromPercent(10, 0), 0);
});
