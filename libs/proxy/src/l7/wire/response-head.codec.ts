import { encodeHeaderLines, findLine, isHttp1Prefix, latin1, parseHeaderBlock, readFraming } from './header-block.codec.js';
import type { HeadVerdict, ResponseHead } from './http-head.types.js';

/**
 * The HTTP/1.x response head codec (RFC 9112 section 4). `requestMethod` decides whether a body follows
 * (RFC 9112 section 6.3: HEAD, 1xx, 204 and 304 responses have none). A bad response is a verdict; the proxy answers 502.
 */
export function decodeResponseHead(buf: Buffer, offset = 0, maxBytes = 15360, requestMethod = 'GET'): HeadVerdict<ResponseHead> {
  const limit = Math.min(buf.length, offset + maxBytes);
  const line = findLine(buf, offset, limit);
  if (line === 'incomplete') return buf.length - offset >= maxBytes ? { kind: 'malformed', reason: 'response head too large' } : { kind: 'incomplete' };
  if (line === 'bare-cr' || line === 'bare-lf') return { kind: 'malformed', reason: line === 'bare-cr' ? 'bare CR' : 'bare LF' };
  // status-line = HTTP-version SP status-code SP [ reason-phrase ]
  if (line.end - offset < 12 || !isHttp1Prefix(buf, offset) || buf[offset + 8] !== 32) return { kind: 'malformed', reason: 'invalid status line' };
  const minorChar = buf[offset + 7];
  if (minorChar !== 48 && minorChar !== 49) return { kind: 'malformed', reason: 'unsupported version' };
  let status = 0;
  for (let k = offset + 9; k < offset + 12; k++) {
    const d = buf[k]! - 48;
    if (d < 0 || d > 9) return { kind: 'malformed', reason: 'invalid status code' };
    status = status * 10 + d;
  }
  if (status < 100) return { kind: 'malformed', reason: 'invalid status code' };
  let reason = '';
  if (line.end > offset + 12) {
    if (buf[offset + 12] !== 32) return { kind: 'malformed', reason: 'invalid status line' };
    for (let k = offset + 13; k < line.end; k++) {
      const c = buf[k]!;
      if (c !== 9 && (c < 32 || c === 127)) return { kind: 'malformed', reason: 'invalid reason phrase' };
    }
    reason = latin1(buf, offset + 13, line.end);
  }
  const block = parseHeaderBlock(buf, line.next, limit);
  if (block.kind === 'incomplete') return buf.length - offset >= maxBytes ? { kind: 'malformed', reason: 'response head too large' } : { kind: 'incomplete' };
  if (block.kind === 'malformed') return block;
  const framing = readFraming(block.headers, false);
  if (framing.kind === 'malformed') return framing;
  const minor = minorChar === 49 ? 1 : 0;
  const tokens = framing.connectionTokens;
  const bodyless = requestMethod === 'HEAD' || status < 200 || status === 204 || status === 304;
  const f = bodyless ? ({ kind: 'none' } as const) : framing.framing;
  const keepAlive = f.kind !== 'close' && (minor === 1 ? !tokens.includes('close') : tokens.includes('keep-alive') && !tokens.includes('close'));
  return { kind: 'ok', bytes: block.next - offset, value: { status, reason, minor, headers: block.headers, framing: f, connectionTokens: tokens, keepAlive } };
}

export function encodeResponseHead(head: Pick<ResponseHead, 'status' | 'reason' | 'minor' | 'headers'>): Buffer {
  return Buffer.from(`HTTP/1.${head.minor} ${head.status} ${head.reason}\r\n${encodeHeaderLines(head.headers.rawNames, head.headers.values)}\r\n`, 'latin1');
}
