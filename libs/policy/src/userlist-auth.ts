import { createHash } from 'node:crypto';
import type { Userlist } from '@tandem/config';
import { verifyCrypt } from './crypt.js';
import type { RequestView } from './request-view.types.js';

/**
 * The `userlist` sections of one configuration generation (HAProxy section 3.4), as `http_auth(<userlist>)` and
 * `http_auth_group(<userlist>)` read them: the credentials of the request's `Authorization: Basic` header checked
 * against `password` (a crypt(3) hash) or `insecure-password` (clear text).
 */
interface CompiledUser {
  readonly password: { readonly kind: 'hash' | 'insecure'; readonly value: string };
  /** The user's groups: its own `groups` list and every `group … users` line that names it. */
  readonly groups: readonly string[];
}

/**
 * A hash check costs milliseconds ($6$: 5000 SHA-512 rounds) and a rule set may ask twice per request
 * (`http_auth` then `http_auth_group`): results are remembered, keyed by a digest of hash and password (the
 * clear password is never kept), in a bounded map dropped in insertion order.
 */
const VERIFIED_MAX = 1024;

export class UserlistAuth {
  private readonly lists = new Map<string, Map<string, CompiledUser>>();
  private readonly verified = new Map<string, boolean>();

  constructor(userlists: readonly Userlist[]) {
    for (const l of userlists) {
      const users = new Map<string, CompiledUser>();
      for (const u of l.users) {
        const extra = Object.entries(l.groupUsers ?? {}).filter(([, names]) => names.includes(u.name)).map(([g]) => g);
        users.set(u.name, { password: u.password, groups: [...new Set([...u.groups, ...extra])] });
      }
      this.lists.set(l.name, users);
    }
  }

  has(list: string): boolean {
    return this.lists.has(list);
  }

  /** The user the request authenticates as against `list` (HAProxy's check_user), or undefined. */
  user(view: RequestView, list: string): string | undefined {
    const users = this.lists.get(list);
    if (!users) return undefined;
    const cred = basicCredentials(view);
    if (!cred) return undefined;
    const u = users.get(cred.user);
    if (!u) return undefined;
    return this.passwordMatches(u, cred.pass) ? cred.user : undefined;
  }

  /** The groups of `user` in `list`. */
  groups(list: string, user: string): readonly string[] {
    return this.lists.get(list)?.get(user)?.groups ?? [];
  }

  private passwordMatches(u: CompiledUser, pass: string): boolean {
    if (u.password.kind === 'insecure') return u.password.value === pass;
    const key = createHash('sha256').update(u.password.value).update('\0').update(pass).digest('base64');
    let ok = this.verified.get(key);
    if (ok === undefined) {
      ok = verifyCrypt(pass, u.password.value);
      if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(key, ok);
    }
    return ok;
  }
}

/**
 * The first `Authorization` header as HAProxy's get_http_auth reads it: method `Basic` (any case), base64 of
 * `user:pass` split at the first colon. Undefined for other methods or a value without a colon.
 */
export function basicCredentials(view: RequestView): { user: string; pass: string } | undefined {
  if (view.response) return undefined;
  const i = view.headers.names.indexOf('authorization');
  if (i < 0) return undefined;
  const m = /^\s*basic\s+(\S+)\s*$/i.exec(view.headers.values[i]!);
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { user: text.slice(0, colon), pass: text.slice(colon + 1) };
}
