import { DiagnosticSink } from '../haproxy/diagnostics.js';
import type { ConfigFilePort } from '../haproxy/parse-context.js';
import type { ConfigDiagnostic } from '../runtime-config.types.js';
import type { KeepalivedParseOptions, KeepalivedParseResult } from './keepalived-config.types.js';
import { readTokens } from './includes.js';
import { buildStatements } from './lexer.js';
import { newGlobalDefs, parseGlobalDefs, type GlobalDefsDraft } from './global-defs.js';
import { runSection, type KeywordSpec, type SectionTable } from './sections.js';
import { parseSyncGroup, type SyncGroupDraft } from './sync-group.js';
import { finalize } from './validate.js';
import { parseVrrpInstance, type VrrpInstanceDraft } from './vrrp-instance.js';
import { parseVrrpScript, type VrrpScriptDraft } from './vrrp-script.js';

interface TopDraft {
  globalDefs: GlobalDefsDraft;
  scripts: VrrpScriptDraft[];
  instances: VrrpInstanceDraft[];
  syncGroups: SyncGroupDraft[];
}

const TOP_LEVEL: SectionTable<TopDraft> = {
  keywords: new Map<string, KeywordSpec<TopDraft>>([
    ['global_defs', { block: 'required', run: (s, d, scope) => parseGlobalDefs(s, d.globalDefs, scope) }],
    ['vrrp_script', { block: 'required', run(s, d, scope) { const x = parseVrrpScript(s, scope); if (x) d.scripts.push(x); } }],
    ['vrrp_instance', { block: 'required', run(s, d, scope) { const x = parseVrrpInstance(s, scope); if (x) d.instances.push(x); } }],
    ['vrrp_sync_group', { block: 'required', run(s, d, scope) { const x = parseSyncGroup(s, scope); if (x) d.syncGroups.push(x); } }],
  ]),
  unsupported: new Map([
    ...['virtual_server', 'virtual_server_group'].map((k) => [k, 'LVS; HAProxy-style proxies replace it in Tandem'] as const),
    ...['static_ipaddress', 'static_routes', 'static_rules', 'vrrp_track_file', 'track_file', 'vrrp_track_process', 'track_process',
      'bfd_instance', 'linkbeat_interfaces', 'garp_group', 'net_namespace', 'instance', 'use_pid_dir', 'vrrp_script_group']
      .map((k) => [k, 'not modelled by Tandem'] as const),
  ]),
};

/**
 * Parses keepalived.conf (keepalived.conf(5)): reads `mainFile` and its includes through `port`, collects every
 * diagnostic (never stopping at the first), and returns a deep-frozen KeepalivedConfig when there is no error.
 * Diagnostics are in file order (the main file, then includes as read), then line order.
 */
export function parseKeepalivedConfig(mainFile: string, port: ConfigFilePort, options: KeepalivedParseOptions = {}): KeepalivedParseResult {
  const sink = new DiagnosticSink();
  const { tokens, files } = readTokens(mainFile, port, sink, options.maxIncludeDepth ?? 8);
  const statements = buildStatements(tokens, sink);
  const draft: TopDraft = { globalDefs: newGlobalDefs(mainFile), scripts: [], instances: [], syncGroups: [] };
  runSection(statements, TOP_LEVEL, draft, { sink, label: 'top level' });
  const config = files.length ? finalize({ ...draft, files }, sink) : undefined;
  return { ...(config ? { config } : {}), diagnostics: Object.freeze(ordered(sink.all, files)) };
}

function ordered(diagnostics: readonly ConfigDiagnostic[], files: readonly string[]): ConfigDiagnostic[] {
  const rank = (f: string) => {
    const i = files.indexOf(f);
    return i < 0 ? files.length : i;
  };
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => rank(a.d.file) - rank(b.d.file) || a.d.line - b.d.line || a.i - b.i)
    .map(({ d }) => d);
}
