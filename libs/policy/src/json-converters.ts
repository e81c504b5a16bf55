/**
 * The `json` converter (escape a string for a JSON value, HAProxy's input codes) and `json_query` (a JSON path
 * `$.a.b[0]`/`$['a']` over a JSON text). Inputs are latin1 byte strings (one char per byte).
 */

type Value = string | number | boolean;

function escapeChar(c: number): string | undefined {
  switch (c) {
    case 0x22: return '\\"';
    case 0x5c: return '\\\\';
    case 0x2f: return '\\/';
    case 0x08: return '\\b';
    case 0x0c: return '\\f';
    case 0x0d: return '\\r';
    case 0x0a: return '\\n';
    case 0x09: return '\\t';
  }
  return c < 0x20 || c === 0x7f ? `\\u${c.toString(16).padStart(4, '0')}` : undefined;
}

/** The length and code point of the UTF-8 sequence at `i`, or undefined when invalid. */
function utf8At(s: string, i: number): { len: number; cp: number } | undefined {
  const b0 = s.charCodeAt(i);
  const n = b0 >= 0xf0 && b0 < 0xf8 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc0 ? 2 : 0;
  if (n === 0 || i + n > s.length) return undefined;
  let cp = b0 & (0x3f >> (n - 1));
  for (let k = 1; k < n; k++) {
    const b = s.charCodeAt(i + k);
    if ((b & 0xc0) !== 0x80) return undefined;
    cp = (cp << 6) | (b & 0x3f);
  }
  return { len: n, cp };
}

/**
 * `json([<input-code>])`: `"`, `\`, `/` and controls escaped; `ascii` (default) escapes each byte ≥ 0x80 as
 * `\u00XX`; `utf8` decodes UTF-8 sequences to `\uXXXX` and fails on an invalid one, `utf8s` skips it; the `p`
 * variants also escape DEL and controls only (same as their base here, where controls are always escaped).
 */
export function jsonEscape(s: string, code: string | undefined): string | undefined {
  const utf8 = code !== undefined && code.startsWith('utf8');
  const skip = code === 'utf8s' || code === 'utf8ps';
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const e = escapeChar(c);
    if (e) out += e;
    else if (c < 0x80) out += s[i];
    else if (!utf8) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else {
      const u = utf8At(s, i);
      if (!u) {
        if (skip) continue;
        return undefined;
      }
      out += `\\u${u.cp.toString(16).padStart(4, '0')}`;
      i += u.len - 1;
    }
  }
  return out;
}

/** `$`, `.name`, `['name']`, `[n]` steps of a JSON path; undefined when malformed. */
function pathSteps(path: string): Array<string | number> | undefined {
  const steps: Array<string | number> = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  let i = 1;
  while (i < path.length) {
    re.lastIndex = i;
    const m = re.exec(path);
    if (!m) return undefined;
    steps.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4])!);
    i = re.lastIndex;
  }
  return steps;
}

export function compileJsonQuery(path: string, output: string | undefined): (v: Value) => Value | undefined {
  const steps = pathSteps(path);
  return (v) => {
    if (!steps) return undefined;
    let doc: unknown;
    try {
      doc = JSON.parse(Buffer.from(String(v), 'latin1').toString('utf8'));
    } catch {
      return undefined;
    }
    for (const s of steps) {
      if (doc === null || typeof doc !== 'object') return undefined;
      doc = (doc as Record<string | number, unknown>)[s];
    }
    if (doc === undefined || doc === null) return undefined;
    if (output === 'int') return typeof doc === 'number' && Number.isInteger(doc) ? doc : undefined;
    if (typeof doc === 'boolean') return doc;
    if (typeof doc === 'number') return Number.isInteger(doc) ? doc : String(doc);
    const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
    return Buffer.from(text, 'utf8').toString('latin1');
  };
}
