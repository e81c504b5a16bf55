import { capturedEvents, lastError, type ErrorSnapshot } from '../error-capture.js';
import { haproxyDate } from './ops-commands.js';
import { proxyIds, type ProxyRuntimes } from './proxy-view.js';

/**
 * `show errors [<proxy>|-1] [request|response]` (issue #5), HAProxy 2.6's layout (management.txt "show errors"):
 *
 *   Total events captured on [<now>] : <n>
 *
 *   [<date>] frontend <fe> (#<iid>): invalid request
 *     backend <be> (#<iid>), server <NONE> (#-1), event #<n>, src <ip:port>
 *     buffer starts at 0 (including 0 out), <free> free, len <len>, wraps at <size>, error at position <pos>
 *     reason: <why the parser refused it>                       (Tandem's addition)
 *
 *     00000  GET / HTTP/1.1\r\n
 *     00016  Host: x\r\n
 *
 * The bytes are escaped (\r \n \t \\ and \xHH for other non-printable bytes) and cut after each LF and every 70
 * bytes, a continuation line marked with `+` after its offset, as HAProxy dumps them. `error at position` is -1
 * when the parser does not say where the message went wrong. Frontends' requests are listed first, then
 * backends' responses, in declaration order.
 */
export function encodeShowErrors(runtimes: ProxyRuntimes, args: readonly string[], now: Date): string {
  const direction = args.find((a) => a === 'request' || a === 'response');
  const named = args.find((a) => a !== 'request' && a !== 'response');
  const ids = proxyIds(runtimes);
  const matches = (name: string, iid: number) => named === undefined || named === '-1' || named === name || named === `#${iid}` || named === String(iid);
  if (named !== undefined && named !== '-1') {
    const known = runtimes.frontends.some((f) => matches(f.config.name, ids.frontend(f.config.name))) || runtimes.backends.some((b) => matches(b.config.name, ids.backend(b.config.name)));
    if (!known) return 'No such proxy.\n';
  }
  let out = `Total events captured on [${haproxyDate(now)}] : ${capturedEvents()}\n`;
  const snapshots: Array<{ snapshot: ErrorSnapshot; iid: number; peerIid: number }> = [];
  if (direction !== 'response') {
    for (const fe of runtimes.frontends) {
      const iid = ids.frontend(fe.config.name);
      const s = matches(fe.config.name, iid) ? lastError(fe.counters, 'request') : undefined;
      if (s) snapshots.push({ snapshot: s, iid, peerIid: s.peer !== undefined ? ids.backend(s.peer) : -1 });
    }
  }
  if (direction !== 'request') {
    for (const be of runtimes.backends) {
      const iid = ids.backend(be.config.name);
      const s = matches(be.config.name, iid) ? lastError(be.counters, 'response') : undefined;
      if (s) snapshots.push({ snapshot: s, iid, peerIid: s.peer !== undefined ? ids.frontend(s.peer) : -1 });
    }
  }
  for (const { snapshot: s, iid, peerIid } of snapshots) out += `\n${encodeSnapshot(s, iid, peerIid)}`;
  return out;
}

export function encodeSnapshot(s: ErrorSnapshot, iid: number, peerIid: number): string {
  const request = s.direction === 'request';
  const peer = s.peer === undefined ? '<NONE> (#-1)' : `${s.peer} (#${peerIid})`;
  const server = s.server === undefined ? '<NONE> (#-1)' : `${s.server} (#${s.serverId ?? -1})`;
  const size = Math.max(s.bytes.length, 16384);
  let out = `[${haproxyDate(new Date(s.at))}] ${request ? 'frontend' : 'backend'} ${s.proxy} (#${iid}): invalid ${s.direction}\n`;
  out += `  ${request ? 'backend' : 'frontend'} ${peer}, server ${server}, event #${s.event}, src ${s.src}\n`;
  out += `  buffer starts at 0 (including 0 out), ${size - s.bytes.length} free, len ${s.bytes.length}, wraps at ${size}, error at position ${s.position}\n`;
  out += `  reason: ${s.reason}${s.length > s.bytes.length ? ` (${s.length} bytes received, ${s.bytes.length} kept)` : ''}\n`;
  out += '\n';
  out += dumpText(s.bytes);
  return out;
}

const WIDTH = 70;

/** The captured bytes, escaped, one output line per input line (LF) and at most WIDTH bytes per output line. */
export function dumpText(bytes: Buffer): string {
  let out = '';
  let start = 0;
  while (start < bytes.length) {
    let end = start;
    let text = '';
    while (end < bytes.length && end - start < WIDTH) {
      const b = bytes[end]!;
      text += escapeByte(b);
      end++;
      if (b === 0x0a) break;
    }
    const continued = start > 0 && bytes[start - 1] !== 0x0a;
    out += `  ${String(start).padStart(5, '0')}${continued ? '+' : ' '} ${text}\n`;
    start = end;
  }
  return out;
}

function escapeByte(b: number): string {
  switch (b) {
    case 0x09:
      return '\\t';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x5c:
      return '\\\\';
  }
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
}
