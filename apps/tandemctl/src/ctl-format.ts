/**
 * How tandemctl shows an admin-socket answer (issue #5 item 7), pure: readable tables on a terminal, JSON for scripts.
 * The socket answers HAProxy's own layouts (CSV for `show stat`, `# `-headed columns, `Key: value` lines); this file
 * only reshapes them, so the daemon's answers stay byte-compatible with HAProxy's.
 */

/** The `show stat` columns worth a terminal's width, in this order. */
const STAT_TABLE_COLUMNS = ['pxname', 'svname', 'status', 'weight', 'scur', 'smax', 'slim', 'stot', 'bin', 'bout', 'econ', 'eresp', 'hrsp_2xx', 'hrsp_5xx', 'addr'] as const;

/** `show stat` CSV to one object per row (every column, empty ones left out; numbers as numbers). */
export function parseStatCsv(answer: string): Record<string, string | number>[] {
  const lines = answer.split('\n').filter((l) => l !== '');
  const header = lines[0];
  if (!header?.startsWith('# ')) return [];
  const names = header.slice(2).split(',');
  return lines.slice(1).map((line) => {
    const row: Record<string, string | number> = {};
    splitCsv(line).forEach((value, i) => {
      const name = names[i];
      if (name && name !== '-' && value !== '') row[name] = /^-?\d+$/.test(value) ? Number(value) : value;
    });
    return row;
  });
}

/** HAProxy quotes a CSV value holding a comma or a quote (csv_enc). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** `Key: value` lines (`show info`) to an object. */
export function parseKeyValues(answer: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const line of answer.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const value = line.slice(i + 1).trim();
    out[line.slice(0, i)] = /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return out;
}

/** Columns aligned with two spaces; the header underlined. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/**
 * The answer as a terminal shows it: `show stat` as a table of its main columns; other `# `-headed answers
 * (`show backend`, `show servers state`, `show audit`) with aligned columns; anything else as is.
 */
export function renderForTerminal(line: string, answer: string): string {
  const body = answer.replace(/\n+$/, '');
  if (/^show stat\b/.test(line) && !/\b(typed|json)\b/.test(line) && body.startsWith('# pxname,')) {
    const rows = parseStatCsv(body);
    return formatTable([...STAT_TABLE_COLUMNS], rows.map((r) => STAT_TABLE_COLUMNS.map((c) => String(r[c] ?? ''))));
  }
  const lines = body.split('\n');
  const headerAt = lines.findIndex((l) => l.startsWith('# '));
  if (headerAt >= 0 && headerAt <= 1 && !lines[headerAt]!.includes(',')) {
    const header = lines[headerAt]!.slice(2).split(/\s+/);
    const rows = lines.slice(headerAt + 1).map((l) => {
      const cells = l.split(/\s+/);
      // The last column keeps its spaces (commands in `show audit`, for instance).
      return cells.length > header.length ? [...cells.slice(0, header.length - 1), cells.slice(header.length - 1).join(' ')] : cells;
    });
    return formatTable(header, rows);
  }
  return answer;
}

/**
 * The answer as one JSON document for `--json`, for the commands that have a structure; undefined otherwise (the
 * caller prints `{ command, answer }`).
 */
export function answerToJson(line: string, answer: string): unknown {
  const body = answer.replace(/\n+$/, '');
  if (/^show stat\b/.test(line) && body.startsWith('# pxname,')) return parseStatCsv(body);
  if (/^show info\b/.test(line)) return parseKeyValues(body);
  if (/^show backend\b/.test(line)) return body.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  if (/^show errors\b/.test(line)) {
    const m = /^Total events captured on \[([^\]]+)\] : (\d+)/.exec(body);
    if (m) return { capturedOn: m[1], total: Number(m[2]) };
  }
  if (/^(set|clear|enable|disable) /.test(line)) return { command: line, ok: !/^(Permission denied|No such|Require|Invalid|Unknown|'|A |Integer|Expects|Value)/.test(body), answer: body };
  return undefined;
}

/** `--timeout` values: `30` (seconds), `30s`, `500ms`, `2m`. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)(ms|s|m)?$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}
