/**
 * Responses Tandem writes itself for L7 rules (pure: values in, bytes out): redirects, `http-request return`, and
 * the built-in error pages `deny` uses for statuses outside HAPROXY_ERRORS. Lower-case names, as HAProxy 2.6's
 * HTX layer emits them. The bytes were checked against HAProxy 2.6.12 on loopback (local-responses.spec.ts pins
 * them). The body is written even for HEAD; http-session.ts drops it there, as HAProxy's H1 mux does.
 */
const REASONS: Readonly<Record<number, string>> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other',
  304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized',
  403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 407: 'Proxy Authentication Required', 408: 'Request Time-out',
  410: 'Gone', 413: 'Payload Too Large', 425: 'Too Early', 429: 'Too Many Requests', 500: 'Internal Server Error',
  501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Time-out',
};

const PAGES: Readonly<Record<number, string>> = {
  200: 'Service ready.',
  401: 'You need a valid user and password to access this content.',
  403: 'Request forbidden by administrative rules.',
  404: 'The resource could not be found.',
  405: 'A request was made of a resource using a request method not supported by that resource',
  407: 'You need a valid user and password to access this content.',
  410: 'The resource is no longer available and will not be available again.',
  413: 'The request entity exceeds the maximum allowed.',
  425: 'Your browser sent early data.',
  429: 'You have sent too many requests in a given amount of time.',
  500: 'An internal server error occurred.',
  501: '.The server does not support the functionality required to fulfill the request.',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status < 300 ? 'OK' : status < 400 ? 'Redirect' : status < 500 ? 'Client Error' : 'Server Error');
}

/**
 * HAProxy 2.6's built-in 407 page is titled "407 Unauthorized" (status line and <h1>), not with the standard reason
 * phrase; `return status 407` still uses "Proxy Authentication Required".
 */
const PAGE_TITLES: Readonly<Record<number, string>> = { 407: 'Unauthorized' };

/** HAProxy's built-in page for `status` (an empty body when it has none). */
export function builtinErrorPage(status: number): Buffer {
  const text = PAGES[status];
  const title = PAGE_TITLES[status] ?? reasonPhrase(status);
  const body = text === undefined ? '' : `<html><body><h1>${status} ${title}</h1>\n${text}\n</body></html>\n`;
  const type = body ? 'content-type: text/html\r\n' : '';
  return Buffer.from(`HTTP/1.1 ${status} ${title}\r\ncontent-length: ${Buffer.byteLength(body, 'latin1')}\r\ncache-control: no-cache\r\n${type}\r\n${body}`, 'latin1');
}

/**
 * A redirect as HAProxy sends it: empty body, `location`, `cache-control: no-cache` for the temporary codes only
 * (302/303/307; HAProxy leaves it off 301/308, which are meant to be cached), then `set-cookie` if any.
 */
export function redirectResponse(status: number, location: string, cookie?: string): Buffer {
  const setCookie = cookie === undefined ? '' : `set-cookie: ${cookie}\r\n`;
  const noCache = status === 302 || status === 303 || status === 307 ? 'cache-control: no-cache\r\n' : '';
  return Buffer.from(`HTTP/1.1 ${status} ${reasonPhrase(status)}\r\ncontent-length: 0\r\nlocation: ${location}\r\n${noCache}${setCookie}\r\n`, 'latin1');
}

/** An http reply (return, deny/tarpit with options): an errorfile's message as is, else built as `return` builds it. */
export function replyResponse(status: number, reply: { readonly contentType?: string; readonly body?: string; readonly headers: ReadonlyArray<readonly [string, string]>; readonly message?: Buffer }): Buffer {
  return reply.message ?? returnResponse(status, reply.contentType, reply.body, reply.headers);
}

/**
 * `http-request return status N [content-type T] [string S] [hdr name value]...`. As HAProxy 2.6 builds it: the
 * `hdr` fields first, lower-cased, in config order, then `content-length`, then `content-type` (only with a body).
 */
export function returnResponse(status: number, contentType: string | undefined, body: string | undefined, headers: ReadonlyArray<readonly [string, string]>): Buffer {
  const b = body ?? '';
  let s = `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\n`;
  for (const [n, v] of headers) s += `${n.toLowerCase()}: ${v}\r\n`;
  s += `content-length: ${Buffer.byteLength(b, 'latin1')}\r\n`;
  if (contentType !== undefined && b.length) s += `content-type: ${contentType}\r\n`;
  return Buffer.from(`${s}\r\n${b}`, 'latin1');
}

/**
 * `http-request auth`: HAProxy's 401 (http_reply_40x_unauthorized): its built-in page with the header fields in
 * its order, `www-authenticate: Basic realm="<realm>"` last.
 */
export function authResponse(realm: string): Buffer {
  const body = `<html><body><h1>401 Unauthorized</h1>\n${PAGES[401]}\n</body></html>\n`;
  return Buffer.from(`HTTP/1.1 401 Unauthorized\r\ncontent-length: ${Buffer.byteLength(body, 'latin1')}\r\ncache-control: no-cache\r\ncontent-type: text/html\r\nwww-authenticate: Basic realm="${realm}"\r\n\r\n${body}`, 'latin1');
}
