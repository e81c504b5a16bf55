import { lookupPatternRef, type PatternRef, type PatternUser, type MapMatch } from '@tandem/config';
import { compileMapLookup } from '@tandem/policy';
import { AdminCommandError, type ProxyAdminCommand } from './proxy-commands.js';

/** What the map commands read: the running configuration's map/ACL file references (`DataPlane.patternRefs`). */
export interface PatternRefSource {
  patternRefs(): readonly PatternRef[];
}

type Kind = 'map' | 'acl';

const unknown = (kind: Kind) => new AdminCommandError(kind === 'map' ? 'Unknown map identifier. Please use #<id> or <file>.' : 'Unknown ACL identifier. Please use #<id> or <file>.');
const NO_VERSIONS = 'Versions (@<ver>, prepare, commit) are not implemented in Tandem: changes apply to the current version.';

/** `<file>` or `#<id>`, restricted to the references used as `kind` (HAProxy checks the map/acl flag). */
function find(source: PatternRefSource, kind: Kind, name: string | undefined): PatternRef {
  if (name?.startsWith('@')) throw new AdminCommandError(NO_VERSIONS);
  const ref = name === undefined ? undefined : lookupPatternRef(source.patternRefs(), name);
  if (!ref || !(kind === 'map' ? ref.usedByMap : ref.usedByAcl)) throw unknown(kind);
  return ref;
}

/** `#0x<hex>`: an entry id as `show map|acl` prints it; undefined for a key. */
function entryId(word: string): number | undefined {
  if (!word.startsWith('#0x')) return undefined;
  if (!/^#0x[0-9a-fA-F]+$/.test(word)) throw new AdminCommandError('Malformed identifier. Please use #<id> or <file>.');
  return parseInt(word.slice(3), 16);
}

/** One line of `show map|acl` without argument (src/map.c, cli_io_handler_pats_list). */
function listLine(ref: PatternRef): string {
  return `${ref.id} (${ref.file}) ${ref.display}. curr_ver=0 next_ver=0 entry_cnt=${ref.entries().length}\n`;
}

/** `get map|acl`: per expression, which entry the sample matches (HAProxy's cli_io_handler_map_lookup). */
function lookupLines(ref: PatternRef, kind: Kind, sample: string): string {
  const users = ref.users.filter((u) => u.kind === kind);
  return users.map((u) => lookupLine(ref, kind, u, sample)).join('');
}

function lookupLine(ref: PatternRef, kind: Kind, user: PatternUser, sample: string): string {
  const entries = ref.entries();
  const fold = (s: string) => (user.ignoreCase ? s.toLowerCase() : s);
  // The entry's index as the map "value": the lookup then names the matching entry with the converter's own order
  // (file order, longest prefix for ip) and methods.
  const method = (user.match === 'len' || user.match === 'found' || user.match === 'bool' ? undefined : user.match) as MapMatch | undefined;
  const index = method ? compileMapLookup(method, entries.map((e, i) => ({ key: fold(e.key), value: String(i) })))(fold(sample)) : undefined;
  const hit = index === undefined ? undefined : entries[Number(index)];
  let line = `type=${user.match}, case=${user.ignoreCase ? 'insensitive' : 'sensitive'}`;
  if (!hit) return `${line}, ${kind === 'map' ? 'found' : 'match'}=no\n`;
  line += `, ${kind === 'map' ? 'found' : 'match'}=yes, idx=${user.match === 'str' || user.match === 'ip' ? 'tree' : 'list'}`;
  if (kind === 'map') return `${line}, key="${hit.key}", value="${hit.value ?? ''}", type="${user.output === 'int' ? 'sint' : user.output === 'ip' ? 'ipv4' : 'str'}"\n`;
  return `${line}, pattern="${hit.key}"\n`;
}

/**
 * HAProxy 2.6's map and ACL commands (management.txt 9.3; src/map.c): `show|get|add|del|clear map|acl` and
 * `set map`, on the running configuration's shared references (a change is seen by every converter and ACL using
 * the file at once). Changes live in memory only: a reload reads the files again, as HAProxy forgets them. Reading
 * needs `operator`, changing needs `admin`. Versions (`@<ver>`, `prepare`, `commit`) and payloads are not implemented.
 */
export function patternRefCommands(source: PatternRefSource): ProxyAdminCommand[] {
  const commands: ProxyAdminCommand[] = [];
  for (const kind of ['map', 'acl'] as const) {
    const Kind = kind === 'map' ? 'map' : 'ACL';
    commands.push(
      {
        words: ['show', kind],
        usage: `show ${kind} [${kind}]${' '.repeat(kind === 'map' ? 25 : 25)}: report available ${kind}s or dump a ${kind}'s contents`,
        level: 'operator',
        run: (args) => {
          if (args[0] === undefined) {
            const refs = source.patternRefs().filter((r) => (kind === 'map' ? r.usedByMap : r.usedByAcl));
            return `# id (file) description\n${refs.map(listLine).join('')}`;
          }
          const ref = find(source, kind, args[0]);
          return ref.entries().map((e) => `0x${e.id.toString(16)} ${e.key}${e.value !== undefined ? ` ${e.value}` : ''}\n`).join('');
        },
      },
      {
        words: ['get', kind],
        usage: `get ${kind} <${kind}> <value>${' '.repeat(19)}: report the ${kind === 'map' ? 'keys and values' : 'patterns'} matching a sample for ${kind === 'map' ? 'a map' : 'an ACL'}`,
        level: 'operator',
        run: (args) => {
          if (args[0] === undefined || args[1] === undefined) throw new AdminCommandError(`Missing ${Kind} identifier and/or key.`);
          const ref = lookupPatternRef(source.patternRefs(), args[0]);
          if (!ref) throw unknown(kind);
          return lookupLines(ref, kind, args[1]);
        },
      },
      {
        words: ['add', kind],
        usage: kind === 'map' ? 'add map <map> <key> <val>               : add a map entry' : 'add acl <acl> <pattern>                 : add an acl entry',
        level: 'admin',
        mutates: true,
        run: (args) => {
          if (args[0]?.startsWith('@')) throw new AdminCommandError(NO_VERSIONS);
          if (kind === 'map' && (args[0] === undefined || args[1] === undefined || args[2] === undefined)) throw new AdminCommandError("'add map' expects three parameters (map identifier, key and value) or one parameter (map identifier) and a payload");
          if (kind === 'acl' && (args[0] === undefined || args[1] === undefined)) throw new AdminCommandError("'add acl' expects two parameters: ACL identifier and pattern.");
          const ref = lookupPatternRef(source.patternRefs(), args[0]!);
          if (!ref) throw unknown(kind);
          if (kind === 'acl' && ref.withValues) throw new AdminCommandError("This ACL is shared with a map containing samples. You must use the command 'add map' to add values.");
          const bad = ref.add(args[1]!, kind === 'map' ? args[2] : undefined);
          if (bad) throw new AdminCommandError(`${bad}.`);
          return '';
        },
      },
      {
        words: ['del', kind],
        usage: `del ${kind} <${kind}> [<key>|#<ref>]${' '.repeat(12)}: delete ${kind} entries matching <key>`,
        level: 'admin',
        mutates: true,
        run: (args) => {
          if (args[0] === undefined || args[1] === undefined) throw new AdminCommandError(`This command expects two parameters: ${Kind} identifier and key.`);
          const ref = lookupPatternRef(source.patternRefs(), args[0]);
          if (!ref || !(kind === 'map' ? ref.usedByMap : ref.usedByAcl)) throw unknown('map');
          const id = entryId(args[1]);
          const done = id !== undefined ? ref.deleteById(id) : ref.delete(args[1]);
          if (!done) throw new AdminCommandError('Key not found.');
          return '';
        },
      },
      {
        words: ['clear', kind],
        usage: `clear ${kind} <${kind}>${' '.repeat(27)}: clear the contents of this ${kind}`,
        level: 'admin',
        mutates: true,
        run: (args) => {
          if (args[0] === undefined) throw new AdminCommandError(`Missing ${Kind} identifier.`);
          find(source, kind, args[0]).clear();
          return '';
        },
      },
    );
  }
  commands.push({
    words: ['set', 'map'],
    usage: 'set map <map> [<key>|#<ref>] <value>    : modify a map entry',
    level: 'admin',
    mutates: true,
    run: (args) => {
      if (args[0] === undefined || args[1] === undefined || args[2] === undefined) throw new AdminCommandError("'set map' expects three parameters: map identifier, key and value.");
      const ref = lookupPatternRef(source.patternRefs(), args[0]);
      if (!ref) throw unknown('map');
      const id = entryId(args[1]);
      const r = id !== undefined ? ref.setById(id, args[2]) : ref.set(args[1], args[2]);
      if (r === false) throw new AdminCommandError(id !== undefined ? 'key or pattern not found.' : 'Failed to update an entry.');
      if (r) throw new AdminCommandError(`${r}.`);
      return '';
    },
  });
  return commands;
}
