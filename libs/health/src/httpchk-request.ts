import type { HttpCheckSend } from '@tandem/config';

/**
 * The request a Layer7 check sends. `option httpchk` has an old one-line form, as in the seed:
 * `option httpchk GET /healthz HTTP/1.1\r\nHost:\ solvethenetwork.com` — the lexer has already turned the escapes
 * into CR LF and spaces, so the last word carries the version followed by header lines.
 */
export interface HttpCheckRequest {
  readonly method: string;
  readonly uri: string;
  readonly version: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: string;
}

/**
 * `http-check send` overrides the request of `option httpchk` field by field; its headers are added to those of
 * the one-line form, and a body gets its Content-Length.
 */
export function withHttpCheckSend(request: HttpCheckRequest, send: HttpCheckSend | undefined): HttpCheckRequest {
  if (!send) return request;
  return {
    method: send.method ?? request.method,
    uri: send.uri ?? request.uri,
    version: send.version ?? request.version,
    headers: [...request.headers, ...send.headers],
    ...(send.body !== undefined ? { body: send.body } : {}),
  };
}

export function parseHttpchkOption(words: readonly string[]): HttpCheckRequest | string {
  if (words.length === 0) return { method: 'OPTIONS', uri: '/', version: 'HTTP/1.0', headers: [] };
  if (words.length === 1) return { method: 'OPTIONS', uri: words[0]!, version: 'HTTP/1.0', headers: [] };
  const [method, uri, versionAndHeaders = 'HTTP/1.0', ...extra] = words;
  if (extra.length) return `unexpected '${extra[0]}' (write headers after the version with \\r\\n, as HAProxy does)`;
  const [version, ...headerLines] = versionAndHeaders.split('\r\n').filter((l) => l !== '');
  if (!/^HTTP\/1\.[01]$/.test(version!)) return `invalid HTTP version '${version}'`;
  const headers: Array<[string, string]> = [];
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return `invalid header line '${line}'`;
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { method: method!, uri: uri!, version: version!, headers };
}

/** The bytes sent on the wire; HTTP/1.1 checks without a Host header are invalid, so one is added. */
export function encodeHttpCheckRequest(request: HttpCheckRequest, hostFallback: string): Buffer {
  const headers = [...request.headers];
  if (request.version === 'HTTP/1.1' && !headers.some(([n]) => n.toLowerCase() === 'host')) headers.unshift(['Host', hostFallback]);
  if (request.body !== undefined && !headers.some(([n]) => n.toLowerCase() === 'content-length')) headers.push(['Content-Length', String(Buffer.byteLength(request.body, 'latin1'))]);
  headers.push(['Connection', 'close']);
  return Buffer.from(`${request.method} ${request.uri} ${request.version}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n${request.body ?? ''}`, 'latin1');
}
