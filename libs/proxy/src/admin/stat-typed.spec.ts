import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeStatJson, encodeStatTyped } from './stat-typed.js';

const rows = [
  { pxname: 'fe', svname: 'FRONTEND', scur: 0, stot: 3, status: 'OPEN', pid: 1, iid: 2, sid: 0, type: 0 },
  { pxname: 'be', svname: 's1', scur: 1, status: 'UP', pid: 1, iid: 3, sid: 1, type: 2, addr: '127.0.0.1:80' },
];

test('typed: one line per field with a value, HAProxy\'s object letter, position, tags and type', () => {
  const lines = encodeStatTyped(rows).trimEnd().split('\n');
  assert.deepEqual(lines.slice(0, 4), ['F.2.0.0.pxname.1:KNS:str:fe', 'F.2.0.1.svname.1:KNS:str:FRONTEND', 'F.2.0.4.scur.1:MGP:u32:0', 'F.2.0.7.stot.1:MCP:u64:3']);
  assert.ok(lines.includes('S.3.1.17.status.1:SGP:str:UP'));
  assert.ok(lines.includes('S.3.1.73.addr.1:CGS:str:127.0.0.1:80'));
  assert.ok(!encodeStatTyped(rows).includes('\n\n'), 'no empty line inside the answer');
});

test('json: one array per row, one object per field', () => {
  const doc = JSON.parse(encodeStatJson(rows)) as { objType: string; proxyId: number; id: number; field: { pos: number; name: string }; tags: { origin: string; nature: string; scope: string }; value: { type: string; value: unknown } }[][];
  assert.equal(doc.length, 2);
  assert.deepEqual(doc[0]![0], { objType: 'Frontend', proxyId: 2, id: 0, field: { pos: 0, name: 'pxname' }, processNum: 1, tags: { origin: 'Key', nature: 'Name', scope: 'Service' }, value: { type: 'str', value: 'fe' } });
  assert.deepEqual(doc[1]!.find((f) => f.field.name === 'scur')!.value, { type: 'u32', value: 1 });
});
