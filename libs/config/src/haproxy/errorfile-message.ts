import type { ConfigFilePort } from './parse-context.js';

/**
 * An errorfile's content must be a complete HTTP/1 response, as HAProxy 2.6 requires when it loads one
 * (http_str_to_htx): a status line `HTTP/x.y <code> <reason>`, header fields ended by an empty line, a status that
 * is no 1xx (101 aside), no chunked payload, and a payload the size `content-length` announces. The message is
 * sent as is, so a broken file would reach clients as a broken response: it is refused at load instead.
 * Returns the problem, or undefined when the message is valid.
 */
export function errorMessageProblem(raw: Buffer): string | undefined {
  const text = raw.toString('latin1');
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
  if (end < 0) return `unable to parse headers (no end of headers in ${raw.length} bytes)`;
  const lines = text.slice(0, end).split(/\r?\n/).filter((l) => l !== '');
  const m = /^(HTTP\/\d\.\d) (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
  if (!m) return `unable to parse the status line '${(lines[0] ?? '').slice(0, 40)}' (expects 'HTTP/1.x <code> <reason>')`;
  const status = Number(m[2]);
  if (status < 200 && status !== 101) return `invalid http status code for an error message (${status})`;
  let length: number | undefined;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(line.slice(0, colon))) return `unable to parse header line '${line.slice(0, 40)}'`;
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'transfer-encoding' && /chunked/i.test(value)) return 'chunk-encoded payload not supported';
    if (name === 'content-length') {
      if (!/^\d+$/.test(value) || (length !== undefined && length !== Number(value))) return `invalid content-length '${value}'`;
      length = Number(value);
    }
  }
  const body = raw.length - end;
  if (status === 204 || status === 304) return body > 0 ? `no payload expected for ${status} responses` : undefined;
  if (length !== undefined && length !== body) return `payload size does not match the announced content-length (${body} != ${length})`;
  return undefined;
}

/** Reads an errorfile through the file port and checks it: the bytes, or the error message (file named). */
export function loadErrorMessage(files: ConfigFilePort, path: string): Buffer | string {
  const content = files.read(path);
  if (content instanceof Error) return `cannot read '${path}': ${content.message}`;
  const problem = errorMessageProblem(content);
  return problem === undefined ? content : `'${path}': ${problem}`;
}
