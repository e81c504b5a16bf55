// Scenario: when a server goes DOWN, its established connections stay (HAProxy's default) unless the server has
// `on-marked-down shutdown-sessions`. The check goes to a separate port (`check port`), so closing that listener
// fails the check without touching the established connections.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { daemonArgs, freePort, startTcpStub, TandemdProcess, TempDir, type StubBackend } from '@tandem/testing';

function openThrough(port: number): Promise<{ name: string; socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    let text = '';
    socket.on('data', (c: Buffer) => {
      text += c.toString();
      if (text.includes('\n')) resolve({ name: text.split('\n')[0]!, socket, closed });
    });
    socket.on('error', reject);
  });
}

describe('on-marked-down shutdown-sessions', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let s1: StubBackend;
  let s2: StubBackend;
  let checkTarget: Server;
  let p1 = 0;
  let p2 = 0;

  before(async () => {
    [s1, s2] = await Promise.all([startTcpStub('s1'), startTcpStub('s2')]);
    checkTarget = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => checkTarget.listen(0, '127.0.0.1', resolve));
    const checkPort = (checkTarget.address() as AddressInfo).port;
    [p1, p2] = [await freePort(), await freePort()];
    const check = `check port ${checkPort} inter 100 fall 1 rise 1`;
    daemon = new TandemdProcess(daemonArgs(dir, `defaults
    mode tcp
    timeout connect 1s
    timeout client 20s
    timeout server 20s
listen with_shutdown
    bind 127.0.0.1:${p1}
    server s1 127.0.0.1:${s1.port} ${check} on-marked-down shutdown-sessions
listen without
    bind 127.0.0.1:${p2}
    server s2 127.0.0.1:${s2.port} ${check}
`));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    await Promise.all([s1.close(), s2.close()]);
    dir.cleanup();
  });

  test('the session on the server with the option is cut; the other one keeps working', async () => {
    const a = await openThrough(p1);
    const b = await openThrough(p2);
    assert.deepEqual([a.name, b.name], ['s1', 's2']);
    await new Promise<void>((resolve) => checkTarget.close(() => resolve()));
    await daemon.waitFor(/Server with_shutdown\/s1 is DOWN/, 5_000);
    await daemon.waitFor(/Server without\/s2 is DOWN/, 5_000);
    await Promise.race([a.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('s1 session was not shut down')), 2_000))]);
    assert.match(daemon.log, /with_shutdown\/s1: 1 session\(s\) shut down/);
    const echo = await new Promise<string>((resolve) => {
      b.socket.once('data', (c: Buffer) => resolve(c.toString()));
      b.socket.write('still-here');
    });
    assert.equal(echo, 'still-here', 'an established session stays on a DOWN server by default');
    b.socket.destroy();
  });
});
