import { ipInNetwork, parseIntPatterns, parseIp, parseNetwork, type AclTerm, type IpNetwork } from '@tandem/config';
import type { Sample } from './request-view.types.js';

/** Tests one sample value against an ACL's patterns (any pattern matching is a match). */
type ValueMatcher = (value: string | number | boolean) => boolean;

const DIR_DELIMITERS = '/?';
const DOM_DELIMITERS = '/?.:';

/** HAProxy's `-m dir` / `-m dom`: the pattern appears delimited on both sides (or at an end) by a delimiter. */
function matchWord(text: string, word: string, delimiters: string): boolean {
  let w = word;
  while (w.length && delimiters.includes(w[0]!)) w = w.slice(1);
  while (w.length && delimiters.includes(w[w.length - 1]!)) w = w.slice(0, -1);
  if (!w.length) return false;
  for (let at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1)) {
    const before = at === 0 || delimiters.includes(text[at - 1]!);
    const end = at + w.length;
    const after = end === text.length || delimiters.includes(text[end]!);
    if (before && after) return true;
  }
  return false;
}

function toInt(value: string | number | boolean): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const m = /^\s*([+-]?\d+)/.exec(value);
  return m ? Number(m[1]) : undefined;
}

/** Compiles an ACL term's patterns once (at apply time) into a matcher for one value. */
function compileValueMatcher(term: AclTerm): ValueMatcher {
  const ci = term.ignoreCase;
  const fold = (s: string) => (ci ? s.toLowerCase() : s);
  const patterns = term.values.map(fold);
  const str = (v: string | number | boolean) => {
    const s = typeof v === 'string' ? v : String(typeof v === 'boolean' ? Number(v) : v);
    return ci ? s.toLowerCase() : s;
  };
  switch (term.match) {
    case 'found':
      return () => true;
    case 'bool':
      return (v) => (typeof v === 'string' ? v.length > 0 : Boolean(v));
    case 'int':
    case 'len': {
      const ranges = parseIntPatterns(term.values);
      if (typeof ranges === 'string') throw new Error(ranges);
      return (v) => {
        const n = term.match === 'len' ? str(v).length : toInt(v);
        return n !== undefined && ranges.some((r) => n >= r.lo && n <= r.hi);
      };
    }
    case 'ip': {
      const nets = term.values.map((t) => parseNetwork(t)).filter((n): n is IpNetwork => typeof n !== 'string');
      // The same client address comes back on every request of a connection: the last answer is kept (the test
      // is a pure function of the text), so the address is not parsed again per request.
      let lastText: string | undefined;
      let lastResult = false;
      return (v) => {
        if (typeof v !== 'string') return false;
        if (v === lastText) return lastResult;
        const ip = parseIp(v);
        const result = ip !== undefined && nets.some((n) => ipInNetwork(ip, n));
        lastText = v;
        lastResult = result;
        return result;
      };
    }
    case 'str': {
      const set = new Set(patterns);
      return (v) => set.has(str(v));
    }
    case 'beg':
      return (v) => {
        const s = str(v);
        for (let i = 0; i < patterns.length; i++) if (s.startsWith(patterns[i]!)) return true;
        return false;
      };
    case 'end':
      return (v) => {
        const s = str(v);
        for (let i = 0; i < patterns.length; i++) if (s.endsWith(patterns[i]!)) return true;
        return false;
      };
    case 'sub':
      return (v) => {
        const s = str(v);
        for (let i = 0; i < patterns.length; i++) if (s.includes(patterns[i]!)) return true;
        return false;
      };
    case 'reg': {
      const res = term.values.map((p) => new RegExp(p, ci ? 'i' : ''));
      return (v) => {
        const s = typeof v === 'string' ? v : String(v);
        return res.some((r) => r.test(s));
      };
    }
    case 'dir':
      return (v) => {
        const s = str(v);
        return patterns.some((p) => matchWord(s, p, DIR_DELIMITERS));
      };
    case 'dom':
      return (v) => {
        const s = str(v);
        return patterns.some((p) => matchWord(s, p, DOM_DELIMITERS));
      };
  }
}

/**
 * The sample → boolean test of an ACL term, HAProxy's way: no sample is no match; a multi-valued sample matches
 * when any of its values does; patterns are ORed; a non-`found`/`bool` method without patterns never matches.
 */
export function compileSampleMatcher(term: AclTerm): (sample: Sample) => boolean {
  return term.patternRefs?.length ? liveSampleMatcher(term, term.patternRefs) : staticSampleMatcher(term);
}

/**
 * An ACL with `-f` files reads the files' shared references (`add acl`, `add-acl` change them at run time): the
 * matcher is rebuilt when a reference's version moved (versions only grow, so their sum is a change stamp); an
 * unchanged file costs one sum per match.
 */
function liveSampleMatcher(term: AclTerm, refs: NonNullable<AclTerm['patternRefs']>): (sample: Sample) => boolean {
  const inline = term.values.slice(term.inlineFrom ?? term.values.length);
  const stamp = () => {
    let n = 0;
    for (let i = 0; i < refs.length; i++) n += refs[i]!.version;
    return n;
  };
  let seen = -1;
  let current: (sample: Sample) => boolean = () => false;
  return (sample) => {
    const now = stamp();
    if (now !== seen) {
      const values: string[] = [];
      for (const r of refs) for (const e of r.entries()) values.push(e.key);
      current = staticSampleMatcher({ ...term, values: [...values, ...inline] });
      seen = now;
    }
    return current(sample);
  };
}

function staticSampleMatcher(term: AclTerm): (sample: Sample) => boolean {
  const one = compileValueMatcher(term);
  const needsPatterns = term.match !== 'found' && term.match !== 'bool';
  if (needsPatterns && term.values.length === 0) return () => false;
  return (sample) => {
    if (sample === undefined) return false;
    if (Array.isArray(sample)) {
      for (const v of sample as readonly string[]) if (one(v)) return true;
      return false;
    }
    return one(sample as string | number | boolean);
  };
}
