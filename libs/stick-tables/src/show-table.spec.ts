import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '@tandem/core';
import { formatKey, formatShowTable } from './show-table.js';
import { StickTable } from './stick-table.js';
import type { StickTableDefinition } from './stick-table.types.js';

test('show table: header and rows in HAProxy management.txt format, data types in HAProxy order', () => {
  const clock = new ManualClock();
  // Declared out of order on purpose: output follows the enum order gpc0, conn_rate, bytes_out_rate.
  const def: StickTableDefinition = {
    name: 'http_proxy', type: 'ip', size: 204800, expireMs: 3600000,
    store: [{ type: 'bytes_out_rate', periodMs: 60000 }, { type: 'conn_rate', periodMs: 30000 }, { type: 'gpc0' }],
  };
  const table = new StickTable(def, clock);
  table.trackConnection('127.0.0.1');
  table.addBytesOut('127.0.0.1', 187);
  table.releaseConnection('127.0.0.1');
  clock.advance(5271);
  table.incGpc0('127.0.0.2');
  clock.advance(5271);
  assert.deepEqual(formatShowTable(def, table.used, table.snapshot()), [
    '# table: http_proxy, type: ip, size:204800, used:2',
    '0x1: key=127.0.0.1 use=0 exp=3589458 gpc0=0 conn_rate(30000)=1 bytes_out_rate(60000)=187',
    '0x2: key=127.0.0.2 use=0 exp=3594729 gpc0=1 conn_rate(30000)=0 bytes_out_rate(60000)=0',
  ]);
});

test('keys: string keys escaped like dump_text, binary in hex, no expire prints exp=0', () => {
  const def: StickTableDefinition = { name: 'cookies', type: 'string', size: 10, store: [{ type: 'server_id' }] };
  assert.equal(formatKey(def, 'a b=c\\d\t\x01é'), 'a\\ b\\=c\\\\d\\t\\x01\\xc3\\xa9');
  const table = new StickTable(def, new ManualClock());
  table.setServerId('abc', 2);
  assert.deepEqual(formatShowTable(def, table.used, table.snapshot()), [
    '# table: cookies, type: string, size:10, used:1',
    '0x1: key=abc use=0 exp=0 server_id=2',
  ]);
  const bin: StickTableDefinition = { name: 'b', type: 'binary', keyLength: 2, size: 1, store: [] };
  const t2 = new StickTable(bin, new ManualClock());
  t2.touchLocal(new Uint8Array([0xab]), {});
  assert.deepEqual(formatShowTable(bin, t2.used, t2.snapshot()), ['# table: b, type: binary, size:1, used:1', '0x1: key=ab00 use=0 exp=0']);
});
