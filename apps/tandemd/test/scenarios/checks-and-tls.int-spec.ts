// Scenario: the rest of HAProxy's health checks and server TLS, against real servers on loopback.
// - option tcp-check with send/expect against a line-protocol server: DOWN with HAProxy's step wording, then UP.
// - http-check send: the check request carries the method, URI, headers and body the config asks for.
// - server ssl: traffic and checks go over TLS, verified against ca-file and the SNI name; a wrong CA is refused.
// - slowstart: a server coming back UP receives a small share first, then its full share.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { daemonArgs, freePort, httpGet, runNode, selfSignedPem, startHttpStub, TandemdProcess, TANDEMD_MAIN, TempDir, type StubBackend, waitUntil } from '@tandem/testing';

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));


const DEFAULTS = `defaults
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    timeout check 1s
`;

describe('option tcp-check with send and expect', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let redis: Server;
  let healthy = true;
  let pings = 0;

  before(async () => {
    // A line protocol in the style of Redis: PING → +PONG while healthy (the connection stays open, so the expect
    // rule must pass on data, not wait for the close); otherwise -LOADING and a close.
    redis = createServer((socket: Socket) => {
      socket.on('data', (chunk) => {
        if (chunk.toString().includes('PING\r\n')) {
          pings++;
          if (healthy) socket.write('+PONG\r\n');
          else socket.end('-LOADING\r\n');
        }
      });
      socket.on('error', () => undefined);
    });
    const port = await listen(redis);
    const front = await freePort();
    daemon = new TandemdProcess(daemonArgs(dir, `${DEFAULTS}
frontend fe
    mode tcp
    bind 127.0.0.1:${front}
    default_backend redis
backend redis
    mode tcp
    option tcp-check
    tcp-check connect
    tcp-check send PING\\r\\n
    tcp-check expect string +PONG
    server r1 127.0.0.1:${port} check inter 100 fall 2 rise 2
`));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    redis.close();
    dir.cleanup();
  });

  test('DOWN after fall failed sequences, naming the step; UP again after rise', async () => {
    await waitUntil(() => pings >= 2, 5_000, 'first checks');
    const mark = daemon.log.length;
    healthy = false;
    await daemon.waitFor(/Server redis\/r1 is DOWN/, 5_000, mark);
    assert.match(daemon.log.slice(mark), /Server redis\/r1 is DOWN, reason: Layer7 invalid response, info: "TCPCHK did not match content string '\+PONG' at step 3", check duration: \d+ms\. 0 active and 0 backup servers left\./);
    await daemon.waitFor(/Backend redis has no server available!/, 2_000, mark);
    const upMark = daemon.log.length;
    healthy = true;
    await daemon.waitFor(/Server redis\/r1 is UP, reason: Layer7 check passed, info: "\(tcp-check\)"/, 5_000, upMark);
  });
});

describe('http-check send', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let server: Server;
  const requests: string[] = [];

  before(async () => {
    server = createServer((socket) => {
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk.toString('latin1');
        const head = data.indexOf('\r\n\r\n');
        const length = Number(/content-length: (\d+)/i.exec(data)?.[1] ?? 0);
        if (head >= 0 && data.length >= head + 4 + length) {
          requests.push(data);
          socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
        }
      });
      socket.on('error', () => undefined);
    });
    const port = await listen(server);
    const front = await freePort();
    daemon = new TandemdProcess(daemonArgs(dir, `${DEFAULTS}
    mode http
frontend fe
    bind 127.0.0.1:${front}
    default_backend api
backend api
    option httpchk
    http-check send meth POST uri /probe ver HTTP/1.1 hdr Host probe.example hdr X-Probe tandem body ping=1
    http-check expect status 200
    server a1 127.0.0.1:${port} check inter 100
`));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    server.close();
    dir.cleanup();
  });

  test('the check request is the one http-check send describes', async () => {
    await waitUntil(() => requests.length >= 1, 5_000, 'a check request');
    const request = requests[0]!;
    assert.ok(request.startsWith('POST /probe HTTP/1.1\r\n'), request);
    assert.match(request, /\r\nHost: probe\.example\r\n/);
    assert.match(request, /\r\nX-Probe: tandem\r\n/);
    assert.match(request, /\r\nContent-Length: 6\r\n/);
    assert.ok(request.endsWith('\r\n\r\nping=1'), request);
  });
});

describe('server ssl: traffic and checks over TLS, verified', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let tlsServer: Server;
  let front = 0;
  let frontBadCa = 0;
  let sniSeen: string | undefined;
  let checks = 0;

  before(async () => {
    const pem = readFileSync(await selfSignedPem(dir, 'backend.tandem.test'));
    await selfSignedPem(dir, 'other.tandem.test');
    tlsServer = createTlsServer({ key: pem, cert: pem }, (socket) => {
      sniSeen = (socket as unknown as { servername?: string }).servername || undefined;
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk.toString();
        if (!data.includes('\r\n\r\n')) return;
        if (data.startsWith('GET /healthz')) checks++;
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\ntls-hello');
      });
      socket.on('error', () => undefined);
    });
    const port = await listen(tlsServer);
    [front, frontBadCa] = [await freePort(), await freePort()];
    daemon = new TandemdProcess(daemonArgs(dir, `${DEFAULTS}
    mode http
frontend fe
    bind 127.0.0.1:${front}
    default_backend secure
frontend fe_bad
    bind 127.0.0.1:${frontBadCa}
    default_backend wrong_ca
backend secure
    option httpchk GET /healthz
    server s1 127.0.0.1:${port} ssl verify required ca-file ${join(dir.path, 'backend.tandem.test.crt')} sni str(backend.tandem.test) check inter 200
backend wrong_ca
    retries 0
    server s1 127.0.0.1:${port} ssl verify required ca-file ${join(dir.path, 'other.tandem.test.crt')} sni str(backend.tandem.test)
`));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    tlsServer.close();
    dir.cleanup();
  });

  test('a request reaches the TLS server through the verified connection, with the SNI name', async () => {
    const response = await httpGet(front, '/');
    assert.equal(response.status, 200);
    assert.equal(response.body, 'tls-hello');
    assert.equal(sniSeen, 'backend.tandem.test');
  });

  test('checks of an ssl server run over TLS (the httpchk request arrives decrypted)', async () => {
    await waitUntil(() => checks >= 1, 5_000, 'a TLS check');
    assert.doesNotMatch(daemon.log, /Server secure\/s1 is DOWN/);
  });

  test('a certificate that does not chain to ca-file is refused: 503, nothing forwarded', async () => {
    const response = await httpGet(frontBadCa, '/');
    assert.equal(response.status, 503);
  });

  test('ssl without ca-file and without verify none is a config error, with HAProxy advice', async () => {
    const file = dir.file('noca.cfg', `${DEFAULTS}
backend b
    server s1 127.0.0.1:9 ssl
`);
    const result = await runNode(TANDEMD_MAIN, ['-c', '-f', file]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /noca\.cfg:\d+\] : 'server': server 's1': verify is enabled by default but no CA file specified\. .*'verify none'/);
  });
});

describe('slowstart', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let s1: StubBackend;
  let s2: StubBackend;
  let front = 0;

  before(async () => {
    [s1, s2] = await Promise.all([startHttpStub('s1'), startHttpStub('s2')]);
    front = await freePort();
    daemon = new TandemdProcess(daemonArgs(dir, `${DEFAULTS}
    mode http
frontend fe
    bind 127.0.0.1:${front}
    default_backend be
backend be
    option httpchk GET /healthz
    server s1 127.0.0.1:${s1.port} weight 100 check inter 100 fall 1 rise 1
    server s2 127.0.0.1:${s2.port} weight 100 check inter 100 fall 1 rise 1 slowstart 3s
`));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    await Promise.all([s1.close(), s2.close()]);
    dir.cleanup();
  });

  test('a server back from DOWN starts with a small share and reaches its full share after slowstart', async () => {
    await waitUntil(() => s2.hitsOn('/healthz') >= 1, 5_000, 'first checks');
    const mark = daemon.log.length;
    s2.setHealth(500, 'down');
    await daemon.waitFor(/Server be\/s2 is DOWN/, 5_000, mark);
    const upMark = daemon.log.length;
    s2.setHealth(200, '{"status":"ok"}');
    await daemon.waitFor(/Server be\/s2 is UP/, 5_000, upMark);
    // Within the first second the weight is at most ceil(100 × 34%) = 34 against 100: s2 gets well under half.
    const early: string[] = [];
    for (let i = 0; i < 40; i++) early.push((await httpGet(front, '/')).body);
    const earlyShare = early.filter((b) => b === 's2').length;
    assert.ok(earlyShare <= 12, `s2 got ${earlyShare} of 40 early requests`);
    await new Promise((r) => setTimeout(r, 3_300));
    const late: string[] = [];
    for (let i = 0; i < 40; i++) late.push((await httpGet(front, '/')).body);
    const lateShare = late.filter((b) => b === 's2').length;
    assert.ok(lateShare >= 16 && lateShare <= 24, `s2 got ${lateShare} of 40 requests after slowstart`);
  });
});
