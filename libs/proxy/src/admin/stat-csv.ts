/**
 * HAProxy's `show stat` CSV (doc/management.txt section 9.1), pure: rows in, text out. No sockets, no data plane.
 *
 * The column list is HAProxy 2.6's, in order: the 0..104 "info" fields, then the `-` separator and the columns of
 * the stats modules HAProxy 2.6 ships (ssl, h2). Parsers such as haproxystats, telegraf and Prometheus' exporter
 * find columns by name, but several scripts index by position, so the order is exact. Every line, header included,
 * ends with a comma, as HAProxy prints it. A field Tandem does not track (or that does not apply to the row's type)
 * is left empty, as HAProxy leaves fields that do not apply.
 */
export const STAT_FIELDS = [
  'pxname', 'svname', 'qcur', 'qmax', 'scur', 'smax', 'slim', 'stot', 'bin', 'bout', 'dreq', 'dresp', 'ereq', 'econ',
  'eresp', 'wretr', 'wredis', 'status', 'weight', 'act', 'bck', 'chkfail', 'chkdown', 'lastchg', 'downtime', 'qlimit',
  'pid', 'iid', 'sid', 'throttle', 'lbtot', 'tracked', 'type', 'rate', 'rate_lim', 'rate_max', 'check_status',
  'check_code', 'check_duration', 'hrsp_1xx', 'hrsp_2xx', 'hrsp_3xx', 'hrsp_4xx', 'hrsp_5xx', 'hrsp_other', 'hanafail',
  'req_rate', 'req_rate_max', 'req_tot', 'cli_abrt', 'srv_abrt', 'comp_in', 'comp_out', 'comp_byp', 'comp_rsp',
  'lastsess', 'last_chk', 'last_agt', 'qtime', 'ctime', 'rtime', 'ttime', 'agent_status', 'agent_code',
  'agent_duration', 'check_desc', 'agent_desc', 'check_rise', 'check_fall', 'check_health', 'agent_rise', 'agent_fall',
  'agent_health', 'addr', 'cookie', 'mode', 'algo', 'conn_rate', 'conn_rate_max', 'conn_tot', 'intercepted', 'dcon',
  'dses', 'wrew', 'connect', 'reuse', 'cache_lookups', 'cache_hits', 'srv_icur', 'src_ilim', 'qtime_max', 'ctime_max',
  'rtime_max', 'ttime_max', 'eint', 'idle_conn_cur', 'safe_conn_cur', 'used_conn_cur', 'need_conn_est', 'uweight',
  'agg_server_status', 'agg_server_check_status', 'agg_check_status',
  // Stats modules (HAProxy 2.6: ssl, then h2), after the '-' separator column.
  '-', 'ssl_sess', 'ssl_reused_sess', 'ssl_failed_handshake', 'h2_headers_rcvd', 'h2_data_rcvd', 'h2_settings_rcvd',
  'h2_rst_stream_rcvd', 'h2_goaway_rcvd', 'h2_detected_conn_protocol_errors', 'h2_detected_strm_protocol_errors',
  'h2_rst_stream_resp', 'h2_goaway_resp', 'h2_open_connections', 'h2_backend_open_streams', 'h2_total_connections',
  'h2_backend_total_streams',
] as const;

export type StatField = (typeof STAT_FIELDS)[number];

/** `type` column (management.txt 9.1, field 32): 0=frontend, 1=backend, 2=server, 3=socket/listener. */
export const STAT_TYPE = Object.freeze({ frontend: 0, backend: 1, server: 2, listener: 3 });

/** One CSV line: the fields that have a value; every other column stays empty. */
export type StatRow = Partial<Record<StatField, string | number>>;

/** The header line: `# ` then every column name followed by a comma. */
export function statCsvHeader(): string {
  return `# ${STAT_FIELDS.map((f) => `${f},`).join('')}\n`;
}

/** One row: each column's value (or nothing), each followed by a comma. */
export function encodeStatRow(row: StatRow): string {
  return `${STAT_FIELDS.map((f) => `${csvField(row[f])},`).join('')}\n`;
}

/**
 * The whole `show stat` answer without its final empty line (the control server ends every answer with one):
 * the header, then the rows in the order given.
 */
export function encodeStatCsv(rows: readonly StatRow[]): string {
  return statCsvHeader() + rows.map(encodeStatRow).join('');
}

/** HAProxy's csv_enc(): a value holding a comma, a quote or a line break is quoted, inner quotes doubled. */
function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
