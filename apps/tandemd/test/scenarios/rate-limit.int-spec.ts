// Scenario (issue #6 item 5): the seed's block 08 on a real daemon, stub backend and real sockets. From 127.0.0.1
// the first 100 requests within 10 s get 200 and the 101st gets 429; a client bound to 127.0.0.2 is unaffected;
// `show table` on the admin socket shows both entries. Acceptance again once the rate falls is proven with a
// manual clock in libs/proxy (stick-table-registry.spec.ts) and here with a short-period variant (2 s).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendControlCommand } from '@tandem/control';
import { daemonArgs, freePort, parseResponse, startHttpStub, TandemdProcess, TempDir, type StubBackend, stopScenario } from '@tandem/testing';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'seeds');
const DEFAULTS = 'defaults\n    mode http\n    timeout connect 2s\n    timeout client 10s\n    timeout server 10s\n';

/** One GET on its own connection from a chosen local address; the status code. */
function status(port: number, from = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: '127.0.0.1', port, localAddress: from });
    let text = '';
    const timer = setTimeout(() => socket.destroy(new Error('no answer')), 10_000);
    socket.once('connect', () => socket.write('GET / HTTP/1.1\r\nHost: solvethenetwork.com\r\nConnection: close\r\n\r\n'));
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseResponse(text).status);
    });
  });
}

async function startRateLimited(dir: TempDir, stub: StubBackend, adminSocket: string, edit: (block: string) => string = (b) => b): Promise<{ daemon: TandemdProcess; port: number }> {
  const port = await freePort();
  const block = edit(readFileSync(join(FIXTURES, '08-rate-limit.cfg'), 'utf8').replace('10.10.10.1:80', `127.0.0.1:${port}`));
  const config = `global\n    stats socket ${adminSocket} level admin\n${DEFAULTS}${block}backend web_servers\n    server s1 127.0.0.1:${stub.port}\n`;
  const daemon = new TandemdProcess(daemonArgs(dir, config));
  await daemon.start();
  return { daemon, port };
}

describe('seed block 08: rate limiting with a stick table', () => {
  const dir = new TempDir();
  const adminSocket = join(dir.path, 'admin.sock');
  let stub: StubBackend;
  let daemon: TandemdProcess;
  let port = 0;

  before(async () => {
    stub = await startHttpStub('web');
    ({ daemon, port } = await startRateLimited(dir, stub, adminSocket));
  });

  after(() => stopScenario(daemon, [stub], dir));

  test('from one IP the first 100 requests within 10 s get 200, the 101st gets 429; another IP is unaffected; show table lists both', async () => {
    const started = Date.now();
    for (let i = 1; i <= 100; i++) assert.equal(await status(port), 200, `request ${i}`);
    assert.equal(await status(port), 429, 'request 101');
    assert.ok(Date.now() - started < 10_000, 'the 101 requests fit in the 10 s period');
    assert.equal(await status(port, '127.0.0.2'), 200, 'another source address is unaffected');
    const all = await sendControlCommand({ kind: 'unix', path: adminSocket }, 'show table', 10_000);
    assert.equal(all, '# table: http_ratelimit, type: ip, size:204800, used:2\n\n');
    const dump = await sendControlCommand({ kind: 'unix', path: adminSocket }, 'show table http_ratelimit', 10_000);
    const lines = dump.trimEnd().split('\n');
    assert.equal(lines[0], '# table: http_ratelimit, type: ip, size:204800, used:2');
    assert.match(lines[1]!, /^0x[0-9a-f]+: key=127\.0\.0\.1 use=0 exp=\d+ http_req_rate\(10000\)=10[12]$/);
    assert.match(lines[2]!, /^0x[0-9a-f]+: key=127\.0\.0\.2 use=0 exp=\d+ http_req_rate\(10000\)=1$/);
    const one = await sendControlCommand({ kind: 'unix', path: adminSocket }, 'show table http_ratelimit key 127.0.0.2', 10_000);
    assert.match(one, /key=127\.0\.0\.2 /);
    assert.doesNotMatch(one, /key=127\.0\.0\.1 /);
  });
});

describe('seed block 08, short period variant (http_req_rate(2s), limit 5): accepted again once the rate falls', () => {
  const dir = new TempDir();
  const adminSocket = join(dir.path, 'admin.sock');
  let stub: StubBackend;
  let daemon: TandemdProcess;
  let port = 0;

  before(async () => {
    stub = await startHttpStub('web');
    ({ daemon, port } = await startRateLimited(dir, stub, adminSocket, (b) => b.replace('http_req_rate(10s)', 'http_req_rate(2s)').replace('gt 100', 'gt 5')));
  });

  after(async () => {
    await daemon?.stop();
    await stub?.close();
    dir.cleanup();
  });

  test('the 6th request within 2 s gets 429; after two quiet periods the next one gets 200', async () => {
    for (let i = 1; i <= 5; i++) assert.equal(await status(port), 200, `request ${i}`);
    assert.equal(await status(port), 429);
    await new Promise((r) => setTimeout(r, 4_200));
    assert.equal(await status(port), 200);
  });
});
