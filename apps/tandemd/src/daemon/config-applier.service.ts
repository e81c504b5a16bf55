import type { Logger } from '@tandem/core';
import { formatDiagnostic, type ConfigDiagnostic, type LoadResult, type RuntimeConfig } from '@tandem/config';
import { encodeConfigSources } from '@tandem/persistence';

export type ApplyTrigger = 'start' | 'reload-signal' | 'reload-command';

export interface ApplyOutcome {
  readonly ok: boolean;
  /** Every diagnostic (errors and warnings), formatted as HAProxy prints them. */
  readonly messages: readonly string[];
}

/** The parts of the data plane the applier drives: hitless apply of a new config. */
export interface ConfigTarget {
  apply(config: RuntimeConfig): Promise<void>;
}

/** Where applied and rejected configurations are recorded (the SQLite config history). */
export interface ConfigRecorder {
  record(revision: {
    sha256: string;
    text: string;
    outcome: 'applied' | 'rejected';
    diagnostics: string;
    trigger: ApplyTrigger;
    node: string;
  }): Promise<unknown>;
}

export interface ConfigApplierDeps {
  readonly paths: readonly string[];
  readonly load: (paths: readonly string[]) => LoadResult;
  readonly target: ConfigTarget;
  readonly recorder: ConfigRecorder;
  readonly logger: Logger;
  readonly nodeName: string;
}

/**
 * Loads the configuration from disk and applies it, all or nothing: a config that does not parse, or that the data
 * plane cannot apply (a bind that fails), leaves the running config in place. Every attempt is recorded. Attempts
 * are serialised: a SIGHUP that arrives during a reload waits for it.
 */
export class ConfigApplier {
  private chain: Promise<unknown> = Promise.resolve();
  private current?: RuntimeConfig;

  constructor(private readonly deps: ConfigApplierDeps) {}

  get running(): RuntimeConfig | undefined {
    return this.current;
  }

  applyFromDisk(trigger: ApplyTrigger): Promise<ApplyOutcome> {
    const next = this.chain.then(() => this.attempt(trigger));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async attempt(trigger: ApplyTrigger): Promise<ApplyOutcome> {
    const { logger } = this.deps;
    let result: LoadResult;
    try {
      result = this.deps.load(this.deps.paths);
    } catch (error) {
      const message = `[ALERT]    (config) : ${error instanceof Error ? error.message : String(error)}`;
      logger.log('alert', message);
      return { ok: false, messages: [message] };
    }
    const messages = result.diagnostics.map((d: ConfigDiagnostic) => formatDiagnostic(d));
    for (const d of result.diagnostics) logger.log(d.severity === 'error' ? 'alert' : 'warning', formatDiagnostic(d));
    // A rejected config has no parsed sources; its paths are recorded so the attempt is still traceable.
    const { sha256, text } = encodeConfigSources(result.ok ? result.config.sources : this.deps.paths.map((file) => ({ file, text: '' })));

    if (!result.ok) {
      const verdict = trigger === 'start' ? 'Fatal errors found in configuration.' : 'Reload failed: the configuration has errors; the running configuration is kept.';
      logger.log('alert', verdict);
      await this.record(sha256, text, 'rejected', messages, trigger);
      return { ok: false, messages: [...messages, verdict] };
    }
    try {
      await this.deps.target.apply(result.config);
    } catch (error) {
      const message = `${error instanceof Error ? error.message : String(error)}`;
      const verdict = trigger === 'start' ? `Failed to start: ${message}` : `Reload failed: ${message}; the running configuration is kept.`;
      logger.log('alert', verdict);
      await this.record(sha256, text, 'rejected', [...messages, message], trigger);
      return { ok: false, messages: [...messages, verdict] };
    }
    this.current = result.config;
    logger.log('notice', trigger === 'start' ? `Configuration applied (${sha256.slice(0, 12)}).` : `Reload complete: configuration ${sha256.slice(0, 12)} applied.`);
    await this.record(sha256, text, 'applied', messages, trigger);
    return { ok: true, messages };
  }

  private async record(sha256: string, text: string, outcome: 'applied' | 'rejected', messages: readonly string[], trigger: ApplyTrigger) {
    try {
      await this.deps.recorder.record({ sha256, text, outcome, diagnostics: messages.join('\n'), trigger, node: this.deps.nodeName });
    } catch (error) {
      // The history is a record, not a gate: a full disk must not stop the proxy from serving its new config.
      this.deps.logger.log('err', `could not record the configuration in the state database: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
