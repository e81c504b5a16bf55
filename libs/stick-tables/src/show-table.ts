import { STICK_DATA_TYPES, type StickEntrySnapshot, type StickKey, type StickTableDefinition } from './stick-table.types.js';

/**
 * The lines of HAProxy's `show table <name>` (doc/management.txt), without trailing newlines:
 *   # table: http_proxy, type: ip, size:204800, used:2
 *   0x1: key=127.0.0.1 use=0 exp=3594729 gpc0=0 conn_rate(30000)=1 bytes_out_rate(60000)=187
 * `used` is the table's entry count (not the number of rows shown when filtered). Data types print in HAProxy's
 * enum order, rates with their period in ms; `exp` is the remaining time in ms (0 when the table has no expire);
 * `use` is the number of streams tracking the entry. The `0x…` is the entry's stable id, where HAProxy prints
 * the entry's address.
 */
export function formatShowTable(def: StickTableDefinition, used: number, entries: readonly StickEntrySnapshot[]): string[] {
  const lines = [formatShowTableHeader(def, used)];
  for (const entry of entries) lines.push(formatShowTableEntry(def, entry));
  return lines;
}

export function formatShowTableHeader(def: StickTableDefinition, used: number): string {
  return `# table: ${def.name}, type: ${def.type}, size:${def.size}, used:${used}`;
}

export function formatShowTableEntry(def: StickTableDefinition, entry: StickEntrySnapshot): string {
  let line = `0x${entry.id.toString(16)}: key=${formatKey(def, entry.key)} use=${entry.use} exp=${entry.expiresInMs ?? 0}`;
  for (const type of STICK_DATA_TYPES) {
    const stored = def.store.find((item) => item.type === type);
    if (!stored) continue;
    const label = 'periodMs' in stored ? `${type}(${stored.periodMs})` : type;
    line += ` ${label}=${entry.data[type] ?? 0}`;
  }
  return line;
}

/** ip, ipv6 and integer keys print as they are; binary in hex; string keys escaped as HAProxy's dump_text does. */
export function formatKey(def: StickTableDefinition, key: StickKey): string {
  if (def.type !== 'string' || typeof key !== 'string') return String(key);
  let out = '';
  for (const byte of new TextEncoder().encode(key)) {
    const c = String.fromCharCode(byte);
    if (byte > 0x20 && byte < 0x7f && c !== '\\' && c !== '=') out += c;
    else if (ESCAPES[c] !== undefined) out += ESCAPES[c];
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

const ESCAPES: Record<string, string> = { ' ': '\\ ', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\x1b': '\\e', '\\': '\\\\', '=': '\\=' };
