import type { Logger } from '@tandem/core';
import type { RuntimeConfig } from '@tandem/config';
import type { AuditedCommand } from '@tandem/control';
import type { AuditEventInput, RuntimeOverrideInput, RuntimeOverrideKind, RuntimeOverrideRecord } from '@tandem/persistence';
import { applyOverridePlan, planOverrides, type OverridePlan, type PrepareGeneration, type RuntimeChange, type RuntimeChangeCommit, type RuntimeOverride } from '@tandem/proxy';
import type { ApplyOutcome } from './config-applier.service.js';

/** The parts of RuntimeOverrideRepository this service uses (a test passes a fake). */
export interface OverrideStore {
  upsert(input: RuntimeOverrideInput): Promise<unknown>;
  list(): Promise<RuntimeOverrideRecord[]>;
  delete(backend: string, server: string, kind?: RuntimeOverrideKind): Promise<number>;
}

export interface AuditStore {
  append(input: AuditEventInput): Promise<unknown>;
}

export interface GenerationTarget {
  apply(config: RuntimeConfig, prepare?: PrepareGeneration): Promise<void>;
}

/**
 * Wiring between the admin commands, the data plane and the state database for runtime state that survives
 * (issue #5 item 4). No precedence logic here: that is @tandem/proxy's planOverrides().
 *
 * - `commit`: an admin command's change is stored (upsert, or delete when the server goes back to its config) and
 *   only then applied; a failed write rejects, so the command answers the error and nothing changes.
 * - `applyConfig`: every generation (start, SIGHUP, master-CLI reload) gets the stored overrides set on its servers
 *   before it goes live; overrides that no longer apply are deleted and logged.
 * Both run one at a time, so a `set server` racing a reload is either in the overrides the reload reads or applied
 * to the generation the reload installed.
 */
export class RuntimeStateService {
  private chain: Promise<unknown> = Promise.resolve();
  /** The last overrides known to be stored: used for a reload when the database cannot be read. */
  private known: RuntimeOverride[] = [];

  constructor(
    private readonly deps: { readonly overrides: OverrideStore; readonly audit: AuditStore; readonly logger: Logger },
  ) {}

  readonly commit: RuntimeChangeCommit = (change, context, apply) =>
    this.serial(async () => {
      const actor = context ? `${context.origin} level ${context.level}` : 'internal';
      if (change.value === null) await this.deps.overrides.delete(change.backend, change.server, change.kind);
      else await this.deps.overrides.upsert({ backend: change.backend, server: change.server, kind: change.kind, value: change.value, actor });
      this.remember(change);
      apply();
    });

  applyConfig(target: GenerationTarget, config: RuntimeConfig): Promise<void> {
    return this.serial(async () => {
      const { logger } = this.deps;
      let overrides: RuntimeOverride[];
      try {
        overrides = (await this.deps.overrides.list()).map(({ backend, server, kind, value }) => ({ backend, server, kind: kind as RuntimeOverride['kind'], value }));
        this.known = overrides;
      } catch (error) {
        overrides = this.known;
        logger.log('err', `runtime state: cannot read the stored overrides (${message(error)}); re-applying the ${overrides.length} known in memory.`);
      }
      let plan: OverridePlan | undefined;
      await target.apply(config, (generation) => {
        plan = planOverrides(generation, overrides);
        applyOverridePlan(plan);
      });
      if (!plan) return;
      for (const { override } of plan.apply) logger.log('notice', `runtime state: ${override.backend}/${override.server} ${override.kind} ${override.value} re-applied (operator override).`);
      for (const { override, reason } of plan.drop) {
        logger.log('notice', `runtime state: dropping ${override.kind} override of ${override.backend}/${override.server} (${override.value}): ${reason}.`);
        try {
          await this.deps.overrides.delete(override.backend, override.server, override.kind as RuntimeOverrideKind);
        } catch (error) {
          logger.log('err', `runtime state: could not delete the dropped override: ${message(error)}`);
        }
      }
      this.known = overrides.filter((o) => !plan!.drop.some((d) => d.override === o));
    });
  }

  /** The registry's audit sink: one audit_event per changing command (refusals included). Never throws. */
  readonly recordCommand = async (entry: AuditedCommand): Promise<void> => {
    await this.append({ actor: `${entry.context.origin} level ${entry.context.level}`, command: entry.line, result: auditResult(entry.outcome, entry.answer) });
  };

  /** A reload by signal is an admin action too (no socket: the actor is the signal). */
  async recordSignalReload(signal: string, outcome: ApplyOutcome): Promise<void> {
    const answer = `Success=${outcome.ok ? 1 : 0}\n${outcome.messages.join('\n')}`;
    await this.append({ actor: `signal ${signal}`, command: 'reload', result: auditResult('ok', answer) });
  }

  private async append(event: AuditEventInput): Promise<void> {
    try {
      await this.deps.audit.append(event);
    } catch (error) {
      // The audit log is a record, not a gate: the change was already made and answered as such.
      this.deps.logger.log('err', `audit: could not record '${event.command}' from ${event.actor}: ${message(error)}`);
    }
  }

  private remember(change: RuntimeChange): void {
    const others = this.known.filter((o) => !(o.backend === change.backend && o.server === change.server && o.kind === change.kind));
    this.known = change.value === null ? others : [...others, { backend: change.backend, server: change.server, kind: change.kind, value: change.value }];
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/** `ok`, `ok: <answer>`, `error: <message>` or `denied: Permission denied`, the answer on one line. */
export function auditResult(outcome: AuditedCommand['outcome'], answer: string): string {
  const text = answer
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== '--')
    .join(' | ');
  return text === '' ? outcome : `${outcome}: ${text}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
