// Scenario: the balancing algorithms through a real tandemd, with held-open TCP connections as load:
// leastconn sends a new connection to the server with the fewest, first fills servers in id order up to their
// maxconn, source keeps one client on one server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { daemonArgs, freePort, startTcpStub, TandemdProcess, TempDir, type StubBackend } from '@tandem/testing';

/** Opens a connection through the proxy and resolves with the greeting (the server's name) and the socket. */
function open(port: number): Promise<{ name: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve({ name: text.trim(), socket });
    });
    socket.on('error', reject);
  });
}

describe('balancing algorithms through tandemd', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let servers: StubBackend[] = [];
  const ports = { leastconn: 0, first: 0, source: 0 };

  before(async () => {
    servers = await Promise.all(['s1', 's2', 's3'].map(startTcpStub));
    ports.leastconn = await freePort();
    ports.first = await freePort();
    ports.source = await freePort();
    const list = (extra = '') => servers.map((s) => `    server ${s.name} 127.0.0.1:${s.port}${extra}`).join('\n');
    daemon = new TandemdProcess(daemonArgs(dir, `defaults
    mode tcp
    timeout connect 2s
    timeout client 20s
    timeout server 20s
listen lc
    bind 127.0.0.1:${ports.leastconn}
    balance leastconn
${list()}
listen fi
    bind 127.0.0.1:${ports.first}
    balance first
${list(' maxconn 1')}
listen so
    bind 127.0.0.1:${ports.source}
    balance source
    hash-type consistent
${list()}
`));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    await Promise.all(servers.map((s) => s.close()));
    dir.cleanup();
  });

  test('leastconn: each new connection goes to a server with the fewest active connections', async () => {
    const a = await open(ports.leastconn);
    const b = await open(ports.leastconn);
    const c = await open(ports.leastconn);
    assert.equal(new Set([a.name, b.name, c.name]).size, 3, 'three connections spread over three servers');
    a.socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const d = await open(ports.leastconn);
    assert.equal(d.name, a.name, 'the server whose connection ended has the fewest now');
    for (const x of [b, c, d]) x.socket.destroy();
  });

  test('first: servers fill in id order up to maxconn 1', async () => {
    const held = [await open(ports.first), await open(ports.first), await open(ports.first)];
    assert.deepEqual(held.map((h) => h.name), ['s1', 's2', 's3']);
    held[0]!.socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const again = await open(ports.first);
    assert.equal(again.name, 's1', 's1 has a free slot again');
    for (const h of [...held.slice(1), again]) h.socket.destroy();
  });

  test('source: one client address always reaches the same server', async () => {
    const names = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const conn = await open(ports.source);
      names.add(conn.name);
      conn.socket.destroy();
    }
    assert.equal(names.size, 1, [...names].join(','));
  });
});
