/**
 * `http-request normalize-uri <normalizer>` (HAProxy 2.6 configuration.txt 4.2), on the request target's path,
 * query or fragment as each normalizer names. Each returns the new text, or undefined when a `strict` normalizer
 * finds an invalid percent-encoding (HAProxy then answers 400).
 */

/** `path-merge-slashes`: `//` → `/` anywhere in the path. */
export function mergeSlashes(path: string): string {
  return path.replace(/\/{2,}/g, '/');
}

/** `path-strip-dot`: every `.` segment removed (`/./a` → `/a`, `/.` → `/`); `.well-known` is a name, kept. */
export function stripDot(path: string): string {
  if (!path.startsWith('/')) return path;
  const segs = path.slice(1).split('/').filter((s) => s !== '.');
  return `/${segs.join('/')}`;
}

/**
 * `path-strip-dotdot [full]`: each `..` segment removes itself and the segment before it (`/a/../b` → `/b`,
 * `/a//../` → `/a/`). A `..` with nothing left to remove stays (`/../a`), unless `full` drops it too.
 */
export function stripDotDot(path: string, full: boolean): string {
  if (!path.startsWith('/')) return path;
  const out: string[] = [];
  for (const s of path.slice(1).split('/')) {
    if (s !== '..') out.push(s);
    else if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (!full) out.push(s);
  }
  return `/${out.join('/')}`;
}

const PERCENT = /%([0-9A-Fa-f]{2})?/g;

/** `percent-to-uppercase [strict]`: the hex digits of `%xx` upper-cased; `%` not followed by two hex digits is kept (strict: undefined). */
export function percentToUppercase(text: string, strict: boolean): string | undefined {
  let bad = false;
  const out = text.replace(PERCENT, (m, hex: string | undefined) => {
    if (hex === undefined) {
      bad = true;
      return m;
    }
    return `%${hex.toUpperCase()}`;
  });
  return bad && strict ? undefined : out;
}

/** `percent-decode-unreserved [strict]`: `%xx` of an unreserved character (RFC 3986: ALPHA DIGIT - . _ ~) decoded. */
export function percentDecodeUnreserved(text: string, strict: boolean): string | undefined {
  let bad = false;
  const out = text.replace(PERCENT, (m, hex: string | undefined) => {
    if (hex === undefined) {
      bad = true;
      return m;
    }
    const c = String.fromCharCode(parseInt(hex, 16));
    return /^[A-Za-z0-9\-._~]$/.test(c) ? c : m;
  });
  return bad && strict ? undefined : out;
}

/** `query-sort-by-name`: the `&`-separated parameters stably sorted by name (`?c=3&a=1` → `?a=1&c=3`). */
export function sortQuery(query: string): string {
  const parts = query.split('&');
  const name = (p: string) => {
    const eq = p.indexOf('=');
    return eq < 0 ? p : p.slice(0, eq);
  };
  return parts
    .map((p, i) => ({ p, i, n: name(p) }))
    .sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : a.i - b.i))
    .map((x) => x.p)
    .join('&');
}

/** The target split: prefix (scheme and authority of the absolute form), path, query (without `?`), fragment (without `#`). */
function split(uri: string): { prefix: string; path: string; query: string | undefined; fragment: string | undefined } {
  let start = 0;
  if (uri[0] !== '/' && uri !== '*') {
    const scheme = uri.indexOf('://');
    if (scheme >= 0) {
      const slash = uri.slice(scheme + 3).search(/[/?#]/);
      start = slash < 0 ? uri.length : scheme + 3 + slash;
    }
  }
  let rest = uri.slice(start);
  let fragment: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const q = rest.indexOf('?');
  return q < 0 ? { prefix: uri.slice(0, start), path: rest, query: undefined, fragment } : { prefix: uri.slice(0, start), path: rest.slice(0, q), query: rest.slice(q + 1), fragment };
}

function join(u: ReturnType<typeof split>): string {
  return u.prefix + u.path + (u.query !== undefined ? `?${u.query}` : '') + (u.fragment !== undefined ? `#${u.fragment}` : '');
}

/** One normalizer on a request target; undefined when `strict` refuses it. */
export function normalizeUri(uri: string, normalizer: string, option: boolean): string | undefined {
  const u = split(uri);
  switch (normalizer) {
    case 'path-merge-slashes':
      u.path = mergeSlashes(u.path);
      break;
    case 'path-strip-dot':
      u.path = stripDot(u.path);
      break;
    case 'path-strip-dotdot':
      u.path = stripDotDot(u.path, option);
      break;
    case 'percent-to-uppercase':
    case 'percent-decode-unreserved': {
      // HAProxy applies both to the whole target after the authority (path and query).
      const f = normalizer === 'percent-to-uppercase' ? percentToUppercase : percentDecodeUnreserved;
      const path = f(u.path, option);
      const query = u.query === undefined ? undefined : f(u.query, option);
      if (path === undefined || (u.query !== undefined && query === undefined)) return undefined;
      u.path = path;
      u.query = query;
      break;
    }
    case 'query-sort-by-name':
      if (u.query !== undefined) u.query = sortQuery(u.query);
      break;
    case 'fragment-strip':
      u.fragment = undefined;
      break;
    case 'fragment-encode':
      // The `#` becomes `%23` where it stands: after the query when there is one, else after the path.
      if (u.fragment !== undefined) {
        const enc = `%23${u.fragment.replace(/#/g, '%23')}`;
        if (u.query !== undefined) u.query += enc;
        else u.path += enc;
        u.fragment = undefined;
      }
      break;
  }
  return join(u);
}
