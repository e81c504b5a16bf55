import type { BackendRuntime, ServerRuntime } from '../backend/backend-runtime.js';
import type { ProxyRuntimes } from './proxy-view.js';

/**
 * Runtime changes an operator makes through the admin socket (`set server ... state|weight`, `set weight`,
 * `enable|disable server`), as data: the admin commands describe the change, the daemon stores it (SQLite) and only
 * then lets the command apply it; after a reload or a restart the stored overrides are re-applied here. Pure: no
 * I/O. The shape is structurally @tandem/persistence's RuntimeOverrideInput (this lib may not import it).
 *
 * Precedence (README "Runtime state that survives"):
 * - an override applies only to a server that still exists with the same backend and server name; otherwise it is
 *   dropped (the caller deletes it from the store and logs it);
 * - a state override (`drain`, `maint`, or `ready` for a server the config marks `disabled`) wins over the config;
 * - a weight override remembers the config weight it was made against (`"<w> (initial <config weight>)"`, the
 *   `get weight` wording); it wins while the config keeps that weight. When a reload brings a different config
 *   weight for the server, the config wins and the override is dropped: editing the weight in the config is the
 *   newer, deliberate decision.
 * - `addr` (`"<host>:<port> (initial <host>:<port>)"`) and `maxconn` (`"<n> (initial <n>)"`) follow the weight
 *   rule: they win while the config keeps the value they were made against; a config change wins.
 */
export type RuntimeOverrideKind = 'state' | 'weight' | 'addr' | 'maxconn';

export interface RuntimeOverride {
  readonly backend: string;
  readonly server: string;
  readonly kind: RuntimeOverrideKind;
  readonly value: string;
}

/** What an admin command wants to change: `value: null` removes the override (the server is back to its config). */
export interface RuntimeChange {
  readonly backend: string;
  readonly server: string;
  readonly kind: RuntimeOverrideKind;
  readonly value: string | null;
}

export type AdminStateValue = 'ready' | 'drain' | 'maint';

/**
 * The store-then-apply hook the mutating admin commands call: it must make the change durable, then call `apply`
 * (which changes the current generation) and resolve; if it rejects, the change is not applied and the command
 * answers the rejection's message.
 */
export type RuntimeChangeCommit = (change: RuntimeChange, context: { readonly origin: string; readonly level: string } | undefined, apply: () => void) => Promise<void>;

/** The override a `set server <b>/<s> state <admin>` leaves: `ready` is stored only when it differs from the config. */
export function stateChange(backend: BackendRuntime, server: ServerRuntime, admin: AdminStateValue): RuntimeChange {
  const value = admin === 'ready' && !server.config.disabled ? null : admin;
  return { backend: backend.config.name, server: server.name, kind: 'state', value };
}

/** The override a weight change leaves: none when the new weight is the config's. */
export function weightChange(backend: BackendRuntime, server: ServerRuntime, weight: number): RuntimeChange {
  const value = weight === server.config.weight ? null : encodeWeightOverride(weight, server.config.weight);
  return { backend: backend.config.name, server: server.name, kind: 'weight', value };
}

export function encodeWeightOverride(weight: number, configWeight: number): string {
  return `${weight} (initial ${configWeight})`;
}

/** `"<w> (initial <c>)"`, or a bare `"<w>"` (then it applies whatever the config weight); undefined if garbled. */
export function decodeWeightOverride(value: string): { weight: number; configWeight?: number } | undefined {
  const m = /^(\d+)(?: \(initial (\d+)\))?$/.exec(value.trim());
  if (!m) return undefined;
  const weight = Number(m[1]);
  if (weight > 256) return undefined;
  return m[2] === undefined ? { weight } : { weight, configWeight: Number(m[2]) };
}

export interface OverridePlan {
  /** Overrides to apply, with the server of the new generation they apply to. */
  readonly apply: readonly { readonly override: RuntimeOverride; readonly server: ServerRuntime }[];
  /** Overrides that no longer apply, with the reason (for the log); the caller deletes them from the store. */
  readonly drop: readonly { readonly override: RuntimeOverride; readonly reason: string }[];
}

/** Matches stored overrides against a generation (the precedence rule above). */
export function planOverrides(runtimes: Pick<ProxyRuntimes, 'backends'>, overrides: readonly RuntimeOverride[]): OverridePlan {
  const apply: { override: RuntimeOverride; server: ServerRuntime }[] = [];
  const drop: { override: RuntimeOverride; reason: string }[] = [];
  for (const override of overrides) {
    const backend = runtimes.backends.find((b) => b.config.name === override.backend);
    const server = backend?.server(override.server);
    if (!backend) drop.push({ override, reason: `backend '${override.backend}' is no longer in the configuration` });
    else if (!server) drop.push({ override, reason: `server '${override.backend}/${override.server}' is no longer in the configuration` });
    else if (override.kind === 'state') {
      if (override.value === 'drain' || override.value === 'maint' || override.value === 'ready') apply.push({ override, server });
      else drop.push({ override, reason: `unknown state '${override.value}'` });
    } else if (override.kind === 'weight') {
      const w = decodeWeightOverride(override.value);
      if (!w) drop.push({ override, reason: `unreadable weight '${override.value}'` });
      else if (w.configWeight !== undefined && w.configWeight !== server.config.weight) {
        drop.push({ override, reason: `the configuration changed the weight from ${w.configWeight} to ${server.config.weight}; the configuration wins` });
      } else apply.push({ override, server });
    } else if (override.kind === 'addr' || override.kind === 'maxconn') {
      const reason = checkInitial(override, server);
      if (reason) drop.push({ override, reason });
      else apply.push({ override, server });
    } else {
      drop.push({ override, reason: `kind '${String((override as RuntimeOverride).kind)}' is not re-applied` });
    }
  }
  return { apply, drop };
}

/**
 * Applies a plan to its (new, not yet live) generation: weights first, then states, so a drained server keeps its
 * stored weight for when it is made ready again.
 */
export function applyOverridePlan(plan: OverridePlan): void {
  for (const { override, server } of plan.apply) {
    if (override.kind === 'weight') server.setState(server.state, decodeWeightOverride(override.value)!.weight);
    if (override.kind === 'addr') {
      const a = decodeAddrOverride(override.value)!;
      server.setAddress(a.host, a.port);
    }
    if (override.kind === 'maxconn') server.setMaxconn(decodeInitial(override.value)!.value as number);
  }
  for (const { override, server } of plan.apply) {
    if (override.kind === 'state') setServerAdminState(server, override.value as AdminStateValue);
  }
}

/**
 * `set server ... state ready|drain|maint`. Tandem keeps one state per server (`up|down|drain|maint`), so `ready`
 * puts a drained or maintained server back UP; the next failing health check takes it DOWN again.
 */
export function setServerAdminState(server: ServerRuntime, admin: AdminStateValue): void {
  const next = admin === 'ready' ? (server.state === 'drain' || server.state === 'maint' ? 'up' : server.state) : admin;
  server.setState(next);
}

/** `host:port` of a server's declared address, IPv6 in brackets. */
export function declaredAddress(server: ServerRuntime): string {
  const { host, port } = server.declared.endpoint;
  return formatAddr(host, port);
}

function formatAddr(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The override `set server <b>/<s> addr` leaves: none when the address is the declared one. */
export function addrChange(backend: BackendRuntime, server: ServerRuntime, host: string, port: number): RuntimeChange {
  const declared = declaredAddress(server);
  const wanted = formatAddr(host, port);
  return { backend: backend.config.name, server: server.name, kind: 'addr', value: wanted === declared ? null : `${wanted} (initial ${declared})` };
}

/** The override `set maxconn server` leaves: none when the limit is the declared one (0 = unlimited). */
export function maxconnChange(backend: BackendRuntime, server: ServerRuntime, maxconn: number): RuntimeChange {
  const declared = server.declared.maxconn ?? 0;
  return { backend: backend.config.name, server: server.name, kind: 'maxconn', value: maxconn === declared ? null : `${maxconn} (initial ${declared})` };
}

/** `"<v> (initial <c>)"` or a bare `"<v>"`; undefined if garbled. */
function decodeInitial(value: string): { value: string | number; initial?: string } | undefined {
  const m = /^(\S+)(?: \(initial (\S+)\))?$/.exec(value.trim());
  if (!m) return undefined;
  const v = /^\d+$/.test(m[1]!) ? Number(m[1]) : m[1]!;
  return m[2] === undefined ? { value: v } : { value: v, initial: m[2] };
}

export function decodeAddrOverride(value: string): { host: string; port: number } | undefined {
  const d = decodeInitial(value);
  const m = d && /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(String(d.value));
  if (!m) return undefined;
  const port = Number(m[3]);
  return port > 0 && port < 65536 ? { host: m[1] ?? m[2]!, port } : undefined;
}

function checkInitial(override: RuntimeOverride, server: ServerRuntime): string | undefined {
  const d = decodeInitial(override.value);
  if (override.kind === 'addr') {
    if (!decodeAddrOverride(override.value)) return `unreadable address '${override.value}'`;
    const declared = declaredAddress(server);
    if (d!.initial !== undefined && d!.initial !== declared) return `the configuration changed the address from ${d!.initial} to ${declared}; the configuration wins`;
    return undefined;
  }
  if (!d || typeof d.value !== 'number') return `unreadable maxconn '${override.value}'`;
  const declared = String(server.declared.maxconn ?? 0);
  if (d.initial !== undefined && d.initial !== declared) return `the configuration changed maxconn from ${d.initial} to ${declared}; the configuration wins`;
  return undefined;
}
