import type { StatRecord, StatsPageInfo } from './stats-page.types.js';

/**
 * HAProxy's HTML stats page (src/stats.c, stats_dump_html_*), pure: rows in, text out. One table per proxy with
 * the FRONTEND row, the server rows and the BACKEND row, HAProxy's column groups (Queue, Session rate, Sessions,
 * Bytes, Denied, Errors, Warnings, Server) and its row colours, so an operator finds things where they expect.
 */
export function renderStatsHtml(rows: readonly StatRecord[], info: StatsPageInfo): string {
  const out: string[] = [];
  const title = `Statistics Report for pid ${info.pid}${info.node ? ` on ${esc(info.node)}` : ''}`;
  out.push('<!DOCTYPE html>\n<html><head><title>', title, '</title>\n<meta http-equiv="content-type" content="text/html; charset=utf-8">\n');
  if (info.refreshMs) out.push(`<meta http-equiv="refresh" content="${Math.max(1, Math.round(info.refreshMs / 1000))}">\n`);
  out.push('<style type="text/css"><!--\n', CSS, '--></style></head>\n<body>');
  out.push(`<h1>Tandem${info.version ? ` version ${esc(info.version)}` : ''}</h1>\n`);
  out.push(`<h2>${title}</h2>\n`);
  out.push(processInfo(info));
  if (info.status) out.push(statusBanner(info.status, info.uri));
  for (const group of groupByProxy(rows)) out.push(proxyTable(group, info));
  if (info.latency?.length) out.push(latencyTable(info.latency, info.uri));
  out.push('</body></html>\n');
  return out.join('');
}

/** Rows of one proxy in HAProxy's display order: FRONTEND, servers, BACKEND. */
export function groupByProxy(rows: readonly StatRecord[]): StatRecord[][] {
  const groups = new Map<string, StatRecord[]>();
  for (const r of rows) {
    const name = String(r['pxname'] ?? '');
    let g = groups.get(name);
    if (!g) groups.set(name, (g = []));
    g.push(r);
  }
  const rank = (r: StatRecord) => (r['svname'] === 'FRONTEND' ? 0 : r['svname'] === 'BACKEND' ? 2 : 1);
  return [...groups.values()].map((g) => [...g].sort((a, b) => rank(a) - rank(b)));
}

function processInfo(info: StatsPageInfo): string {
  const up = formatDuration(info.uptimeMs);
  const legend = info.showLegends
    ? `<td class=active_up>&nbsp;</td><td class=noborder>active UP </td><td class=backup_up>&nbsp;</td><td class=noborder>backup UP </td></tr>
<tr><td class=active_going_down></td><td class=noborder>active UP, going down </td><td class=backup_going_down></td><td class=noborder>backup UP, going down </td></tr>
<tr><td class=active_down></td><td class=noborder>active DOWN </td><td class=backup_down></td><td class=noborder>backup DOWN </td></tr>
<tr><td class=active_draining></td><td class=noborder>active or backup DRAIN </td><td class=noborder></td><td class=noborder></td></tr>
<tr><td class=maintain></td><td class=noborder colspan="3">active or backup SOFT STOPPED for maintenance </td></tr>
<tr><td class=active_no_check></td><td class=noborder colspan="3">not checked </td></tr>
</table>Note: "NOLB"/"DRAIN" = UP with load-balancing disabled.`
    : '</tr></table>';
  return `<hr><h3>&gt; General process information</h3>
<table border=0><tr><td align="left" nowrap width="1%"><p><b>pid = </b> ${info.pid} (process #1, nbproc = 1, nbthread = 1)<br>
<b>uptime = </b> ${up}<br>
<b>system limits:</b> memmax = unlimited<br>
</td><td align="center" nowrap>
<table class="lgd"><tr>${legend}
</td><td align="left" valign="top" nowrap width="1%"><b>Display option:</b><ul style="margin-top: 0.25em;">
<li><a href="${esc(info.uri)};up">Hide 'DOWN' servers</a><br>
${info.refreshMs ? `<li><a href="${esc(info.uri)};norefresh">Disable refresh</a><br>\n` : ''}</ul></td>
<td align="left" valign="top" nowrap width="1%"><b>External resources:</b><ul style="margin-top: 0.25em;">
<li><a href="${esc(info.uri)};csv">CSV export</a><br>
<li><a href="${esc(info.uri)};json">JSON export</a><br>
</ul></td></tr></table>
`;
}

const STATUS_TEXT: Readonly<Record<string, [string, string]>> = {
  DONE: ['active_up', 'Action processed successfully.'],
  NONE: ['active_going_down', 'Nothing has changed.'],
  PART: ['active_going_down', 'Action not processed for the whole selection.'],
  ERRP: ['active_down', 'Action not processed because of invalid parameters.'],
  EXCD: ['active_down', 'Action not processed: the buffer couldn\'t store all the data.'],
  DENY: ['active_down', 'Action denied.'],
};

function statusBanner(code: string, uri: string): string {
  const [cls, text] = STATUS_TEXT[code] ?? ['active_down', 'Unexpected result.'];
  return `<p><div class=${cls}><a class=lfsb href="${esc(uri)}" title="Remove this message">[X]</a> <b>${text}</b></div>\n`;
}

const HEAD = `<tr class="titre"><th rowspan=2></th><th colspan=3>Queue</th><th colspan=3>Session rate</th><th colspan=6>Sessions</th><th colspan=2>Bytes</th><th colspan=2>Denied</th><th colspan=3>Errors</th><th colspan=2>Warnings</th><th colspan=9>Server</th></tr>
<tr class="titre"><th>Cur</th><th>Max</th><th>Limit</th><th>Cur</th><th>Max</th><th>Limit</th><th>Cur</th><th>Max</th><th>Limit</th><th>Total</th><th>LbTot</th><th>Last</th><th>In</th><th>Out</th><th>Req</th><th>Resp</th><th>Req</th><th>Conn</th><th>Resp</th><th>Retr</th><th>Redis</th><th>Status</th><th>LastChk</th><th>Wght</th><th>Act</th><th>Bck</th><th>Chk</th><th>Dwn</th><th>Dwntme</th><th>Thrtle</th></tr>
`;

function proxyTable(group: StatRecord[], info: StatsPageInfo): string {
  const name = String(group[0]?.['pxname'] ?? '');
  const hasServers = group.some((r) => r['svname'] !== 'FRONTEND' && r['svname'] !== 'BACKEND');
  const backend = group.find((r) => r['svname'] === 'BACKEND');
  const admin = info.admin && hasServers && backend !== undefined;
  const out: string[] = [];
  if (admin) out.push(`<form method="post" action="${esc(info.uri)}">`);
  out.push(`<table class="tbl" width="100%"><tr class="titre"><th class="pxname" width="10%"><a name="${esc(name)}"></a><a class=px href="#${esc(name)}">${esc(name)}</a></th><th class="empty" width="90%"></th></tr></table>\n`);
  out.push('<table class="tbl" width="100%">\n', admin ? HEAD.replace('<th rowspan=2></th>', '<th rowspan=2 width=1><input type="checkbox" onclick="for(c of this.form.querySelectorAll(\'input[name=s]\'))c.checked=this.checked"></th><th rowspan=2></th>') : HEAD);
  for (const r of group) out.push(row(r, admin));
  out.push('</table>');
  if (admin) {
    out.push(`<p>Choose the action to perform on the checked servers : <select name=action>
<option value="">Choose an action</option>
<option value="ready">Set state to READY</option>
<option value="drain">Set state to DRAIN</option>
<option value="maint">Set state to MAINT</option>
</select><input type="hidden" name="b" value="#${esc(String(backend?.['iid'] ?? ''))}">&nbsp;<input type="submit" value="Apply"></form>`);
  }
  out.push('<p>\n');
  return out.join('');
}

/** Tandem's latency histograms (not in HAProxy): p50 and p99 per backend and phase, in ms. */
function latencyTable(latency: NonNullable<StatsPageInfo['latency']>, uri: string): string {
  const q = (v: number | undefined) => (v === undefined ? '' : v < 10 ? v.toFixed(2) : v.toFixed(0));
  const head = '<tr class="titre"><th rowspan=2>Backend</th>' + ['Connect', 'Response', 'Total'].map((p) => `<th colspan=3>${p}</th>`).join('') + '</tr>\n<tr class="titre">' + '<th>Count</th><th>p50 ms</th><th>p99 ms</th>'.repeat(3) + '</tr>\n';
  const rows = latency.map((b) => `<tr class="backend"><td class=ac>${esc(b.backend)}</td>${b.phases.map((p) => `<td>${p.count}</td><td>${q(p.p50)}</td><td>${q(p.p99)}</td>`).join('')}</tr>\n`).join('');
  return `<table class="tbl" width="100%"><tr class="titre"><th class="pxname" width="10%">Latency (Tandem)</th><th class="empty" width="90%"><a href="${esc(uri)};latency">JSON</a></th></tr></table>\n<table class="tbl" width="60%">\n${head}${rows}</table><p>\n`;
}

function row(r: StatRecord, admin: boolean): string {
  const sv = String(r['svname'] ?? '');
  const kind = sv === 'FRONTEND' ? 'frontend' : sv === 'BACKEND' ? 'backend' : 'server';
  const cls = kind === 'server' ? serverClass(r) : kind === 'frontend' ? (r['status'] === 'OPEN' ? 'frontend' : 'active_down') : r['status'] === 'UP' ? 'backend' : 'active_down';
  const v = (f: string) => fmt(r[f]);
  const cells: string[] = [];
  if (admin) cells.push(kind === 'server' ? `<td><input type="checkbox" name="s" value="${esc(sv)}"></td>` : '<td></td>');
  cells.push(`<td class=ac><a name="${esc(String(r['pxname']))}/${esc(sv)}"></a>${kind === 'server' ? `<a class=lfsb href="#${esc(String(r['pxname']))}/${esc(sv)}">${esc(sv)}</a>` : `<a class=lfsb href="#${esc(String(r['pxname']))}/${esc(sv)}">${kind === 'frontend' ? 'Frontend' : 'Backend'}</a>`}</td>`);
  const frontend = kind === 'frontend';
  cells.push(...[frontend ? '' : v('qcur'), frontend ? '' : v('qmax'), kind === 'server' ? v('qlimit') : ''].map(td));
  cells.push(td(v('rate')), td(v('rate_max')), td(v('rate_lim')));
  cells.push(td(v('scur')), td(v('smax')), td(v('slim')), td(v('stot')), td(frontend ? '' : v('lbtot')), td(frontend ? '' : lastSess(r['lastsess'])));
  cells.push(td(v('bin')), td(v('bout')));
  cells.push(td(kind === 'server' ? '' : v('dreq')), td(v('dresp')));
  cells.push(td(frontend ? v('ereq') : ''), td(frontend ? '' : v('econ')), td(frontend ? '' : v('eresp')));
  cells.push(td(frontend ? '' : v('wretr')), td(frontend ? '' : v('wredis')));
  const status = String(r['status'] ?? '');
  if (kind === 'server') {
    const check = r['check_status'] !== undefined ? `${esc(String(r['check_status']))}${r['check_code'] !== undefined ? `/${esc(String(r['check_code']))}` : ''}${r['check_duration'] !== undefined ? ` in ${esc(String(r['check_duration']))}ms` : ''}` : '';
    cells.push(`<td class=ac>${esc(status)}</td>`, `<td class="ac">${check}</td>`, td(v('weight')), `<td class=ac>${Number(r['act']) ? 'Y' : '-'}</td>`, `<td class=ac>${Number(r['bck']) ? 'Y' : '-'}</td>`, td(v('chkfail')), td(v('chkdown')), td(v('downtime')), td(v('throttle')));
  } else if (kind === 'backend') {
    cells.push(`<td class=ac>${esc(status)}</td>`, '<td class=ac>&nbsp;</td>', td(v('weight')), td(v('act')), td(v('bck')), '<td class=ac>&nbsp;</td>', td(v('chkdown')), td(v('downtime')), '<td></td>');
  } else {
    cells.push(`<td class=ac>${esc(status)}</td>`, '<td></td>'.repeat(8));
  }
  return `<tr class="${cls}">${cells.join('')}</tr>\n`;
}

/** HAProxy's row colours: active_up, backup_up, active_down, active_draining, maintain, active_no_check. */
export function serverClass(r: StatRecord): string {
  const backup = Number(r['bck']) === 1;
  const status = String(r['status'] ?? '');
  if (status === 'MAINT' || status.startsWith('MAINT')) return 'maintain';
  if (status === 'DRAIN' || status === 'NOLB') return 'active_draining';
  if (status === 'DOWN' || status.startsWith('DOWN')) return backup ? 'backup_down' : 'active_down';
  if (status === 'no check') return backup ? 'backup_no_check' : 'active_no_check';
  return backup ? 'backup_up' : 'active_up';
}

function td(text: string): string {
  return `<td>${text}</td>`;
}

function fmt(v: string | number | undefined): string {
  if (v === undefined || v === '') return '';
  return esc(String(v));
}

function lastSess(v: string | number | undefined): string {
  if (v === undefined || v === '' || Number(v) < 0) return '?';
  return formatDuration(Number(v) * 1000);
}

/** HAProxy's human_time(): `2d3h`, `4h5m`, `6m7s`, `8s`. */
export function formatDuration(ms: number): string {
  let s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${d}d ${h}h${String(m).padStart(2, '0')}m${String(s).padStart(2, '0')}s`;
}

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** HAProxy's stats page style sheet (colours and layout kept, so the page looks as operators expect). */
const CSS = `body { font-family: arial, helvetica, sans-serif; font-size: 12px; font-weight: normal; color: black; background: white;}
th,td { font-size: 10px;}
h1 { font-size: x-large; margin-bottom: 0.5em;}
h2 { font-family: helvetica, arial; font-size: x-large; font-weight: bold; font-style: italic; color: #6020a0; margin-top: 0em; margin-bottom: 0em;}
h3 { font-family: helvetica, arial; font-size: 16px; font-weight: bold; color: #b00040; background: #e8e8d0; margin-top: 0em; margin-bottom: 0em;}
li { margin-top: 0.25em; margin-right: 2em;}
.hr {margin-top: 0.25em; border-color: black; border-bottom-style: solid;}
.titre {background: #20D0D0;color: #000000; font-weight: bold; text-align: center;}
.total {background: #20D0D0;color: #ffff80;}
.frontend {background: #e8e8d0;}
.socket {background: #d0d0d0;}
.backend {background: #e8e8d0;}
.active_down {background: #ff9090;}
.active_going_up {background: #ffd020;}
.active_going_down {background: #ffffa0;}
.active_up {background: #c0ffc0;}
.active_nolb {background: #20a0ff;}
.active_draining {background: #20a0FF;}
.active_no_check {background: #e0e0e0;}
.backup_down {background: #ff9090;}
.backup_going_up {background: #ff80ff;}
.backup_going_down {background: #c060ff;}
.backup_up {background: #b0d0ff;}
.backup_nolb {background: #90b0e0;}
.backup_draining {background: #cc9900;}
.backup_no_check {background: #e0e0e0;}
.maintain {background: #c07820;}
.rls {letter-spacing: 0.2em; margin-right: 1px;}
a.px:link {color: #ffff40; text-decoration: none;}a.px:visited {color: #ffff40; text-decoration: none;}a.px:hover {color: #ffffff; text-decoration: none;}
a.lfsb:link {color: #000000; text-decoration: none;}a.lfsb:visited {color: #000000; text-decoration: none;}a.lfsb:hover {color: #505050; text-decoration: none;}
table.tbl { border-collapse: collapse; border-style: none;}
table.tbl td { text-align: right; border-width: 1px 1px 1px 1px; border-style: solid solid solid solid; padding: 2px 3px; border-color: gray; white-space: nowrap;}
table.tbl td.ac { text-align: center;}
table.tbl th { border-width: 1px; border-style: solid solid solid solid; border-color: gray;}
table.tbl th.pxname { background: #b00040; color: #ffff40; font-weight: bold; border-style: solid solid none solid; padding: 2px 3px; white-space: nowrap;}
table.tbl th.empty { border-style: none; empty-cells: hide; background: white;}
table.tbl th.desc { background: white; border-style: solid solid none solid; text-align: left; padding: 2px 3px;}
table.lgd { border-collapse: collapse; border-width: 1px; border-style: none none none solid; border-color: black;}
table.lgd td { border-width: 1px; border-style: solid solid solid solid; border-color: gray; padding: 2px;}
table.lgd td.noborder { border-style: none; padding: 2px; white-space: nowrap;}
table.det { border-collapse: collapse; border-style: none;}
table.det th { text-align: left; border-width: 0px; padding: 0px 1px 0px 0px; font-style:normal;font-size:11px;font-weight:bold;font-family: sans-serif;}
table.det td { text-align: right; border-width: 0px; padding: 0px 0px 0px 4px; white-space: nowrap; font-style:normal;font-size:11px;font-weight:normal;}
u {text-decoration:none; border-bottom: 1px dotted black;}
`;
