import type { RequestView, Sample } from './request-view.types.js';
import { txnOf } from './txn-state.js';
import { uniqueIdOf } from './unique-id.js';

/**
 * `capture.req.hdr(<idx>)`, `capture.res.hdr(<idx>)` (a capture slot's value, slots numbered in declaration order
 * in the frontend), `capture.req.method|uri|ver` and `unique-id` (configuration.txt 7.3.6). An empty slot gives
 * no sample.
 */
export const TXN_FETCHES: Readonly<Record<string, (view: RequestView, args: readonly string[]) => Sample>> = {
  'capture.req.hdr': (v, args) => txnOf(v).reqCaptures[Number(args[0])],
  'capture.res.hdr': (v, args) => txnOf(v).resCaptures[Number(args[0])],
  'unique-id': (v) => uniqueIdOf(v) || undefined,
  // The request line as received, before rules rewrite it (the proxy's copy in TxnInfo).
  'capture.req.method': (v) => v.txnInfo?.method,
  'capture.req.uri': (v) => v.txnInfo?.uri,
  'capture.req.ver': (v) => v.txnInfo?.version,
};
