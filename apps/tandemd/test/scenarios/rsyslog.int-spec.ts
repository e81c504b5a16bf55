// Scenario: a real rsyslog (Debian's rsyslogd, started by the test on 127.0.0.1) receives tandemd's traffic logs
// (issue #5, "Done when"): an httplog line in HAProxy 2.6's layout, and the seed block 11's log-format line with
// every one of its variables.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { daemonArgs, freePort, hasProgram, httpGet, REPO_ROOT, startHttpStub, TandemdProcess, TempDir, waitUntil, type StubBackend } from '@tandem/testing';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const skip = !existsSync(RSYSLOGD) ? 'rsyslogd is not installed (npm test installs Debian rsyslog)' : false;

/** A free UDP port on 127.0.0.1 (bound, then released). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const port = socket.address().port;
  await new Promise<void>((r) => socket.close(() => r()));
  return port;
}

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

describe('rsyslog on loopback receives the traffic logs', { skip }, () => {
  const dir = new TempDir();
  let rsyslog: ChildProcess;
  let port = 0;
  let web: StubBackend;
  const daemons: TandemdProcess[] = [];
  const received = () => (existsSync(join(dir.path, 'received.log')) ? readFileSync(join(dir.path, 'received.log'), 'utf8') : '');

  before(async () => {
    assert.ok(await hasProgram('rsyslogd') || existsSync(RSYSLOGD));
    port = await freeUdpPort();
    web = await startHttpStub('web01');
    // Its own configuration only: UDP input on loopback, every message as received (the syslog tag and the
    // message) into one file of the test's directory. No system socket, no system files.
    const conf = dir.file('rsyslog.conf', `global(workDirectory="${dir.path}")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="${port}")
template(name="tagged" type="string" string="%syslogfacility-text%.%syslogseverity-text% %syslogtag%%msg:::drop-last-lf%\\n")
*.* action(type="omfile" file="${join(dir.path, 'received.log')}" template="tagged")
`);
    rsyslog = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', join(dir.path, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    rsyslog.stdout!.on('data', (d) => (output += d));
    rsyslog.stderr!.on('data', (d) => (output += d));
    // rsyslog is ready when it has written its pidfile.
    await waitUntil(() => existsSync(join(dir.path, 'rsyslogd.pid')) || rsyslog.exitCode !== null, 10_000, `rsyslogd to start (${output})`);
    assert.equal(rsyslog.exitCode, null, `rsyslogd exited: ${output}`);
  });

  after(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    if (rsyslog && rsyslog.exitCode === null) {
      rsyslog.kill('SIGTERM');
      await new Promise((r) => rsyslog.once('exit', r));
    }
    await web?.close();
    dir.cleanup();
  });

  const boot = async (config: string) => {
    const d = new TandemdProcess(daemonArgs(dir, config));
    daemons.push(d);
    await d.start();
    return d;
  };

  test('option httplog: HAProxy 2.6 layout, facility local0, tag haproxy[pid]', async () => {
    const front = await freePort();
    await boot(`global
    log 127.0.0.1:${port} local0 info
defaults
    log global
    option httplog
${proxies(front, web.port)}`);
    assert.equal((await httpGet(front, '/httplog-probe')).status, 200);
    await waitUntil(() => received().includes('/httplog-probe'), 10_000, 'the httplog line in rsyslog');
    const line = received().split('\n').find((l) => l.includes('/httplog-probe'))!;
    assert.match(line, /^local0\.info haproxy\[\d+\]: 127\.0\.0\.1:\d+ \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] http_in web_servers\/web01 \d+\/\d+\/\d+\/\d+\/\d+ 200 \d+ - - ---- \d+\/\d+\/\d+\/\d+\/0 0\/0 "GET \/httplog-probe HTTP\/1\.1"$/);
  });

  test("seed 11's log-format: every variable rendered", async () => {
    const seed = readFileSync(join(REPO_ROOT, 'apps', 'tandemd', 'test', 'fixtures', 'seeds', '11-logging.cfg'), 'utf8').replace('127.0.0.1:514', `127.0.0.1:${port}`);
    const front = await freePort();
    await boot(seed + proxies(front, web.port));
    assert.equal((await httpGet(front, '/seed11-probe?x=1')).status, 200);
    await waitUntil(() => received().includes('/seed11-probe'), 10_000, 'the seed 11 line in rsyslog');
    const line = received().split('\n').find((l) => l.includes('/seed11-probe'))!;
    // %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %tsc %ac/%fc/%bc/%sc/%rc %{+Q}r
    assert.match(line, /^local0\.info haproxy\[\d+\]: 127\.0\.0\.1:\d+ \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] http_in web_servers\/web01 \d+\/\d+\/\d+\/\d+\/\d+ 200 \d+ ---- \d+\/\d+\/\d+\/\d+\/0 "GET \/seed11-probe\?x=1 HTTP\/1\.1"$/);
  });
});
