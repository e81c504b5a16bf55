// Scenario: cookie persistence interoperates with a real HAProxy 2.6 (Debian's /usr/sbin/haproxy), so clients keep
// their server while traffic moves from HAProxy to Tandem (or back). Both run the SAME backend text against the same
// stub servers on 127.0.0.1:
// - `cookie SRV insert dynamic` + `dynamic-cookie-key`: both set the same cookie value for the same server, and
//   still agree after `set server <b>/<s> addr … port …` on each admin socket (the value follows the address);
// - `maxidle 1s`: a dated cookie issued by HAProxy pins tandemd to the same server; once idle for longer than
//   maxidle, both ignore it (requests are balanced across servers and each gets a fresh cookie);
// - `maxidle 30m maxlife 8h`: a dated cookie issued by tandemd pins HAProxy to the same server.
// Without haproxy the scenario is skipped with the reason, except under CI=true where it fails.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { sendControlCommand } from '@tandem/control';
import { bootTandemd, freePort, startHttpStub, type StubBackend, TandemdProcess, TempDir } from '@tandem/testing';

const HAPROXY = '/usr/sbin/haproxy';
const KEY = 'interop secret';
const haproxyMissing = existsSync(HAPROXY) ? undefined : `${HAPROXY} is not installed (source scripts/env.sh && tandem_ensure_apt haproxy)`;
if (haproxyMissing && process.env.CI === 'true') throw new Error(`CI=true and the HAProxy interop scenario cannot run: ${haproxyMissing}`);

interface Answer {
  readonly servedBy: string;
  /** The value of `SRV` in the response's Set-Cookie, if any. */
  readonly cookie: string | undefined;
}

/** One request on a fresh connection (so balancing, not connection reuse, decides), bounded in time. */
function get(port: number, path: string, cookie?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: cookie ? { cookie: `SRV=${cookie}` } : {}, agent: false, timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () => {
        const sc = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('SRV='));
        resolve({ servedBy: String(res.headers['x-served-by'] ?? ''), cookie: sc ? /^SRV=([^;]*)/.exec(sc)![1] : undefined });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} on ${port} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Requests on fresh connections until each server was seen once (at most 8): server name -> cookie value set. */
async function cookiesByServer(port: number, path: string): Promise<Map<string, string | undefined>> {
  const seen = new Map<string, string | undefined>();
  for (let i = 0; i < 8 && seen.size < 2; i++) {
    const a = await get(port, path);
    seen.set(a.servedBy, a.cookie);
  }
  return seen;
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

describe('cookie persistence: interoperability with HAProxy 2.6', { skip: haproxyMissing }, () => {
  const dir = new TempDir();
  const tandemSocket = join(dir.path, 'tandem.sock');
  const haproxySocket = join(dir.path, 'haproxy.sock');
  let stubs: StubBackend[] = [];
  let daemon: TandemdProcess | undefined;
  let haproxy: ChildProcess | undefined;
  let haproxyLog = '';
  const tandem = { dyn: 0, short: 0, long: 0 };
  const hap = { dyn: 0, short: 0, long: 0 };

  /** The shared text: only the bind ports and the admin socket differ between the two load balancers. */
  const config = (socket: string, ports: typeof tandem) => `global
    stats socket ${socket} level admin
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe_dyn
    bind 127.0.0.1:${ports.dyn}
    default_backend dyn
frontend fe_short
    bind 127.0.0.1:${ports.short}
    default_backend short
frontend fe_long
    bind 127.0.0.1:${ports.long}
    default_backend long
backend dyn
    balance roundrobin
    cookie SRV insert indirect nocache dynamic
    dynamic-cookie-key "${KEY}"
    server s1 127.0.0.1:${stubs[0]!.port}
    server s2 127.0.0.1:${stubs[1]!.port}
backend short
    balance roundrobin
    cookie SRV insert indirect nocache maxidle 1s
    server s1 127.0.0.1:${stubs[0]!.port} cookie c1
    server s2 127.0.0.1:${stubs[1]!.port} cookie c2
backend long
    balance roundrobin
    cookie SRV insert indirect nocache maxidle 30m maxlife 8h
    server s1 127.0.0.1:${stubs[0]!.port} cookie c1
    server s2 127.0.0.1:${stubs[1]!.port} cookie c2
`;

  before(async () => {
    stubs = await Promise.all(['s1', 's2', 's3'].map(startHttpStub));
    for (const k of ['dyn', 'short', 'long'] as const) {
      tandem[k] = await freePort();
      hap[k] = await freePort();
    }
    const hapCfg = join(dir.path, 'haproxy.cfg');
    writeFileSync(hapCfg, config(haproxySocket, hap));
    haproxy = spawn(HAPROXY, ['-db', '-f', hapCfg], { stdio: ['ignore', 'pipe', 'pipe'] });
    haproxy.stdout!.on('data', (c: Buffer) => (haproxyLog += c.toString()));
    haproxy.stderr!.on('data', (c: Buffer) => (haproxyLog += c.toString()));
    daemon = await bootTandemd(dir, config(tandemSocket, tandem));
    const deadline = Date.now() + 10_000;
    while (!(await listening(hap.long))) {
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
    await Promise.all(stubs.map((s) => s.close()));
    dir.cleanup();
  });

  test('dynamic cookies: haproxy and tandemd set the same value for the same server, also after set server addr', async () => {
    const fromHaproxy = await cookiesByServer(hap.dyn, '/');
    const fromTandem = await cookiesByServer(tandem.dyn, '/');
    assert.deepEqual([...fromHaproxy.keys()].sort(), ['s1', 's2']);
    for (const s of ['s1', 's2']) {
      assert.match(fromHaproxy.get(s) ?? '', /^[0-9a-f]{16}$/, `haproxy's cookie for ${s}`);
      assert.equal(fromTandem.get(s), fromHaproxy.get(s), `the cookie value for ${s}`);
    }
    assert.notEqual(fromHaproxy.get('s1'), fromHaproxy.get('s2'));
    // A cookie issued by haproxy pins tandemd (and the reverse is the same value).
    for (let i = 0; i < 4; i++) assert.equal((await get(tandem.dyn, '/', fromHaproxy.get('s2'))).servedBy, 's2');

    // Move s2 to the third stub's port on both: the value changes, identically.
    const move = `set server dyn/s2 addr 127.0.0.1 port ${stubs[2]!.port}`;
    await sendControlCommand({ kind: 'unix', path: haproxySocket }, move, 10_000);
    await sendControlCommand({ kind: 'unix', path: tandemSocket }, move, 10_000);
    const movedHaproxy = await cookiesByServer(hap.dyn, '/');
    const movedTandem = await cookiesByServer(tandem.dyn, '/');
    assert.deepEqual([...movedTandem.keys()].sort(), ['s1', 's3'], 'the stub behind s2 is now s3');
    assert.equal(movedTandem.get('s1'), fromHaproxy.get('s1'), 's1 did not move');
    assert.match(movedHaproxy.get('s3') ?? '', /^[0-9a-f]{16}$/);
    assert.notEqual(movedHaproxy.get('s3'), fromHaproxy.get('s2'), 'haproxy recomputed the cookie');
    assert.equal(movedTandem.get('s3'), movedHaproxy.get('s3'), 'same new value on both');
    // The old value no longer names a server: balanced, and a new cookie is set.
    const stale = await get(tandem.dyn, '/', fromHaproxy.get('s2'));
    assert.equal(stale.cookie, movedHaproxy.get(stale.servedBy), JSON.stringify(stale));
  });

  test('maxidle: a dated cookie issued by haproxy pins tandemd; once idle past maxidle both ignore it', async () => {
    const first = await get(hap.short, '/');
    assert.match(first.cookie ?? '', /^c[12]\|[A-Za-z0-9+/]{5}$/, `haproxy's dated cookie: ${first.cookie}`);
    const server = first.servedBy;
    for (let i = 0; i < 4; i++) {
      const a = await get(tandem.short, '/', first.cookie);
      assert.equal(a.servedBy, server, 'tandemd honours the fresh haproxy cookie');
      if (a.cookie !== undefined) assert.ok(a.cookie.startsWith(`${first.cookie!.slice(0, 2)}|`), `a refresh keeps the server: ${a.cookie}`);
    }
    // The date is rounded up to 4 s: after 6 s the cookie has been idle for more than maxidle (1 s) whatever the
    // rounding; roundrobin then spreads the 4 requests over both servers and each gets a new cookie.
    await new Promise((r) => setTimeout(r, 6_000));
    for (const [who, port] of [['tandemd', tandem.short], ['haproxy', hap.short]] as const) {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await get(port, '/', first.cookie));
      assert.deepEqual(new Set(answers.map((a) => a.servedBy)).size, 2, `${who} balanced the expired cookie: ${JSON.stringify(answers)}`);
      for (const a of answers) assert.match(a.cookie ?? '', new RegExp(`^c${a.servedBy.slice(1)}\\|[A-Za-z0-9+/]{5}$`), `${who} set a new cookie`);
    }
  });

  test('maxidle + maxlife: a cookie issued by tandemd pins haproxy to the same server', async () => {
    const first = await get(tandem.long, '/');
    assert.match(first.cookie ?? '', /^c[12]\|[A-Za-z0-9+/]{5}\|[A-Za-z0-9+/]{5}$/, `tandemd's dated cookie: ${first.cookie}`);
    for (let i = 0; i < 4; i++) assert.equal((await get(hap.long, '/', first.cookie)).servedBy, first.servedBy);
    // An undated cookie is accepted by both and refreshed with both dates.
    for (const port of [tandem.long, hap.long]) {
      const a = await get(port, '/', 'c2');
      assert.equal(a.servedBy, 's2');
      assert.match(a.cookie ?? '', /^c2\|[A-Za-z0-9+/]{5}\|[A-Za-z0-9+/]{5}$/);
    }
  });
});
