// Scenario: traffic logging (issue #5 item 3, seed block 11), with a UDP listener on 127.0.0.1 as the syslog server.
// - seed 11's config (addresses rewritten): each request gives one rfc3164 datagram whose message follows its log-format
// - option httplog: HAProxy's default HTTP line, byte for byte except the timers and the date
// - log stdout format raw: the line goes to tandemd's stdout, without a syslog header
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { daemonArgs, freePort, httpGet, REPO_ROOT, startHttpStub, TandemdProcess, TempDir, type StubBackend, syslogServer } from '@tandem/testing';
import { join } from 'node:path';

const proxies = (front: number, server: number) => `    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend http_in
    bind 127.0.0.1:${front}
    default_backend web_servers
backend web_servers
    server web01 127.0.0.1:${server}
`;

describe('logging', () => {
  const dir = new TempDir();
  let web: StubBackend;
  const daemons: TandemdProcess[] = [];
  let syslog: Awaited<ReturnType<typeof syslogServer>>;

  before(async () => {
    web = await startHttpStub('web01');
    syslog = await syslogServer();
  });

  after(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    await web.close();
    syslog.socket.close();
    dir.cleanup();
  });

  const boot = async (config: string) => {
    const d = new TandemdProcess(daemonArgs(dir, config));
    daemons.push(d);
    await d.start();
    return d;
  };

  test("seed 11: a UDP syslog datagram per request, its message in the configured log-format", async () => {
    const seed = readFileSync(join(REPO_ROOT, 'apps', 'tandemd', 'test', 'fixtures', 'seeds', '11-logging.cfg'), 'utf8').replace('127.0.0.1:514', `127.0.0.1:${syslog.port}`);
    const front = await freePort();
    await boot(seed + proxies(front, web.port));
    syslog.lines.length = 0;
    const res = await httpGet(front, '/bytes/10?x=1');
    assert.equal(res.status, 200);
    const [line] = await syslog.next(1);
    assert.ok(line, 'no datagram arrived');
    // <local0*8 + info> Mmm dd hh:mm:ss haproxy[pid]: then the seed's format:
    // %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %tsc %ac/%fc/%bc/%sc/%rc %{+Q}r
    assert.match(line, /^<134>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d haproxy\[\d+\]: 127\.0\.0\.1:\d+ \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] http_in web_servers\/web01 \d+\/\d+\/\d+\/\d+\/\d+ 200 \d+ ---- \d+\/\d+\/\d+\/\d+\/0 "GET \/bytes\/10\?x=1 HTTP\/1\.1"\n$/);
  });

  test('option httplog: the layout of HAProxy 2.6, byte for byte except times; dontlognull drops empty connections', async () => {
    const front = await freePort();
    await boot(`global
    log 127.0.0.1:${syslog.port} len 4096 format raw local0
defaults
    log global
    option httplog
    option dontlognull
${proxies(front, web.port)}`);
    syslog.lines.length = 0;
    // An empty connection first: dontlognull keeps it out of the log.
    await new Promise<void>((resolve) => {
      const s = connect(front, '127.0.0.1', () => s.end());
      s.on('close', () => resolve());
    });
    await httpGet(front, '/');
    const [line] = await syslog.next(1);
    const masked = line!.replace(/^127\.0\.0\.1:\d+ /, '127.0.0.1:PORT ').replace(/\[[^\]]+\]/, '[DATE]').replace(/ \d+\/\d+\/\d+\/\d+\/\d+ 200 (\d+) /, ' T/T/T/T/T 200 $1 ');
    assert.equal(masked, `127.0.0.1:PORT [DATE] http_in web_servers/web01 T/T/T/T/T 200 ${masked.split(' ')[6]} - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"\n`);
    assert.ok(Number(masked.split(' ')[6]) > 0, 'bytes sent to the client');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(syslog.lines.length, 1, `the empty connection was logged: ${syslog.lines.join('')}`);
  });

  test('log stdout format raw prints the line on stdout', async () => {
    const front = await freePort();
    const d = await boot(`defaults
    log stdout format raw local0
    option tcplog
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend tcp_in
    bind 127.0.0.1:${front}
    default_backend pool
backend pool
    server web01 127.0.0.1:${web.port}
`);
    await httpGet(front, '/');
    await d.waitFor(/^127\.0\.0\.1:\d+ \[[^\]]+\] tcp_in pool\/web01 \d+\/\d+\/\d+ \d+ -- \d+\/\d+\/\d+\/\d+\/0 0\/0$/m, 5_000);
  });
});
