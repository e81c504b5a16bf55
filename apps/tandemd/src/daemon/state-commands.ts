import type { CommandRegistry } from '@tandem/control';
import { diffConfigRevisions, type AuditEventRecord, type ConfigRevisionRecord } from '@tandem/persistence';

/** The parts of the repositories these commands read. */
export interface StateReaders {
  readonly audit: { list(limit?: number): Promise<AuditEventRecord[]> };
  readonly history: { list(limit?: number): Promise<ConfigRevisionRecord[]>; get(id: number): Promise<ConfigRevisionRecord | undefined> };
}

/**
 * Admin commands reading the state database (Tandem's own, no HAProxy equivalent): `show audit`,
 * `show config history`, `show config diff`. A trailing `json` answers one JSON document (tandemctl --json).
 * Config texts may hold secrets (stats auth): the diff needs level admin; the lists need operator.
 */
export function registerStateCommands(registry: CommandRegistry, readers: StateReaders): void {
  registry.register({
    words: ['show', 'audit'],
    usage: 'show audit [<n>] [json]                  : the latest <n> (default 20) audited admin actions, newest first',
    level: 'operator',
    run: async (args) => {
      const { n, json } = countAndFormat(args, 20);
      const events = await readers.audit.list(n);
      if (json) return `${JSON.stringify(events)}\n`;
      return table(['id', 'at', 'actor', 'command', 'result'], events.map((e) => [String(e.id), e.at, e.actor, e.command, e.result]));
    },
  });
  registry.register({
    words: ['show', 'config', 'history'],
    usage: 'show config history [<n>] [json]         : the latest <n> (default 20) configurations applied or rejected',
    level: 'operator',
    run: async (args) => {
      const { n, json } = countAndFormat(args, 20);
      const revisions = await readers.history.list(n);
      if (json) return `${JSON.stringify(revisions.map(({ text: _text, ...meta }) => meta))}\n`;
      return table(
        ['id', 'at', 'outcome', 'trigger', 'sha256', 'node'],
        revisions.map((r) => [String(r.id), r.appliedAt, r.outcome, r.trigger, r.sha256.slice(0, 12), r.node]),
      );
    },
  });
  registry.register({
    words: ['show', 'config', 'diff'],
    usage: 'show config diff <id-a> <id-b>            : unified diff of two recorded configurations',
    level: 'admin',
    run: async (args) => {
      const ids = args.slice(0, 2).map((a) => (/^\d+$/.test(a) ? Number(a) : NaN));
      if (args.length < 2 || ids.some(Number.isNaN)) throw new Error("Require two configuration ids (see 'show config history').");
      const [a, b] = await Promise.all(ids.map((id) => readers.history.get(id)));
      if (!a) throw new Error(`No such configuration: ${ids[0]}.`);
      if (!b) throw new Error(`No such configuration: ${ids[1]}.`);
      return diffConfigRevisions(a, b);
    },
  });
}

function countAndFormat(args: readonly string[], fallback: number): { n: number; json: boolean } {
  const json = args.includes('json');
  const rest = args.filter((a) => a !== 'json');
  if (rest.length === 0) return { n: fallback, json };
  if (rest.length > 1 || !/^\d+$/.test(rest[0]!)) throw new Error('Require a number of entries.');
  return { n: Math.min(10_000, Number(rest[0])), json };
}

/** Columns aligned with two spaces, header prefixed with `# ` as HAProxy's CSV headers are. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header.map((h, i) => (i === 0 ? `# ${h}` : h)), ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}
