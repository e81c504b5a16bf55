import type { ForwardForOption } from '@tandem/config';
import type { RequestHead, ResponseHead } from './wire/http-head.types.js';

/**
 * Builds the heads Tandem sends: hop-by-hop fields removed (RFC 9110 section 7.6.1: Connection and every field it
 * names, Keep-Alive, Proxy-Connection, TE, Upgrade unless upgrading), Connection set by the proxy, X-Forwarded-For.
 * One string, one Buffer per head.
 */
function isHopByHop(name: string, tokens: readonly string[], keepUpgrade: boolean): boolean {
  switch (name) {
    case 'connection':
    case 'keep-alive':
    case 'proxy-connection':
    case 'te':
    case 'trailer':
    case 'proxy-authenticate':
      return true;
    case 'upgrade':
      return !keepUpgrade;
    default:
      return tokens.length > 0 && tokens.includes(name) && !(keepUpgrade && name === 'upgrade');
  }
}

export function buildRequestHead(req: RequestHead, closeServer: boolean, xff: ForwardForOption | undefined, ip: string): Buffer {
  let s = req.method + ' ' + req.uri + (req.minor === 1 ? ' HTTP/1.1\r\n' : ' HTTP/1.0\r\n');
  const { names, rawNames, values } = req.headers;
  const xffName = xff?.header.toLowerCase();
  let hasXff = false;
  const tokens = req.connectionTokens;
  for (let k = 0; k < names.length; k++) {
    const n = names[k]!;
    if (n.length <= 17 && isHopByHop(n, tokens, req.upgrade)) {
      // `te: trailers` is the one TE value a proxy may forward (RFC 9110 section 10.1.4).
      if (n === 'te' && values[k]!.toLowerCase() === 'trailers' && !tokens.includes('te')) s += rawNames[k] + ': trailers\r\n';
      continue;
    }
    if (tokens.length > 0 && tokens.includes(n) && !(req.upgrade && n === 'upgrade')) continue;
    if (n === xffName) hasXff = true;
    s += rawNames[k] + ': ' + values[k] + '\r\n';
  }
  if (req.upgrade) s += 'Connection: upgrade\r\n';
  else if (closeServer) s += 'Connection: close\r\n';
  if (xff && !(xff.ifNone && hasXff)) s += xff.header + ': ' + ip + '\r\n';
  s += '\r\n';
  return Buffer.from(s, 'latin1');
}

/** HAProxy answers in HTTP/1.1 whatever the server spoke. */
export function buildResponseHead(resp: ResponseHead, req: RequestHead, keepClient: boolean, upgrade: boolean): Buffer {
  return Buffer.from(buildResponseHeadText(resp, req, keepClient, upgrade), 'latin1');
}

/** The response head as latin1 text (one byte per character), for a caller writing it with the first body bytes. */
export function buildResponseHeadText(resp: ResponseHead, req: RequestHead, keepClient: boolean, upgrade: boolean): string {
  let s = 'HTTP/1.1 ' + resp.status + ' ' + resp.reason + '\r\n';
  const { names, rawNames, values } = resp.headers;
  const tokens = resp.connectionTokens;
  for (let k = 0; k < names.length; k++) {
    const n = names[k]!;
    if (n.length <= 17 && isHopByHop(n, tokens, upgrade)) continue;
    if (tokens.length > 0 && tokens.includes(n)) continue;
    s += rawNames[k] + ': ' + values[k] + '\r\n';
  }
  if (upgrade) s += 'Connection: upgrade\r\n';
  else if (resp.status >= 200) {
    if (!keepClient) s += 'connection: close\r\n';
    else if (req.minor === 0) s += 'connection: keep-alive\r\n';
  }
  s += '\r\n';
  return s;
}
