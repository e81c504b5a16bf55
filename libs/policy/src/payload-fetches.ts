import type { FetchImpl } from './fetches.js';
import type { PayloadView, Sample } from './request-view.types.js';
import { helloSni, helloType, helloVersion, type HelloResult } from './tls-client-hello.js';

/**
 * Layer 6 fetches (configuration.txt 7.3.5) over the request buffer of a `mode tcp` connection. A fetch that needs
 * bytes not received yet flags `mayChange` unless the buffer is final (HAProxy's SMP_F_MAY_CHANGE / SMP_OPT_FINAL),
 * so the content rule waits for more data or the inspect-delay. Binary samples are latin1 strings (one char a byte).
 * Outside content inspection (no payload view) they give no sample; `wait_end` is then true.
 */

/** Marks "may change" on a buffer that can still grow. */
function short(p: PayloadView): undefined {
  if (!p.final) p.mayChange = true;
  return undefined;
}

function hello<T extends string | number>(p: PayloadView | undefined, read: (b: Uint8Array) => HelloResult<T>): Sample {
  if (!p) return undefined;
  const r = read(p.data);
  if (r.kind === 'short') return short(p);
  return r.kind === 'value' ? r.value : undefined;
}

/** A big-endian unsigned integer of `len` bytes (length fields of `req.payload_lv`; up to 6 bytes stay exact). */
function readLength(data: Buffer, off: number, len: number): number {
  let n = 0;
  for (let i = 0; i < len; i++) n = n * 256 + data[off + i]!;
  return n;
}

export const PAYLOAD_FETCHES: Readonly<Record<string, FetchImpl>> = {
  /** `req.len`: bytes in the buffer; may grow until final. */
  'req.len': (v) => {
    const p = v.payload;
    if (!p) return undefined;
    if (!p.final) p.mayChange = true;
    return p.data.length;
  },
  /** `req.payload(<offset>,<length>)`: `length` 0 reads to the end of the buffer (which may still grow). */
  'req.payload': (v, args) => {
    const p = v.payload;
    if (!p) return undefined;
    const off = Number(args[0]);
    const len = Number(args[1]);
    if (len === 0) {
      if (!p.final) p.mayChange = true;
      return off <= p.data.length ? p.data.subarray(off).toString('latin1') : undefined;
    }
    if (off + len > p.data.length) return short(p);
    return p.data.subarray(off, off + len).toString('latin1');
  },
  /**
   * `req.payload_lv(<offset1>,<length>[,<offset2>])`: a `length`-byte big-endian size at `offset1`, then that many
   * bytes at `offset2` (absolute; `+n`/`-n` relative to the end of the size field; by default right after it).
   */
  'req.payload_lv': (v, args) => {
    const p = v.payload;
    if (!p) return undefined;
    const off1 = Number(args[0]);
    const len = Number(args[1]);
    if (len < 1 || len > 6) return undefined;
    if (off1 + len > p.data.length) return short(p);
    const size = readLength(p.data, off1, len);
    const o2 = args[2];
    const start = o2 === undefined ? off1 + len : /^[+-]/.test(o2) ? off1 + len + Number(o2) : Number(o2);
    if (start < 0) return undefined;
    if (start + size > p.data.length) return short(p);
    return p.data.subarray(start, start + size).toString('latin1');
  },
  'req.ssl_hello_type': (v) => hello(v.payload, helloType),
  'req.ssl_ver': (v) => hello(v.payload, helloVersion),
  'req.ssl_sni': (v) => hello(v.payload, helloSni),
  /** `wait_end` (predefined ACL `WAIT_END`): true only once the buffer is final. */
  wait_end: (v) => {
    const p = v.payload;
    if (!p || p.final) return true;
    p.mayChange = true;
    return false;
  },
};
