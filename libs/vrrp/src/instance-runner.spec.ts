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
  // Expected order: VIPs first, then the advert, then the gratuitous ARP.
  assert.deepEqual(s.log, ['add 198.18.3.100', 'send 110', 'garp 198.18.3.100']);
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
  assert.deepEqual(s.log, ['send 110', 'garp 198.18.3.100']);
});
