/**
 * Reads the first bytes a TLS client sends (its ClientHello) as HAProxy's Layer 6 fetches do (configuration.txt
 * 7.3.5: `req.ssl_hello_type`, `req.ssl_ver`, `req.ssl_sni`). Only the first TLS record is read, as in HAProxy: a
 * hello split over several records gives no SNI. Never throws: every outcome is a value.
 *
 * - `short`: the bytes so far are a valid prefix but too few (more data may give an answer: HAProxy's MAY_CHANGE);
 * - `none`: the bytes are not a TLS handshake, are malformed, or hold no such field (final: more data changes nothing).
 */
export type HelloResult<T> = { readonly kind: 'short' } | { readonly kind: 'none' } | { readonly kind: 'value'; readonly value: T };

const SHORT = { kind: 'short' } as const;
const NONE = { kind: 'none' } as const;

/** Record type 22 (handshake), TLS record header length. */
const HANDSHAKE = 0x16;
const RECORD_HEADER = 5;

/** The TLS record header: `short`, `none`, or the end of the record (header included). */
function recordEnd(buf: Uint8Array): HelloResult<number> {
  if (buf.length < 1) return SHORT;
  if (buf[0] !== HANDSHAKE) return NONE;
  if (buf.length < 2) return SHORT;
  if (buf[1]! !== 3) return NONE; // SSLv3 / TLS 1.x record versions are 3.x
  if (buf.length < RECORD_HEADER) return SHORT;
  const len = (buf[3]! << 8) | buf[4]!;
  // A handshake message header (4) plus a hello's fixed part (version 2 + random 32) at least.
  if (len < 4 + 2 + 32) return NONE;
  return { kind: 'value', value: RECORD_HEADER + len };
}

/**
 * `req.ssl_hello_type`: the handshake message type of the first record (1 = ClientHello, 2 = ServerHello), known
 * only once the whole handshake message is buffered (HAProxy: "not a full fragment" is too short). So the usual
 * `tcp-request content accept if { req.ssl_hello_type 1 }` waits for the complete ClientHello, SNI included.
 */
export function helloType(buf: Uint8Array): HelloResult<number> {
  if (buf.length < 1) return SHORT;
  const t = buf[0]!;
  if (!((t >= 0x14 && t <= 0x17) || t === 0xff)) return NONE;
  if (buf.length < 9) return SHORT;
  if (buf[1]! < 3) return NONE;
  if (((buf[3]! << 8) | buf[4]!) < 4) return NONE;
  const hsLen = (buf[6]! << 16) | (buf[7]! << 8) | buf[8]!;
  if (buf.length < hsLen + 9) return SHORT;
  return { kind: 'value', value: buf[RECORD_HEADER]! };
}

/**
 * `req.ssl_ver`: the SSL/TLS version as major * 65536 + minor (TLS 1.2 is 3.3 = 196611). The higher of the record's
 * version and the ClientHello's legacy_version, so a TLS 1.2 hello in a 3.1 record reads 3.3.
 */
export function helloVersion(buf: Uint8Array): HelloResult<number> {
  const end = recordEnd(buf);
  if (end.kind !== 'value') return end;
  const record = (buf[1]! << 16) | buf[2]!;
  // Handshake header (4) then client_version (2).
  if (buf.length < RECORD_HEADER + 6) return SHORT;
  if (buf[RECORD_HEADER] !== 1) return { kind: 'value', value: record };
  const hello = (buf[RECORD_HEADER + 4]! << 16) | buf[RECORD_HEADER + 5]!;
  return { kind: 'value', value: buf[RECORD_HEADER + 4] === 3 && hello > record ? hello : record };
}

class Stop {
  constructor(readonly result: typeof SHORT | typeof NONE) {}
}

/** Bounded reader: past the record's declared end is malformed (`none`), past the received bytes is `short`. */
class Cursor {
  constructor(
    private readonly buf: Uint8Array,
    public pos: number,
    private readonly limit: number,
  ) {}

  need(n: number, limit = this.limit): void {
    if (this.pos + n > limit) throw new Stop(NONE);
    if (this.pos + n > this.buf.length) throw new Stop(SHORT);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u24(): number {
    this.need(3);
    const v = (this.buf[this.pos]! << 16) | (this.buf[this.pos + 1]! << 8) | this.buf[this.pos + 2]!;
    this.pos += 3;
    return v;
  }

  skip(n: number, limit = this.limit): void {
    this.need(n, limit);
    this.pos += n;
  }
}

/** `req.ssl_sni`: the host_name of the ClientHello's server_name extension (RFC 6066 section 3). */
export function helloSni(buf: Uint8Array): HelloResult<string> {
  const end = recordEnd(buf);
  if (end.kind !== 'value') return end;
  try {
    const c = new Cursor(buf, RECORD_HEADER, end.value);
    if (c.u8() !== 1) return NONE; // not a ClientHello
    const bodyLen = c.u24();
    const helloEnd = Math.min(end.value, c.pos + bodyLen);
    c.skip(2 + 32, helloEnd); // client_version, random
    c.skip(c.u8(), helloEnd); // session_id
    c.skip(c.u16(), helloEnd); // cipher_suites
    c.skip(c.u8(), helloEnd); // compression_methods
    if (c.pos === helloEnd) return NONE; // no extensions at all
    const extEnd = c.pos + 2 + c.u16();
    if (extEnd > helloEnd) return NONE;
    while (c.pos + 4 <= extEnd) {
      const type = c.u16();
      const len = c.u16();
      if (c.pos + len > extEnd) return NONE;
      if (type !== 0) {
        c.skip(len, extEnd);
        continue;
      }
      const sniEnd = c.pos + len;
      const listEnd = c.pos + 2 + c.u16();
      if (listEnd > sniEnd) return NONE;
      while (c.pos + 3 <= listEnd) {
        const nameType = c.u8();
        const nameLen = c.u16();
        c.need(nameLen, listEnd);
        if (nameType === 0 && nameLen > 0) {
          const name = Buffer.from(buf.subarray(c.pos, c.pos + nameLen)).toString('latin1');
          return { kind: 'value', value: name };
        }
        c.pos += nameLen;
      }
      return NONE;
    }
    return NONE;
  } catch (e) {
    if (e instanceof Stop) return e.result;
    return NONE;
  }
}
