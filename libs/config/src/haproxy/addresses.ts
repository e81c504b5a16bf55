import type { ListenAddress, ServerEndpoint } from '@tandem/core';

/**
 * A `bind` address in HAProxy's syntax: `ip:port`, `[ipv6]:port`, `*:port`, `:port`, `ipv4@`/`ipv6@` prefixes,
 * `unix@/path` or a plain `/path`, and `fd@<n>`. Returns an error text for anything else.
 */
export function parseListenAddress(text: string): ListenAddress | string {
  if (text.startsWith('fd@')) {
    const fd = Number(text.slice(3));
    return Number.isInteger(fd) && fd >= 0 ? { kind: 'fd', fd } : `invalid file descriptor in '${text}'`;
  }
  if (text.startsWith('unix@')) return text.length > 5 ? { kind: 'unix', path: text.slice(5) } : `missing path in '${text}'`;
  if (text.startsWith('/')) return { kind: 'unix', path: text };
  let rest = text;
  let forced: 4 | 6 | 0 = 0;
  if (rest.startsWith('ipv4@')) { forced = 4; rest = rest.slice(5); }
  else if (rest.startsWith('ipv6@')) { forced = 6; rest = rest.slice(5); }
  const hostPort = splitHostPort(rest);
  if (typeof hostPort === 'string') return `${hostPort} in '${text}'`;
  const { host, port } = hostPort;
  if (port === undefined) return `missing port in '${text}'`;
  if (host === '' || host === '*' || host === '::' && forced !== 6) {
    return { kind: 'inet', host: host === '::' ? '::' : '*', port, family: host === '::' ? 6 : forced };
  }
  const family = ipFamily(host);
  if (family === 0) return `invalid address '${host}' in '${text}' (host names are not resolved in bind lines)`;
  return { kind: 'inet', host, port, family: family as 4 | 6 };
}

/** A `server` address: `ip:port`, `[ipv6]:port`, or `name:port` (resolved when connecting). */
export function parseServerEndpoint(text: string): ServerEndpoint | string {
  const stripped = text.replace(/^ipv[46]@/, '');
  const hostPort = splitHostPort(stripped);
  if (typeof hostPort === 'string') return `${hostPort} in '${text}'`;
  if (hostPort.port === undefined) return `missing port in '${text}'`;
  if (!hostPort.host) return `missing address in '${text}'`;
  const family = ipFamily(hostPort.host);
  if (family === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(hostPort.host)) return `invalid address '${hostPort.host}'`;
  return { host: hostPort.host, port: hostPort.port, family: family as 4 | 6 | 0 };
}

function splitHostPort(text: string): { host: string; port?: number } | string {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return "missing ']'";
    host = text.slice(1, close);
    const after = text.slice(close + 1);
    if (after && !after.startsWith(':')) return 'unexpected text after the address';
    portText = after ? after.slice(1) : undefined;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) return { host: text };
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(':') && ipFamily(host) !== 6) return 'IPv6 addresses with a port need brackets ([::1]:80)';
  }
  if (portText === undefined) return { host };
  if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) return `invalid port '${portText}'`;
  return { host, port: Number(portText) };
}

/** 4 or 6 for a literal IP address, 0 otherwise (pure: no socket module needed). */
export function ipFamily(host: string): 4 | 6 | 0 {
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(host)) return 4;
  if (!host.includes(':') || !/^[0-9a-fA-F:.]+$/.test(host)) return 0;
  try {
    new URL(`http://[${host}]/`);
    return 6;
  } catch {
    return 0;
  }
}
