// Scenario: the responses Tandem writes itself (redirects, `return`, deny pages, deny with a reply, auth) are
// byte-identical to a real HAProxy 2.6's (Debian's /usr/sbin/haproxy) for the SAME config text, on GET keep-alive,
// HTTP/1.0 (`connection: close` added), `Connection: close`, and HEAD (head only, content-length kept).
// Without haproxy the scenario is skipped with the reason, except under CI=true where it fails.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { bootTandemd, freePort, type TandemdProcess, TempDir } from '@tandem/testing';

const HAPROXY = '/usr/sbin/haproxy';
const haproxyMissing = existsSync(HAPROXY) ? undefined : `${HAPROXY} is not installed (source scripts/env.sh && tandem_ensure_apt haproxy)`;
if (haproxyMissing && process.env.CI === 'true') throw new Error(`CI=true and the HAProxy local-responses scenario cannot run: ${haproxyMissing}`);

const RULES = [
  'http-request redirect location /x code 301 if { path /r301 }',
  'http-request redirect location /x code 302 if { path /r302 }',
  'http-request redirect location /x code 303 if { path /r303 }',
  'http-request redirect location /x code 307 if { path /r307 }',
  'http-request redirect location /x code 308 if { path /r308 }',
  'http-request redirect scheme https if { path /scheme }',
  'http-request redirect prefix /p set-cookie C=1 if { path /cookie }',
  'http-request return status 200 content-type text/plain string ok hdr X-A 1 hdr X-B 2 if { path /ret }',
  'http-request return status 200 hdr X-A 1 if { path /retnobody }',
  'http-request deny deny_status 429 content-type text/plain string slow hdr Retry-After 7 if { path /slow }',
  'http-request deny deny_status 429 if { path /d429 }',
  'http-request deny deny_status 407 if { path /d407 }',
  'http-request auth realm R if { path /auth }',
  'http-request deny deny_status 403',
];
const PATHS = ['/r301', '/r302', '/r303', '/r307', '/r308', '/scheme', '/cookie', '/ret', '/retnobody', '/slow', '/d429', '/d407', '/auth', '/other'];
const REQUESTS: Record<string, (p: string) => string> = {
  'keep-alive, pipelined twice': (p) => `GET ${p} HTTP/1.1\r\nHost: a\r\n\r\n`.repeat(2),
  'HTTP/1.0': (p) => `GET ${p} HTTP/1.0\r\n\r\n`,
  'Connection: close': (p) => `GET ${p} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`,
  HEAD: (p) => `HEAD ${p} HTTP/1.1\r\nHost: a\r\n\r\n`,
};

/** Sends `raw`, collects bytes until the peer closes or 600 ms pass; reports which. */
function exchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = connect({ host: '127.0.0.1', port });
    const done = (how: string) => resolve(`${how} ${JSON.stringify(Buffer.concat(chunks).toString('latin1'))}`);
    const t = setTimeout(() => { s.destroy(); done('open'); }, 600);
    s.on('data', (c) => chunks.push(c));
    s.on('close', () => { clearTimeout(t); done('closed'); });
    s.on('error', () => undefined);
    s.write(raw);
  });
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });

describe('local responses: byte-identical to HAProxy 2.6', { skip: haproxyMissing }, () => {
  const dir = new TempDir();
  let daemon: TandemdProcess | undefined;
  let haproxy: ChildProcess | undefined;
  let haproxyLog = '';
  let hapPort = 0;
  let tandemPort = 0;
  const config = (port: number) =>
    `defaults\n    mode http\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\nfrontend fe\n    bind 127.0.0.1:${port}\n${RULES.map((r) => `    ${r}\n`).join('')}`;

  before(async () => {
    hapPort = await freePort();
    tandemPort = await freePort();
    const hapCfg = join(dir.path, 'haproxy.cfg');
    writeFileSync(hapCfg, config(hapPort));
    haproxy = spawn(HAPROXY, ['-db', '-f', hapCfg], { stdio: ['ignore', 'pipe', 'pipe'] });
    haproxy.stdout!.on('data', (c: Buffer) => (haproxyLog += c.toString()));
    haproxy.stderr!.on('data', (c: Buffer) => (haproxyLog += c.toString()));
    daemon = await bootTandemd(dir, config(tandemPort));
    const deadline = Date.now() + 10_000;
    while (!(await listening(hapPort))) {
      if (Date.now() > deadline || haproxy.exitCode !== null) throw new Error(`haproxy did not start:\n${haproxyLog}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  after(async () => {
    if (haproxy && haproxy.exitCode === null) {
      const exited = new Promise((r) => haproxy!.once('exit', r));
      haproxy.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (haproxy.exitCode === null) haproxy.kill('SIGKILL');
    }
    await daemon?.stop();
    dir.cleanup();
  });

  for (const [name, build] of Object.entries(REQUESTS)) {
    test(`${name}: same bytes and same connection outcome for every rule`, async () => {
      for (const p of PATHS) {
        const [fromHaproxy, fromTandem] = await Promise.all([exchange(hapPort, build(p)), exchange(tandemPort, build(p))]);
        assert.match(fromHaproxy, /HTTP\/1\.1 \d{3}/, `haproxy answered ${p}`);
        assert.equal(fromTandem, fromHaproxy, `${name} ${p}`);
      }
    });
  }
});
