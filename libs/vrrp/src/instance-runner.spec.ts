import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '@tandem/core';
import { InstanceRunner, type RunnerEvent } from './instance-runner.js';
import { passwordAuthData } from './wire/advertisement.codec.js';
import type { VrrpAdvertisement } from './wire/advertisement.types.js';
import type { GarpPort, ReceivedAdvert, VipPort, VirtualIp, VrrpTransport } from './vrrp-transport.types.js';

function fakes() {
  const log: string[] = [];
  const sent: VrrpAdvertisement[] = [];
  let deliver: (r: ReceivedAdvert) => void = () => undefined;
  const transport: VrrpTransport = {
    send: async (a) => { sent.push(a); log.push(`send ${a.priority}`); },
    onAdvert: (l) => { deliver = l; return () => { deliver = () => undefined; }; },
    counters: () => ({}),
    close: async () => undefined,
  };
  const vipPort: VipPort = {
    add: async (v: readonly VirtualIp[]) => { log.push(`add ${v.map((x) => x.address).join(',')}`); },
    remove: async (v: readonly VirtualIp[]) => { log.push(`del ${v.map((x) => x.address).join(',')}`); },
  };
  const garp: GarpPort = { announce: async (v) => { log.push(`garp ${v.address}`); } };
  return { log, sent, transport, vipPort, garp, receive: (r: ReceivedAdvert) => deliver(r) };
}

const vip: VirtualIp = { address: '198.18.3.100', prefixLength: 24, dev: 'eth0' };
const config = { version: 2 as const, vrid: 51, primaryAddress: '198.18.3.2', advertIntervalCs: 100, preempt: true, preemptDelayMs: 0 };

function setup() {
  const f = fakes();
  const clock = new ManualClock();
  const runner = new InstanceRunner({
    name: 'VI_1', config, priority: 110, vips: [vip], auth: { type: 1, data: passwordAuthData('tandem') },
    transport: f.transport, vipPort: f.vipPort, garp: f.garp, clock,
  });
  const events: RunnerEvent[] = [];
  runner.onEvent((e) => events.push(e));
  return { ...f, clock, runner, states: () => events.filter((e) => e.type === 'state').map((e) => e.type === 'state' && `${e.from}>${e.to}`) };
}

const advertFrom = (src: string, priority: number): ReceivedAdvert => ({
  src, dst: '224.0.0.18', ttl: 255,
  advert: { version: 2, vrid: 51, priority, addresses: ['198.18.3.100'], advertIntervalSec: 1, authType: 1 },
});

test('Backup becomes Master after Master_Down_Interval (v2, prio 110: 3000 + 570 ms), then advertises every second', async () => {
  const s = setup();
  s.runner.start();
  assert.equal(s.runner.state, 'BACKUP');
  s.clock.advance(3569);
  assert.equal(s.runner.state, 'BACKUP');
  s.clock.advance(1);
  assert.equal(s.runner.state, 'MASTER');
  await s.runner.idle();
  // Expected order: VIPs first, then the gratuitous ARP, then the advert.
  assert.deepEqual(s.log, ['add 198.18.3.100', 'garp 198.18.3.100', 'send 110']);
  const a = s.sent[0]!;
  assert.equal(a.version, 2);
  if (a.version === 2) assert.deepEqual([a.vrid, a.advertIntervalSec, a.authType, [...a.addresses]], [51, 1, 1, ['198.18.3.100']]);
  s.clock.advance(2000);
  await s.runner.idle();
  assert.deepEqual(s.log.slice(3), ['send 110', 'send 110']);
  assert.deepEqual(s.states(), ['INIT>BACKUP', 'BACKUP>MASTER']);
});

test('an advert from a higher priority keeps a Backup; one above ours makes a Master step down and drop its VIPs', async () => {
  const s = setup();
  s.runner.start();
  s.clock.advance(3000);
  s.receive(advertFrom('198.18.3.1', 200));
  s.clock.advance(3000); // timer was reset at 3000 ms: no takeover yet
  assert.equal(s.runner.state, 'BACKUP');
  s.clock.advance(600);
  assert.equal(s.runner.state, 'MASTER');
  s.receive(advertFrom('198.18.3.1', 200));
  assert.equal(s.runner.state, 'BACKUP');
  await s.runner.idle();
  assert.equal(s.log.at(-1), 'del 198.18.3.100');
});

test('stop as Master sends a priority-0 advert, removes the VIPs, and leaves no timer', async () => {
  const s = setup();
  s.runner.start();
  s.clock.advance(4000);
  await s.runner.stop();
  assert.equal(s.runner.state, 'INIT');
  assert.deepEqual(s.log.slice(-2), ['send 0', 'del 198.18.3.100']);
  assert.equal(s.clock.pendingTimers(), 0);
  s.receive(advertFrom('198.18.3.1', 100)); // unsubscribed: ignored
  assert.equal(s.runner.state, 'INIT');
});

test('an io failure is reported as an error event and the queue continues', async () => {
  const s = setup();
  const errors: string[] = [];
  s.runner.onEvent((e) => { if (e.type === 'error') errors.push(`${e.action}: ${e.error}`); });
  s.vipPort.add = async () => { throw new Error('RTNETLINK answers: Operation not permitted'); };
  s.runner.start();
  s.clock.advance(3570);
  await s.runner.idle();
  assert.deepEqual(errors, ['addVips: RTNETLINK answers: Operation not permitted']);
  assert.deepEqual(s.log, ['garp 198.18.3.100', 'send 110']);
});

test('GARP schedule (keepalived garp_master_*): a burst of `repeat`, again after `delayMs`, then every `refreshMs`; none after leaving MASTER', async () => {
  const f = fakes();
  const clock = new ManualClock();
  const runner = new InstanceRunner({
    name: 'VI_1', config, priority: 110, vips: [vip], auth: { type: 1, data: passwordAuthData('tandem') },
    transport: f.transport, vipPort: f.vipPort, garp: f.garp, clock,
    garpSchedule: { repeat: 5, delayMs: 5000, refreshMs: 2000, refreshRepeat: 2, intervalMs: 0 },
  });
  const garps = () => f.log.filter((l) => l.startsWith('garp')).length;
  runner.start();
  clock.advance(3570);
  await runner.idle();
  assert.equal(runner.state, 'MASTER');
  assert.equal(garps(), 5, 'first burst: garp_master_repeat');
  clock.advance(2000);
  await runner.idle();
  assert.equal(garps(), 7, 'refresh after 2 s: garp_master_refresh_repeat');
  clock.advance(3000);
  await runner.idle();
  assert.equal(garps(), 5 + 2 + 2 + 5, 'second refresh at 4 s, second burst at garp_master_delay (5 s)');
  // A higher-priority Master appears: Backup, and the pending refreshes are cancelled.
  f.receive(advertFrom('198.18.3.9', 200));
  assert.equal(runner.state, 'BACKUP');
  const before = garps();
  clock.advance(3000); // < Master_Down_Interval (3.57 s): still Backup; a refresh would have been due at +2 s
  assert.equal(runner.state, 'BACKUP');
  await runner.idle();
  assert.equal(garps(), before);
});

test('a delayed GARP burst queued just before a higher Master is heard never goes out (drill v3 link-down failback)', async () => {
  const f = fakes();
  const clock = new ManualClock();
  let release: () => void = () => undefined;
  const blocked = new Promise<void>((r) => (release = r));
  const vipPort: VipPort = {
    add: async () => { f.log.push('add'); },
    remove: async () => { f.log.push('del'); },
  };
  const runner = new InstanceRunner({
    name: 'VI_1', config, priority: 110, vips: [vip], auth: { type: 1, data: passwordAuthData('tandem') },
    transport: { ...f.transport, send: async (a) => { f.log.push(`send ${a.priority}`); if (f.log.filter((l) => l === 'send 110').length === 2) await blocked; } },
    vipPort, garp: f.garp, clock,
    garpSchedule: { repeat: 5, delayMs: 5000, refreshMs: 0, refreshRepeat: 1, intervalMs: 0 },
  });
  runner.start();
  clock.advance(3570);
  await runner.idle();
  assert.equal(runner.state, 'MASTER');
  clock.advance(4000); // the adverts at +1..+4 s; the one at +1 s blocks the queue (a slow send)
  await new Promise((r) => setImmediate(r));
  clock.advance(1000); // garp_master_delay fires while MASTER: its burst is queued behind the blocked advert
  f.receive(advertFrom('198.18.3.9', 200)); // the higher-priority Master takes over before the burst ran
  assert.equal(runner.state, 'BACKUP');
  release();
  await runner.idle();
  assert.equal(f.log.filter((l) => l.startsWith('garp')).length, 5, 'only the first burst; the stale one is dropped');
  assert.equal(f.log.at(-1), 'del');
});

test('RFC 9568 preempt race: a Master hearing a lower-priority advert GARPs again, then advertises at once', async () => {
  const s = setup();
  s.runner.start();
  s.clock.advance(3570);
  await s.runner.idle();
  s.log.length = 0;
  s.receive(advertFrom('198.18.3.9', 100));
  await s.runner.idle();
  assert.equal(s.runner.state, 'MASTER');
  assert.deepEqual(s.log, ['garp 198.18.3.100', 'send 110']);
});

test('GARP schedule with vrrp_garp_interval: the GARPs of a burst are spaced on the clock', async () => {
  const f = fakes();
  const clock = new ManualClock();
  const runner = new InstanceRunner({
    name: 'VI_1', config: { ...config, version: 3, advertIntervalCs: 10 }, priority: 255, vips: [vip],
    transport: f.transport, vipPort: f.vipPort, garp: f.garp, clock,
    garpSchedule: { repeat: 3, delayMs: 0, refreshMs: 0, refreshRepeat: 1, intervalMs: 10 },
  });
  const garps = () => f.log.filter((l) => l.startsWith('garp')).length;
  runner.start(); // priority 255: Master at once
  await new Promise((r) => setImmediate(r));
  assert.equal(garps(), 1);
  clock.advance(10);
  await new Promise((r) => setImmediate(r));
  assert.equal(garps(), 2);
  clock.advance(10);
  await runner.idle();
  assert.equal(garps(), 3);
  await runner.stop();
});

test('graceful stop hands over make-before-break: VIPs kept until the new Master is heard', async () => {
  const s = setup();
  s.runner.start();
  s.clock.advance(3570);
  await s.runner.idle();
  s.log.length = 0;
  let stopped = false;
  const stopping = s.runner.stop({ handover: true }).then(() => (stopped = true));
  await s.runner.idle();
  assert.deepEqual(s.log, ['send 0']);
  assert.equal(s.runner.handingOver, true);
  s.clock.advance(1000); // still releasing: priority 0 again, VIPs still up
  await s.runner.idle();
  assert.deepEqual(s.log, ['send 0', 'send 0']);
  assert.equal(stopped, false);
  s.receive(advertFrom('198.18.3.3', 100));
  await stopping;
  assert.deepEqual(s.log, ['send 0', 'send 0', 'del 198.18.3.100']);
  assert.equal(s.runner.state, 'INIT');
});

test('graceful stop with nobody answering releases the VIPs after 3 x interval + skew(1)', async () => {
  const s = setup();
  s.runner.start();
  s.clock.advance(3570);
  await s.runner.idle();
  s.log.length = 0;
  const stopping = s.runner.stop({ handover: true });
  s.clock.advance(3995);
  await s.runner.idle();
  assert.ok(!s.log.includes('del 198.18.3.100'));
  s.clock.advance(1);
  await stopping;
  assert.equal(s.log.at(-1), 'del 198.18.3.100');
});

test('handover(): stays BACKUP after the new Master is heard; cancel before that keeps it Master', async () => {
  const s = setup();
  s.runner.start();
  s.clock.advance(3570);
  await s.runner.idle();
  const first = s.runner.handover();
  await s.runner.idle();
  s.runner.cancelHandover();
  assert.deepEqual(await first, { outcome: 'cancelled', ms: 0 });
  assert.equal(s.runner.state, 'MASTER');
  assert.equal(s.sent.at(-1)!.priority, 110);
  s.log.length = 0;
  const second = s.runner.handover();
  s.clock.advance(600);
  s.receive(advertFrom('198.18.3.3', 100));
  assert.deepEqual(await second, { outcome: 'handedOver', newMaster: '198.18.3.3', ms: 600 });
  assert.deepEqual(s.log, ['send 0', 'del 198.18.3.100']);
  assert.equal(s.runner.state, 'BACKUP');
  assert.deepEqual(await s.runner.handover(), { outcome: 'notMaster', ms: 0 });
});

test('a Master handing over sends no more GARPs (its delayed burst is dropped); a cancelled handover claims the VIPs again', async () => {
  const f = fakes();
  const clock = new ManualClock();
  const runner = new InstanceRunner({
    name: 'VI_1', config, priority: 110, vips: [vip], auth: { type: 1, data: passwordAuthData('tandem') },
    transport: f.transport, vipPort: f.vipPort, garp: f.garp, clock,
    garpSchedule: { repeat: 2, delayMs: 5000, refreshMs: 0, refreshRepeat: 1, intervalMs: 0 },
  });
  const garps = () => f.log.filter((l) => l.startsWith('garp')).length;
  runner.start();
  clock.advance(3570);
  await runner.idle();
  assert.equal(garps(), 2, 'the first burst on becoming Master');
  clock.advance(1000);
  const handover = runner.handover(); // garp_master_delay would fire 4 s from now
  await runner.idle();
  clock.advance(2000);
  await runner.idle();
  runner.cancelHandover();
  assert.deepEqual(await handover, { outcome: 'cancelled', ms: 2000 });
  await runner.idle();
  assert.equal(garps(), 4, 'the cancel claims the VIPs again with a burst');
  clock.advance(4000);
  await runner.idle();
  f.log.length = 0;
  const second = runner.handover();
  clock.advance(3500); // the cancel's delayed burst (5 s after it) would fall in here, before the handover timer
  await runner.idle();
  assert.equal(garps(), 0, 'no GARP while handing over: the new Master\'s GARPs must be the last the clients hear');
  f.receive(advertFrom('198.18.3.3', 100));
  assert.equal((await second).outcome, 'handedOver');
});

test('sync group gate: a held Backup stays BACKUP, re-arms Master_Down, wants MASTER until it hears a Master; becomeMaster bypasses the gate', async () => {
  const f = fakes();
  const clock = new ManualClock();
  let allow = false;
  let asked = 0;
  const runner = new InstanceRunner({
    name: 'VI_1', config, priority: 110, vips: [vip], transport: f.transport, vipPort: f.vipPort, garp: f.garp, clock,
    masterGate: () => (asked++, allow),
  });
  const events: RunnerEvent[] = [];
  runner.onEvent((e) => events.push(e));
  runner.start();
  clock.advance(3570);
  assert.equal(runner.state, 'BACKUP');
  assert.equal(runner.wantsMaster, true);
  assert.equal(asked, 1);
  assert.ok(events.some((e) => e.type === 'masterDeferred'));
  clock.advance(3570); // re-armed: asked again
  assert.equal(asked, 2);
  f.receive(advertFrom('198.18.3.1', 120)); // a Master is heard: no longer wants MASTER
  assert.equal(runner.wantsMaster, false);
  runner.becomeMaster();
  assert.equal(runner.state, 'MASTER');
  await runner.idle();
  assert.deepEqual(f.log, ['add 198.18.3.100', 'garp 198.18.3.100', 'send 110']);
  runner.dispatch({ type: 'groupBackup' });
  assert.equal(runner.state, 'BACKUP');
  allow = true;
  clock.advance(3570);
  assert.equal(runner.state, 'MASTER');
  assert.equal(runner.wantsMaster, false);
  await runner.stop();
});

test('buildAdvert: IPv6 VIPs make a VRRPv3 advert of family 6', async () => {
  const { buildAdvert } = await import('./instance-runner.js');
  const a = buildAdvert({ config: { ...config, version: 3, advertIntervalCs: 10 }, vips: [{ address: 'fd00:198:18::100', prefixLength: 64, dev: 'eth0' }] }, 110);
  assert.deepEqual(a, { version: 3, family: 6, vrid: 51, priority: 110, addresses: ['fd00:198:18::100'], maxAdvertIntervalCs: 10 });
  const b = buildAdvert({ config: { ...config, version: 3 }, vips: [vip] }, 110);
  assert.equal(b.version === 3 && b.family, 4);
});
