import type { FrontendConfig, ProxyPolicy } from '@tandem/config';
import { CompiledProxyPolicy, CompiledTcpRules } from '@tandem/policy';
import type { BackendRuntime } from '../backend/backend-runtime.js';
import { serverRulesOf } from '../l7/stick-rules.js';
import type { StickTableRegistry } from '../stick/stick-table-registry.js';

/** A proxy's `tcp-request content` rules and the delay they may wait for data. */
export interface ContentStage {
  readonly rules: CompiledTcpRules;
  readonly delayMs: number;
}

/**
 * The L4 policy of a `mode tcp` frontend at one config generation (issue #6), compiled once at apply() time:
 * content rules (frontend, then the chosen backend's), `use_backend` switching, and the backends' `use-server` /
 * `stick` rules. Undefined when none applies, so a plain TCP proxy pays nothing per connection.
 */
export interface TcpL4Policy {
  readonly frontend: ContentStage | undefined;
  /** `use_backend` rules (undefined: always `default_backend`). */
  readonly switching: CompiledProxyPolicy | undefined;
  readonly backends: ReadonlyMap<string, BackendRuntime>;
  readonly stick: StickTableRegistry | undefined;
  /** The chosen backend's own content rules (none for a listen section's own backend: they are the frontend's). */
  backendStage(be: BackendRuntime): ContentStage | undefined;
}

function stageOf(p: ProxyPolicy | undefined): ContentStage | undefined {
  if (!p || p.tcpContent.length === 0) return undefined;
  return { rules: new CompiledTcpRules(p.tcpContent, p.acls, p.stickTable?.name), delayMs: p.inspectDelay ?? 0 };
}

const stages = new WeakMap<BackendRuntime, ContentStage | null>();

export function buildTcpL4(f: FrontendConfig, backends: ReadonlyMap<string, BackendRuntime>, stick: StickTableRegistry | undefined): TcpL4Policy | undefined {
  const frontend = stageOf(f.policy);
  const switching = f.policy && f.policy.useBackend.length > 0 ? new CompiledProxyPolicy(f.policy) : undefined;
  const dynamic = f.policy?.useBackend.some((u) => u.format) === true;
  const reachable = dynamic ? [...backends.values()].filter((b) => b.config.mode === 'tcp') : [f.defaultBackend, ...(f.policy?.useBackend.map((u) => u.backend) ?? [])].flatMap((n) => (n && backends.get(n) ? [backends.get(n)!] : []));
  const own = (be: BackendRuntime) => be.config.fromListen && be.config.name === f.name;
  const backendStage = (be: BackendRuntime): ContentStage | undefined => {
    if (own(be)) return undefined;
    let s = stages.get(be);
    if (s === undefined) stages.set(be, (s = stageOf(be.config.policy) ?? null));
    return s ?? undefined;
  };
  if (!frontend && !switching && !reachable.some((b) => backendStage(b) || serverRulesOf(b))) return undefined;
  return { frontend, switching, backends, stick, backendStage };
}
