import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileConverter } from './converters.js';
import type { RequestView } from './request-view.types.js';
import { newTxnState } from './txn-state.js';

// ltime formats in local time: pin the zone so the vectors hold on any machine.
process.env.TZ = 'UTC';

const c = (name: string, ...args: string[]) => compileConverter({ name, args });

function view(vars: Record<string, string | number> = {}, stick?: Partial<NonNullable<RequestView['stick']>>): RequestView {
  const txn = newTxnState();
  for (const [k, v] of Object.entries(vars)) txn.vars.set(k, v);
  return { src: '10.0.0.1', srcPort: 1, dst: '', dstPort: 80, method: 'GET', uri: '/', headers: { names: [], rawNames: [], values: [] }, ssl: false, sni: undefined, nbsrv: (b) => (b === 'app' ? 2 : 0), txn, ...(stick ? { stick: stick as RequestView['stick'] } : {}) };
}

describe('encoding converters', () => {
  it('base64, b64dec (invalid input fails), hex (upper case), hex2i (invalid gives 0), length', () => {
    assert.equal(c('base64')('hello'), 'aGVsbG8=');
    assert.equal(c('b64dec')('aGVsbG8='), 'hello');
    assert.equal(c('b64dec')('a$b'), undefined);
    assert.equal(c('hex')('abc'), '616263');
    assert.equal(c('hex')('\xff'), 'FF');
    assert.equal(c('hex2i')('ff'), 255);
    assert.equal(c('hex2i')('zz'), 0);
    assert.equal(c('length')('héllo'), 5);
  });
  it('url_dec decodes %XX and + after ? (or everywhere with in_form), fails on a bad escape; url_enc escapes reserved bytes', () => {
    assert.equal(c('url_dec')('/a%20b+c?x=1+2'), '/a b+c?x=1 2');
    assert.equal(c('url_dec', '1')('a+b'), 'a b');
    assert.equal(c('url_dec')('%zz'), undefined);
    assert.equal(c('url_enc')('a b&c=d/~'), 'a%20b%26c%3Dd%2F~');
    assert.equal(c('url_enc', 'query')('é'), '%E9');
  });
  it('json escapes quotes, backslash, slash, controls; ascii escapes high bytes, utf8 decodes or fails, utf8s skips', () => {
    assert.equal(c('json')('a"b\\c/d\n\x01'), 'a\\"b\\\\c\\/d\\n\\u0001');
    assert.equal(c('json', 'ascii')('\xe9'), '\\u00e9');
    assert.equal(c('json', 'utf8')('\xc3\xa9'), '\\u00e9');
    assert.equal(c('json', 'utf8')('\xc3'), undefined);
    assert.equal(c('json', 'utf8s')('a\xc3b'), 'ab');
  });
  it('json_query walks $.a.b[1] and $[\'k\']; int output only for integers', () => {
    const doc = '{"a":{"b":[1,"x"],"t":true,"f":1.5},"k":7}';
    assert.equal(c('json_query', '$.a.b[1]')(doc), 'x');
    assert.equal(c('json_query', "$['k']", 'int')(doc), 7);
    assert.equal(c('json_query', '$.a.t')(doc), true);
    assert.equal(c('json_query', '$.a.f', 'int')(doc), undefined);
    assert.equal(c('json_query', '$.nope')(doc), undefined);
    assert.equal(c('json_query', '$.a')('not json'), undefined);
  });
  it('bytes, ltrim, rtrim, concat, host_only, port_only, htonl', () => {
    assert.equal(c('bytes', '2', '3')('abcdefg'), 'cde');
    assert.equal(c('bytes', '9')('abc'), '');
    assert.equal(c('ltrim', ' x')('x  ab '), 'ab ');
    assert.equal(c('rtrim', ' ')('ab  '), 'ab');
    assert.equal(compileConverter({ name: 'concat', args: ['<', 'txn.v', '>'] })('a', view({ 'txn.v': 'B' })), '<aB>');
    assert.equal(c('host_only')('example.com:8080'), 'example.com');
    assert.equal(c('host_only')('[::1]:80'), '[::1]');
    assert.equal(c('port_only')('example.com:8080'), 8080);
    assert.equal(c('port_only')('example.com'), 0);
    assert.equal(c('htonl')(1), '\x00\x00\x00\x01');
  });
});

describe('dates', () => {
  it('ltime and utime format a UNIX time with strftime, with an offset; http_date gives IMF-fixdate', () => {
    assert.equal(c('utime', '%Y-%m-%d %H:%M:%S')(1500000000), '2017-07-14 02:40:00');
    assert.equal(c('ltime', '%d/%b/%Y:%H:%M:%S %z')(0), '01/Jan/1970:00:00:00 +0000');
    assert.equal(c('utime', '%a %j %T', '3600')(0), 'Thu 001 01:00:00');
    assert.equal(c('http_date')(1500000000), 'Fri, 14 Jul 2017 02:40:00 GMT');
    assert.equal(c('http_date', '0', 'ms')(1500000000123), 'Fri, 14 Jul 2017 02:40:00 GMT');
    assert.equal(c('http_date', '86400')(0), 'Fri, 02 Jan 1970 00:00:00 GMT');
  });
});

describe('hashes', () => {
  it('crc32, djb2, sdbm, wt6 hash the bytes; a non-zero avalanche argument applies full_hash', () => {
    assert.equal(c('crc32')('123456789'), 0xcbf43926);
    assert.equal(c('crc32c')('123456789'), 0xe3069283);
    assert.equal(c('djb2')('a'), 177670);
    assert.equal(c('sdbm')('a'), 97);
    assert.notEqual(c('crc32', '1')('123456789'), 0xcbf43926);
    assert.equal(c('crc32', '0')('123456789'), 0xcbf43926);
    assert.equal(c('xxh32')('abc'), 0x32d153ff);
    // xxh64 is a signed 64-bit integer in HAProxy: 0xfbcea83c8a378bf1 as signed decimal.
    assert.equal(c('xxh64')('Nobody inspects the spammish repetition'), (0xfbcea83c8a378bf1n - (1n << 64n)).toString());
  });
  it('digest, sha1, sha2 and hmac give raw bytes (hex them to read)', () => {
    const hex = (v: unknown) => Buffer.from(String(v), 'latin1').toString('hex');
    assert.equal(hex(c('sha1')('abc')), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(hex(c('sha2')('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(hex(c('digest', 'md5')('abc')), '900150983cd24fb0d6963f7d28e17f72');
    // RFC 4231 test case 2: key "Jefe".
    assert.equal(hex(c('hmac', 'sha256', Buffer.from('Jefe').toString('base64'))('what do ya want for nothing?')), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
});

describe('arithmetic and variables', () => {
  it('add/sub/mul/div/mod/and/or/xor with integers or variables; div by 0 is INT64_MAX, mod by 0 is 0', () => {
    assert.equal(c('add', '3')(4), 7);
    assert.equal(c('sub', '3')('10'), 7);
    assert.equal(c('mul', '-2')(4), -8);
    assert.equal(c('div', '2')(-7), -3);
    assert.equal(c('div', '0')(7), 9223372036854775807);
    assert.equal(c('mod', '0')(7), 0);
    assert.equal(c('and', '6')(3), 2);
    assert.equal(c('or', '6')(3), 7);
    assert.equal(c('xor', '6')(3), 5);
    assert.equal(c('add', 'txn.x')(1, view({ 'txn.x': 41 })), 42);
    assert.equal(c('add', 'txn.missing')(1, view()), undefined);
    assert.equal(c('neg')(5), -5);
    assert.equal(c('cpl')(0), -1);
    assert.equal(c('odd')(3), true);
    assert.equal(c('even')(3), false);
  });
  it('set-var stores and passes the sample on; strcmp and secure_memcmp compare with a variable; iif chooses', () => {
    const v = view({ 'txn.ref': 'abc' });
    assert.equal(c('set-var', 'txn.copy')('hello', v), 'hello');
    assert.equal(v.txn!.vars.get('txn.copy'), 'hello');
    assert.equal(c('unset-var', 'txn.copy')('x', v), 'x');
    assert.equal(v.txn!.vars.has('txn.copy'), false);
    assert.equal(c('strcmp', 'txn.ref')('abc', v), 0);
    assert.ok((c('strcmp', 'txn.ref')('abd', v) as number) > 0);
    assert.equal(c('secure_memcmp', 'txn.ref')('abc', v), true);
    assert.equal(c('secure_memcmp', 'txn.ref')('abcd', v), false);
    assert.equal(c('iif', 'yes', 'no')(true), 'yes');
    assert.equal(c('iif', 'yes', 'no')(0), 'no');
  });
  it('language picks the preferred supported language by q-value, else the default', () => {
    assert.equal(c('language', 'es;fr;en')('da, en-gb;q=0.8, fr;q=0.9'), 'fr');
    assert.equal(c('language', 'es;fr', 'en')('de'), 'en');
    assert.equal(c('language', 'es;fr')('de'), undefined);
  });
  it('table_* read the entry keyed by the sample (absent: 0), in_table says whether it exists, nbsrv counts a backend', () => {
    const reads: string[] = [];
    const v = view({}, {
      readKey: (t, k, type) => (reads.push(`${t}:${k}:${type}`), k === '10.0.0.9' ? 5 : 0),
      hasKey: (_t, k) => k === '10.0.0.9',
    });
    assert.equal(c('table_http_req_rate', 'st')('10.0.0.9', v), 5);
    assert.equal(c('table_http_req_rate', 'st')('10.0.0.8', v), 0);
    assert.equal(c('table_kbytes_in', 'st')('10.0.0.9', v), 0);
    assert.deepEqual(reads[0], 'st:10.0.0.9:http_req_rate');
    assert.equal(reads[2], 'st:10.0.0.9:bytes_in_cnt');
    assert.equal(c('in_table', 'st')('10.0.0.9', v), true);
    assert.equal(c('in_table', 'st')('10.0.0.8', v), false);
    assert.equal(c('nbsrv')('app', v), 2);
  });
});
