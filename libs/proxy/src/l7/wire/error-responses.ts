/**
 * HAProxy 2.6's built-in error responses, byte for byte (captured from /usr/sbin/haproxy 2.6 on loopback with a raw
 * socket client). 400 and 408 go out as HAProxy's raw messages (mixed case, `Connection: close`); 502/503/504 pass
 * through its HTX layer, hence lower-case names. `errorfile` replaces them.
 */
export const HAPROXY_ERRORS: ReadonlyMap<number, Buffer> = new Map([
  [400, 'HTTP/1.1 400 Bad request\r\nContent-length: 90\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>\n'],
  [408, "HTTP/1.1 408 Request Time-out\r\nContent-length: 110\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n<html><body><h1>408 Request Time-out</h1>\nYour browser didn't send a complete request in time.\n</body></html>\n"],
  [502, 'HTTP/1.1 502 Bad Gateway\r\ncontent-length: 107\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n'],
  [503, 'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 107\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n'],
  [504, "HTTP/1.1 504 Gateway Time-out\r\ncontent-length: 92\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n"],
].map(([code, text]) => [code as number, Buffer.from(text as string, 'latin1')]));

/** The errorfile of the frontend, then the backend, then HAProxy's built-in one. */
export function errorResponse(status: number, ...overrides: (ReadonlyMap<number, Buffer> | undefined)[]): Buffer {
  for (const o of overrides) {
    const b = o?.get(status);
    if (b) return b;
  }
  return HAPROXY_ERRORS.get(status) ?? HAPROXY_ERRORS.get(502)!;
}
