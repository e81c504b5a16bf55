import { STICK_DATA_TYPES, formatShowTable, formatShowTableHeader, keyFromText, type DataFilter, type StickDataType, type StickTable } from '@tandem/stick-tables';
import type { StickTableRegistry } from '../stick/stick-table-registry.js';
import { AdminCommandError, type ProxyAdminCommand } from './proxy-commands.js';

/** What the table commands read: the data plane's stick tables (`DataPlane.stickTables`). */
export interface StickTableSource {
  readonly stickTables: StickTableRegistry;
}

const OPERATORS = new Set(['eq', 'ne', 'le', 'lt', 'ge', 'gt']);

/**
 * `show table`, `show table <name> [data.<type> <op> <value>] [key <key>]`, `clear table <name> [data.<type>
 * <op> <value>] [key <key>]` and `set table <name> key <key> [data.<type> <value>]*`, answered as HAProxy 2.6 does (src/stick_table.c, cli_parse_table_req and
 * table_process_entry_per_key): a header line per table, then one line per entry.
 */
export function stickTableCommands(source: StickTableSource): ProxyAdminCommand[] {
  return [
    {
      words: ['show', 'table'],
      usage: 'show table [<table>]                     : report table usage stats or dump this table\'s contents',
      level: 'operator',
      run: (args) => {
        if (args[0] === undefined) return source.stickTables.list().map((t) => `${formatShowTableHeader(t.definition, sweptSize(t))}\n`).join('');
        const table = findTable(source, args[0]);
        const { key, filter } = parseTableArgs(table, args.slice(1));
        const used = sweptSize(table);
        if (key !== undefined) {
          const entry = table.lookup(key);
          return lines(formatShowTable(table.definition, used, entry ? [entry] : []));
        }
        return lines(formatShowTable(table.definition, used, table.snapshot(filter)));
      },
    },
    {
      words: ['clear', 'table'],
      usage: 'clear table <table> [<filter>]*          : remove an entry from a table (filter: data/key)',
      level: 'admin',
      mutates: true,
      run: (args) => {
        if (args[0] === undefined) throw new AdminCommandError('Optional argument only supports "data.<store_data_type>" <operator> <value> and key <key>');
        const table = findTable(source, args[0]);
        const { key, filter } = parseTableArgs(table, args.slice(1));
        if (key !== undefined) {
          if (table.remove(key) === 'in-use') throw new AdminCommandError('Entry currently in use, cannot remove');
          return '';
        }
        table.clear(filter);
        return '';
      },
    },
    {
      words: ['set', 'table'],
      usage: 'set table <table> key <k> [data.* <v>]*  : update or create a table entry\'s data',
      level: 'admin',
      mutates: true,
      run: (args) => {
        if (args[0] === undefined) throw new AdminCommandError('Optional argument only supports "data.<store_data_type>" <operator> <value> and key <key>');
        const table = findTable(source, args[0]);
        return setTableEntry(table, args.slice(1));
      },
    },
  ];
}

/**
 * `set table <t> key <k> [data.<type> <value>]*` as HAProxy 2.6's table_process_entry_per_key: the entry is created
 * when absent; a data type the table does not store is skipped silently; a rate restarts with the value as its
 * current period's count. Values are applied only when every pair is valid.
 */
function setTableEntry(table: StickTable, args: readonly string[]): string {
  if (args[0] !== 'key' || args[1] === undefined) throw new AdminCommandError('Key value expected');
  const key = keyFromText(args[1], table.definition.type, table.definition.keyLength);
  if (key === undefined) throw new AdminCommandError(`Invalid key for a table of type ${table.definition.type}`);
  const values: Array<[StickDataType, number]> = [];
  for (let i = 2; i < args.length; i += 2) {
    const w = args[i]!;
    if (!w.startsWith('data.')) throw new AdminCommandError('"data.<type>" followed by a value expected');
    const type = w.slice(5) as StickDataType;
    if (!STICK_DATA_TYPES.includes(type)) throw new AdminCommandError('Unknown data type');
    if (!table.stores(type)) continue;
    const v = args[i + 1];
    if (v === undefined || !/^-?\d+$/.test(v)) throw new AdminCommandError('Require a valid integer value to store');
    // HAProxy stores these as unsigned 32-bit integers (gpt0, the counters) and rates' counts likewise.
    values.push([type, Number(v) >>> 0]);
  }
  if (!table.setData(key, values)) throw new AdminCommandError('Unable to allocate a new entry');
  return '';
}

function lines(list: readonly string[]): string {
  return list.map((l) => `${l}\n`).join('');
}

/** `used` counts live entries only: expired ones are reclaimed first. */
function sweptSize(table: StickTable): number {
  table.sweep();
  return table.used;
}

function findTable(source: StickTableSource, name: string): StickTable {
  const table = source.stickTables.get(name);
  if (!table) throw new AdminCommandError('No such table');
  return table;
}

function parseTableArgs(table: StickTable, args: readonly string[]): { key?: string | number; filter?: DataFilter } {
  let key: string | number | undefined;
  let filter: DataFilter | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === 'key') {
      const text = args[i + 1];
      if (text === undefined) throw new AdminCommandError('Key value expected');
      const k = keyFromText(text, table.definition.type, table.definition.keyLength);
      if (k === undefined) throw new AdminCommandError(`Invalid key for a table of type ${table.definition.type}`);
      key = k;
      i++;
    } else if (w.startsWith('data.')) {
      const type = w.slice(5) as StickDataType;
      if (!STICK_DATA_TYPES.includes(type)) throw new AdminCommandError('Unknown data type');
      if (!table.stores(type)) throw new AdminCommandError('Data type not stored in this table');
      const op = args[i + 1];
      if (op === undefined || !OPERATORS.has(op)) throw new AdminCommandError('Require and operator among "eq", "ne", "le", "ge", "lt", "gt"');
      const value = args[i + 2];
      if (value === undefined || !/^-?\d+$/.test(value)) throw new AdminCommandError('Require a valid integer value to compare against');
      filter = { type, op: op as DataFilter['op'], value: Number(value) };
      i += 2;
    } else {
      throw new AdminCommandError('Optional argument only supports "data.<store_data_type>" <operator> <value> and key <key>');
    }
  }
  return { ...(key !== undefined ? { key } : {}), ...(filter ? { filter } : {}) };
}
