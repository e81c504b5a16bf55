// Scenario: connection limits and queues (seed block 12, issue #6 item 6), with a real slow server on loopback.
// - maxconn 2 on one slow server: 10 concurrent requests are all served, never more than 2 at a time.
// - a short `timeout queue`: what cannot be served in time gets HAProxy's 503.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { daemonArgs, freePort, httpGet, TandemdProcess, TempDir } from '@tandem/testing';

/** An HTTP server that answers after `delayMs` and records how many requests it held at once. */
async function slowServer(delayMs: number): Promise<{ server: Server; port: number; peak: () => number; served: () => number }> {
  let current = 0;
  let peak = 0;
  let served = 0;
  const server = createServer((req, res) => {
    current++;
    peak = Math.max(peak, current);
    setTimeout(() => {
      current--;
      served++;
      res.end(`done ${req.url}`);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, peak: () => peak, served: () => served };
}

const config = (front: number, port: number, queueTimeout: string) => `defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    timeout queue ${queueTimeout}
frontend fe
    bind 127.0.0.1:${front}
    default_backend web_servers
backend web_servers
    server web01 127.0.0.1:${port} maxconn 2
`;

describe('maxconn 2 with a queue', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let slow: Awaited<ReturnType<typeof slowServer>>;
  let front = 0;

  before(async () => {
    slow = await slowServer(200);
    front = await freePort();
    daemon = new TandemdProcess(daemonArgs(dir, config(front, slow.port, '10s')));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    slow.server.close();
    dir.cleanup();
  });

  test('10 concurrent requests are all served, at most 2 at a time', async () => {
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => httpGet(front, `/r${i}`)));
    assert.deepEqual(responses.map((r) => r.status), Array(10).fill(200));
    assert.deepEqual(responses.map((r) => r.body).sort(), Array.from({ length: 10 }, (_, i) => `done /r${i}`).sort());
    assert.equal(slow.peak(), 2, 'the server never held more than its maxconn');
    // 10 requests, 2 at a time, 200 ms each: at least 5 rounds.
    assert.ok(Date.now() - started >= 900, `served in ${Date.now() - started} ms`);
  });
});

describe('timeout queue', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let slow: Awaited<ReturnType<typeof slowServer>>;
  let front = 0;

  before(async () => {
    slow = await slowServer(600);
    front = await freePort();
    daemon = new TandemdProcess(daemonArgs(dir, config(front, slow.port, '300ms')));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    slow.server.close();
    dir.cleanup();
  });

  test('requests that cannot get a slot within timeout queue get 503; the first two are served', async () => {
    const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => httpGet(front, `/q${i}`)));
    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 503, 503, 503, 503]);
    assert.match(responses.find((r) => r.status === 503)!.body, /No server is available to handle this request/);
    assert.equal(slow.peak(), 2);
  });
});

/** Two slow servers behind cookie persistence: `web01` takes one request at a time. */
const cookieConfig = (front: number, p1: number, p2: number, web01: string, extra = '') => `defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    timeout queue 10s
frontend fe
    bind 127.0.0.1:${front}
    default_backend web_servers
backend web_servers
    cookie SRV insert indirect nocache
${extra}    server web01 127.0.0.1:${p1} cookie w1 ${web01}
    server web02 127.0.0.1:${p2} cookie w2
`;

describe('per-server queues (cookie persistence)', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess | undefined;
  let one: Awaited<ReturnType<typeof slowServer>>;
  let two: Awaited<ReturnType<typeof slowServer>>;

  before(async () => {
    one = await slowServer(250);
    two = await slowServer(250);
  });

  after(async () => {
    await daemon?.stop();
    one.server.close();
    two.server.close();
    dir.cleanup();
  });

  test("cookie-bound requests to a maxconn 1 server wait in that server's queue, never go elsewhere", async () => {
    const front = await freePort();
    daemon = new TandemdProcess(daemonArgs(dir, cookieConfig(front, one.port, two.port, 'maxconn 1')));
    await daemon.start();
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: 4 }, (_, i) => httpGet(front, `/c${i}`, { Cookie: 'SRV=w1' })));
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 200]);
    assert.equal(one.served(), 4, 'all four reached the cookie\'s server');
    assert.equal(two.served(), 0);
    assert.equal(one.peak(), 1, 'one at a time: its maxconn');
    assert.ok(Date.now() - started >= 900, `served in ${Date.now() - started} ms`);
    await daemon.stop();
    daemon = undefined;
  });

  test('maxqueue 1 with option redispatch: the request beyond the queue goes to another server', async () => {
    const before = { one: one.served(), two: two.served() };
    const front = await freePort();
    daemon = new TandemdProcess(daemonArgs(dir, cookieConfig(front, one.port, two.port, 'maxconn 1 maxqueue 1', '    option redispatch\n')));
    await daemon.start();
    const responses = await Promise.all(Array.from({ length: 3 }, (_, i) => httpGet(front, `/m${i}`, { Cookie: 'SRV=w1' })));
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 200]);
    assert.equal(one.served() - before.one, 2, 'one served at once, one from its queue');
    assert.equal(two.served() - before.two, 1, 'the excess was redispatched');
    await daemon.stop();
    daemon = undefined;
  });
});

describe('frontend maxconn: excess connections wait, never refused', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let slow: Awaited<ReturnType<typeof slowServer>>;
  let front = 0;

  before(async () => {
    slow = await slowServer(250);
    front = await freePort();
    daemon = new TandemdProcess(daemonArgs(dir, `defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:${front}
    maxconn 2
    default_backend web_servers
backend web_servers
    server web01 127.0.0.1:${slow.port}
`));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    slow.server.close();
    dir.cleanup();
  });

  test('maxconn 2 and 5 concurrent slow requests: all 5 served, at most 2 at once', async () => {
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: 5 }, (_, i) => httpGet(front, `/f${i}`)));
    assert.deepEqual(responses.map((r) => r.status), Array(5).fill(200));
    assert.equal(slow.served(), 5);
    assert.equal(slow.peak(), 2, 'never more than the frontend maxconn at once');
    assert.ok(Date.now() - started >= 700, `served in ${Date.now() - started} ms`);
  });
});
