import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderStatsHtml, groupByProxy, serverClass } from './stats-html.js';
import { renderStatsJson } from './stats-json.js';
import { renderPrometheus } from './prometheus.js';
import { LatencyHistogram } from './histogram.js';
import { checkBasicAuth, parseAdminForm, parseStatsOptions } from './stats-request.js';
import type { StatRecord, StatsPageInfo } from './stats-page.types.js';

const ROWS: StatRecord[] = [
  { pxname: 'fe', svname: 'FRONTEND', scur: 2, stot: 10, bin: 100, bout: 200, status: 'OPEN', iid: 1, sid: 0, type: 0, hrsp_2xx: 9, hrsp_5xx: 1, req_tot: 10, conn_tot: 10 },
  { pxname: 'be', svname: 's1', scur: 1, stot: 6, bin: 60, bout: 120, status: 'UP', weight: 1, act: 1, bck: 0, iid: 2, sid: 1, type: 2, hrsp_2xx: 6 },
  { pxname: 'be', svname: 's2', scur: 0, stot: 4, status: 'DRAIN', weight: 0, act: 1, bck: 0, iid: 2, sid: 2, type: 2, hrsp_2xx: 3, hrsp_5xx: 1 },
  { pxname: 'be', svname: 'b1', status: 'no check', weight: 1, act: 0, bck: 1, iid: 2, sid: 3, type: 2 },
  { pxname: 'be', svname: 'BACKEND', scur: 1, stot: 10, status: 'UP', weight: 1, act: 1, bck: 1, iid: 2, sid: 0, type: 1, hrsp_2xx: 9, hrsp_5xx: 1, req_tot: 10 },
];
const INFO: StatsPageInfo = { uri: '/haproxy?stats', pid: 42, uptimeMs: 3_723_000, showLegends: true, admin: false, version: '0.1.0', refreshMs: 5000 };

test('HTML: one table per proxy, FRONTEND then servers then BACKEND, HAProxy row colours and column groups', () => {
  const html = renderStatsHtml(ROWS, INFO);
  assert.match(html, /<title>Statistics Report for pid 42<\/title>/);
  assert.match(html, /<meta http-equiv="refresh" content="5">/);
  assert.match(html, /Tandem version 0\.1\.0/);
  assert.match(html, /uptime = <\/b> 0d 1h02m03s/);
  for (const g of ['Queue', 'Session rate', 'Sessions', 'Bytes', 'Denied', 'Errors', 'Warnings', 'Server']) assert.match(html, new RegExp(`<th colspan=\\d>${g}</th>`));
  assert.equal((html.match(/<th class="pxname"/g) ?? []).length, 2);
  assert.match(html, /<tr class="active_up"><td class=ac>.*s1<\/a><\/td>/);
  assert.match(html, /<tr class="active_draining">.*>s2</);
  assert.match(html, /<tr class="backup_no_check">.*>b1</);
  assert.match(html, /active UP, going down/, 'legends');
  assert.doesNotMatch(html, /<form/, 'no admin form without stats admin');
  assert.match(html, /href="\/haproxy\?stats;csv">CSV export/);
});

test('HTML: hide-version, show-node, admin form per backend, status banner; names are escaped', () => {
  const html = renderStatsHtml([...ROWS, { pxname: '<x>', svname: 'FRONTEND', status: 'OPEN', iid: 3, type: 0 }], { ...INFO, version: undefined, node: 'lb1', admin: true, status: 'DONE', refreshMs: undefined });
  assert.doesNotMatch(html, /version/);
  assert.doesNotMatch(html, /http-equiv="refresh"/);
  assert.match(html, /Statistics Report for pid 42 on lb1/);
  assert.match(html, /<form method="post" action="\/haproxy\?stats">/);
  assert.match(html, /<input type="checkbox" name="s" value="s1">/);
  assert.match(html, /<input type="hidden" name="b" value="#2">/);
  for (const a of ['ready', 'drain', 'maint']) assert.match(html, new RegExp(`<option value="${a}">`));
  assert.equal((html.match(/<form/g) ?? []).length, 1, 'only proxies with servers get a form');
  assert.match(html, /Action processed successfully/);
  assert.doesNotMatch(html, /Latency \(Tandem\)/);
  const withLatency = renderStatsHtml(ROWS, { ...INFO, latency: [{ backend: 'be', phases: [{ phase: 'connect', count: 3, p50: 0.5, p99: 120 }, { phase: 'response', count: 0 }, { phase: 'total', count: 3, p50: 4, p99: 250 }] }] });
  assert.match(withLatency, /Latency \(Tandem\)/);
  assert.match(withLatency, /<td class=ac>be<\/td><td>3<\/td><td>0\.50<\/td><td>120<\/td><td>0<\/td><td><\/td><td><\/td>/);
  assert.match(html, /&lt;x&gt;/);
  assert.doesNotMatch(html, /<x>/);
});

test('groupByProxy keeps proxy order and sorts FRONTEND, servers, BACKEND; serverClass', () => {
  const groups = groupByProxy([ROWS[4]!, ROWS[1]!, ROWS[0]!]);
  assert.deepEqual(groups.map((g) => g.map((r) => r['svname'])), [['s1', 'BACKEND'], ['FRONTEND']]);
  assert.equal(serverClass({ status: 'MAINT' }), 'maintain');
  assert.equal(serverClass({ status: 'DOWN', bck: 1 }), 'backup_down');
});

test('JSON: HAProxy typed output, one array per row, only non-empty fields with their column position', () => {
  const fields = ['pxname', 'svname', 'qcur', 'scur', 'stot', 'status', 'iid', 'sid', 'type'];
  const out = JSON.parse(renderStatsJson([ROWS[1]!], fields)) as Array<Array<Record<string, unknown>>>;
  assert.equal(out.length, 1);
  const byName = Object.fromEntries(out[0]!.map((f) => [(f['field'] as { name: string }).name, f]));
  assert.equal(byName['qcur'], undefined);
  assert.deepEqual(byName['pxname'], { objType: 'Server', proxyId: 2, id: 1, field: { pos: 0, name: 'pxname' }, processNum: 1, tags: { origin: 'Key', nature: 'Name', scope: 'Service' }, value: { type: 'str', value: 'be' } });
  assert.deepEqual((byName['stot'] as { tags: unknown }).tags, { origin: 'Metric', nature: 'Counter', scope: 'Process' });
  assert.deepEqual((byName['scur'] as { value: unknown }).value, { type: 'u64', value: 1 });
});

test('Prometheus: HAProxy metric names and labels, HELP/TYPE once per family, server status per state', () => {
  const text = renderPrometheus(ROWS);
  assert.match(text, /^# HELP haproxy_frontend_current_sessions Number of current sessions\.\n# TYPE haproxy_frontend_current_sessions gauge\nhaproxy_frontend_current_sessions\{proxy="fe"\} 2$/m);
  assert.match(text, /^haproxy_frontend_http_responses_total\{proxy="fe",code="5xx"\} 1$/m);
  assert.match(text, /^haproxy_backend_http_responses_total\{proxy="be",code="2xx"\} 9$/m);
  assert.match(text, /^haproxy_backend_status\{proxy="be"\} 1$/m);
  assert.match(text, /^haproxy_server_status\{proxy="be",server="s2",state="DRAIN"\} 1$/m);
  assert.match(text, /^haproxy_server_status\{proxy="be",server="s2",state="UP"\} 0$/m);
  assert.match(text, /^haproxy_server_status\{proxy="be",server="b1",state="UP"\} 1$/m, "'no check' counts as UP");
  assert.equal((text.match(/^# TYPE haproxy_server_status /gm) ?? []).length, 1);
  assert.doesNotMatch(text, /haproxy_server_current_queue/, 'columns Tandem leaves empty are not exported');
});

test('latency histogram: cumulative buckets, p50/p99, JSON and Prometheus', () => {
  const h = new LatencyHistogram();
  for (let i = 0; i < 98; i++) h.observe(3);
  h.observe(400);
  h.observe(400);
  assert.equal(h.count, 100);
  const p50 = h.quantile(0.5)!;
  assert.ok(p50 > 2.5 && p50 <= 5, String(p50));
  const p99 = h.quantile(0.99)!;
  assert.ok(p99 > 250 && p99 <= 500, String(p99));
  const json = h.toJSON();
  assert.equal(json.buckets['5'], 98);
  assert.equal(json.buckets['+Inf'], 100);
  const text = renderPrometheus([], [{ backend: 'be', connect: h, response: new LatencyHistogram(), total: h }]);
  assert.match(text, /^# TYPE tandem_backend_connect_time_seconds histogram$/m);
  assert.match(text, /^tandem_backend_connect_time_seconds_bucket\{proxy="be",le="0.005"\} 98$/m);
  assert.match(text, /^tandem_backend_total_time_seconds_count\{proxy="be"\} 100$/m);
  assert.equal(new LatencyHistogram().quantile(0.5), undefined);
});

test('request helpers: options after the URI, Basic auth, the admin form', () => {
  assert.deepEqual(parseStatsOptions('/s;csv;norefresh', '/s'), { format: 'csv', upOnly: false, noMaint: false, noRefresh: true });
  assert.deepEqual(parseStatsOptions('/s;up;st=DONE', '/s'), { format: 'html', upOnly: true, noMaint: false, noRefresh: false, status: 'DONE' });
  const users = [{ user: 'a', password: 'p:q' }];
  assert.equal(checkBasicAuth(`Basic ${Buffer.from('a:p:q').toString('base64')}`, users), 'a');
  assert.equal(checkBasicAuth(`Basic ${Buffer.from('a:x').toString('base64')}`, users), undefined);
  assert.equal(checkBasicAuth(undefined, users), undefined);
  assert.equal(checkBasicAuth(undefined, []), '');
  assert.deepEqual(parseAdminForm('s=s1&s=s2&action=drain&b=%232'), { backend: '#2', servers: ['s1', 's2'], action: 'drain' });
});
