import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addressBytes, dynamicCookie, DynamicCookieMemo } from './dynamic-cookie.js';
import { xxh64 } from '@tandem/core';

describe('dynamic cookies (HAProxy srv_set_dyncookie)', () => {
  it('equals the value haproxy 2.6.12 set for key "my secret", server 127.0.0.1:18101', () => {
    // Captured from a real `cookie SRV insert dynamic` + `dynamic-cookie-key "my secret"` answer.
    assert.equal(dynamicCookie('my secret', '127.0.0.1', 18101), 'e93ed6e23834bd55');
  });

  it('hashes key bytes + address in network order + port as 4 big-endian bytes, printed as 16 hex digits', () => {
    const input = Uint8Array.from([...Buffer.from('k'), 10, 0, 0, 1, 0, 0, 0x1f, 0x90]);
    assert.equal(dynamicCookie('k', '10.0.0.1', 8080), xxh64(input).toString(16).padStart(16, '0'));
    const v6 = Uint8Array.from([...Buffer.from('k'), ...new Array(15).fill(0), 1, 0, 0, 0, 80]);
    assert.equal(dynamicCookie('k', '::1', 80), xxh64(v6).toString(16).padStart(16, '0'));
    assert.match(dynamicCookie('k', '10.0.0.1', 1)!, /^[0-9a-f]{16}$/);
  });

  it('no cookie for a host name or anything else that is not an address (HAProxy needs IPv4/IPv6)', () => {
    for (const host of ['app.example', '256.0.0.1', '1.2.3', '1:2:3', '1::2::3', '1:2:3:4:5:6:7:8:9', '::g', '::1.2.3.999']) {
      assert.equal(dynamicCookie('k', host, 80), undefined, host);
    }
  });

  it('IPv6 forms: compressed, full, bracketed, embedded IPv4, zone', () => {
    const full = Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a]);
    assert.deepEqual(addressBytes('2001:db8::a'), full);
    assert.deepEqual(addressBytes('2001:0db8:0:0:0:0:0:000a'), full);
    assert.deepEqual(addressBytes('[2001:db8::a]'), full);
    assert.deepEqual(addressBytes('::ffff:192.0.2.1'), Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]));
    assert.deepEqual(addressBytes('fe80::1%eth0'), Uint8Array.from([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]));
    assert.deepEqual(addressBytes('::'), new Uint8Array(16));
  });

  it('the memo recomputes when the address, port or key changes (set server addr)', () => {
    const m = new DynamicCookieMemo();
    const a = m.get('k', '127.0.0.1', 80);
    assert.equal(m.get('k', '127.0.0.1', 80), a);
    assert.notEqual(m.get('k', '127.0.0.2', 80), a);
    assert.notEqual(m.get('k', '127.0.0.1', 81), a);
    assert.notEqual(m.get('k2', '127.0.0.1', 80), a);
    assert.equal(m.get('k', '127.0.0.1', 80), a);
  });
});
