// Log-format strings in rule values, header captures and unique IDs (issue #6), end to end: real tandemd, a stub
// backend, and the traffic log as tandemd writes it (UDP syslog, raw format).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { daemonArgs, freePort, runNode, startHttpStub, TANDEMD_MAIN, TandemdProcess, TempDir, type StubBackend, syslogServer } from '@tandem/testing';

/** One HTTP/1.1 request on a fresh connection; the client's own port is returned to check `%cp`. */
async function request(port: number, path: string, host: string): Promise<{ localPort: number; head: string }> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => (s.destroy(), reject(new Error(`no answer: ${data}`))), 5_000);
    s.on('connect', () => s.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    s.on('data', (c: Buffer) => (data += c.toString('latin1')));
    s.on('error', reject);
    let localPort = 0;
    s.on('connect', () => (localPort = s.localPort ?? 0));
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ localPort, head: data.split('\r\n\r\n')[0]! });
    });
  });
}

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');

describe('log-format values, captures and unique IDs', () => {
  const dir = new TempDir();
  let web: StubBackend;
  let daemon: TandemdProcess;
  let syslog: Awaited<ReturnType<typeof syslogServer>>;
  let front: number;

  before(async () => {
    web = await startHttpStub('web01');
    syslog = await syslogServer();
    front = await freePort();
    daemon = new TandemdProcess(daemonArgs(dir, `global
    log 127.0.0.1:${syslog.port} len 4096 format raw local0
defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    unique-id-format %{+X}o\\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid
frontend http_in
    bind 127.0.0.1:${front}
    capture request header Host len 32
    capture response header X-Served-By len 3
    unique-id-header X-Unique-ID
    http-request set-header X-Client %ci:%cp
    http-request set-var-fmt(txn.line) "%HM %HP on %f"
    http-request set-header X-Line %[var(txn.line)]
    http-request redirect location https://%[hdr(host)]%[capture.req.uri]&from=%f&by=%[capture.req.hdr(0)] code 301 if { path /old }
    http-after-response set-header X-Id %ID
    default_backend web_servers
backend web_servers
    server web01 127.0.0.1:${web.port}
`));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    await web.close();
    syslog.socket.close();
    dir.cleanup();
  });

  test('set-header %ci:%cp reaches the backend; unique-id-header and %ID in the log; {host} captured in httplog', async () => {
    syslog.lines.length = 0;
    const { localPort, head } = await request(front, '/a/b?q=1', 'example.test');
    assert.match(head, /^HTTP\/1\.1 200 /);
    assert.equal(web.lastHeaders['x-client'], `127.0.0.1:${localPort}`);
    assert.equal(web.lastHeaders['x-line'], 'GET /a/b on http_in');
    // HAProxy's usual format: client, frontend, accept time, request counter, pid, all in hex.
    const id = String(web.lastHeaders['x-unique-id']);
    assert.match(id, new RegExp(`^7F000001:${hex(localPort, 4)}_7F000001:${hex(front, 4)}_[0-9A-F]{8}_[0-9A-F]{4}:[0-9A-F]{4}$`));
    assert.ok(Math.abs(parseInt(id.split('_')[2]!, 16) - Date.now() / 1000) < 30, `accept time in ${id}`);
    assert.equal(parseInt(id.split(':').pop()!, 16), daemon.pid! & 0xffff);
    // The same ID on the response (http-after-response %ID): generated once per transaction.
    assert.match(head, new RegExp(`\\r\\nX-Id: ${id}(\\r\\n|$)`, 'i'));
    const [line] = await syslog.next(1);
    assert.ok(line, 'no log line');
    // option httplog: … %sq/%bq %hr %hs %{+Q}r — the request capture {example.test}, the response one {web}.
    assert.match(line, / 0\/0 \{example\.test\} \{web\} "GET \/a\/b\?q=1 HTTP\/1\.1"\n$/);
  });

  test('redirect with %[…] samples and %f, and a captured header slot', async () => {
    const { head } = await request(front, '/old?x=1', 'shop.test');
    assert.match(head, /^HTTP\/1\.1 301 /);
    assert.match(head, /\r\nlocation: https:\/\/shop\.test\/old\?x=1&from=http_in&by=shop\.test(\r\n|$)/i);
  });

  test('a load-time-only variable in a rule value is a load error naming it', async () => {
    const file = dir.file('bad.cfg', `defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend f
    bind 127.0.0.1:${await freePort()}
    http-request set-header X-T %Tr
    default_backend b
backend b
    server s 127.0.0.1:${web.port}
`);
    const result = await runNode(TANDEMD_MAIN, ['-c', '-f', file]);
    assert.notEqual(result.code, 0);
    assert.match(result.stdout + result.stderr, /bad\.cfg:8\].*'%Tr'.*transaction timers/);
  });
});
