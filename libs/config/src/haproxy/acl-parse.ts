import type { AclTerm, Condition, ConditionTerm, MatchMethod } from '../policy-config.types.js';
import { parseIntPatterns, parseNetwork } from './acl-patterns.js';
import { MATCH_METHODS, PLANNED_FETCHES, SAMPLE_FETCHES, checkFetchArgs, defaultMatch } from './sample-fetches.js';
import { notImplementedMessage } from './not-implemented.js';
import { MISNAMED_FETCHES } from './more-fetch-specs.js';
import { nearest } from './suggest.js';
import type { ConfigFilePort } from './parse-context.js';
import type { PatternRef } from '../pattern-ref.js';
import { SampleExprError, parseConverters, readMapFile, readPatternFile, splitSampleExpr } from './sample-expr.js';

/** Where a parse failed: the message goes to the keyword's line. */
export class AclSyntaxError extends Error {
  constructor(message: string, readonly suggestion?: string) {
    super(message);
  }
}

/**
 * `<criterion> [flags] [operator] <value>...` as HAProxy reads it (section 7.1): flags `-i`, `-m <method>`, `-n`,
 * `-u`, `--`; `-f <file>` and `-M` are refused as not implemented. Patterns are validated for the match method.
 */
export function parseAclTerm(words: readonly string[], source: { file: string; line: number }, files?: ConfigFilePort): AclTerm {
  try {
    return parseAclTermInner(words, source, files);
  } catch (e) {
    if (e instanceof SampleExprError) throw new AclSyntaxError(e.message, e.suggestion);
    throw e;
  }
}

function parseAclTermInner(words: readonly string[], source: { file: string; line: number }, files: ConfigFilePort | undefined): AclTerm {
  const criterion = words[0];
  if (!criterion) throw new AclSyntaxError('expects a sample fetch (criterion)');
  const { name, args, converters: calls } = splitSampleExpr(criterion);
  const spec = SAMPLE_FETCHES.get(name);
  if (!spec) {
    if (PLANNED_FETCHES.has(name)) throw new AclSyntaxError(`fetch '${name}' ${notImplementedMessage(0)}`);
    if (MISNAMED_FETCHES[name]) throw new AclSyntaxError(MISNAMED_FETCHES[name]!);
    throw new AclSyntaxError(`unknown fetch method '${name}' in ACL expression`, nearest(name, SAMPLE_FETCHES.keys()));
  }
  if (args.length < spec.minArgs || args.length > spec.maxArgs) {
    throw new AclSyntaxError(spec.maxArgs === 0 ? `fetch '${name}' takes no argument` : `fetch '${name}' expects ${spec.minArgs === spec.maxArgs ? spec.minArgs : `${spec.minArgs} to ${spec.maxArgs}`} argument(s), got ${args.length}`);
  }
  const badArgs = checkFetchArgs(name, spec, args);
  if (badArgs) throw new AclSyntaxError(badArgs);
  const conv = calls.length ? parseConverters(calls, files, spec.type) : undefined;
  // With converters, the sample's type is the last converter's: it gives the default method; a derived keyword
  // (`hdr_beg(host),lower`) keeps its own method.
  const implied = spec.match;
  const type = conv ? conv.type : spec.type;
  let match: MatchMethod | undefined;
  let ignoreCase = false;
  const patternFiles: string[] = [];
  let mapFile = false;
  let i = 1;
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-') || /^-\d/.test(w)) break;
    if (w === '--') {
      i++;
      break;
    }
    if (w === '-i') ignoreCase = true;
    else if (w === '-n' || w === '-u') continue; // no DNS resolution (Tandem never resolves) / unique id: no effect on matching
    else if (w === '-m') {
      const m = words[++i];
      if (!m || !MATCH_METHODS.includes(m as MatchMethod)) throw new AclSyntaxError(`'-m' expects a match method (${MATCH_METHODS.join(' ')}), got '${m ?? ''}'`, m ? nearest(m, MATCH_METHODS) : undefined);
      if (implied && implied !== m) {
        throw new AclSyntaxError(`'-m ${m}' cannot be combined with '${name}', which already implies '-m ${spec.match}'; use '${spec.base === 'hdr' ? 'hdr' : spec.base}' with '-m ${m}'`);
      }
      match = m as MatchMethod;
    } else if (w === '-f') {
      const path = words[++i];
      if (!path) throw new AclSyntaxError("'-f' expects a file name");
      patternFiles.push(path);
    } else if (w === '-M') mapFile = true;
    else throw new AclSyntaxError(`'${w}' is not a valid ACL option (valid: -i -f -M -m -n -u --)`);
  }
  match ??= implied ?? defaultMatch(type);
  if (mapFile && !patternFiles.length) throw new AclSyntaxError("'-M' reads the '-f' file as a map: it needs '-f <file>'");
  // Patterns from files come first, in the order of the -f flags, then those on the line (HAProxy loads -f at parse).
  const values: string[] = [];
  // Each file is the configuration's shared reference (pattern-ref.ts): `add acl` and `add-acl` change it live.
  const patternRefs: PatternRef[] = [];
  for (const path of patternFiles) {
    if (!files) throw new AclSyntaxError(`'-f ${path}': pattern files cannot be read here`);
    if (files.patterns) {
      const registry = files.patterns;
      const ref = withAclError(() => registry.open(path, 'acl', mapFile, () => (mapFile ? readMapFile(files, path) : readPatternFile(files, path).map((key) => ({ key })))));
      patternRefs.push(ref);
      values.push(...ref.entries().map((e) => e.key));
    } else values.push(...(mapFile ? readMapFile(files, path).map((e) => e.key) : readPatternFile(files, path)));
  }
  const inlineFrom = values.length;
  values.push(...words.slice(i));
  if (match === 'found' && values.length) throw new AclSyntaxError("'-m found' takes no pattern");
  if (match === 'bool' && values.length) throw new AclSyntaxError(`'${name}' is a boolean test and takes no pattern (write '-m ${spec.type === 'bool' ? 'int' : 'str'}' to compare values)`);
  if (match === 'int' || match === 'len') {
    const r = parseIntPatterns(values);
    if (typeof r === 'string') throw new AclSyntaxError(r);
  } else if (match === 'ip') {
    for (const v of values) {
      const r = parseNetwork(v);
      if (typeof r === 'string') throw new AclSyntaxError(r);
    }
  } else if (match === 'reg') {
    for (const v of values) {
      try {
        new RegExp(v, ignoreCase ? 'i' : '');
      } catch (e) {
        throw new AclSyntaxError(`invalid regex '${v}': ${(e as Error).message}`);
      }
    }
  }
  const m = match;
  for (const ref of patternRefs) ref.addUser({ kind: 'acl', match: m, ignoreCase }, (key) => aclPatternError(m, key, ignoreCase));
  return { fetch: name, args, match, ignoreCase, values, source, ...(conv ? { converters: conv.converters } : {}), ...(patternRefs.length ? { patternRefs, inlineFrom } : {}) };
}

/** A pattern added at run time to an ACL file, checked for this ACL's match method as the file's lines were. */
function aclPatternError(match: MatchMethod, v: string, ignoreCase: boolean): string | undefined {
  if (match === 'int' || match === 'len') {
    const r = parseIntPatterns([v]);
    return typeof r === 'string' ? r : undefined;
  }
  if (match === 'ip') {
    const r = parseNetwork(v);
    return typeof r === 'string' ? r : undefined;
  }
  if (match === 'reg') {
    try {
      new RegExp(v, ignoreCase ? 'i' : '');
    } catch (e) {
      return `invalid regex '${v}': ${(e as Error).message}`;
    }
  }
  return undefined;
}

function withAclError<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof AclSyntaxError || e instanceof SampleExprError) throw e;
    throw new AclSyntaxError((e as Error).message);
  }
}

/** HAProxy's predefined ACLs (section 7.4) that Tandem's fetches can express. */
const PREDEFINED: Readonly<Record<string, readonly string[]>> = {
  TRUE: ['always_true'],
  FALSE: ['always_false'],
  LOCALHOST: ['src', '127.0.0.1/8', '::1'],
  METH_CONNECT: ['method', 'CONNECT'],
  METH_DELETE: ['method', 'DELETE'],
  METH_GET: ['method', 'GET', 'HEAD'],
  METH_HEAD: ['method', 'HEAD'],
  METH_OPTIONS: ['method', 'OPTIONS'],
  METH_POST: ['method', 'POST'],
  METH_PUT: ['method', 'PUT'],
  METH_TRACE: ['method', 'TRACE'],
  HTTP_URL_ABS: ['url_reg', '^[^/:]*://'],
  HTTP_URL_SLASH: ['url_beg', '/'],
  HTTP_URL_STAR: ['url', '*'],
  WAIT_END: ['wait_end'],
  HTTP: ['req.proto_http'],
  'HTTP_1.0': ['req.ver', '1.0'],
  'HTTP_1.1': ['req.ver', '1.1'],
  HTTP_CONTENT: ['hdr_val(content-length)', 'gt', '0'],
  REQ_CONTENT: ['req.len', 'gt', '0'],
};
/** `RDP_COOKIE` needs the `req.rdp_cookie` fetches (RDP's cookie in the TCP payload), which no issue schedules. */
const PREDEFINED_LATER = new Set(['RDP_COOKIE']);

/**
 * `if|unless` followed by ACL names (with `!`), anonymous `{ … }` ACLs, implicit AND and `or`/`||` (section 7.2).
 * `known(name)` says whether an ACL was declared before this line: as in HAProxy, a name must be declared first.
 */
export function parseCondition(words: readonly string[], source: { file: string; line: number }, known: (name: string) => boolean, files?: ConfigFilePort): Condition {
  const polarity = words[0];
  if (polarity !== 'if' && polarity !== 'unless') throw new AclSyntaxError(`expects 'if' or 'unless', got '${polarity ?? ''}'`);
  const alternatives: ConditionTerm[][] = [[]];
  let negate = false;
  for (let i = 1; i < words.length; i++) {
    let w = words[i]!;
    if (w === 'or' || w === '||') {
      if (negate || alternatives.at(-1)!.length === 0) throw new AclSyntaxError(`'${w}' must follow a term`);
      alternatives.push([]);
      continue;
    }
    if (w === '!') {
      negate = !negate;
      continue;
    }
    while (w.startsWith('!')) {
      negate = !negate;
      w = w.slice(1);
    }
    let acl: ConditionTerm['acl'];
    if (w === '{' || w.startsWith('{')) {
      if (w !== '{') throw new AclSyntaxError(`'${w}': an anonymous ACL needs blanks around its braces ('{ ${w.slice(1).replace(/}$/, '')} }')`);
      const close = words.indexOf('}', i + 1);
      if (close < 0) throw new AclSyntaxError("missing '}' closing the anonymous ACL");
      if (close === i + 1) throw new AclSyntaxError("empty anonymous ACL '{ }'");
      acl = parseAclTerm(words.slice(i + 1, close), source, files);
      i = close;
    } else if (known(w)) acl = w;
    else if (PREDEFINED[w]) acl = parseAclTerm(PREDEFINED[w]!, source);
    else if (PREDEFINED_LATER.has(w)) throw new AclSyntaxError(`predefined ACL '${w}' ${notImplementedMessage(0)}`);
    else throw new AclSyntaxError(`no such ACL : '${w}' (an ACL must be declared with 'acl' before a rule uses it)`);
    alternatives.at(-1)!.push({ negate, acl });
    negate = false;
  }
  if (negate) throw new AclSyntaxError("'!' must be followed by an ACL");
  if (alternatives.at(-1)!.length === 0) throw new AclSyntaxError(alternatives.length > 1 ? "'or' must be followed by a term" : `'${polarity}' expects a condition`);
  return { polarity, alternatives };
}
