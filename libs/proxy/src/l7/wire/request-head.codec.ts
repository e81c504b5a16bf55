import { TCHAR, encodeHeaderLines, findLine, isHttp1Prefix, latin1, parseHeaderBlock, readFraming } from './header-block.codec.js';
import type { HeadVerdict, RequestHead } from './http-head.types.js';

/**
 * The HTTP/1.x request head codec (RFC 9112 section 3). `decode` is given the bytes received so far and answers
 * ok / incomplete / malformed; `maxBytes` bounds the head (tune.bufsize - tune.maxrewrite): a head that does not
 * complete within it is malformed (HAProxy answers 400).
 */
const SP = 32;

export function decodeRequestHead(buf: Buffer, offset = 0, maxBytes = 15360): HeadVerdict<RequestHead> {
  const limit = Math.min(buf.length, offset + maxBytes);
  const line = findLine(buf, offset, limit);
  if (line === 'incomplete') return buf.length - offset >= maxBytes ? { kind: 'malformed', reason: 'request head too large' } : { kind: 'incomplete' };
  if (line === 'bare-cr' || line === 'bare-lf') return { kind: 'malformed', reason: line === 'bare-cr' ? 'bare CR' : 'bare LF' };
  // Request line: method SP request-target SP HTTP-version (RFC 9112 section 3).
  let i = offset;
  while (i < line.end && TCHAR[buf[i]!] === 1) i++;
  if (i === offset || buf[i] !== SP) return { kind: 'malformed', reason: 'invalid method' };
  const method = latin1(buf, offset, i);
  const uriStart = ++i;
  // request-target: visible US-ASCII only (RFC 3986 characters; no SP, no CTL, no 8-bit).
  while (i < line.end && buf[i]! > 32 && buf[i]! < 127) i++;
  if (i === uriStart || buf[i] !== SP) return { kind: 'malformed', reason: 'invalid request target' };
  const uri = latin1(buf, uriStart, i);
  i++;
  if (line.end - i !== 8 || !isHttp1Prefix(buf, i)) return { kind: 'malformed', reason: 'invalid version' };
  const minorChar = buf[i + 7];
  if (minorChar !== 48 && minorChar !== 49) return { kind: 'malformed', reason: 'unsupported version' };
  const minor = minorChar === 49 ? 1 : 0;
  const block = parseHeaderBlock(buf, line.next, limit);
  if (block.kind === 'incomplete') return buf.length - offset >= maxBytes ? { kind: 'malformed', reason: 'request head too large' } : { kind: 'incomplete' };
  if (block.kind === 'malformed') return block;
  const framing = readFraming(block.headers, true);
  if (framing.kind === 'malformed') return framing;
  // RFC 9112 section 6.1: Transfer-Encoding in an HTTP/1.0 request is a framing fault; treat as smuggling.
  if (minor === 0 && framing.framing.kind === 'chunked') return { kind: 'malformed', reason: 'transfer-encoding in HTTP/1.0' };
  // RFC 9112 section 3.2: a server MUST respond 400 to a request with more than one Host field.
  let hosts = 0;
  let hasUpgrade = false;
  for (const n of block.headers.names) {
    if (n === 'host') hosts++;
    else if (n === 'upgrade') hasUpgrade = true;
  }
  if (hosts > 1) return { kind: 'malformed', reason: 'several host headers' };
  const tokens = framing.connectionTokens;
  const keepAlive = minor === 1 ? !tokens.includes('close') : tokens.includes('keep-alive') && !tokens.includes('close');
  return {
    kind: 'ok',
    bytes: block.next - offset,
    value: { method, uri, minor, headers: block.headers, framing: framing.framing, connectionTokens: tokens, keepAlive, upgrade: hasUpgrade && tokens.includes('upgrade') },
  };
}

export function encodeRequestHead(head: Pick<RequestHead, 'method' | 'uri' | 'minor' | 'headers'>): Buffer {
  return Buffer.from(`${head.method} ${head.uri} HTTP/1.${head.minor}\r\n${encodeHeaderLines(head.headers.rawNames, head.headers.values)}\r\n`, 'latin1');
}

export function encodingLengthRequestHead(head: Pick<RequestHead, 'method' | 'uri' | 'minor' | 'headers'>): number {
  return encodeRequestHead(head).length;
}
