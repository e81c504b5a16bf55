import type { FetchImpl } from './fetches.js';

/**
 * `http_auth(<userlist>)`: the request's Basic credentials are valid in the userlist (HAProxy 7.3.6).
 * `http_auth_group(<userlist>)`: the groups of the authenticated user, every one a value, so that an ACL
 * `http_auth_group(L) admins ops` matches when the user belongs to one of the listed groups, as HAProxy's
 * pat_match_auth does. No sample when the credentials are not valid.
 */
export const AUTH_FETCHES: Readonly<Record<string, FetchImpl>> = {
  http_auth: (v, args) => v.userlists?.user(v, args[0]!) !== undefined,
  http_auth_group: (v, args) => {
    const user = v.userlists?.user(v, args[0]!);
    if (user === undefined) return undefined;
    const groups = v.userlists!.groups(args[0]!, user);
    return groups.length ? groups : undefined;
  },
};
