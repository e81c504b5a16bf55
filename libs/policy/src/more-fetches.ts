import type { FetchImpl } from './fetches.js';
import type { RequestView, Sample } from './request-view.types.js';

/**
 * Fetches of HAProxy 2.6's sections 7.3.2 (constants and internal states), 7.3.4 (the client's TLS connection) and
 * 7.3.6 (more HTTP samples). State and TLS fetches call the view's optional accessors, so they cost nothing to
 * requests that do not use them; a view without the accessor (the connection-time view) finds no sample.
 */

const toInt = (s: string): number | undefined => {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : undefined;
};

/** A multi-valued integer sample (an ACL tries each value); integers ride in the string-array shape. */
function ints(all: readonly string[]): Sample {
  const out: number[] = [];
  for (const s of all) {
    const n = toInt(s);
    if (n !== undefined) out.push(n);
  }
  return out.length ? (out as unknown as readonly string[]) : undefined;
}

/** Each header line whole (`req.fhdr`: commas are not separators), in order. */
function fullHeaderValues(view: RequestView, name: string | undefined): string[] {
  const { names, values } = view.headers;
  const n = name?.toLowerCase();
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) if (n === undefined || names[i] === n) out.push(values[i]!.trim());
  return out;
}

function pickOccurrence(all: string[], occ: string | undefined): Sample {
  if (occ === undefined || occ === '' || Number(occ) === 0) return all.length ? all : undefined;
  const n = Number(occ);
  return n > 0 ? all[n - 1] : all[all.length + n];
}

/** HAProxy's request-line check for `req.proto_http` on a TCP buffer: a method, a target, `HTTP/1.x`. */
const REQUEST_LINE = /^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]* \S+ HTTP\/1\.[01]\r?\n/;

function protoHttp(v: RequestView): Sample {
  const p = v.payload;
  if (!p) return v.method !== '';
  const text = p.data.toString('latin1', 0, Math.min(p.data.length, 8192));
  if (REQUEST_LINE.test(text)) return true;
  if (!p.final && !text.includes('\n')) {
    p.mayChange = true;
    return undefined;
  }
  return false;
}

export function moreFetches(cookies: (v: RequestView, name: string | undefined, set: boolean) => string[], params: (uri: string, name: string | undefined, delim: string | undefined) => string[], headers: (v: RequestView, name: string | undefined) => string[]): Record<string, FetchImpl> {
  /** `cook_cnt` counts every cookie without a name (HAProxy), where `cook` returns the first one's value. */
  const count = (v: RequestView, name: string | undefined, set: boolean): number => {
    if (name) return cookies(v, name, set).length;
    const header = set ? 'set-cookie' : 'cookie';
    let n = 0;
    const { names, values } = v.headers;
    for (let i = 0; i < names.length; i++) {
      if (names[i] !== header) continue;
      for (const part of set ? [values[i]!.split(';', 1)[0]!] : values[i]!.split(';')) if (part.split('=', 1)[0]!.trim()) n++;
    }
    return n;
  };
  return {
    str: (_v, a) => a[0],
    int: (_v, a) => Number(a[0]),
    ipv4: (_v, a) => a[0],
    ipv6: (_v, a) => a[0],
    bool: (_v, a) => !/^(0|false)$/i.test(a[0]!),
    cook_cnt: (v, a) => count(v, a[0], false),
    cook_val: (v, a) => ints(cookies(v, a[0], false)),
    'res.cook_cnt': (v, a) => (v.response ? count(v, a[0], true) : undefined),
    'res.cook_val': (v, a) => (v.response ? ints(cookies(v, a[0], true)) : undefined),
    urlp_val: (v, a) => ints(params(v.uri, a[0], a[1])),
    'req.fhdr': (v, a) => (v.response ? undefined : pickOccurrence(fullHeaderValues(v, a[0] || undefined), a[1])),
    'req.fhdr_cnt': (v, a) => (v.response ? undefined : fullHeaderValues(v, a[0] || undefined).length),
    hdr_val: (v, a) => {
      const s = pickOccurrence(headers(v, a[0] || undefined), a[1]);
      return s === undefined ? undefined : typeof s === 'string' ? toInt(s) : ints(s as readonly string[]);
    },
    'req.proto_http': protoHttp,
    ssl_fc_protocol: (v) => (v.ssl ? v.tls?.()?.protocol : undefined),
    ssl_fc_cipher: (v) => (v.ssl ? v.tls?.()?.cipher : undefined),
    ssl_fc_alpn: (v) => (v.ssl ? v.tls?.()?.alpn : undefined),
    ssl_fc_has_sni: (v) => (v.ssl ? v.sni !== undefined : undefined),
    ssl_c_used: (v) => (v.ssl ? v.tls?.()?.clientCert === true : undefined),
    connslots: (v, a) => {
      const l = v.backendLoad?.(a[0] || undefined);
      return l === undefined ? undefined : (l.freeSlots ?? -1);
    },
    queue: (v, a) => v.backendLoad?.(a[0] || undefined)?.queued,
    avg_queue: (v, a) => {
      const l = v.backendLoad?.(a[0] || undefined);
      if (!l) return undefined;
      // HAProxy: with no usable server left, twice the queue counts.
      return l.usable ? Math.floor(l.queued / l.usable) : l.queued * 2;
    },
    be_sess_rate: (v, a) => v.backendLoad?.(a[0] || undefined)?.sessRate,
    fe_sess_rate: (v, a) => v.feSessRate?.(a[0] || undefined),
    srv_is_up: (v, a) => {
      const arg = a[0]!;
      const slash = arg.indexOf('/');
      return slash < 0 ? v.serverUp?.('', arg) : v.serverUp?.(arg.slice(0, slash), arg.slice(slash + 1));
    },
  };
}
