import type { HeaderList } from '@tandem/policy';
import { reasonPhrase } from './local-responses.js';

/**
 * Edits the head of a response Tandem wrote itself (bytes from local-responses.ts, error-responses.ts or an
 * errorfile): the fields are parsed into a HeaderList, `edit` changes them (and may set a status), and the head is
 * written again in the same layout; the body is kept. Bytes without a parsable head are returned unchanged.
 */
export function rewriteLocalResponse(bytes: Buffer, edit: (status: number, headers: HeaderList) => { status?: number; reason?: string } | void): Buffer {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return bytes;
  const lines = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/.exec(lines[0]!);
  if (!m) return bytes;
  const headers: HeaderList = { names: [], rawNames: [], values: [] };
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return bytes;
    const raw = line.slice(0, colon);
    headers.rawNames.push(raw);
    headers.names.push(raw.toLowerCase());
    headers.values.push(line.slice(colon + 1).trim());
  }
  const status = Number(m[2]);
  const r = edit(status, headers) ?? {};
  const newStatus = r.status ?? status;
  const reason = r.reason ?? (r.status !== undefined ? reasonPhrase(newStatus) : m[3] ?? '');
  let head = `HTTP/1.${m[1]} ${newStatus} ${reason}\r\n`;
  for (let i = 0; i < headers.names.length; i++) head += `${headers.rawNames[i]}: ${headers.values[i]}\r\n`;
  return Buffer.concat([Buffer.from(head + '\r\n', 'latin1'), bytes.subarray(end + 4)]);
}
