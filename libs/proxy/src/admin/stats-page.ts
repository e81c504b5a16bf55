import { hostname } from 'node:os';
import type { ProxyPolicy, StatsPageConfig } from '@tandem/config';
import { compileAcls, compileCondition, type Predicate, type RequestView } from '@tandem/policy';
import { checkBasicAuth, parseAdminForm, parseStatsOptions, renderPrometheus, renderStatsHtml, renderStatsJson, type BackendHistograms, type StatRecord } from '@tandem/stats';
import type { RequestHead } from '../l7/wire/http-head.types.js';
import { builtinErrorPage, reasonPhrase } from '../l7/wire/local-responses.js';
import { proxyIds, type ProxyRuntimes } from './proxy-view.js';
import { STAT_FIELDS, encodeStatCsv, type StatRow } from './stat-csv.js';
import { statRows } from './stat-rows.js';

/**
 * Runs one admin-socket command line on behalf of the stats page (apps/tandemd passes its command registry, so a
 * page action is stored, applied and audited exactly as `set server` on the socket). Resolves to the answer text.
 */
export type StatsAdminAction = (words: readonly string[], origin: string) => Promise<string>;

/** What the stats page needs from the data plane and the daemon. */
export interface StatsPageContext {
  runtimes(): ProxyRuntimes;
  readonly startedAt: number;
  nodeName: string;
  version: string;
  action?: StatsAdminAction;
  histograms?: () => readonly BackendHistograms[];
}

export interface StatsAnswer {
  readonly status: number;
  readonly bytes: Buffer;
}

const adminPredicates = new WeakMap<StatsPageConfig, Predicate>();

function adminAllowed(page: StatsPageConfig, policy: ProxyPolicy | undefined, view: RequestView): boolean {
  if (!page.admin) return false;
  let p = adminPredicates.get(page);
  if (!p) adminPredicates.set(page, (p = compileCondition(page.admin, compileAcls(policy?.acls ?? new Map()))));
  return p(view);
}

/**
 * HAProxy's stats page for one request whose URI starts with `page.uri` (src/http_ana.c http_handle_stats,
 * src/stats.c): Basic authentication against `stats auth` (401 with the realm otherwise), `;csv` (the `show stat`
 * CSV), `;json`, `;up`, `;norefresh`, and the admin form's POST, answered with HAProxy's 303 to `<uri>;st=<code>`.
 * The admin actions are started through the admin-socket path; the redirect does not wait for them to be stored.
 */
export function serveStatsPage(ctx: StatsPageContext, page: StatsPageConfig, proxyName: string, policy: ProxyPolicy | undefined, view: RequestView, req: RequestHead, body: Buffer | undefined): StatsAnswer {
  const user = checkBasicAuth(req.headers.values[req.headers.names.indexOf('authorization')], page.auth);
  if (user === undefined) return unauthorized(page.realm);
  const admin = adminAllowed(page, policy, view);
  if (req.method === 'POST') {
    const code = admin ? runAdminForm(ctx, body, `stats page ${user || 'anonymous'}@${view.src}`) : 'DENY';
    return { status: 303, bytes: head(303, [['location', `${page.uri};st=${code}`]], '') };
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, bytes: builtinErrorPage(405) };
  const options = parseStatsOptions(req.uri, page.uri);
  const runtimes = ctx.runtimes();
  let rows: StatRow[] = statRows(runtimes);
  if (page.scope.length) {
    const scope = new Set(page.scope.map((s) => (s === '.' ? proxyName : s)));
    rows = rows.filter((r) => scope.has(String(r.pxname)));
  }
  const isServer = (r: StatRow) => r.svname !== 'FRONTEND' && r.svname !== 'BACKEND';
  if (options.upOnly) rows = rows.filter((r) => !isServer(r) || r.status === 'UP' || r.status === 'no check');
  if (options.noMaint) rows = rows.filter((r) => !isServer(r) || r.status !== 'MAINT');
  const records = rows as unknown as StatRecord[];
  let text: string;
  let type: string;
  switch (options.format) {
    case 'csv':
      text = encodeStatCsv(rows);
      type = 'text/plain';
      break;
    case 'json':
      text = renderStatsJson(records, STAT_FIELDS);
      type = 'application/json';
      break;
    case 'latency':
      text = `${JSON.stringify(Object.fromEntries((ctx.histograms?.() ?? []).map((h) => [h.backend, { connect: h.connect, response: h.response, total: h.total }])))}\n`;
      type = 'application/json';
      break;
    default: {
      const refreshMs = options.noRefresh ? undefined : page.refreshMs;
      const node = page.showNode === undefined ? undefined : page.showNode === true ? ctx.nodeName || hostname() : page.showNode;
      text = renderStatsHtml(records, {
        uri: page.uri,
        pid: process.pid,
        uptimeMs: Date.now() - ctx.startedAt,
        ...(node ? { node } : {}),
        ...(page.hideVersion ? {} : { version: ctx.version }),
        ...(refreshMs ? { refreshMs } : {}),
        showLegends: page.showLegends,
        latency: (ctx.histograms?.() ?? []).map((h) => ({
          backend: h.backend,
          phases: (['connect', 'response', 'total'] as const).map((phase) => {
            const p50 = h[phase].quantile(0.5);
            const p99 = h[phase].quantile(0.99);
            return { phase, count: h[phase].count, ...(p50 !== undefined ? { p50 } : {}), ...(p99 !== undefined ? { p99 } : {}) };
          }),
        })),
        admin,
        ...(options.status ? { status: options.status } : {}),
      });
      type = 'text/html';
    }
  }
  const extra: Array<[string, string]> = [['content-type', type], ['cache-control', 'no-cache']];
  if (options.format === 'html' && page.refreshMs && !options.noRefresh) extra.push(['refresh', String(Math.max(1, Math.round(page.refreshMs / 1000)))]);
  return { status: 200, bytes: head(200, extra, req.method === 'HEAD' ? '' : text, Buffer.byteLength(text)) };
}

/** `http-request use-service prometheus-exporter`: HAProxy's metric families for every proxy and server. */
export function servePrometheus(ctx: StatsPageContext): StatsAnswer {
  const text = renderPrometheus(statRows(ctx.runtimes()) as unknown as StatRecord[], ctx.histograms?.() ?? []);
  return { status: 200, bytes: head(200, [['content-type', 'text/plain; version=0.0.4'], ['cache-control', 'no-cache']], text) };
}

/**
 * The admin form (`b=#<iid>&s=<srv>&s=…&action=ready|drain|maint`): HAProxy's result codes. DONE when every
 * selected server exists and the action is valid, PART when only some do, NONE when none is selected, ERRP on a
 * bad backend or action. Each server's change runs as `set server <b>/<s> state <action>` on the admin path.
 */
function runAdminForm(ctx: StatsPageContext, body: Buffer | undefined, origin: string): string {
  if (!ctx.action) return 'DENY';
  if (body === undefined) return 'EXCD';
  const form = parseAdminForm(body.toString('latin1'));
  if (form.action !== 'ready' && form.action !== 'drain' && form.action !== 'maint') return 'ERRP';
  const runtimes = ctx.runtimes();
  const ids = proxyIds(runtimes);
  const wanted = form.backend?.startsWith('#') ? Number(form.backend.slice(1)) : undefined;
  const be = runtimes.backends.find((b) => (wanted !== undefined ? ids.backend(b.config.name) === wanted : b.config.name === form.backend));
  if (!be) return 'ERRP';
  if (form.servers.length === 0) return 'NONE';
  let done = 0;
  for (const s of form.servers) {
    if (!be.server(s)) continue;
    done++;
    void ctx.action(['set', 'server', `${be.config.name}/${s}`, 'state', form.action], origin).catch(() => undefined);
  }
  return done === 0 ? 'NONE' : done === form.servers.length ? 'DONE' : 'PART';
}

/** HAProxy's 401 for the stats page: its built-in 401 page with `www-authenticate: Basic realm="<realm>"`. */
function unauthorized(realm: string): StatsAnswer {
  const page = builtinErrorPage(401).toString('latin1');
  const at = page.indexOf('\r\n') + 2;
  const withRealm = `${page.slice(0, at)}www-authenticate: Basic realm="${realm.replace(/"/g, '\\"')}"\r\n${page.slice(at)}`;
  return { status: 401, bytes: Buffer.from(withRealm, 'latin1') };
}

function head(status: number, headers: ReadonlyArray<readonly [string, string]>, body: string, length = Buffer.byteLength(body)): Buffer {
  let s = `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\ncontent-length: ${length}\r\n`;
  for (const [n, v] of headers) s += `${n}: ${v}\r\n`;
  return Buffer.concat([Buffer.from(`${s}\r\n`, 'latin1'), Buffer.from(body, 'utf8')]);
}
