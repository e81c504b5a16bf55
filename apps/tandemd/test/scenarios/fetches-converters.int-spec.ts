// Scenario: fetches and converters of HAProxy 2.6 end to end, with a real tandemd:
// - `set-header X-Hash %[src,crc32(1)]` (and base64, add) reach the server with HAProxy's values;
// - `table_http_req_rate(<table>)` in a deny rule: the 5th request within the period is refused with 429;
// - `use_backend if { ssl_fc_protocol TLSv1.3 }` over a TLS bind, driven by curl with TLS 1.3 and TLS 1.2;
// - `connslots(<backend>)` in an ACL: maxconn 2 + maxqueue 1 is 3 slots; with both connections busy, 1 is left
//   and the rule `connslots lt 2` denies the next request with 503.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { crc32Bytes, fullHash } from '@tandem/core';
import { daemonArgs, freePort, hasProgram, httpGet, runCommand, selfSignedPem, startHttpStub, TandemdProcess, TempDir, waitUntil, type StubBackend } from '@tandem/testing';

/** A server that answers with the request headers it received, as JSON; `slow` requests are held `delayMs`. */
async function echoServer(delayMs: number): Promise<{ server: Server; port: number; inFlight: () => number }> {
  let current = 0;
  const server = createServer((req, res) => {
    current++;
    setTimeout(() => {
      current--;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.headers));
    }, req.url?.startsWith('/slow') ? delayMs : 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, inFlight: () => current };
}

describe('fetches and converters end to end', async () => {
  const tools = (await hasProgram('curl')) && (await hasProgram('openssl'));
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let echo: Awaited<ReturnType<typeof echoServer>>;
  let tls13: StubBackend;
  let other: StubBackend;
  const ports = { hash: 0, rate: 0, tls: 0, slots: 0 };

  before(async () => {
    echo = await echoServer(1500);
    tls13 = await startHttpStub('tls13');
    other = await startHttpStub('other');
    for (const k of Object.keys(ports) as Array<keyof typeof ports>) ports[k] = await freePort();
    const pem = await selfSignedPem(dir, 'fetches.test');
    daemon = new TandemdProcess(daemonArgs(dir, `defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    timeout queue 10s
frontend fe_hash
    bind 127.0.0.1:${ports.hash}
    http-request set-header X-Hash %[src,crc32(1)]
    http-request set-header X-B64 %[req.hdr(x-in),base64]
    http-request set-header X-Sum %[req.hdr(x-n),add(40)]
    http-request set-header X-Http11 yes if HTTP_1.1
    default_backend be_echo
frontend fe_rate
    bind 127.0.0.1:${ports.rate}
    stick-table type ip size 1k expire 30s store http_req_rate(30s)
    http-request track-sc0 src
    http-request deny deny_status 429 if { src,table_http_req_rate(fe_rate) gt 4 }
    default_backend be_echo
frontend fe_tls
    bind 127.0.0.1:${ports.tls} ssl crt ${pem}
    use_backend be_tls13 if { ssl_fc_protocol TLSv1.3 }
    default_backend be_other
frontend fe_slots
    bind 127.0.0.1:${ports.slots}
    http-request deny deny_status 503 if { connslots(be_slow) lt 2 }
    default_backend be_slow
backend be_echo
    server e1 127.0.0.1:${echo.port}
backend be_slow
    server s1 127.0.0.1:${echo.port} maxconn 2 maxqueue 1
backend be_tls13
    server t1 127.0.0.1:${tls13.port}
backend be_other
    server o1 127.0.0.1:${other.port}
`));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    await new Promise<void>((resolve) => (echo ? echo.server.close(() => resolve()) : resolve()));
    await tls13?.close();
    await other?.close();
    dir.cleanup();
  });

  test('set-header with converters: crc32 with avalanche of src, base64, add; HTTP_1.1 predefined ACL', async () => {
    const r = await httpGet(ports.hash, '/', { 'X-In': 'hello', 'X-N': '2' });
    assert.equal(r.status, 200);
    const seen = JSON.parse(r.body) as Record<string, string>;
    assert.equal(seen['x-hash'], String(fullHash(crc32Bytes(Buffer.from('127.0.0.1')))));
    assert.equal(seen['x-b64'], 'aGVsbG8=');
    assert.equal(seen['x-sum'], '42');
    assert.equal(seen['x-http11'], 'yes');
  });

  test('table_http_req_rate in a deny rule: 4 requests pass, the 5th is refused with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await httpGet(ports.rate, '/')).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
  });

  test('ssl_fc_protocol routes TLS 1.3 clients to one backend and TLS 1.2 clients to the other (curl)', { skip: tools ? false : 'curl and openssl are needed' }, async () => {
    const v13 = await runCommand('curl', ['-sk', '--max-time', '10', '--tlsv1.3', `https://127.0.0.1:${ports.tls}/`]);
    assert.equal(v13.code, 0, v13.stderr);
    assert.equal(v13.stdout, 'tls13');
    const v12 = await runCommand('curl', ['-sk', '--max-time', '10', '--tlsv1.2', '--tls-max', '1.2', `https://127.0.0.1:${ports.tls}/`]);
    assert.equal(v12.code, 0, v12.stderr);
    assert.equal(v12.stdout, 'other');
  });

  test('connslots in an ACL: with both server connections busy, one slot is left and the rule denies (503)', async () => {
    assert.equal((await httpGet(ports.slots, '/fast')).status, 200);
    const first = httpGet(ports.slots, '/slow/1');
    const second = httpGet(ports.slots, '/slow/2');
    await waitUntil(() => echo.inFlight() === 2, 5_000, 'both slow requests at the server');
    const third = await httpGet(ports.slots, '/fast');
    assert.equal(third.status, 503);
    assert.equal((await first).status, 200);
    assert.equal((await second).status, 200);
    // Slots free again: requests pass.
    assert.equal((await httpGet(ports.slots, '/fast')).status, 200);
  });
});
