import type { ProxyPolicy, StickRule } from '@tandem/config';
import { compileAcls, compileCondition, compileKeyExpr, compileValue, type Predicate, type RequestView, type TextEval, type TypedSample } from '@tandem/policy';
import { sampleToKey, type StickKey, type StickTable } from '@tandem/stick-tables';
import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import type { StickTableRegistry } from '../stick/stick-table-registry.js';
import { deriveView } from './http-request-view.js';

/**
 * Server persistence rules of a backend (issue #6), as HAProxy runs them (stream.c process_server_rules,
 * process_sticking_rules, process_store_rules):
 *
 * - `use-server` rules, in order, before cookie persistence: the first whose condition holds and whose server is
 *   usable (UP or DRAIN; any state with `option persist`) takes the request; a rule naming an unusable server is
 *   skipped and the next one is tried;
 * - then the `stick match` / `stick on` rules, in order, unless the request already has its server (use-server or
 *   a valid cookie): the first key found in its table whose `server_id` names a server of this backend that is usable
 *   (or any with `option persist`) takes the request. A key found is touched (expiry renewed) even when unused;
 * - `stick store-request` / `stick on` keys are evaluated on the request (after cookie persistence removed its
 *   cookie, as HAProxy's order has it), `stick store-response` keys on the response head before any http-response
 *   rule; only the first store of each table counts. They are written when the response head arrives, with the
 *   `server_id` of the server that answered (a request answered by the proxy itself stores nothing, as in HAProxy).
 *
 * Keys are sample expressions (a fetch and its converters): a multi-valued sample (`req.cook` with the cookie twice,
 * `hdr`) keys on its last value, as HAProxy's fetches return the last occurrence outside ACLs; the result is cast to
 * the table's key type (a key that cannot be cast does nothing). All writes go through the table's touchLocal (rule 9).
 */
export interface PendingStore {
  readonly table: string;
  readonly key: string | number;
}

interface CompiledStickRule {
  readonly rule: StickRule;
  readonly when: Predicate;
  readonly key: (view: RequestView) => TypedSample | undefined;
  readonly match: boolean;
  readonly store: 'request' | 'response' | undefined;
}

/**
 * A rule's key for its table: the pattern's sample (fetch and converters) cast to the table's key type, as HAProxy's
 * smp_to_stkey does; undefined (the rule does nothing) when there is no sample, it is empty, or it cannot be cast.
 */
function keyFor(r: CompiledStickRule, view: RequestView, table: StickTable | undefined): StickKey | undefined {
  const s = r.key(view);
  if (!s || s.value === '' || !table) return undefined;
  const input = sampleToKey(s.value, s.type, table.definition.type);
  return input === undefined ? undefined : table.key(input);
}

/** Server persistence rules of one backend at one config generation (compiled once, shared by its sessions). */
export class CompiledServerRules {
  private readonly useServer: ReadonlyArray<{ readonly when: Predicate; readonly server: string; readonly name?: TextEval }>;
  private readonly rules: readonly CompiledStickRule[];
  readonly hasResponseStores: boolean;

  constructor(policy: ProxyPolicy) {
    const acls = compileAcls(policy.acls);
    this.useServer = (policy.useServer ?? []).map((u) => ({ when: compileCondition(u.condition, acls), server: u.server, ...(u.format ? { name: compileValue(u.server, u.format) } : {}) }));
    this.rules = (policy.stickRules ?? []).map((rule) => ({
      rule,
      when: compileCondition(rule.condition, acls),
      key: compileKeyExpr(rule.key),
      match: rule.kind === 'match' || rule.kind === 'on',
      store: rule.kind === 'on' || rule.kind === 'store-request' ? 'request' : rule.kind === 'store-response' ? 'response' : undefined,
    }));
    this.hasResponseStores = this.rules.some((r) => r.store === 'response');
  }

  /**
   * `use-server`: the server the first matching rule names, if usable (or `option persist`). A dynamic name
   * (`%[…]`) that names no server of the backend ends the rules (HAProxy's process_server_rules).
   */
  selectUseServer(view: RequestView, be: BackendRuntime): ServerRuntime | undefined {
    for (const u of this.useServer) {
      if (!u.when(view)) continue;
      const name = u.name ? u.name(view) : u.server;
      const s = be.servers.find((x) => x.config.name === name);
      if (!s && u.name) return undefined;
      if (s && (s.acceptsPersistent || be.config.persist)) return s;
    }
    return undefined;
  }

  /**
   * `stick match`/`on` lookups (skipped when `assigned`) and the keys of `stick store-request`/`on`, in rule order.
   * `view` must show the request as forwarded (cookie persistence already applied).
   */
  onRequest(view: RequestView, be: BackendRuntime, tables: StickTableRegistry | undefined, assigned: boolean): { server: ServerRuntime | undefined; stores: PendingStore[] } {
    const stores: PendingStore[] = [];
    let server: ServerRuntime | undefined;
    if (!tables) return { server, stores };
    for (const r of this.rules) {
      if (r.store === 'response') continue;
      // Only the first store of each table applies, and a later rule storing into it is skipped whole (HAProxy: later
      // ones are fallbacks, e.g. a header first, then the source address).
      if (r.store === 'request' && stores.some((s) => s.table === r.rule.table)) continue;
      if (!r.when(view)) continue;
      const table = tables.get(r.rule.table);
      const key = keyFor(r, view, table);
      if (key === undefined) continue;
      if (r.match) {
        if (table && table.lookup(key) !== undefined) {
          if (!assigned && server === undefined) {
            const id = table.getServerId(key);
            const s = id === undefined ? undefined : be.servers.find((x) => x.config.id === id);
            if (s && (s.acceptsPersistent || be.config.persist)) server = s;
          }
          table.touchLocal(key, {}, false);
        }
      }
      if (r.store === 'request') stores.push({ table: r.rule.table, key });
    }
    return { server, stores };
  }

  /** `stick store-response` keys on a response head (`view` shows the response's headers), after the request's. */
  onResponse(view: RequestView, stores: PendingStore[], tables: StickTableRegistry | undefined): void {
    for (const r of this.rules) {
      if (r.store !== 'response' || stores.some((s) => s.table === r.rule.table)) continue;
      if (!r.when(view)) continue;
      const key = keyFor(r, view, tables?.get(r.rule.table));
      if (key !== undefined) stores.push({ table: r.rule.table, key });
    }
  }
}

/**
 * The request side, for the HTTP session: `use-server` (on the request as the rules left it; it overrides the cookie's
 * server, as it runs first in HAProxy), then the stick rules on the request as forwarded. Returns the server the
 * request is pinned to (undefined: balance) and the pending stores.
 */
export function persistRequest(
  rules: CompiledServerRules,
  view: RequestView,
  forwarded: { readonly names: readonly string[]; readonly rawNames: readonly string[]; readonly values: readonly string[] },
  be: BackendRuntime,
  tables: StickTableRegistry | undefined,
  cookieServer: ServerRuntime | undefined,
): { pinned: ServerRuntime | undefined; stores: PendingStore[] } {
  const pinned = rules.selectUseServer(view, be) ?? cookieServer;
  const headers = forwarded as RequestView['headers'];
  const r = rules.onRequest(headers === view.headers ? view : deriveView(view, { headers }), be, tables, pinned !== undefined);
  return { pinned: pinned ?? r.server, stores: r.stores };
}

/** The response side: `store-response` keys on the response head, then every pending store is written. */
export function persistResponse(
  rules: CompiledServerRules,
  view: RequestView,
  response: { readonly names: readonly string[]; readonly rawNames: readonly string[]; readonly values: readonly string[] },
  stores: PendingStore[],
  tables: StickTableRegistry | undefined,
  server: ServerRuntime | undefined,
): void {
  if (rules.hasResponseStores) rules.onResponse(deriveView(view, { method: '', uri: '', headers: response as RequestView['headers'], response: true }), stores, tables);
  commitStores(tables, stores, server);
}

/** Writes the pending stores with the `server_id` of the server that answered. */
export function commitStores(tables: StickTableRegistry | undefined, stores: readonly PendingStore[], server: ServerRuntime | undefined): void {
  if (!tables || !server) return;
  for (const s of stores) tables.get(s.table)?.setServerId(s.key, server.config.id);
}

const compiled = new WeakMap<BackendRuntime, CompiledServerRules | null>();

/** The backend's compiled server rules, or undefined when it has no `use-server` nor `stick` rule. */
export function serverRulesOf(be: BackendRuntime): CompiledServerRules | undefined {
  let r = compiled.get(be);
  if (r === undefined) {
    const p = be.config.policy;
    compiled.set(be, (r = p && ((p.useServer?.length ?? 0) > 0 || (p.stickRules?.length ?? 0) > 0) ? new CompiledServerRules(p) : null));
  }
  return r ?? undefined;
}
