/**
 * Incremental chunked-body framer (RFC 9112 section 7.1). It does not copy or decode the payload: it tells the proxy
 * how many of the given bytes belong to the body, so the raw bytes are forwarded unchanged, and when the message
 * (last chunk + trailers + CRLF) ends. Bad chunk sizes (non-hex, overflow), bare LF/CR are verdicts, never throws.
 */
const enum S {
  Size,
  SizeWs,
  Ext,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  Trailer,
  TrailerLf,
  EndLf,
  Done,
}

/** 2^53 fits in 14 hex digits; more is an overflow. */
const MAX_SIZE_DIGITS = 13;
const MAX_TRAILER_BYTES = 16384;

export type FrameResult = { readonly kind: 'body'; readonly consumed: number; readonly done: boolean } | { readonly kind: 'malformed'; readonly reason: string };

export class ChunkedFramer {
  private state = S.Size;
  private size = 0;
  private digits = 0;
  private remaining = 0;
  private trailerBytes = 0;

  get done(): boolean {
    return this.state === S.Done;
  }

  /** Scans `buf[start, end)`. `consumed` counts bytes that belong to this body (the rest is the next message). */
  feed(buf: Uint8Array, start = 0, end = buf.length): FrameResult {
    let i = start;
    while (i < end) {
      const c = buf[i]!;
      switch (this.state) {
        case S.Size: {
          const h = hexValue(c);
          if (h >= 0) {
            if (++this.digits > MAX_SIZE_DIGITS) return bad('chunk size overflow');
            this.size = this.size * 16 + h;
          } else if (this.digits === 0) return bad('invalid chunk size');
          else if (c === 13) this.state = S.SizeLf;
          else if (c === 59) this.state = S.Ext;
          else if (c === 32 || c === 9) this.state = S.SizeWs;
          else return bad('invalid chunk size');
          i++;
          break;
        }
        case S.SizeWs:
          if (c === 32 || c === 9) i++;
          else if (c === 59) (this.state = S.Ext), i++;
          else if (c === 13) (this.state = S.SizeLf), i++;
          else return bad('invalid chunk size');
          break;
        case S.Ext:
          // chunk-ext: any field-vchar / SP / HTAB until CRLF.
          if (c === 13) this.state = S.SizeLf;
          else if (c === 10 || (c < 32 && c !== 9) || c === 127) return bad('invalid chunk extension');
          i++;
          break;
        case S.SizeLf:
          if (c !== 10) return bad('bare CR');
          i++;
          if (this.size === 0) {
            this.state = S.TrailerStart;
          } else {
            this.remaining = this.size;
            this.state = S.Data;
          }
          this.size = 0;
          this.digits = 0;
          break;
        case S.Data: {
          const take = Math.min(this.remaining, end - i);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = S.DataCr;
          break;
        }
        case S.DataCr:
          if (c !== 13) return bad('missing CRLF after chunk data');
          this.state = S.DataLf;
          i++;
          break;
        case S.DataLf:
          if (c !== 10) return bad('bare CR');
          this.state = S.Size;
          i++;
          break;
        case S.TrailerStart:
          if (c === 13) this.state = S.EndLf;
          else if (c === 10) return bad('bare LF');
          else this.state = S.Trailer;
          i++;
          break;
        case S.Trailer:
          if (++this.trailerBytes > MAX_TRAILER_BYTES) return bad('trailers too large');
          if (c === 13) this.state = S.TrailerLf;
          else if (c === 10) return bad('bare LF');
          i++;
          break;
        case S.TrailerLf:
          if (c !== 10) return bad('bare CR');
          this.state = S.TrailerStart;
          i++;
          break;
        case S.EndLf:
          if (c !== 10) return bad('bare CR');
          this.state = S.Done;
          i++;
          return { kind: 'body', consumed: i - start, done: true };
        case S.Done:
          return { kind: 'body', consumed: i - start, done: true };
      }
    }
    return { kind: 'body', consumed: i - start, done: this.state === S.Done };
  }
}

function bad(reason: string): FrameResult {
  return { kind: 'malformed', reason };
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Encodes a body as chunks of at most `chunkSize` bytes, last chunk and an empty trailer section. */
export function encodeChunked(body: Uint8Array, chunkSize = 4096, trailers = ''): Buffer {
  const parts: Buffer[] = [];
  for (let off = 0; off < body.length; off += chunkSize) {
    const piece = body.subarray(off, Math.min(body.length, off + chunkSize));
    parts.push(Buffer.from(piece.length.toString(16) + '\r\n', 'latin1'), Buffer.from(piece), Buffer.from('\r\n', 'latin1'));
  }
  parts.push(Buffer.from('0\r\n' + trailers + '\r\n', 'latin1'));
  return Buffer.concat(parts);
}
