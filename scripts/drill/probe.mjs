#!/usr/bin/env node
// The drill client: one HTTP GET to the VIP every <interval> ms, each bounded by <timeout> ms, for <duration> ms
// at most. Prints one JSON line per probe: {"t": ms since the epoch at send, "ok": bool, "status": n, "ms": n}.
// Every probe uses a new connection, as a real client hitting a moved VIP would.
// Usage: probe.mjs <address> <port> <durationMs> [intervalMs=20] [timeoutMs=200]
import { request } from 'node:http';

const [address, port, durationMs, intervalMs = '20', timeoutMs = '200'] = process.argv.slice(2);
const end = Date.now() + Number(durationMs);
const maxProbes = Math.ceil(Number(durationMs) / Number(intervalMs)) + 1;
let sent = 0;
let stopping = false;

function probe() {
  const t = Date.now();
  let done = false;
  const finish = (ok, status) => {
    if (done) return;
    done = true;
    process.stdout.write(`${JSON.stringify({ t, ok, status, ms: Date.now() - t })}\n`);
  };
  const req = request({ host: address, port: Number(port), path: '/', agent: false, timeout: Number(timeoutMs) }, (res) => {
    res.resume();
    res.on('end', () => finish(res.statusCode === 200, res.statusCode));
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', () => finish(false, 0));
  req.end();
}

const timer = setInterval(() => {
  if (stopping || Date.now() >= end || sent >= maxProbes) {
    clearInterval(timer);
    setTimeout(() => process.exit(0), Number(timeoutMs) + 50);
    return;
  }
  sent++;
  probe();
}, Number(intervalMs));
process.on('SIGTERM', () => (stopping = true));
