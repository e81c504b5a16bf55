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
  const lf = buf.indexOf(LF, pos);
  if (lf < 0 || lf >= end) {
    const cr = buf.indexOf(CR, pos);
    if (cr >= 0 && cr < end - 1) return 'bare-cr';
    return 'incomplete';
  }
  if (lf === pos || buf[lf - 1] !== CR) return 'bare-lf';
  const cr = buf.indexOf(CR, pos);
  if (cr < lf - 1) return 'bare-cr';
  return { end: lf - 1, next: lf + 1 };
}

export type HeaderBlockResult =
  | { kind: 'ok'; headers: HttpHeaders; next: number }
  | { kind: 'incomplete' }
  | { kind: 'malformed'; reason: string };

/** Parses header lines from `pos` up to and including the empty line. */
export function parseHeaderBlock(buf: Buffer, pos: number, end: number): HeaderBlockResult {
  const names: string[] = [];
  const rawNames: string[] = [];
  const values: string[] = [];
  for (;;) {
    const line = findLine(buf, pos, end);
    if (line === 'incomplete') return { kind: 'incomplete' };
    if (line === 'bare-cr') return { kind: 'malformed', reason: 'bare CR' };
    if (line === 'bare-lf') return { kind: 'malformed', reason: 'bare LF' };
    if (line.end === pos) return { kind: 'ok', headers: { names, rawNames, values }, next: line.next };
    // RFC 9112 section 5.2: obs-fold; a server MUST reject (we do, for requests and responses).
    if (buf[pos] === SP || buf[pos] === HTAB) return { kind: 'malformed', reason: 'obsolete line folding' };
    let i = pos;
    while (i < line.end && TCHAR[buf[i]!] === 1) i++;
    // RFC 9112 section 5.1: no whitespace between the field name and the colon; a server MUST reject.
    if (i === pos || i >= line.end || buf[i] !== COLON) return { kind: 'malformed', reason: 'invalid header name' };
    const rawName = buf.toString('latin1', pos, i);
    i++;
    while (i < line.end && (buf[i] === SP || buf[i] === HTAB)) i++;
    let vEnd = line.end;
    while (vEnd > i && (buf[vEnd - 1] === SP || buf[vEnd - 1] === HTAB)) vEnd--;
    for (let j = i; j < vEnd; j++) {
      if (FIELD_CHAR[buf[j]!] !== 1) return { kind: 'malformed', reason: 'invalid header value character' };
    }
    rawNames.push(rawName);
    names.push(rawName.toLowerCase());
    values.push(buf.toString('latin1', i, vEnd));
    pos = line.next;
  }
}

/** Comma-separated list elements, trimmed and lower-cased, empty ones dropped (RFC 9110 section 5.6.1). */
export function listTokens(value: string): string[] {
  const out: string[] = [];
  for (const part of value.split(',')) {
    const t = part.trim().toLowerCase();
    if (t) out.push(t);
  }
  return out;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

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
      for (const part of values[k]!.split(',')) {
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
