// Scenario: HTTP and TCP traffic round-robins across three real backends by weight; a backend that refuses
// connections is retried on another; HTTP request-smuggling shapes get 400 and never reach a backend.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { bootTandemd, freePort, httpGet, rawExchange, refusedPort, startHttpStub, startTcpStub, type StubBackend, TandemdProcess, TempDir } from '@tandem/testing';

describe('traffic through a real tandemd', () => {
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let http: StubBackend[] = [];
  let tcp: StubBackend[] = [];
  let httpPort = 0;
  let tcpPort = 0;
  let retryPort = 0;
  let retryBackends: StubBackend[] = [];

  before(async () => {
    http = await Promise.all(['web01', 'web02', 'web03'].map(startHttpStub));
    tcp = await Promise.all(['db01', 'db02', 'db03'].map(startTcpStub));
    retryBackends = await Promise.all(['alive01', 'alive02'].map(startHttpStub));
    const dead = await refusedPort();
    [httpPort, tcpPort, retryPort] = [await freePort(), await freePort(), await freePort()];
    const config = `global
    maxconn 1000
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    retries 2
frontend fe_http
    bind 127.0.0.1:${httpPort}
    default_backend be_http
frontend fe_tcp
    mode tcp
    bind 127.0.0.1:${tcpPort}
    default_backend be_tcp
frontend fe_retry
    bind 127.0.0.1:${retryPort}
    default_backend be_retry
backend be_http
    balance roundrobin
    server web01 127.0.0.1:${http[0]!.port} weight 1
    server web02 127.0.0.1:${http[1]!.port} weight 1
    server web03 127.0.0.1:${http[2]!.port} weight 2
backend be_tcp
    mode tcp
    balance roundrobin
    server db01 127.0.0.1:${tcp[0]!.port} weight 1
    server db02 127.0.0.1:${tcp[1]!.port} weight 1
    server db03 127.0.0.1:${tcp[2]!.port} weight 2
backend be_retry
    balance roundrobin
    option redispatch
    server dead 127.0.0.1:${dead}
    server alive01 127.0.0.1:${retryBackends[0]!.port}
    server alive02 127.0.0.1:${retryBackends[1]!.port}
`;
    daemon = await bootTandemd(dir, config);
  });

  after(async () => {
    await daemon?.stop();
    await Promise.all([...http, ...tcp, ...retryBackends].map((b) => b.close()));
    dir.cleanup();
  });

  test('mode http: weights 1,1,2 give web03 half of every 8 requests', async () => {
    const served: string[] = [];
    for (let i = 0; i < 8; i++) {
      const response = await httpGet(httpPort, '/');
      assert.equal(response.status, 200);
      served.push(response.body);
    }
    const count = (name: string) => served.filter((s) => s === name).length;
    assert.deepEqual([count('web01'), count('web02'), count('web03')], [2, 2, 4], served.join(','));
  });

  test('mode http: the X-Forwarded-For-free request is forwarded with the client head intact', async () => {
    const response = await httpGet(httpPort, '/', { 'X-Test': 'kept' });
    assert.equal(response.status, 200);
    const backend = http.find((b) => b.name === response.body)!;
    assert.equal(backend.lastHeaders['x-test'], 'kept');
  });

  test('mode tcp: connections round-robin by weight', async () => {
    const greetings: string[] = [];
    for (let i = 0; i < 8; i++) greetings.push(await tcpGreeting(tcpPort));
    const count = (name: string) => greetings.filter((g) => g === name).length;
    assert.deepEqual([count('db01'), count('db02'), count('db03')], [2, 2, 4], greetings.join(','));
  });

  test('mode tcp: bytes are piped both ways', async () => {
    const text = await rawExchange(tcpPort, 'ping-through-tandem', { idleMs: 500 });
    assert.match(text, /^db0\d\nping-through-tandem$/);
  });

  test('a server that refuses connections is retried on another (option redispatch)', async () => {
    for (let i = 0; i < 6; i++) {
      const response = await httpGet(retryPort, '/');
      assert.equal(response.status, 200, `request ${i}: ${response.status}`);
      assert.match(response.body, /^alive0[12]$/);
    }
  });

  const SMUGGLING: Record<string, string> = {
    'Content-Length with Transfer-Encoding': 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'conflicting Content-Length values': 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde',
    'bad chunk size': 'POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
    'bare LF line ending': 'GET / HTTP/1.1\nHost: t\n\n',
    'bare CR in a header': 'GET / HTTP/1.1\r\nHost: t\rX: y\r\n\r\n',
    'obsolete line folding': 'GET / HTTP/1.1\r\nHost: t\r\nX-Folded: a\r\n  b\r\n\r\n',
  };
  for (const [shape, request] of Object.entries(SMUGGLING)) {
    test(`request smuggling shape gets 400 and is never forwarded: ${shape}`, async () => {
      const before = http.map((b) => b.received.length);
      const answer = await rawExchange(httpPort, request, { idleMs: 1_000 });
      assert.match(answer, /^HTTP\/1\.[01] 400 /, answer);
      assert.deepEqual(http.map((b) => b.received.length), before, 'a backend received bytes of a rejected request');
    });
  }
});

function tcpGreeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) {
        socket.destroy();
        resolve(text.trim());
      }
    });
    socket.on('error', reject);
  });
}
