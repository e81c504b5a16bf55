import type { Statement } from './lexer.js';
import type { VrrpNotifyScripts } from './keepalived-config.types.js';
import { runSection, type KeywordSpec, type SectionTable } from './sections.js';
import { NOTIFY_KEYWORDS } from './vrrp-instance.js';
import { args, error, type Scope } from './values.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface SyncGroupDraft extends Mutable<VrrpNotifyScripts> {
  name: string;
  statement: Statement;
  members: { name: string; statement: Statement }[];
}

export const VRRP_SYNC_GROUP: SectionTable<SyncGroupDraft> = {
  keywords: new Map<string, KeywordSpec<SyncGroupDraft>>([
    ['group', {
      block: 'required',
      once: true,
      run(s, d, scope) {
        if (!args(scope, s, 0, 0, 'group { INSTANCE … }')) return;
        for (const line of s.block ?? []) {
          for (const name of [line.keyword, ...line.args.map((t) => t.text)]) d.members.push({ name, statement: line });
        }
      },
    }],
    ...(NOTIFY_KEYWORDS as readonly [string, KeywordSpec<SyncGroupDraft>][]),
  ]),
  unsupported: new Map([
    ...['track_script', 'track_interface', 'track_file', 'track_process', 'track_bfd', 'global_tracking', 'sync_group_tracking_weight']
      .map((k) => [k, 'sync groups in Tandem carry members and notify scripts only'] as const),
  ]),
  ignored: new Map([['smtp_alert', 'Tandem sends no e-mail; use notify scripts or the event stream'] as const]),
};

export function parseSyncGroup(s: Statement, scope: Scope): SyncGroupDraft | undefined {
  if (s.args.length !== 1) {
    error(scope, s, `expects one name: 'vrrp_sync_group NAME { group { … } }' (got ${s.args.length} words)`);
    return undefined;
  }
  const draft: SyncGroupDraft = { name: s.args[0]!.text, statement: s, members: [] };
  const inner = { ...scope, label: `vrrp_sync_group ${draft.name}` };
  runSection(s.block ?? [], VRRP_SYNC_GROUP, draft, inner);
  if (draft.members.length === 0) error(inner, s, `'${draft.name}' has no 'group { … }' of instances`);
  return draft;
}
