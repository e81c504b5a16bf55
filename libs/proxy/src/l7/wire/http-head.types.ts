/** What the head codecs return: a verdict, never an exception (ARCHITECTURE rule 1). */
export type HeadVerdict<T> =
  | { readonly kind: 'ok'; readonly value: T; readonly bytes: number }
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'malformed'; readonly reason: string };

/** How the message body is delimited (RFC 9112 section 6.3). */
export type BodyFraming =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' }
  /** Responses only: the body runs until the server closes. */
  | { readonly kind: 'close' };

export interface HttpHeaders {
  /** Lower-cased names, in order. */
  readonly names: string[];
  /** Raw names as received (case kept), parallel to `names`. */
  readonly rawNames: string[];
  /** Values with surrounding OWS removed (latin1). */
  readonly values: string[];
}

export interface RequestHead {
  readonly method: string;
  readonly uri: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly minor: 0 | 1;
  readonly headers: HttpHeaders;
  readonly framing: BodyFraming;
  /** Tokens of every Connection header, lower-cased. */
  readonly connectionTokens: readonly string[];
  /** Whether the client asks to keep the connection open after this request (RFC 9112 section 9.3). */
  readonly keepAlive: boolean;
  /** `Connection: upgrade` with an Upgrade header. */
  readonly upgrade: boolean;
}

export interface ResponseHead {
  readonly status: number;
  readonly reason: string;
  readonly minor: 0 | 1;
  readonly headers: HttpHeaders;
  readonly framing: BodyFraming;
  readonly connectionTokens: readonly string[];
  readonly keepAlive: boolean;
}
