import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * crypt(3) for the hashes a HAProxy `userlist` accepts in `user <name> password <hash>` (section 3.4), written from
 * the public specifications (Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512"; Poul-Henning Kamp's MD5
 * crypt) so no native module or new package is needed: `$6$` SHA-512, `$5$` SHA-256, `$1$` MD5. Other schemes
 * (DES, bcrypt `$2y$`, yescrypt `$y$`) are refused at load by the config parser, never silently accepted.
 */

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `n` base-64 characters of the 24-bit value b2:b1:b0, least significant first (crypt's b64_from_24bit). */
function b64(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let s = '';
  for (let i = 0; i < n; i++) {
    s += ITOA64[w & 0x3f];
    w >>= 6;
  }
  return s;
}

/** `bytes` repeated (then truncated) to `len` bytes. */
function stretch(bytes: Buffer, len: number): Buffer {
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i += bytes.length) bytes.copy(out, i, 0, Math.min(bytes.length, len - i));
  return out;
}

const ROUNDS_DEFAULT = 5000;

/** SHA-crypt (`$5$`, `$6$`): `setting` is what follows the magic (`[rounds=N$]salt[$hash]`). */
function shaCrypt(alg: 'sha256' | 'sha512', magic: string, key: Buffer, setting: string): string {
  const size = alg === 'sha256' ? 32 : 64;
  const H = (...parts: Buffer[]): Buffer => {
    const h = createHash(alg);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  let rest = setting;
  let rounds = ROUNDS_DEFAULT;
  let custom = false;
  const m = /^rounds=(\d+)\$/.exec(rest);
  if (m) {
    rounds = Math.min(999_999_999, Math.max(1000, Number(m[1])));
    custom = true;
    rest = rest.slice(m[0].length);
  }
  const saltText = rest.split('$', 1)[0]!.slice(0, 16);
  const salt = Buffer.from(saltText, 'utf8');
  const b = H(key, salt, key);
  const a = createHash(alg).update(key).update(salt);
  let i = key.length;
  for (; i > size; i -= size) a.update(b);
  a.update(b.subarray(0, i));
  for (i = key.length; i > 0; i >>= 1) a.update(i & 1 ? b : key);
  const A = a.digest();
  const dp = createHash(alg);
  for (i = 0; i < key.length; i++) dp.update(key);
  const P = stretch(dp.digest(), key.length);
  const ds = createHash(alg);
  for (i = 0; i < 16 + A[0]!; i++) ds.update(salt);
  const S = stretch(ds.digest(), salt.length);
  let C = A;
  for (let r = 0; r < rounds; r++) {
    const h = createHash(alg);
    h.update(r & 1 ? P : C);
    if (r % 3) h.update(S);
    if (r % 7) h.update(P);
    h.update(r & 1 ? C : P);
    C = h.digest();
  }
  let out = '';
  if (alg === 'sha512') {
    // Groups (k, k+21, k+42) rotated by k mod 3, then the last byte alone.
    for (let k = 0; k < 21; k++) {
      const t = [k, k + 21, k + 42];
      const r = k % 3;
      const [x, y, z] = [t[r % 3]!, t[(r + 1) % 3]!, t[(r + 2) % 3]!];
      out += b64(C[x]!, C[y]!, C[z]!, 4);
    }
    out += b64(0, 0, C[63]!, 2);
  } else {
    // Groups (k, k+10, k+20) rotated the other way, then bytes 31 and 30.
    for (let k = 0; k < 10; k++) {
      const t = [k, k + 10, k + 20];
      const r = k % 3;
      const [x, y, z] = [t[(3 - r) % 3]!, t[(4 - r) % 3]!, t[(5 - r) % 3]!];
      out += b64(C[x]!, C[y]!, C[z]!, 4);
    }
    out += b64(0, C[31]!, C[30]!, 3);
  }
  return `${magic}${custom ? `rounds=${rounds}$` : ''}${saltText}$${out}`;
}

/** MD5-crypt (`$1$`): salt of at most 8 characters, 1000 rounds. */
function md5Crypt(key: Buffer, setting: string): string {
  const magic = Buffer.from('$1$');
  const saltText = setting.split('$', 1)[0]!.slice(0, 8);
  const salt = Buffer.from(saltText, 'utf8');
  const md5 = () => createHash('md5');
  const alt = md5().update(key).update(salt).update(key).digest();
  const ctx = md5().update(key).update(magic).update(salt);
  for (let pl = key.length; pl > 0; pl -= 16) ctx.update(alt.subarray(0, Math.min(pl, 16)));
  for (let i = key.length; i > 0; i >>= 1) ctx.update(i & 1 ? Buffer.from([0]) : key.subarray(0, 1));
  let f = ctx.digest();
  for (let i = 0; i < 1000; i++) {
    const h = md5();
    h.update(i & 1 ? key : f);
    if (i % 3) h.update(salt);
    if (i % 7) h.update(key);
    h.update(i & 1 ? f : key);
    f = h.digest();
  }
  let out = '';
  for (const [a, b, c] of [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5]] as const) out += b64(f[a]!, f[b]!, f[c]!, 4);
  out += b64(0, 0, f[11]!, 2);
  return `$1$${saltText}$${out}`;
}

/** The schemes `crypt()` below computes; a config hash of another form is refused at load. */
export function isSupportedCryptHash(hash: string): boolean {
  return /^\$(1|5|6)\$/.test(hash);
}

/** crypt(3): `key` hashed with the scheme and salt of `setting` (a full hash or just `$6$salt`). */
export function crypt(key: string, setting: string): string | undefined {
  const k = Buffer.from(key, 'utf8');
  if (setting.startsWith('$6$')) return shaCrypt('sha512', '$6$', k, setting.slice(3));
  if (setting.startsWith('$5$')) return shaCrypt('sha256', '$5$', k, setting.slice(3));
  if (setting.startsWith('$1$')) return md5Crypt(k, setting.slice(3));
  return undefined;
}

/** True when `password` hashes to `hash` (compared in constant time). */
export function verifyCrypt(password: string, hash: string): boolean {
  const got = crypt(password, hash);
  if (got === undefined || got.length !== hash.length) return false;
  return timingSafeEqual(Buffer.from(got), Buffer.from(hash));
}
