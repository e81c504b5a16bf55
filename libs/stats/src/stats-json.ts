import type { StatRecord } from './stats-page.types.js';

/** Columns that are identifiers or text (HAProxy's FN_NAME / FO_KEY / str fields). */
const KEY_FIELDS = new Set(['pxname', 'svname']);
/** Monotonic counters among the numeric columns (HAProxy's FN_COUNTER); the rest are gauges. */
const COUNTERS = /^(stot|bin|bout|dreq|dresp|ereq|econ|eresp|wretr|wredis|chkfail|chkdown|lbtot|hrsp_.*|req_tot|cli_abrt|srv_abrt|conn_tot|intercepted|dcon|dses|wrew|connect|reuse|cache_.*|eint|comp_.*)$/;

const OBJ_TYPE: Readonly<Record<number, string>> = { 0: 'Frontend', 1: 'Backend', 2: 'Server', 3: 'Listener' };

/**
 * HAProxy's `show stat json` / `;json` (management.txt 9.3, "typed output format" as JSON): an array with one array
 * per row, one object per non-empty field, carrying its position in `fields` (the `show stat` column order).
 */
export function renderStatsJson(rows: readonly StatRecord[], fields: readonly string[]): string {
  const out = rows.map((r) => {
    const objType = OBJ_TYPE[Number(r['type'])] ?? 'Unknown';
    const proxyId = Number(r['iid'] ?? 0);
    const id = Number(r['sid'] ?? 0);
    const items: unknown[] = [];
    fields.forEach((name, pos) => {
      const v = r[name];
      if (v === undefined || v === '' || name === '-') return;
      const numeric = typeof v === 'number';
      items.push({
        objType,
        proxyId,
        id,
        field: { pos, name },
        processNum: 1,
        tags: {
          origin: KEY_FIELDS.has(name) ? 'Key' : numeric ? 'Metric' : 'Status',
          nature: KEY_FIELDS.has(name) ? 'Name' : numeric ? (COUNTERS.test(name) ? 'Counter' : 'Gauge') : 'Output',
          scope: KEY_FIELDS.has(name) ? 'Service' : 'Process',
        },
        value: numeric ? { type: Number.isInteger(v) && v >= 0 ? 'u64' : 's64', value: v } : { type: 'str', value: v },
      });
    });
    return items;
  });
  return `${JSON.stringify(out)}\n`;
}
