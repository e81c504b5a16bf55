import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createLogSender } from './syslog-sender.js';

test('UDP: lines arrive; over the in-flight budget they are dropped and counted, never queued', async () => {
  const server = createSocket('udp4');
  const got: string[] = [];
  server.on('message', (m) => got.push(m.toString()));
  await new Promise<void>((r) => server.bind(0, '127.0.0.1', r));
  const port = server.address().port;
  const sender = createLogSender({ kind: 'udp', address: '127.0.0.1', port }, { inFlight: 2 });
  for (let i = 0; i < 5; i++) sender.send(Buffer.from(`line ${i}\n`));
  // Synchronously, only the budget is in flight; the other three are already counted as dropped.
  assert.equal(sender.counters().dropped, 3);
  for (let i = 0; i < 50 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(got, ['line 0\n', 'line 1\n']);
  assert.deepEqual(sender.counters(), { sent: 2, dropped: 3, errors: 0 });
  await sender.close();
  server.close();
});

test('UDP to a port nobody listens on never throws', async () => {
  const sender = createLogSender({ kind: 'udp', address: '127.0.0.1', port: 9 });
  for (let i = 0; i < 10; i++) sender.send(Buffer.from('x\n'));
  await new Promise((r) => setTimeout(r, 50));
  const c = sender.counters();
  assert.equal(c.sent + c.dropped, 10);
  await sender.close();
});

test('unix datagram targets are counted as dropped (no AF_UNIX datagrams in Node.js)', () => {
  const sender = createLogSender({ kind: 'unix', address: '/dev/log' });
  sender.send(Buffer.from('x\n'));
  assert.deepEqual(sender.counters(), { sent: 0, dropped: 1, errors: 0 });
});
