import { STAT_FIELDS, STAT_TYPE, type StatField, type StatRow } from './stat-csv.js';

/**
 * `show stat typed` and `show stat json` (doc/management.txt 9.2 "Typed output format" and "show stat json"), pure:
 * the same rows as the CSV, one field per line (typed) or one object per field (JSON), only the fields that have a
 * value, as HAProxy prints them.
 *
 * A typed line is `<obj>.<iid>.<sid>.<pos>.<name>.<process>:<origin><nature><scope>:<type>:<value>` where `obj` is
 * F (frontend), B (backend), S (server) or L (listener) and `pos` the column's position in the CSV header.
 * Tags: origin M(etric) S(tatus) K(ey) C(onfig) P(roduct); nature A(ge) a(vg) C(ounter) D(uration) G(auge)
 * L(imit) M(in) X (max) N(ame) O(utput) R(ate) T(ime); scope P(rocess) S(ervice) C(luster) s(ystem).
 */
type Tag = `${'M' | 'S' | 'K' | 'C' | 'P'}${'A' | 'a' | 'C' | 'D' | 'G' | 'L' | 'M' | 'X' | 'N' | 'O' | 'R' | 'T'}${'P' | 'S' | 'C' | 's'}`;
type ValueType = 'u32' | 'u64' | 's32' | 's64' | 'str' | 'flt';

/** Tags and type of the columns Tandem fills; any other numeric column is a u64 process counter (MCP). */
const FIELD_INFO: Partial<Record<StatField, readonly [Tag, ValueType]>> = {
  pxname: ['KNS', 'str'], svname: ['KNS', 'str'],
  qcur: ['MGP', 'u32'], qmax: ['MXP', 'u32'], scur: ['MGP', 'u32'], smax: ['MXP', 'u32'], slim: ['CLP', 'u32'],
  status: ['SGP', 'str'], weight: ['MaS', 'u32'], act: ['MGS', 'u32'], bck: ['MGS', 'u32'],
  lastchg: ['MAP', 'u32'], downtime: ['MCP', 'u32'], qlimit: ['CLP', 'u32'],
  pid: ['KGP', 'u32'], iid: ['KGS', 'u32'], sid: ['KGS', 'u32'], throttle: ['MGP', 'u32'], tracked: ['CGS', 'str'],
  type: ['CGS', 'u32'], rate: ['MRP', 'u32'], rate_lim: ['CLP', 'u32'], rate_max: ['MXP', 'u32'],
  check_status: ['SOP', 'str'], check_code: ['MOP', 'u32'], check_duration: ['MDP', 'u64'],
  req_rate: ['MRP', 'u32'], req_rate_max: ['MXP', 'u32'],
  lbtot: ['MCP', 'u64'], lastsess: ['MAP', 's32'], chkfail: ['MCP', 'u64'], chkdown: ['MCP', 'u64'], hanafail: ['MCP', 'u64'],
  qtime: ['MaP', 'u32'], ctime: ['MaP', 'u32'], rtime: ['MaP', 'u32'], ttime: ['MaP', 'u32'],
  check_desc: ['SOP', 'str'], agent_desc: ['SOP', 'str'],
  check_rise: ['CGS', 'u32'], check_fall: ['CGS', 'u32'], check_health: ['SGS', 'u32'],
  addr: ['CGS', 'str'], cookie: ['CGS', 'str'], mode: ['CGS', 'str'], algo: ['CGS', 'str'],
  conn_rate: ['MRP', 'u32'], conn_rate_max: ['MXP', 'u32'], uweight: ['MaS', 'u32'],
};

const OBJECT_LETTER = ['F', 'B', 'S', 'L'] as const;
const OBJECT_NAME = ['Frontend', 'Backend', 'Server', 'Listener'] as const;
const ORIGIN: Record<string, string> = { M: 'Metric', S: 'Status', K: 'Key', C: 'Config', P: 'Product' };
const NATURE: Record<string, string> = { A: 'Age', a: 'Avg', C: 'Counter', D: 'Duration', G: 'Gauge', L: 'Limit', M: 'Min', X: 'Max', N: 'Name', O: 'Output', R: 'Rate', T: 'Time' };
const SCOPE: Record<string, string> = { P: 'Process', S: 'Service', C: 'Cluster', s: 'System' };

interface TypedField {
  readonly pos: number;
  readonly name: StatField;
  readonly tag: Tag;
  readonly type: ValueType;
  readonly value: string | number;
}

function typedFields(row: StatRow): TypedField[] {
  const fields: TypedField[] = [];
  STAT_FIELDS.forEach((name, pos) => {
    const value = row[name];
    if (value === undefined || name === '-') return;
    const [tag, type] = FIELD_INFO[name] ?? (typeof value === 'string' ? (['SOP', 'str'] as const) : (['MCP', 'u64'] as const));
    fields.push({ pos, name, tag, type: typeof value === 'string' ? 'str' : type, value });
  });
  return fields;
}

function objectType(row: StatRow): number {
  const t = Number(row.type ?? STAT_TYPE.server);
  return t >= 0 && t <= 3 ? t : STAT_TYPE.server;
}

/** The typed answer: one line per field that has a value, rows in the order given. */
export function encodeStatTyped(rows: readonly StatRow[]): string {
  let out = '';
  for (const row of rows) {
    const prefix = `${OBJECT_LETTER[objectType(row)]}.${row.iid ?? 0}.${row.sid ?? 0}`;
    for (const f of typedFields(row)) out += `${prefix}.${f.pos}.${f.name}.${row.pid ?? 1}:${f.tag}:${f.type}:${String(f.value).replace(/\n/g, ' ')}\n`;
  }
  return out;
}

/** The JSON answer: an array with one array per row, one object per field (HAProxy's stats JSON layout). */
export function encodeStatJson(rows: readonly StatRow[]): string {
  const doc = rows.map((row) =>
    typedFields(row).map((f) => ({
      objType: OBJECT_NAME[objectType(row)],
      proxyId: Number(row.iid ?? 0),
      id: Number(row.sid ?? 0),
      field: { pos: f.pos, name: f.name },
      processNum: Number(row.pid ?? 1),
      tags: { origin: ORIGIN[f.tag[0]!], nature: NATURE[f.tag[1]!], scope: SCOPE[f.tag[2]!] },
      value: { type: f.type, value: f.type === 'str' ? String(f.value) : Number(f.value) },
    })),
  );
  return `${JSON.stringify(doc)}\n`;
}
