/**
 * Where a listener binds, in HAProxy's address syntax: `ip:port`, `[ipv6]:port`, `*:port`, `unix@/path` or a
 * plain `/path`, and `fd@<n>` for a socket inherited from the parent process.
 */
export type ListenAddress =
  | { readonly kind: 'inet'; readonly host: string; readonly port: number; readonly family: 4 | 6 | 0 }
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'fd'; readonly fd: number };

/** Where a server lives. `family` 0 means a host name resolved at connect time. */
export interface ServerEndpoint {
  readonly host: string;
  readonly port: number;
  readonly family: 4 | 6 | 0;
}

/** A stable text form, used as a key when a reload decides which listeners to keep. */
export function listenAddressKey(address: ListenAddress): string {
  switch (address.kind) {
    case 'inet':
      return address.family === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
    case 'unix':
      return `unix@${address.path}`;
    case 'fd':
      return `fd@${address.fd}`;
  }
}
