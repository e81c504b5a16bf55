import type { LogTarget } from '../runtime-config.types.js';
import type { ProxyLogConfig, ProxyLogFormat } from '../log.types.js';
import type { ProxyKeyword } from './proxy-keywords.js';
import { parseLogTarget } from './global-keywords.js';
import { logFormatSamples } from './log-format-samples.js';
import { SampleExprError } from './sample-expr.js';

/** The logging keywords of a proxy while it is parsed; `defaults` values are copied into the proxies that follow. */
export interface LogDraft {
  /** `log global` seen: the global targets come first, in their order. */
  readonly global: boolean;
  readonly targets: readonly LogTarget[];
  readonly format?: ProxyLogFormat;
  readonly tag?: string;
  readonly dontLogNull?: boolean;
}

const EMPTY: LogDraft = { global: false, targets: [] };

/**
 * `log global | <target> [len n] [format f] <facility> [<level> [<minlevel>]]`, `no log`, `option httplog [clf]`,
 * `option tcplog`, `option dontlognull`, `log-format <fmt>`, `log-tag <tag>` (configuration.txt 4.2). The last
 * of `option httplog`, `option tcplog` and `log-format` wins, as in HAProxy.
 */
export const LOG_KEYWORDS: ProxyKeyword[] = [
  {
    words: ['log'],
    sections: 'dfbl',
    negatable: true,
    handle(draft, kw, args, negated) {
      if (negated) {
        draft.log = { ...(draft.log ?? EMPTY), global: false, targets: [] };
        return;
      }
      const log = draft.log ?? EMPTY;
      if (args[0] === 'global') {
        if (args.length > 1) return kw.sink.error(kw.file, kw.line, 'log', "'log global' takes no argument");
        draft.log = { ...log, global: true };
        return;
      }
      const target = parseLogTarget(kw, args);
      if (target) draft.log = { ...log, targets: [...log.targets, target] };
    },
  },
  {
    words: ['option', 'httplog'],
    sections: 'dfl',
    negatable: true,
    handle(draft, kw, args, negated) {
      if (args.length > 1 || (args[0] !== undefined && args[0] !== 'clf')) return kw.sink.error(kw.file, kw.line, 'option httplog', `expects nothing or 'clf', got '${args.join(' ')}'`);
      const { format: _f, ...rest } = draft.log ?? EMPTY;
      draft.log = negated ? rest : { ...rest, format: args[0] === 'clf' ? 'httplog-clf' : 'httplog' };
    },
  },
  {
    words: ['option', 'tcplog'],
    sections: 'dfl',
    negatable: true,
    handle(draft, _kw, _args, negated) {
      const { format: _f, ...rest } = draft.log ?? EMPTY;
      draft.log = negated ? rest : { ...rest, format: 'tcplog' };
    },
  },
  {
    words: ['option', 'dontlognull'],
    sections: 'dfl',
    negatable: true,
    handle(draft, _kw, _args, negated) {
      draft.log = { ...(draft.log ?? EMPTY), dontLogNull: !negated };
    },
  },
  {
    words: ['log-format'],
    sections: 'dfl',
    handle(draft, kw, args) {
      if (args.length !== 1) return kw.sink.error(kw.file, kw.line, 'log-format', `expects one format string (quote it when it has spaces), got ${args.length} words`);
      let samples;
      try {
        samples = logFormatSamples(args[0]!, kw.files);
      } catch (e) {
        if (!(e instanceof SampleExprError)) throw e;
        return kw.sink.error(kw.file, kw.line, 'log-format', e.message, e.suggestion);
      }
      draft.log = { ...(draft.log ?? EMPTY), format: { custom: args[0]!, ...(samples.length ? { samples } : {}) } };
    },
  },
  {
    words: ['log-tag'],
    sections: 'dfbl',
    handle(draft, kw, args) {
      if (args.length !== 1) return kw.sink.error(kw.file, kw.line, 'log-tag', 'expects one tag');
      draft.log = { ...(draft.log ?? EMPTY), tag: args[0]! };
    },
  },
];

/** `log global` becomes the global targets (first, in their order); the proxy's own `log-tag` wins over the global one. */
export function resolveLog(d: LogDraft | undefined, g: { readonly logTargets: readonly LogTarget[]; readonly logTag?: string; readonly logSendHostname?: string }): ProxyLogConfig | undefined {
  if (!d) return undefined;
  const tag = d.tag ?? g.logTag;
  return {
    targets: [...(d.global ? g.logTargets : []), ...d.targets],
    ...(d.format !== undefined ? { format: d.format } : {}),
    ...(tag !== undefined ? { tag } : {}),
    dontLogNull: d.dontLogNull ?? false,
    ...(g.logSendHostname !== undefined ? { sendHostname: g.logSendHostname } : {}),
  };
}
