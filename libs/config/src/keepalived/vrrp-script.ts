import type { Statement } from './lexer.js';
import type { ScriptUser } from './keepalived-config.types.js';
import { KEEPALIVED_DEFAULTS, parseScriptUser } from './global-defs.js';
import { runSection, type KeywordSpec, type SectionTable } from './sections.js';
import { args, at, commandLine, error, integerIn, secondsIn, type Scope } from './values.js';
import type { SourceLocation } from '../runtime-config.types.js';

export interface VrrpScriptDraft {
  name: string;
  script?: string;
  intervalMs: number;
  timeoutMs?: number;
  weight: number;
  weightReverse: boolean;
  rise: number;
  fall: number;
  initFail: boolean;
  user?: ScriptUser;
  source: SourceLocation;
}

/** keepalived.conf(5): "weight <INTEGER:-253..253>". */
export const WEIGHT_RANGE = [-253, 253] as const;

/** `weight N [reverse]` (used by vrrp_script, track_script and track_interface lines). */
export function parseWeight(scope: Scope, s: Statement, words: readonly string[]): { weight: number; reverse: boolean } | undefined {
  if (words.length < 1 || words.length > 2 || (words[1] !== undefined && words[1] !== 'reverse')) {
    error(scope, s, `expects 'weight N [reverse]' with N in ${WEIGHT_RANGE[0]}..${WEIGHT_RANGE[1]}`, undefined);
    return undefined;
  }
  const weight = integerIn(scope, s, words[0]!, WEIGHT_RANGE[0], WEIGHT_RANGE[1], 'a weight (added to the priority)');
  return weight === undefined ? undefined : { weight, reverse: words[1] === 'reverse' };
}

const count = (set: (d: VrrpScriptDraft, n: number) => void, what: string): KeywordSpec<VrrpScriptDraft> => ({
  once: true,
  run(s, d, scope) {
    const a = args(scope, s, 1, 1, `${s.keyword} COUNT`);
    const n = a && integerIn(scope, s, a[0]!, 1, 1_000_000, what);
    if (n !== undefined) set(d, n);
  },
});

export const VRRP_SCRIPT: SectionTable<VrrpScriptDraft> = {
  keywords: new Map<string, KeywordSpec<VrrpScriptDraft>>([
    ['script', {
      once: true,
      run(s, d, scope) {
        if (s.args.length === 0 || commandLine(s.args).trim() === '') error(scope, s, 'expects the command to run, for example script "killall -0 haproxy"');
        else d.script = commandLine(s.args);
      },
    }],
    ['interval', { once: true, run(s, d, scope) { const a = args(scope, s, 1, 1, 'interval SECONDS'); const ms = a && secondsIn(scope, s, a[0]!, 0.001, 86400, 'the time between two runs of the script'); if (ms !== undefined) d.intervalMs = ms; } }],
    ['timeout', { once: true, run(s, d, scope) { const a = args(scope, s, 1, 1, 'timeout SECONDS'); const ms = a && secondsIn(scope, s, a[0]!, 0.001, 86400, 'how long a run may take before it counts as failed'); if (ms !== undefined) d.timeoutMs = ms; } }],
    ['weight', { once: true, run(s, d, scope) { const w = parseWeight(scope, s, s.args.map((t) => t.text)); if (w) { d.weight = w.weight; d.weightReverse = w.reverse; } } }],
    ['rise', count((d, n) => { d.rise = n; }, 'the number of successes in a row that make the script OK')],
    ['fall', count((d, n) => { d.fall = n; }, 'the number of failures in a row that make the script KO')],
    ['user', { once: true, run(s, d, scope) { const u = parseScriptUser(s, scope); if (u) d.user = u; } }],
    ['init_fail', { run(s, d, scope) { if (args(scope, s, 0, 0, 'init_fail')) d.initFail = true; } }],
  ]),
};

export function parseVrrpScript(s: Statement, scope: Scope): VrrpScriptDraft | undefined {
  if (s.args.length !== 1) {
    error(scope, s, `expects one name: 'vrrp_script NAME { … }' (got ${s.args.length} words)`);
    return undefined;
  }
  const draft: VrrpScriptDraft = {
    name: s.args[0]!.text,
    intervalMs: KEEPALIVED_DEFAULTS.scriptIntervalMs,
    weight: 0,
    weightReverse: false,
    rise: KEEPALIVED_DEFAULTS.scriptRise,
    fall: KEEPALIVED_DEFAULTS.scriptFall,
    initFail: false,
    source: at(s),
  };
  const inner = { ...scope, label: `vrrp_script ${draft.name}` };
  runSection(s.block ?? [], VRRP_SCRIPT, draft, inner);
  if (draft.script === undefined) error(inner, s, `'${draft.name}' has no 'script' line: nothing to run`);
  return draft;
}
