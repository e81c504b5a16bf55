import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ManualClock } from '@tandem/core';
import { StickTable } from './stick-table.js';

/**
 * Memory of the seed's rate-limit table filled to its size: 200,000 IPv4 keys storing http_req_rate(10s).
 * The heap is measured after a full GC on both sides; `gc` is reached without --expose-gc by enabling the flag
 * at run time and reading it from a fresh context. The budget sits above the measured figure (README) with
 * room for V8 differences; if gc cannot be had, only a generous bound is checked.
 */
const ENTRIES = 200_000;
const BUDGET_BYTES_PER_ENTRY = 400;
const FALLBACK_BYTES_PER_ENTRY = 1500;

function findGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

test(`memory: ${ENTRIES} ip entries with http_req_rate(10s) stay under ${BUDGET_BYTES_PER_ENTRY} bytes each`, (t) => {
  const gc = findGc();
  const clock = new ManualClock();
  const keys: string[] = [];
  for (let i = 0; i < ENTRIES; i++) keys.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  const table = new StickTable({ name: 'http_ratelimit', type: 'ip', size: 204800, expireMs: 60_000, store: [{ type: 'http_req_rate', periodMs: 10_000 }] }, clock);
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < ENTRIES; i++) {
    table.countHttpRequest(keys[i]!);
    if ((i & 1023) === 0) clock.advance(1);
  }
  gc?.();
  const after = process.memoryUsage().heapUsed;
  assert.equal(table.used, ENTRIES);
  const perEntry = (after - before) / ENTRIES;
  // What the table adds: Map slot, entry object and slot array. A canonical IPv4 key is the caller's own string
  // (normalizeKey returns it unchanged), already on the heap here, so its ~32 bytes are not in the figure.
  t.diagnostic(`stick table: ${perEntry.toFixed(1)} bytes per entry (gc ${gc ? 'on' : 'off'})`);
  assert.ok(perEntry < (gc ? BUDGET_BYTES_PER_ENTRY : FALLBACK_BYTES_PER_ENTRY), `${perEntry.toFixed(1)} bytes per entry`);
  assert.equal(table.read(keys[0]!, 'http_req_rate'), 1);
});
