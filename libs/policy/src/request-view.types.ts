/** Header fields as the HTTP codecs hold them: lower-cased names, raw names and values, parallel arrays. */
export interface HeaderList {
  names: string[];
  rawNames: string[];
  values: string[];
}

/**
 * What the sample fetches read from one transaction. The proxy builds it once per request from the parsed head
 * and the connection; header rules edit `headers` in place, so later rules see earlier rules' changes (as in HAProxy).
 */
export interface RequestView {
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
  readonly method: string;
  /** The request target as received (origin form `/p?q`, absolute form, or `*`). */
  readonly uri: string;
  readonly headers: HeaderList;
  /** The connection arrived over TLS (`ssl_fc`). */
  readonly ssl: boolean;
  /** The SNI the client sent (`ssl_fc_sni`). */
  readonly sni: string | undefined;
  /** Usable servers of a backend (`nbsrv(<backend>)`); `undefined` names the current backend. */
  nbsrv(backend: string | undefined): number;
}

/** A fetched sample: nothing, a value, or every value of a multi-valued fetch (`hdr`, tried in turn by an ACL). */
export type Sample = undefined | string | number | boolean | readonly string[];
