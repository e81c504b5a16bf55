import type { BalanceConfig, SampleExpr } from '@tandem/config';
import { compileKeyExpr, type RequestView, type TypedSample } from '@tandem/policy';

/**
 * Sample expressions the proxy evaluates on a request outside the policy's rules: `balance hash <expr>` and
 * `server … sni <expr>`. Each is compiled once per config object (a new generation brings new objects).
 */
const compiled = new WeakMap<object, (view: RequestView) => TypedSample | undefined>();

function compiledFor(owner: object, expr: SampleExpr): (view: RequestView) => TypedSample | undefined {
  let f = compiled.get(owner);
  if (!f) compiled.set(owner, (f = compileKeyExpr(expr)));
  return f;
}

/**
 * HAProxy's cast of a sample to binary before hashing (get_server_expr asks for SMP_T_BIN, HAProxy 2.6 sample_casts):
 * a string's characters as they are; an IPv4's 4 bytes or an IPv6's 16; an integer's 8 big-endian bytes. A boolean
 * has no binary cast in 2.6: no sample, hence round robin. Bytes are carried one character each (latin1).
 */
export function sampleBytes(s: TypedSample): string | undefined {
  switch (s.type) {
    case 'str':
      return String(s.value);
    case 'int': {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(BigInt(Math.trunc(Number(s.value))));
      return b.toString('latin1');
    }
    case 'ip': {
      const text = String(s.value);
      if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) return String.fromCharCode(...text.split('.').map(Number));
      return ipv6Bytes(text);
    }
    case 'bool':
      return undefined;
  }
}

function ipv6Bytes(text: string): string | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const words = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const q = g.split('.').map(Number);
        out.push((q[0]! << 8) | q[1]!, (q[2]! << 8) | q[3]!);
      } else out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = words(halves[0]!);
  const right = halves.length === 2 ? words(halves[1]!) : [];
  const all = halves.length === 2 ? [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right] : left;
  if (all.length !== 8 || all.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffff)) return undefined;
  return all.map((w) => String.fromCharCode(w >> 8, w & 0xff)).join('');
}

/** `balance hash <expr>` on one request: the bytes to hash, or undefined (no sample: round robin). */
export function balanceHashKey(balance: BalanceConfig, view: RequestView | undefined): string | undefined {
  if (!balance.expr || !view) return undefined;
  const s = compiledFor(balance, balance.expr)(view);
  return s ? sampleBytes(s) : undefined;
}

/**
 * `sni <expr>` on the request that opens a connection: the expression's value as text (HAProxy's
 * sample_fetch_as_type(…, SMP_T_STR)); undefined when it yields nothing or an empty string (no SNI is sent).
 */
export function sniValue(tls: { readonly sniExpr?: SampleExpr }, view: RequestView | undefined): string | undefined {
  if (!tls.sniExpr || !view) return undefined;
  const s = compiledFor(tls, tls.sniExpr)(view);
  if (!s) return undefined;
  const text = typeof s.value === 'boolean' ? (s.value ? '1' : '0') : String(s.value);
  return text === '' ? undefined : text;
}
