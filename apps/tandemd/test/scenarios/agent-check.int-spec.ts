// Scenario: an agent check (agent-check, agent-port, agent-inter) driving a server through a real tandemd, with
// HAProxy's semantics: "drain" stops new traffic; "50%" sets half the configured weight (the server stays drained,
// as in HAProxy, since only "ready" cancels drain); "ready" brings it back at that weight; "down" takes it out
// and "up" brings it back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { daemonArgs, freePort, httpGet, startHttpStub, TandemdProcess, TempDir, type StubBackend } from '@tandem/testing';

describe('agent check', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let s1: StubBackend;
  let s2: StubBackend;
  let agent: Server;
  let reply = 'up';
  let port = 0;

  const spread = async (n: number) => {
    const counts: Record<string, number> = { s1: 0, s2: 0 };
    for (let i = 0; i < n; i++) counts[(await httpGet(port, '/')).body]!++;
    return counts;
  };
  const say = async (line: string, logged: RegExp) => {
    const mark = daemon.log.length;
    reply = line;
    await daemon.waitFor(logged, 5_000, mark);
  };

  before(async () => {
    [s1, s2] = await Promise.all([startHttpStub('s1'), startHttpStub('s2')]);
    agent = createServer((socket) => socket.end(`${reply}\n`));
    await new Promise<void>((resolve) => agent.listen(0, '127.0.0.1', resolve));
    port = await freePort();
    daemon = new TandemdProcess(daemonArgs(dir, `defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:${port}
    default_backend be
backend be
    balance roundrobin
    server s1 127.0.0.1:${s1.port} weight 2 agent-check agent-port ${(agent.address() as AddressInfo).port} agent-inter 100
    server s2 127.0.0.1:${s2.port} weight 2
`));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    await new Promise<void>((resolve) => agent.close(() => resolve()));
    await Promise.all([s1.close(), s2.close()]);
    dir.cleanup();
  });

  test('drain, 50%, ready, down and up change the server as HAProxy documents', async () => {
    assert.deepEqual(await spread(4), { s1: 2, s2: 2 });
    await say('drain', /Server be\/s1 is DRAIN with weight 2\/2 \(agent: "drain"\)/);
    assert.deepEqual(await spread(4), { s1: 0, s2: 4 }, 'drained: no new requests');
    await say('50%', /Server be\/s1 is DRAIN with weight 1\/2 \(agent: "50%"\)/);
    assert.deepEqual(await spread(4), { s1: 0, s2: 4 }, 'a weight does not cancel drain');
    await say('ready', /Server be\/s1 is UP with weight 1\/2 \(agent: "ready"\)/);
    assert.deepEqual(await spread(6), { s1: 2, s2: 4 }, 'back, at half its weight');
    await say('down #deploying', /Server be\/s1 is DOWN with weight 1\/2 \(agent: "down #deploying"\), reason: deploying/);
    assert.deepEqual(await spread(4), { s1: 0, s2: 4 });
    await say('up 100%', /Server be\/s1 is UP with weight 2\/2/);
    assert.deepEqual(await spread(4), { s1: 2, s2: 2 });
  });
});
