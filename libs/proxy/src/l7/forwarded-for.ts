import type { ForwardForOption } from '@tandem/config';

/** Normalises a socket's remote address (`::ffff:1.2.3.4` becomes `1.2.3.4`). */
export function clientIp(remote: string | undefined): string {
  if (!remote) return '';
  return remote.startsWith('::ffff:') && remote.includes('.') ? remote.slice(7) : remote;
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

/** `except <network>`: IPv4 CIDR (or a bare address); IPv6 networks match by exact address text. */
export function inNetwork(ip: string, network: string): boolean {
  const [base, bitsText] = network.split('/');
  const a = ipv4ToInt(ip);
  const b = ipv4ToInt(base ?? '');
  if (a === undefined || b === undefined) return ip === base;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (bits <= 0) return true;
  const mask = bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

/** Whether to add the header for this client. */
export function forwardForApplies(option: ForwardForOption | undefined, ip: string): boolean {
  if (!option) return false;
  return !(option.except && inNetwork(ip, option.except));
}
