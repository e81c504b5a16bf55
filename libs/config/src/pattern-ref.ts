/**
 * HAProxy's pattern references ("pat_ref", src/pattern.c): the in-memory content of one map or ACL pattern file,
 * loaded once per configuration and shared by every converter and ACL that names the file, so a change made at run
 * time (`add map`, `http-request add-acl(…)`) is seen by all of them at once.
 *
 * This is the one mutable object a RuntimeConfig holds (deepFreeze skips it): the parser creates it, the admin
 * commands and the rule actions change it, and @tandem/policy's matchers rebuild their lookup when `version`
 * moved. A reload parses the files again into new references, so runtime changes are forgotten, as in HAProxy.
 */

/** One line of the reference: `key` (the pattern) and, for two-column files, its value. */
export interface PatternEntry {
  /** Unique in the process, shown as `0x<hex>` by `show map|acl` and usable as `#0x<hex>` (HAProxy: the element's address). */
  readonly id: number;
  readonly key: string;
  value: string | undefined;
  /** The file's line, for entries loaded from it (load errors name it). */
  readonly line?: number;
}

/** A check a user of the reference applies to a new key or value (HAProxy parses each pattern for every expression). */
export type PatternCheck = (key: string, value: string | undefined) => string | undefined;

/** One expression reading the reference: a map converter or an ACL, with its match method (`get map|acl`). */
export interface PatternUser {
  readonly kind: 'map' | 'acl';
  readonly match: string;
  readonly ignoreCase: boolean;
  /** A map's output type (`str`, `int`, `ip`). */
  readonly output?: string;
}

let nextEntryId = 0x1000;

export class PatternRef {
  /** HAProxy's unique id (`#<id>`), assigned in load order from 0; -1 until the file is loaded by a map or an ACL. */
  id = -1;
  /** `pattern loaded from file '<f>' used by map at file '<cfg>' line <n>[, by acl at …]` (show map|acl). */
  display = '';
  /** Used by a map converter (`show map` lists it) and/or by an ACL (`show acl`). */
  usedByMap = false;
  usedByAcl = false;
  /** Two-column content (a map, or `-M`): HAProxy's PAT_REF_SMP; `add acl` is refused on such a reference. */
  withValues = false;
  /** Bumped on every change: a compiled matcher compares it once per lookup and rebuilds when it moved. */
  version = 0;
  private items: PatternEntry[] = [];
  private readonly checks: PatternCheck[] = [];
  /** The expressions using the reference, in load order. */
  readonly users: PatternUser[] = [];

  constructor(readonly file: string, readonly namedAt?: { readonly file: string; readonly line: number }) {}

  get loaded(): boolean {
    return this.id >= 0;
  }

  entries(): readonly PatternEntry[] {
    return this.items;
  }

  /** Records a user and its validation, so later additions are checked as the file's lines were at load. */
  addUser(user: PatternUser, check: PatternCheck): void {
    if (!this.users.some((u) => u.kind === user.kind && u.match === user.match && u.ignoreCase === user.ignoreCase && u.output === user.output)) this.users.push(user);
    this.checks.push(check);
  }

  /** Appends the loaded file's lines (no change of version: nothing compiled them yet). */
  load(lines: ReadonlyArray<{ key: string; value?: string; line?: number }>): void {
    for (const l of lines) this.items.push({ id: nextEntryId++, key: l.key, value: this.withValues ? (l.value ?? '') : undefined, ...(l.line !== undefined ? { line: l.line } : {}) });
  }

  /** `add map|acl`, `add-acl`, `set-map` of a new key: appended after the existing entries (HAProxy). */
  add(key: string, value: string | undefined): string | undefined {
    const v = this.withValues ? (value ?? '') : undefined;
    for (const c of this.checks) {
      const bad = c(key, v);
      if (bad) return bad;
    }
    this.items.push({ id: nextEntryId++, key, value: v });
    this.version++;
    return undefined;
  }

  /** `set map <key>`: every entry with this key takes the value; false when there is none. */
  set(key: string, value: string): string | undefined | false {
    const hits = this.items.filter((e) => e.key === key);
    if (hits.length === 0) return false;
    const bad = this.checkValue(key, value);
    if (bad) return bad;
    for (const e of hits) e.value = value;
    this.version++;
    return undefined;
  }

  /** `set map #<ref>`: one entry; false when the id is unknown. */
  setById(id: number, value: string): string | undefined | false {
    const e = this.items.find((x) => x.id === id);
    if (!e) return false;
    const bad = this.checkValue(e.key, value);
    if (bad) return bad;
    e.value = value;
    this.version++;
    return undefined;
  }

  /** `del map|acl <key>`: every entry with this key; false when there was none. */
  delete(key: string): boolean {
    const before = this.items.length;
    this.items = this.items.filter((e) => e.key !== key);
    if (this.items.length === before) return false;
    this.version++;
    return true;
  }

  deleteById(id: number): boolean {
    const i = this.items.findIndex((e) => e.id === id);
    if (i < 0) return false;
    this.items.splice(i, 1);
    this.version++;
    return true;
  }

  clear(): void {
    this.items = [];
    this.version++;
  }

  private checkValue(key: string, value: string): string | undefined {
    for (const c of this.checks) {
      const bad = c(key, value);
      if (bad) return bad;
    }
    return undefined;
  }
}

/** The references of one configuration, by file name, in load order (HAProxy's `pattern_reference` list). */
export class PatternRefRegistry {
  private readonly byFile = new Map<string, PatternRef>();
  private readonly ordered: PatternRef[] = [];
  /** The configuration line being parsed, for the references' display text (set by the parser per line). */
  where: { readonly file: string; readonly line: number } = { file: '', line: 0 };

  /** The reference of a file, created unloaded when first named (an action may name a file before an ACL loads it). */
  reference(file: string): PatternRef {
    let ref = this.byFile.get(file);
    if (!ref) this.byFile.set(file, (ref = new PatternRef(file, this.where)));
    return ref;
  }

  /**
   * A file used by a map (two columns) or an ACL (`withValues` with `-M`): loaded on first use, shared after that,
   * with HAProxy's refusal to read one file both as one and as two columns.
   */
  open(file: string, user: 'map' | 'acl', withValues: boolean, read: () => ReadonlyArray<{ key: string; value?: string; line?: number }>): PatternRef {
    const ref = this.reference(file);
    const at = `by ${user} at file '${this.where.file}' line ${this.where.line}`;
    if (!ref.loaded) {
      ref.withValues = withValues;
      ref.load(read());
      ref.id = this.ordered.length;
      ref.display = `pattern loaded from file '${file}' used ${at}`;
      this.ordered.push(ref);
    } else {
      if (withValues && !ref.withValues) throw new Error(`The file "${file}" is already used as one column file and cannot be used by as two column file.`);
      if (!withValues && ref.withValues) throw new Error(`The file "${file}" is already used as two column file and cannot be used by as one column file.`);
      ref.display += `, ${at}`;
    }
    if (user === 'map') ref.usedByMap = true;
    else ref.usedByAcl = true;
    return ref;
  }

  /** Loaded references in id order. */
  list(): readonly PatternRef[] {
    return this.ordered;
  }

  /** References named by an action but loaded by no map or ACL (HAProxy's action then does nothing). */
  unloaded(): PatternRef[] {
    return [...this.byFile.values()].filter((r) => !r.loaded);
  }
}

/** `<file>` or `#<id>` as the admin commands name a reference (pat_ref_lookup_ref). */
export function lookupPatternRef(refs: readonly PatternRef[], name: string): PatternRef | undefined {
  if (name.startsWith('#')) {
    if (!/^#-?\d+$/.test(name)) return undefined;
    const id = Number(name.slice(1));
    return refs.find((r) => r.id === id);
  }
  return refs.find((r) => r.file === name);
}
