import type { ProxyCaptures } from '@tandem/config';
import type { RequestView } from './request-view.types.js';

/**
 * What the proxy knows about a transaction beyond its head, for log-format variables in rule values (`%f`, `%b`,
 * `%s`, `%t`, `%rt`, `%ID`…) and the capture and unique-ID fetches. The proxy fills it per request; a view without
 * one (unit tests, the connection-time view) prints those variables as absent.
 */
export interface TxnInfo {
  readonly frontend: string;
  /** The listener speaks TLS: `%ft` adds `~`. */
  readonly frontendTls: boolean;
  /** The backend chosen so far (`%b`: the frontend's name before switching, as HAProxy). */
  backend(): string | undefined;
  /** The server the transaction is on (response rules), undefined before one is assigned. */
  server(): { readonly name: string; readonly ip: string; readonly port: number } | undefined;
  /** Wall-clock ms of the accept (`%t`, `%Ts`, `%ms`) and of the request's first byte (`%tr`). */
  readonly acceptDate: number;
  readonly requestDate: number;
  /** The process's request counter at this transaction (`%rt`). */
  readonly requestCounter: number;
  readonly pid: number;
  readonly hostname: string;
  /** The request line as received, before rules rewrite it (`%r`, `%HM`, `%HU`, `%HV`: HAProxy logs the original). */
  readonly method: string;
  readonly uri: string;
  readonly version: string;
  /** The frontend's capture slots (`%hr`, `capture.req.hdr(n)`, `capture … id n`). */
  readonly captures?: ProxyCaptures;
  /** The frontend's compiled `unique-id-format`, evaluated once per transaction (`%ID`, `unique-id`). */
  readonly uniqueIdFormat?: (view: RequestView) => string;
}
