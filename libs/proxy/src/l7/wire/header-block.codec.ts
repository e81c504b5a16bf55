import type { BodyFraming, HttpHeaders } from './http-head.types.js';

/**
 * The header-block scanner shared by the request and response head codecs (RFC 9112 sections 2.2, 5).
 * Pure: bytes in, values or a reason out. Never throws on network input.
 */

const CR = 13;
const LF = 10;
const SP = 32;
const HTAB = 9;
const COLON = 58;

/** RFC 9110 section 5.6.2: tchar. */
export const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 48; c <= 57; c++) TCHAR[c] = 1;
for (let c = 65; c <= 90; c++) TCHAR[c] = 1;
for (let c = 97; c <= 122; c++) TCHAR[c] = 1;

/** RFC 9110 section 5.5: field-vchar / SP / HTAB (obs-text allowed). NUL, CR, LF and other CTLs are not. */
const FIELD_CHAR = new Uint8Array(256);
FIELD_CHAR[HTAB] = 1;
for (let c = 32; c <= 126; c++) FIELD_CHAR[c] = 1;
for (let c = 128; c <= 255; c++) FIELD_CHAR[c] = 1;

export type LineResult = { end: number; next: number } | 'incomplete' | 'bare-cr' | 'bare-lf';

/**
 * Finds the end of the line starting at `pos`. RFC 9112 section 2.2 allows a recipient to accept a bare LF; Tandem
 * does not (request smuggling), and a bare CR MUST be rejected or replaced: we reject.
 */
export function findLine(buf: Buffer, pos: number, end: number): LineResult {
  // One pass in JS: head lines are short, and two native indexOf calls per line cost more than the scan.
  let cr = -1;
  for (let i = pos; i < end; i++) {
    const c = buf[i]!;
    if (c === LF) {
      if (i === pos || buf[i - 1] !== CR) return 'bare-lf';
      if (cr < i - 1) return 'bare-cr';
      return { end: i - 1, next: i + 1 };
    }
    if (c === CR && cr < 0) cr = i;
  }
  if (cr >= 0 && cr < end - 1) return 'bare-cr';
  return 'incomplete';
}

/** `buf.toString('latin1', start, end)` without toString's encoding dispatch (called for every head field). */
export function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as { latin1Slice(start: number, end: number): string }).latin1Slice(start, end);
}

/** The 7 bytes `HTTP/1.` at `at` (a head's version), compared without making a string. */
export function isHttp1Prefix(buf: Buffer, at: number): boolean {
  return buf[at] === 72 && buf[at + 1] === 84 && buf[at + 2] === 84 && buf[at + 3] === 80 && buf[at + 4] === 47 && buf[at + 5] === 49 && buf[at + 6] === 46;
}

export type HeaderBlockResult =
  | { kind: 'ok'; headers: HttpHeaders; next: number }
  | { kind: 'incomplete' }
  | { kind: 'malformed'; reason: string };

/** Field offsets of the block being parsed (name start, colon, value start, value end), reused across calls. */
let spans = new Int32Array(4 * 64);

/**
 * Parses header lines from `pos` up to and including the empty line. The bytes are checked line by line; the
 * strings are cut from one latin1 decoding of the whole block at the end (one native call per head, not two per
 * field).
 */
export function parseHeaderBlock(buf: Buffer, pos: number, end: number): HeaderBlockResult {
  const start = pos;
  let count = 0;
  let upperMask = 0;
  let upperMore = false;
  for (;;) {
    const line = findLine(buf, pos, end);
    if (line === 'incomplete') return { kind: 'incomplete' };
    if (line === 'bare-cr') return { kind: 'malformed', reason: 'bare CR' };
    if (line === 'bare-lf') return { kind: 'malformed', reason: 'bare LF' };
    if (line.end === pos) return { kind: 'ok', headers: cutFields(buf, start, pos, count, upperMask, upperMore), next: line.next };
    // RFC 9112 section 5.2: obs-fold; a server MUST reject (we do, for requests and responses).
    if (buf[pos] === SP || buf[pos] === HTAB) return { kind: 'malformed', reason: 'obsolete line folding' };
    let i = pos;
    let upper = false;
    for (; i < line.end; i++) {
      const c = buf[i]!;
      if (TCHAR[c] !== 1) break;
      if (c >= 65 && c <= 90) upper = true;
    }
    // RFC 9112 section 5.1: no whitespace between the field name and the colon; a server MUST reject.
    if (i === pos || i >= line.end || buf[i] !== COLON) return { kind: 'malformed', reason: 'invalid header name' };
    const colon = i;
    i++;
    while (i < line.end && (buf[i] === SP || buf[i] === HTAB)) i++;
    let vEnd = line.end;
    while (vEnd > i && (buf[vEnd - 1] === SP || buf[vEnd - 1] === HTAB)) vEnd--;
    for (let j = i; j < vEnd; j++) {
      if (FIELD_CHAR[buf[j]!] !== 1) return { kind: 'malformed', reason: 'invalid header value character' };
    }
    if (4 * count + 4 > spans.length) {
      const grown = new Int32Array(spans.length * 2);
      grown.set(spans);
      spans = grown;
    }
    const o = 4 * count;
    spans[o] = pos - start;
    spans[o + 1] = colon - start;
    spans[o + 2] = i - start;
    spans[o + 3] = vEnd - start;
    if (upper) {
      if (count < 30) upperMask |= 1 << count;
      else upperMore = true;
    }
    count++;
    pos = line.next;
  }
}

function cutFields(buf: Buffer, start: number, end: number, count: number, upperMask: number, upperMore: boolean): HttpHeaders {
  const names: string[] = [];
  const rawNames: string[] = [];
  const values: string[] = [];
  if (count === 0) return { names, rawNames, values };
  const text = latin1(buf, start, end);
  for (let k = 0; k < count; k++) {
    const o = 4 * k;
    const rawName = text.substring(spans[o]!, spans[o + 1]!);
    rawNames.push(rawName);
    // A name already in lower case is its own lower-cased form (no new string).
    names.push((k < 30 ? (upperMask & (1 << k)) !== 0 : upperMore) ? rawName.toLowerCase() : rawName);
    values.push(text.substring(spans[o + 2]!, spans[o + 3]!));
  }
  return { names, rawNames, values };
}

/** Comma-separated list elements, trimmed and lower-cased, empty ones dropped (RFC 9110 section 5.6.1). */
export function listTokens(value: string): string[] {
  if (value.indexOf(',') < 0) {
    // One element (the usual `keep-alive` / `close`): no split.
    const t = value.trim().toLowerCase();
    return t ? [t] : [];
  }
  const out: string[] = [];
  for (const part of value.split(',')) {
    const t = part.trim().toLowerCase();
    if (t) out.push(t);
  }
  return out;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** 1 to 16 ASCII digits and nothing else (`/^[0-9]{1,16}$/` without the regex). */
function isDecimal16(v: string): boolean {
  const n = v.length;
  if (n === 0 || n > 16) return false;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export type FramingResult = { kind: 'ok'; framing: BodyFraming; connectionTokens: string[]; transferCodings: string[] } | { kind: 'malformed'; reason: string };

/**
 * Reads Content-Length, Transfer-Encoding and Connection. Smuggling shapes are verdicts:
 * CL with TE, conflicting CLs, invalid CL digits, TE whose final coding is not chunked (requests), chunked twice.
 */
export function readFraming(headers: HttpHeaders, isRequest: boolean): FramingResult {
  let contentLength = -1;
  let te: string[] | undefined;
  const connectionTokens: string[] = [];
  const { names, values } = headers;
  for (let k = 0; k < names.length; k++) {
    const n = names[k]!;
    if (n === 'content-length') {
      // RFC 9110 section 8.6: a list of identical values may be accepted as one (HAProxy merges them).
      const raw = values[k]!;
      if (isDecimal16(raw)) {
        // The usual single value: what the loop below would conclude, without split/trim/regex.
        const len = Number(raw);
        if (len > MAX_SAFE) return { kind: 'malformed', reason: 'content-length overflow' };
        if (contentLength >= 0 && contentLength !== len) return { kind: 'malformed', reason: 'conflicting content-length' };
        contentLength = len;
        continue;
      }
      for (const part of raw.split(',')) {
        const v = part.trim();
        if (!/^[0-9]{1,16}$/.test(v)) return { kind: 'malformed', reason: 'invalid content-length' };
        const len = Number(v);
        if (len > MAX_SAFE) return { kind: 'malformed', reason: 'content-length overflow' };
        if (contentLength >= 0 && contentLength !== len) return { kind: 'malformed', reason: 'conflicting content-length' };
        contentLength = len;
      }
    } else if (n === 'transfer-encoding') {
      te ??= [];
      for (const t of listTokens(values[k]!)) te.push(t);
    } else if (n === 'connection') {
      for (const t of listTokens(values[k]!)) connectionTokens.push(t);
    }
  }
  if (te !== undefined) {
    // RFC 9112 section 6.1: a sender MUST NOT send Content-Length with Transfer-Encoding; treat as smuggling.
    if (contentLength >= 0) return { kind: 'malformed', reason: 'content-length with transfer-encoding' };
    if (te.length === 0) return { kind: 'malformed', reason: 'empty transfer-encoding' };
    const chunkedCount = te.filter((t) => t === 'chunked').length;
    const finalChunked = te[te.length - 1] === 'chunked';
    if (chunkedCount > 1 || (chunkedCount === 1 && !finalChunked)) return { kind: 'malformed', reason: 'chunked is not the final coding once' };
    for (const t of te) if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(t)) return { kind: 'malformed', reason: 'invalid transfer coding' };
    if (!finalChunked) {
      // RFC 9112 section 6.3: for a request, a final coding other than chunked MUST be answered with 400.
      if (isRequest) return { kind: 'malformed', reason: 'transfer-encoding without final chunked' };
      return { kind: 'ok', framing: { kind: 'close' }, connectionTokens, transferCodings: te };
    }
    return { kind: 'ok', framing: { kind: 'chunked' }, connectionTokens, transferCodings: te };
  }
  if (contentLength >= 0) return { kind: 'ok', framing: contentLength === 0 ? { kind: 'none' } : { kind: 'length', length: contentLength }, connectionTokens, transferCodings: [] };
  return { kind: 'ok', framing: isRequest ? { kind: 'none' } : { kind: 'close' }, connectionTokens, transferCodings: [] };
}

/** Serialises headers in HTTP/1.1 form. */
export function encodeHeaderLines(rawNames: readonly string[], values: readonly string[]): string {
  let s = '';
  for (let k = 0; k < rawNames.length; k++) s += rawNames[k] + ': ' + values[k] + '\r\n';
  return s;
}
