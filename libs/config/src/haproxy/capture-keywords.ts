import type { CaptureSlot } from '../log.types.js';
import type { LogFormat } from '../policy-config.types.js';
import type { ProxyKeyword } from './proxy-keywords.js';
import type { ProxyDraft } from './proxy-draft.js';
import type { KeywordLine } from './parse-context.js';
import { AclSyntaxError } from './acl-parse.js';
import { logFormat } from './http-actions.js';

/**
 * `capture request header <name> len <n>`, `capture response header <name> len <n>`, `unique-id-format <fmt>`,
 * `unique-id-header <name>` (configuration.txt 4.2). Capture slots are numbered in declaration order within the
 * frontend; `http-request capture … len` rules take the next request slot (allocRequestSlot), as in HAProxy.
 */
export interface CaptureDraft {
  request: CaptureSlot[];
  response: CaptureSlot[];
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** HAProxy caps a capture's length at 64 kB (`len` is stored on 16 bits; values above are refused). */
const MAX_CAPTURE_LEN = 65535;

function captureLen(kw: KeywordLine, keyword: string, word: string | undefined, value: string | undefined): number | undefined {
  const len = Number(value);
  if (word !== 'len' || !Number.isInteger(len) || len <= 0 || len > MAX_CAPTURE_LEN) {
    kw.sink.error(kw.file, kw.line, keyword, `expects <header> len <length> with a length between 1 and ${MAX_CAPTURE_LEN}, got '${[word, value].filter((w) => w !== undefined).join(' ')}'`);
    return undefined;
  }
  return len;
}

function captureHeader(side: 'request' | 'response'): ProxyKeyword {
  const keyword = `capture ${side} header`;
  return {
    words: ['capture', side, 'header'],
    sections: 'fl',
    handle(draft, kw, args) {
      const name = args[0];
      if (!name || !HEADER_NAME.test(name)) return kw.sink.error(kw.file, kw.line, keyword, `expects a header name, got '${name ?? ''}'`);
      if (args.length > 3) return kw.sink.error(kw.file, kw.line, keyword, `unexpected '${args[3]}' after the length`);
      const len = captureLen(kw, keyword, args[1], args[2]);
      if (len === undefined) return;
      const c = (draft.captures ??= { request: [], response: [] });
      c[side].push({ header: name.toLowerCase(), len });
    },
  };
}

/** The next request capture slot of a frontend, for `http-request capture <sample> len <n>`. */
export function allocRequestSlot(draft: ProxyDraft, len: number): number {
  if (draft.kind === 'backend') throw new AclSyntaxError(`'capture … len': proxy '${draft.name}' has no frontend capability (use 'id <slot>' in a backend)`);
  const c = (draft.captures ??= { request: [], response: [] });
  c.request.push({ len });
  return c.request.length - 1;
}

export const CAPTURE_KEYWORDS: ProxyKeyword[] = [
  captureHeader('request'),
  captureHeader('response'),
  {
    words: ['unique-id-format'],
    sections: 'dfl',
    handle(draft, kw, args) {
      if (args.length !== 1) return kw.sink.error(kw.file, kw.line, 'unique-id-format', `expects one format string (quote it or escape its spaces), got ${args.length} words`);
      let format: LogFormat;
      try {
        format = logFormat(args[0]!, kw.files);
      } catch (e) {
        if (e instanceof AclSyntaxError) return kw.sink.error(kw.file, kw.line, 'unique-id-format', e.message);
        throw e;
      }
      // An empty format disables the unique ID (HAProxy).
      draft.uniqueId = { ...draft.uniqueId, format: args[0] === '' ? undefined : format };
    },
  },
  {
    words: ['unique-id-header'],
    sections: 'dfl',
    handle(draft, kw, args) {
      if (args.length !== 1 || !HEADER_NAME.test(args[0]!)) return kw.sink.error(kw.file, kw.line, 'unique-id-header', `expects one header name, got '${args.join(' ')}'`);
      draft.uniqueId = { ...draft.uniqueId, header: args[0]! };
    },
  },
];
