// `%[<fetch>[,<converters>]]` in a traffic-log `log-format` (configuration.txt 8.2.4), end to end: real tandemd,
// a stub backend, a TCP echo server, and the log lines as tandemd sends them (UDP syslog, raw format).
//  - mode http: `%[req.hdr(host)]`, `%[var(txn.x)]` set by an http-request rule, `%{+Q}[…]` quoting, `-` for a
//    missing sample, and response fetches (`res.hdr`, `status`) that see the response when the line is written;
//  - mode tcp: `%[src]`/`%[dst_port]` without any rule, and `txn.` variables set by `tcp-request content` rules.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { daemonArgs, freePort, startHttpStub, TandemdProcess, TempDir, type StubBackend, syslogServer } from '@tandem/testing';

/** One HTTP/1.1 request on a fresh connection (bounded by 5 s); the client's own port is returned. */
async function request(port: number, path: string, extra: string): Promise<{ localPort: number; head: string }> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let data = '';
    let localPort = 0;
    const timer = setTimeout(() => (s.destroy(), reject(new Error(`no answer: ${data}`))), 5_000);
    s.on('connect', () => {
      localPort = s.localPort ?? 0;
      s.write(`GET ${path} HTTP/1.1\r\n${extra}Connection: close\r\n\r\n`);
    });
    s.on('data', (c: Buffer) => (data += c.toString('latin1')));
    s.on('error', reject);
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ localPort, head: data.split('\r\n\r\n')[0]! });
    });
  });
}

/** Sends `payload` on a TCP connection, waits for the echo, closes; bounded by 5 s. */
async function echoOnce(port: number, payload: string): Promise<{ localPort: number; echoed: string }> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let data = '';
    let localPort = 0;
    const timer = setTimeout(() => (s.destroy(), reject(new Error(`no echo: ${data}`))), 5_000);
    s.on('connect', () => {
      localPort = s.localPort ?? 0;
      s.write(payload);
    });
    s.on('data', (c: Buffer) => {
      data += c.toString('latin1');
      if (data.length >= payload.length) s.end();
    });
    s.on('error', reject);
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ localPort, echoed: data });
    });
  });
}

describe('log-format %[…] samples in the traffic log', () => {
  const dir = new TempDir();
  let web: StubBackend;
  let echo: TcpServer;
  const sockets = new Set<Socket>();
  let daemon: TandemdProcess;
  let syslog: Awaited<ReturnType<typeof syslogServer>>;
  let front = 0;
  let tcpInspect = 0;
  let tcpPlain = 0;

  before(async () => {
    web = await startHttpStub('web01');
    echo = createTcpServer((s) => s.pipe(s));
    echo.on('connection', (s: Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    syslog = await syslogServer();
    [front, tcpInspect, tcpPlain] = [await freePort(), await freePort(), await freePort()];
    const echoPort = (echo.address() as AddressInfo).port;
    daemon = new TandemdProcess(daemonArgs(dir, `global
    log 127.0.0.1:${syslog.port} len 4096 format raw local0
defaults
    mode http
    log global
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend http_in
    bind 127.0.0.1:${front}
    log-format "%ci:%cp %ST host=%[req.hdr(host)] x=%{+Q}[var(txn.x)] none=%[var(txn.none)] ua=%{+Q}[req.hdr(user-agent),lower] q=%{+Q}[req.hdr(x-none)] srv=%[res.hdr(x-served-by)] st=%[status]"
    http-request set-var(txn.x) str("from rule") if { path_beg /set }
    default_backend web_servers
backend web_servers
    server web01 127.0.0.1:${web.port}
frontend tcp_inspect
    mode tcp
    bind 127.0.0.1:${tcpInspect}
    log-format "%ci:%cp src=%[src] port=%[dst_port] k=%{+Q}[var(txn.k)] sni=%[req.ssl_sni]"
    tcp-request inspect-delay 2s
    tcp-request content set-var(txn.k) req.payload(0,4) if { req.len ge 4 }
    tcp-request content accept if { req.len ge 4 }
    default_backend echo
frontend tcp_plain
    mode tcp
    bind 127.0.0.1:${tcpPlain}
    log-format "%ci:%cp src=%[src] port=%[dst_port] k=%[var(txn.k)]"
    default_backend echo
backend echo
    mode tcp
    server e1 127.0.0.1:${echoPort}
`));
    await daemon.start();
  });

  after(async () => {
    await daemon?.stop();
    await web?.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (echo ? echo.close(() => resolve()) : resolve()));
    syslog?.socket.close();
    dir.cleanup();
  });

  test('mode http: req.hdr, txn. variable set by a rule, +Q quoting, - for no value, response fetches', async () => {
    syslog.lines.length = 0;
    const { localPort, head } = await request(front, '/set/a', 'Host: shop.test\r\nUser-Agent: Curl/8 "X"\r\n');
    assert.match(head, /^HTTP\/1\.1 200 /);
    const [line] = await syslog.next(1);
    assert.ok(line, 'no log line');
    assert.equal(line.trimEnd().replace(/^.*?127\.0\.0\.1:/, '127.0.0.1:'), `127.0.0.1:${localPort} 200 host=shop.test x="from rule" none=- ua="curl/8 "x"" q="" srv=web01 st=200`);
  });

  test('mode http: a request the rule skips logs - for the variable; the next one on the same frontend is independent', async () => {
    syslog.lines.length = 0;
    const { localPort } = await request(front, '/other', 'Host: other.test\r\n');
    const [line] = await syslog.next(1);
    assert.ok(line, 'no log line');
    assert.match(line, new RegExp(`127\\.0\\.0\\.1:${localPort} 200 host=other\\.test x="" none=- ua="" q="" srv=web01 st=200\\n?$`));
  });

  test('mode tcp: %[src], %[dst_port], a txn. variable set by tcp-request content, - for req.ssl_sni of a non-TLS stream', async () => {
    syslog.lines.length = 0;
    const { localPort, echoed } = await echoOnce(tcpInspect, 'PING-1');
    assert.equal(echoed, 'PING-1');
    const [line] = await syslog.next(1);
    assert.ok(line, 'no log line');
    assert.match(line, new RegExp(`127\\.0\\.0\\.1:${localPort} src=127\\.0\\.0\\.1 port=${tcpInspect} k="PING" sni=-\\n?$`));
  });

  test('mode tcp without any rule: the connection\'s fetches still have values', async () => {
    syslog.lines.length = 0;
    const { localPort } = await echoOnce(tcpPlain, 'hello');
    const [line] = await syslog.next(1);
    assert.ok(line, 'no log line');
    assert.match(line, new RegExp(`127\\.0\\.0\\.1:${localPort} src=127\\.0\\.0\\.1 port=${tcpPlain} k=-\\n?$`));
  });
});
