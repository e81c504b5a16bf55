import { createHash } from 'node:crypto';
import type { LogicalLine } from './lexer.js';
import { tokenize } from './lexer.js';
import { DiagnosticSink } from './diagnostics.js';
import type { ConfigFilePort, KeywordLine } from './parse-context.js';
import { preprocess } from './preprocessor.js';
import { GLOBAL_KEYWORDS, newGlobalDraft, type GlobalDraft } from './global-keywords.js';
import { inheritDefaults, newDraft, type ProxyDraft, type ProxyKind } from './proxy-draft.js';
import { PROXY_KEYWORDS, sectionAllows, type ProxyKeyword } from './proxy-keywords.js';
import { NOT_IMPLEMENTED_GLOBAL_KEYWORDS, NOT_IMPLEMENTED_PROXY_KEYWORDS, notImplementedMessage } from './not-implemented.js';
import { nearest } from './suggest.js';
import { buildRuntimeConfig } from './build-runtime-config.js';
import { PatternRefRegistry } from '../pattern-ref.js';
import { parseServerEndpoint } from './addresses.js';
import { collectHttpErrors } from './http-errors-section.js';
import type { ConfigDiagnostic, ConfigSource, PeersSection, RuntimeConfig, Userlist } from '../runtime-config.types.js';

export interface ParseOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** HAProxy language version for `.if version_atleast()`; Tandem speaks 2.6. */
  readonly version?: string;
  readonly features?: readonly string[];
  readonly files?: ConfigFilePort;
}

export type LoadResult =
  | { readonly ok: true; readonly config: RuntimeConfig; readonly diagnostics: readonly ConfigDiagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly ConfigDiagnostic[]; readonly sources: readonly ConfigSource[] };

const SECTIONS = ['global', 'defaults', 'frontend', 'backend', 'listen', 'peers', 'userlist'];
/** Sections HAProxy has that Tandem does not: named so the error is precise. */
const OTHER_SECTIONS: ReadonlyMap<string, string> = new Map([
  ['resolvers', 'DNS resolvers are not implemented yet in Tandem'],
  ['mailers', 'email alerts are not implemented in Tandem'],
  ['program', "Tandem does not run programs from its configuration (the master's 'program' section)"],
  ['ring', 'ring buffers are not implemented yet in Tandem (not scheduled yet; see the support table in README.md)'],
  ['cache', 'the cache is not implemented in Tandem'],
  ['fcgi-app', 'FastCGI is not implemented in Tandem'],
  ['crt-store', 'crt-store sections are not implemented yet'],
  ['traces', 'traces sections are not implemented in Tandem'],
]);

const NO_FILES: ConfigFilePort = { read: (path) => new Error(`file access is not available (${path})`), listDirectory: () => undefined };

/** Pure: parses configuration texts (in order) into a frozen RuntimeConfig, or every diagnostic at once. */
export function parseHaproxyConfig(sources: readonly { file: string; text: string }[], options: ParseOptions = {}): LoadResult {
  const sink = new DiagnosticSink();
  const env = options.env ?? {};
  // One registry of map/ACL file references per parse: a reload reads the files again (runtime changes are lost).
  const base = options.files ?? NO_FILES;
  const patterns = new PatternRefRegistry();
  const readable: ConfigFilePort = { read: (p) => base.read(p), listDirectory: (p) => base.listDirectory(p), patterns };
  const lines: LogicalLine[] = [];
  for (const source of sources) {
    const { lines: fileLines, errors } = tokenize(source.file, source.text, env);
    for (const e of errors) sink.error(e.file, e.line, 'syntax', e.message);
    lines.push(...preprocess(fileLines, { env, version: options.version ?? '2.6', features: new Set(options.features ?? ['OPENSSL']) }, sink));
  }

  // `http-errors` sections first: proxies and rules may name a section declared after them.
  const httpErrors = collectHttpErrors(lines, (k) => SECTIONS.includes(k) || OTHER_SECTIONS.has(k), readable, sink);
  const files: ConfigFilePort = { ...readable, httpErrors };
  const global: GlobalDraft = newGlobalDraft();
  const proxies: ProxyDraft[] = [];
  const namedDefaults = new Map<string, ProxyDraft>();
  const peers: PeersSection[] = [];
  const userlists: Userlist[] = [];
  let lastDefaults: ProxyDraft | undefined;
  let section: { kind: 'global' } | { kind: 'proxy'; draft: ProxyDraft } | { kind: 'peers'; value: { name: string; peers: PeersSection['peers'][number][]; source: PeersSection['source'] } } | { kind: 'userlist'; value: { name: string; users: Userlist['users'][number][]; groups: string[]; source: Userlist['source'] } } | { kind: 'none' } | { kind: 'http-errors' } = { kind: 'none' };

  for (const line of lines) {
    const [keyword, ...args] = line.words as [string, ...string[]];
    const kw: KeywordLine = { file: line.file, line: line.line, words: line.words, sink, files };
    patterns.where = { file: line.file, line: line.line };
    if (SECTIONS.includes(keyword)) {
      section = openSection(keyword, args, kw);
      continue;
    }
    if (keyword === 'http-errors') {
      section = { kind: 'http-errors' };
      continue;
    }
    if (OTHER_SECTIONS.has(keyword)) {
      sink.error(line.file, line.line, keyword, OTHER_SECTIONS.get(keyword)!);
      section = { kind: 'none' };
      continue;
    }
    switch (section.kind) {
      case 'none':
        sink.error(line.file, line.line, keyword, 'keyword outside any section', nearest(keyword, SECTIONS));
        break;
      case 'global':
        handleGlobal(global, kw, keyword, args);
        break;
      case 'proxy':
        handleProxyKeyword(section.draft, kw);
        break;
      case 'peers':
        if (keyword === 'peer' && args.length >= 2) {
          const endpoint = parseServerEndpoint(args[1]!);
          if (typeof endpoint === 'string') sink.error(line.file, line.line, 'peer', endpoint);
          else section.value.peers.push({ name: args[0]!, endpoint, source: { file: line.file, line: line.line } });
        } else if (keyword === 'peer') sink.error(line.file, line.line, 'peer', 'expects <name> <address>:<port>');
        else if (keyword === 'bind' || keyword === 'server' || keyword === 'table' || keyword === 'shards') sink.error(line.file, line.line, keyword, "in a peers section is not implemented yet in Tandem (the peers issue); use 'peer' lines");
        else sink.error(line.file, line.line, keyword, "unknown keyword in 'peers' section", nearest(keyword, ['peer', 'bind', 'server', 'table', 'disabled']));
        break;
      case 'userlist':
        handleUserlist(section.value, kw, keyword, args);
        break;
      case 'http-errors':
        break; // read by collectHttpErrors

    }
  }

  function openSection(keyword: string, args: readonly string[], kw: KeywordLine): typeof section {
    if (keyword === 'global') return { kind: 'global' };
    const name = args[0];
    const source = { file: kw.file, line: kw.line };
    if (keyword === 'peers' || keyword === 'userlist') {
      if (!name) {
        sink.error(kw.file, kw.line, keyword, 'expects a name');
        return { kind: 'none' };
      }
      return keyword === 'peers'
        ? { kind: 'peers', value: (peers.push({ name, peers: [], source }), peers.at(-1) as never) }
        : { kind: 'userlist', value: (userlists.push({ name, users: [], groups: [], source }), userlists.at(-1) as never) };
    }
    const kind = keyword as ProxyKind;
    if (!name && kind !== 'defaults') {
      sink.error(kw.file, kw.line, keyword, 'expects a name');
      return { kind: 'none' };
    }
    let from = lastDefaults;
    const fromIndex = args.indexOf('from');
    if (fromIndex >= 0) {
      from = namedDefaults.get(args[fromIndex + 1] ?? '');
      if (!from) sink.error(kw.file, kw.line, keyword, `unknown defaults section '${args[fromIndex + 1] ?? ''}' after 'from'`, nearest(args[fromIndex + 1] ?? '', namedDefaults.keys()));
    } else if (args.length > 1) {
      sink.error(kw.file, kw.line, keyword, `unexpected '${args[1]}' after the section name (only 'from <defaults>' may follow)`);
    }
    const draft = inheritDefaults(newDraft(kind, name ?? '', kw.file, kw.line), kind === 'defaults' && fromIndex < 0 ? undefined : from);
    if (kind === 'defaults') {
      lastDefaults = draft;
      if (name) namedDefaults.set(name, draft);
    } else {
      proxies.push(draft);
    }
    return { kind: 'proxy', draft };
  }

  // Cross-section checks run even after line errors, so one run reports everything at once.
  // HAProxy's set-map/add-acl… look the file up at run time and do nothing when no map or ACL loaded it.
  for (const ref of patterns.unloaded()) sink.warning(ref.namedAt?.file ?? '', ref.namedAt?.line ?? 0, 'http-request', `'${ref.file}' is not loaded by any map converter or 'acl … -f': the action that names it does nothing (load it, even from an empty file, to use it)`);
  const config = buildRuntimeConfig({ global, proxies, peers, userlists, patternRefs: patterns.list(), sources: sources.map(({ file, text }) => ({ file, text, sha256: sha256(text) })) }, sink);
  if (!config || sink.hasErrors) return { ok: false, diagnostics: sink.all, sources: sources.map(({ file, text }) => ({ file, text, sha256: sha256(text) })) };
  return { ok: true, config, diagnostics: sink.all };
}

function handleGlobal(global: GlobalDraft, kw: KeywordLine, keyword: string, args: readonly string[]): void {
  const handler = GLOBAL_KEYWORDS.get(keyword);
  if (handler) return handler(global, kw, args);
  const issue = NOT_IMPLEMENTED_GLOBAL_KEYWORDS.get(keyword);
  if (issue !== undefined) return kw.sink.error(kw.file, kw.line, keyword, notImplementedMessage(issue));
  if (keyword.startsWith('tune.') || keyword.startsWith('ssl-default-') || keyword.startsWith('ssl-')) {
    return kw.sink.error(kw.file, kw.line, keyword, 'is recognised but not implemented yet in Tandem (TLS policy and tuning beyond tune.bufsize/tune.maxrewrite come with a later issue)');
  }
  kw.sink.error(kw.file, kw.line, keyword, "unknown keyword in 'global' section", nearest(keyword, [...GLOBAL_KEYWORDS.keys(), ...NOT_IMPLEMENTED_GLOBAL_KEYWORDS.keys()]));
}

/** Longest match first: `option forwardfor` before `option`; `no option x` negates a boolean option. */
function handleProxyKeyword(draft: ProxyDraft, kw: KeywordLine): void {
  let words = kw.words;
  let negated = false;
  if (words[0] === 'no' || words[0] === 'default') {
    negated = words[0] === 'no';
    words = words.slice(1);
  }
  const match = findKeyword(words);
  const section = draft.kind;
  if (match) {
    const name = match.words.join(' ');
    if (!sectionAllows(match.sections, section)) {
      kw.sink.error(kw.file, kw.line, name, `is not allowed in a '${section}' section`);
      return;
    }
    if (negated && !match.negatable) {
      kw.sink.error(kw.file, kw.line, name, "cannot be negated with 'no'");
      return;
    }
    match.handle(draft, kw, words.slice(match.words.length), negated);
    return;
  }
  const two = words.slice(0, 2).join(' ');
  const issue = NOT_IMPLEMENTED_PROXY_KEYWORDS.get(two) ?? NOT_IMPLEMENTED_PROXY_KEYWORDS.get(words[0]!);
  if (issue !== undefined) {
    const name = NOT_IMPLEMENTED_PROXY_KEYWORDS.has(two) ? two : words[0]!;
    kw.sink.error(kw.file, kw.line, name, notImplementedMessage(issue));
    return;
  }
  const known = [...PROXY_KEYWORDS.map((k) => k.words.join(' ')), ...NOT_IMPLEMENTED_PROXY_KEYWORDS.keys()];
  if (words[0] === 'option' || words[0] === 'timeout') {
    kw.sink.error(kw.file, kw.line, two, `unknown ${words[0]} '${words[1] ?? ''}' in '${section}' section`, nearest(two, known.filter((k) => k.startsWith(`${words[0]} `))));
    return;
  }
  kw.sink.error(kw.file, kw.line, words[0]!, `unknown keyword in '${section}' section`, nearest(words[0]!, known.filter((k) => !k.includes(' '))));
}

function findKeyword(words: readonly string[]): ProxyKeyword | undefined {
  let best: ProxyKeyword | undefined;
  for (const k of PROXY_KEYWORDS) {
    if (k.words.every((w, i) => words[i] === w) && (!best || k.words.length > best.words.length)) best = k;
  }
  return best;
}

function handleUserlist(list: { users: Userlist['users'][number][]; groups: string[]; groupUsers?: Record<string, string[]> }, kw: KeywordLine, keyword: string, args: readonly string[]): void {
  if (keyword === 'group' && args[0] && (args[1] === undefined || args[1] === 'users' && args[2])) {
    list.groups.push(args[0]);
    if (args[2]) ((list.groupUsers ??= {})[args[0]] ??= []).push(...args[2].split(',').filter(Boolean));
    return;
  }
  if (keyword === 'user' && args[1] === 'password' && args[2] && !/^\$[156]\$/.test(args[2])) {
    // HAProxy hands the hash to the system's crypt(3); Tandem computes SHA-512, SHA-256 and MD5 crypt itself.
    kw.sink.error(kw.file, kw.line, keyword, `password hash scheme of '${args[2].slice(0, 4)}…' ${notImplementedMessage(0)}; use a '$6$' (openssl passwd -6), '$5$' or '$1$' hash`);
    return;
  }
  if (keyword === 'user' && args[0] && (args[1] === 'password' || args[1] === 'insecure-password') && args[2]) {
    const groupsIndex = args.indexOf('groups');
    list.users.push({
      name: args[0],
      password: { kind: args[1] === 'password' ? 'hash' : 'insecure', value: args[2] },
      groups: groupsIndex >= 0 ? (args[groupsIndex + 1] ?? '').split(',').filter(Boolean) : [],
    });
    return;
  }
  if (keyword === 'user' || keyword === 'group') {
    kw.sink.error(kw.file, kw.line, keyword, keyword === 'user' ? 'expects <name> password|insecure-password <password> [groups <g1,g2>]' : 'expects <name> [users <u1,u2>]');
    return;
  }
  kw.sink.error(kw.file, kw.line, keyword, "unknown keyword in 'userlist' section", nearest(keyword, ['user', 'group']));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
