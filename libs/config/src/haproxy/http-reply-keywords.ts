/**
 * The response options of `http-request|http-response deny`, `http-request tarpit` and `return` (HAProxy 2.6's
 * "http reply", configuration.txt 4.2): `[status <code>] [content-type <type>] [default-errorfiles | errorfile
 * <file> | errorfiles <name> | file <path> | lf-file <path> | string <str> | lf-string <fmt>] [hdr <name> <fmt>]*`.
 * Files are read once, at load, through the ConfigFilePort; an `errorfile` must be a complete HTTP response.
 */
import type { HttpReply, LogFormat } from '../policy-config.types.js';
import type { KeywordLine } from './parse-context.js';
import { AclSyntaxError } from './acl-parse.js';
import { logFormatValue } from './http-actions.js';
import { loadErrorMessage } from './errorfile-message.js';
import { ERROR_MESSAGE_CODES } from './http-errors-section.js';

const BODY_SOURCES = new Set(['default-errorfiles', 'errorfile', 'errorfiles', 'file', 'lf-file', 'string', 'lf-string']);

/**
 * Parses the options from `rest[0]` up to `if`/`unless`. `reply` is undefined when no option shapes the response
 * (the status's errorfile or built-in page answers, as for a bare `deny`).
 */
export function parseHttpReply(action: string, rest: readonly string[], status: number, kw: KeywordLine): { status: number; reply?: HttpReply; rest: readonly string[] } {
  let contentType: string | undefined;
  let source: string | undefined;
  let body: string | undefined;
  let bodyFormat: LogFormat | undefined;
  let message: Buffer | undefined;
  let sectionName: string | undefined;
  const headers: Array<[string, string]> = [];
  const headerFormats: Array<LogFormat | undefined> = [];
  let i = 0;
  for (; i < rest.length; i++) {
    const w = rest[i]!;
    if (w === 'if' || w === 'unless') break;
    if (BODY_SOURCES.has(w) && source !== undefined) throw new AclSyntaxError(`unexpected '${w}' argument, '${source}' already defined`);
    if (w === 'default-errorfiles') {
      source = w;
      continue;
    }
    const v = rest[i + 1];
    if (v === undefined) throw new AclSyntaxError(`'${action} ${w}' expects a value`);
    if (w === 'status') {
      status = Number(v);
      if (!Number.isInteger(status) || status < 200 || status > 599) throw new AclSyntaxError(`'status' expects a code between 200 and 599, got '${v}'`);
    } else if (w === 'content-type') contentType = v;
    else if (w === 'string') body = v;
    else if (w === 'lf-string') ({ value: body, format: bodyFormat } = logFormatValue(v, kw.files));
    else if (w === 'file' || w === 'lf-file') {
      const content = kw.files.read(v);
      if (content instanceof Error) throw new AclSyntaxError(`'${w}': cannot read '${v}': ${content.message}`);
      const text = content.toString('latin1');
      if (w === 'file') body = text;
      else ({ value: body, format: bodyFormat } = logFormatValue(text, kw.files));
    } else if (w === 'errorfile') {
      const content = loadErrorMessage(kw.files, v);
      if (typeof content === 'string') throw new AclSyntaxError(`'errorfile': ${content}`);
      message = content;
    } else if (w === 'errorfiles') sectionName = v;
    else if (w === 'hdr') {
      const hv = rest[i + 2];
      if (hv === undefined || hv === 'if' || hv === 'unless') throw new AclSyntaxError(`'${action} hdr' expects a name and a value`);
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(v)) throw new AclSyntaxError(`'${v}' is not a valid header name`);
      const lf = logFormatValue(hv, kw.files);
      headers.push([v, lf.value]);
      headerFormats.push(lf.format);
      i++;
    } else throw new AclSyntaxError(`unknown '${action}' argument '${w}' (expects status, content-type, default-errorfiles, errorfile, errorfiles, file, lf-file, string, lf-string, hdr, if, unless)`);
    if (BODY_SOURCES.has(w)) source = w;
    i++;
  }
  const after = rest.slice(i);
  if (source === 'default-errorfiles' || source === 'errorfile' || source === 'errorfiles') {
    // HAProxy ignores these with a complete message (and warns); the message is sent as it is written.
    if (contentType !== undefined) kw.sink.warning(kw.file, kw.line, `${action} content-type`, `content-type '${contentType}' ignored by the http reply when used with '${source}'`);
    if (headers.length) kw.sink.warning(kw.file, kw.line, `${action} hdr`, `hdr parameters ignored by the http reply when used with '${source}'`);
    if (source !== 'errorfile' && !ERROR_MESSAGE_CODES.has(status)) throw new AclSyntaxError(`status code '${status}' not handled by default with '${source}' argument (valid: ${[...ERROR_MESSAGE_CODES].join(' ')})`);
    if (source === 'errorfile') return { status, reply: { headers: [], message: message! }, rest: after };
    const found = source === 'errorfiles' ? errorfilesReply(sectionName!, status, kw) : {};
    // `return` has no errorfile fallback in Tandem yet: refused rather than answering an empty response.
    if (!found.reply && action === 'return') throw new AclSyntaxError(`'return ${source}' answering with the proxy's own errorfile is not implemented yet; use 'errorfile <file>' or 'errorfiles <name>' with a section that declares status ${status}`);
    return { status, ...found, rest: after };
  }
  if (body === '') body = undefined;
  if (body !== undefined && contentType === undefined) throw new AclSyntaxError(`'${action}': a content type must be defined when a non-empty payload is configured ('content-type <type>')`);
  if (body !== undefined && (status === 204 || status === 304)) throw new AclSyntaxError(`'${action}': no payload expected for ${status} responses`);
  if (body === undefined && contentType !== undefined) {
    kw.sink.warning(kw.file, kw.line, `${action} content-type`, `content-type '${contentType}' ignored by the http reply because the payload is empty`);
    contentType = undefined;
  }
  if (contentType === undefined && body === undefined && !headers.length && action !== 'return') {
    // A bare deny/tarpit answers the status's errorfile or built-in page: HAProxy refuses a status that has none
    // (an empty answer would be sent otherwise).
    if (!ERROR_MESSAGE_CODES.has(status)) throw new AclSyntaxError(`status code '${status}' not handled by default with 'default-errorfiles' argument (valid: ${[...ERROR_MESSAGE_CODES].join(' ')}); give the answer with 'content-type <type> string <text>' or 'errorfile <file>'`);
    return { status, rest: after };
  }
  const reply: HttpReply = {
    ...(contentType !== undefined ? { contentType } : {}),
    ...(body !== undefined ? { body } : {}),
    headers,
    ...(bodyFormat ? { bodyFormat } : {}),
    ...(headerFormats.some(Boolean) ? { headerFormats } : {}),
  };
  return { status, reply, rest: after };
}

/** `errorfiles <name>`: the section's message for `status`; without one, the proxy's own answers (HAProxy warns). */
function errorfilesReply(name: string, status: number, kw: KeywordLine): { reply?: HttpReply } {
  const section = kw.files.httpErrors?.get(name);
  if (!section) throw new AclSyntaxError(`unknown http-errors section '${name}'`);
  const message = section.messages.get(status);
  if (message) return { reply: { headers: [], message } };
  kw.sink.warning(kw.file, kw.line, 'errorfiles', `status code ${status} is not declared in http-errors section '${name}' (at ${section.source.file}:${section.source.line}); the proxy's own message answers`);
  return {};
}
