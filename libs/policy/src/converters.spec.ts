import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConverterCall, MapEntry, MapMatch } from '@tandem/config';
import { applyConverters, compileConverter, compileMapLookup, formatIp } from './converters.js';

const conv = (name: string, ...args: string[]) => compileConverter({ name, args });
const run = (c: ReturnType<typeof conv>, v: string | number | boolean) => c(v);

test('lower, upper', () => {
  assert.equal(run(conv('lower'), 'ExAmple.COM'), 'example.com');
  assert.equal(run(conv('upper'), 'abc'), 'ABC');
});

test('field: empty fields count; negative index counts from the end; count 0 takes the rest (HAProxy doc examples)', () => {
  const s = 'f1_f2_f3__f5';
  assert.equal(run(conv('field', '4', '_'), s), '');
  assert.equal(run(conv('field', '5', '_'), s), 'f5');
  assert.equal(run(conv('field', '2', '_', '0'), s), 'f2_f3__f5');
  assert.equal(run(conv('field', '2', '_', '2'), s), 'f2_f3');
  assert.equal(run(conv('field', '-2', '_', '3'), s), 'f2_f3_');
  assert.equal(run(conv('field', '-3', '_', '0'), s), 'f1_f2_f3');
  assert.equal(run(conv('field', '9', '_'), s), '');
  assert.equal(run(conv('field', '2', ':/'), 'a:b/c'), 'b');
});

test('word: runs of delimiters separate, empty words do not exist (HAProxy doc examples)', () => {
  const s = 'f1_f2_f3__f5';
  assert.equal(run(conv('word', '4', '_'), s), 'f5');
  assert.equal(run(conv('word', '2', '_', '0'), s), 'f2_f3__f5');
  assert.equal(run(conv('word', '3', '_', '2'), s), 'f3__f5');
  assert.equal(run(conv('word', '-2', '_', '3'), s), 'f1_f2_f3');
  assert.equal(run(conv('word', '-3', '_', '0'), s), 'f1_f2');
  assert.equal(run(conv('word', '1', '/'), '//a//b'), 'a');
});

test('regsub: first match or every match with g, i flag, \\N back-references', () => {
  assert.equal(run(conv('regsub', '/+', '/'), '//a//b'), '/a//b');
  assert.equal(run(conv('regsub', '/+', '/', 'g'), '//a//b'), '/a/b');
  assert.equal(run(conv('regsub', '(foo|bar)([0-9]+)?', '\\2\\1', 'i'), 'xBAR12y'), 'x12BARy');
});

test('ipmask: v4 by length or netmask; v6 only with a second mask', () => {
  assert.equal(run(conv('ipmask', '24'), '10.1.2.3'), '10.1.2.0');
  assert.equal(run(conv('ipmask', '255.255.0.0'), '10.1.2.3'), '10.1.0.0');
  assert.equal(run(conv('ipmask', '24'), '2001:db8::1'), undefined);
  assert.equal(run(conv('ipmask', '24', '32'), '2001:db8:1::1'), '2001:db8::');
  assert.equal(run(conv('ipmask', '8'), 'nope'), undefined);
  assert.equal(formatIp(new Uint8Array(16)), '::');
});

test('bool and not read integers', () => {
  assert.equal(run(conv('bool'), 3), true);
  assert.equal(run(conv('bool'), 0), false);
  assert.equal(run(conv('not'), 0), true);
  assert.equal(run(conv('not'), '2'), false);
  assert.equal(run(conv('bool'), 'abc'), undefined);
});

const map = (match: MapMatch, entries: Array<[string, string]>) => compileMapLookup(match, entries.map(([key, value]): MapEntry => ({ key, value })));

test('map lookups: str exact, beg/end/sub/dir/dom/reg first in file order, int ranges, ip longest prefix', () => {
  assert.equal(map('str', [['a.com', 'be1'], ['a.com', 'dup']])('a.com'), 'be1');
  assert.equal(map('str', [['a.com', 'be1']])('A.com'), undefined, 'maps are case-sensitive');
  assert.equal(map('beg', [['/api', 'a'], ['/', 'root']])('/api/x'), 'a');
  assert.equal(map('end', [['.css', 'c']])('/x.css'), 'c');
  assert.equal(map('sub', [['adm', 'x']])('/badmin'), 'x');
  assert.equal(map('dir', [['img', 'i']])('/static/img/a.png'), 'i');
  assert.equal(map('dir', [['img', 'i']])('/static/imgs/a.png'), undefined);
  assert.equal(map('dom', [['example', 'e']])('www.example.com'), 'e');
  assert.equal(map('reg', [['^w+\\.', 'w'], ['.*', 'any']])('www.x'), 'w');
  assert.equal(map('int', [['1:10', 'low'], ['11:', 'high']])(42), 'high');
  const ip = map('ip', [['10.0.0.0/8', 'wide'], ['10.1.0.0/16', 'narrow'], ['2001:db8::/32', 'v6']]);
  assert.equal(ip('10.1.2.3'), 'narrow');
  assert.equal(ip('10.2.0.1'), 'wide');
  assert.equal(ip('2001:db8::5'), 'v6');
  assert.equal(ip('192.0.2.1'), undefined);
});

test('map converter: default when not found, no sample without default, typed output', () => {
  const call = (args: string[], output: 'str' | 'int' = 'str'): ConverterCall => ({ name: 'map', args, map: { file: '/m', match: 'str', output, entries: [{ key: 'a', value: '7' }] } });
  assert.equal(compileConverter(call(['/m', 'dflt']))('zz'), 'dflt');
  assert.equal(compileConverter(call(['/m']))('zz'), undefined);
  assert.equal(compileConverter(call(['/m'], 'int'))('a'), 7);
});

test('converters apply to each value of a multi-valued sample; failing values are dropped', () => {
  const cs = [conv('lower')];
  assert.deepEqual(applyConverters(['A', 'B'], cs), ['a', 'b']);
  assert.equal(applyConverters(['x'], [conv('bool')]), undefined);
  assert.equal(applyConverters(undefined, cs), undefined);
});
