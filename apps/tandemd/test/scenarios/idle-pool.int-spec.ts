// Scenario: the idle server-connection pool (HAProxy's `pool-max-conn`, `pool-purge-delay`), with a real server on
// loopback that counts the connections tandemd keeps open to it.
// - connection-per-request traffic (every client a new session: `http-reuse safe` opens a server connection for its
//   first request) leaves no more idle connections than were in use at once, not one per client;
// - once traffic stops, each `pool-purge-delay` closes half of the excess until none is left;
// - `pool-max-conn 0` keeps none.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { daemonArgs, freePort, httpGet, TandemdProcess, TempDir, waitUntil } from '@tandem/testing';

/** An HTTP server that keeps connections open (60 s keep-alive) and counts those open now and ever accepted. */
async function countingServer(): Promise<{ server: Server; port: number; open: () => number; accepted: () => number }> {
  let open = 0;
  let accepted = 0;
  const server = createServer((req, res) => setTimeout(() => res.end(`ok ${req.url}`), 10));
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    open++;
    accepted++;
    socket.on('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, open: () => open, accepted: () => accepted };
}

const config = (front: number, port: number, serverParams: string) => `defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:${front}
    default_backend be
backend be
    server s1 127.0.0.1:${port} ${serverParams}
`;

/** `total` requests, `concurrency` at a time, each on its own client connection (`Connection: close`). */
async function closeRequests(front: number, total: number, concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      const r = await httpGet(front, `/r${next}`);
      assert.equal(r.status, 200);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

for (const { name, params, idleAfter } of [
  { name: 'pool-purge-delay 1s', params: 'pool-purge-delay 1s', idleAfter: 8 },
  { name: 'pool-max-conn 0', params: 'pool-max-conn 0', idleAfter: 0 },
]) {
  describe(`idle server connections with ${name}`, () => {
    const dir = new TempDir();
    let daemon: TandemdProcess;
    let upstream: Awaited<ReturnType<typeof countingServer>>;
    let front = 0;

    before(async () => {
      upstream = await countingServer();
      front = await freePort();
      daemon = new TandemdProcess(daemonArgs(dir, config(front, upstream.port, params)));
      await daemon.start();
    });

    after(async () => {
      await daemon?.stop();
      upstream.server.closeAllConnections();
      upstream.server.close();
      dir.cleanup();
    });

    test('300 connection-per-request clients, 8 at a time, leave at most the peak in use idle', async () => {
      await closeRequests(front, 300, 8);
      assert.ok(upstream.accepted() >= 300, `every first request opens a server connection (http-reuse safe): ${upstream.accepted()}`);
      // Closing is asynchronous on the server side: wait for it before counting what tandemd keeps.
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(upstream.open() <= idleAfter, `${upstream.open()} idle connections kept, at most ${idleAfter} expected (8 in use at once)`);
    });

    if (idleAfter > 0) {
      test('with no traffic, the purge closes them all within a few purge delays', async () => {
        await waitUntil(() => upstream.open() === 0, 12_000, `idle connections purged (${upstream.open()} left)`);
      });
    }
  });
}
