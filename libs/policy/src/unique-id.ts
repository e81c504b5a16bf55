import type { RequestView } from './request-view.types.js';
import { txnOf } from './txn-state.js';

/**
 * The transaction's unique ID (`unique-id-format`): generated at its first use (a rule's `%ID` or `unique-id`, the
 * `unique-id-header`, else the log) and kept, so every use sees the same value, as HAProxy's
 * stream_generate_unique_id. Undefined when the frontend has no format. A format that uses `%ID` itself reads ''
 * while it is being built.
 */
export function uniqueIdOf(view: RequestView): string | undefined {
  const t = txnOf(view);
  if (t.uniqueId !== undefined) return t.uniqueId;
  const format = view.txnInfo?.uniqueIdFormat;
  if (!format) return undefined;
  t.uniqueId = '';
  return (t.uniqueId = format(view));
}
