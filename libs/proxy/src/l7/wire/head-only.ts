/**
 * The head of a response Tandem wrote itself, without its body: what goes out for a HEAD request. HAProxy 2.6's H1
 * mux drops the payload of its own responses (deny pages, `return`, auth, errors) when the request was HEAD and
 * keeps the head as is, `content-length` included (RFC 9110 9.3.2). Sending the body would desynchronise a
 * keep-alive client, which reads it as the start of the next response. Bytes without a head are returned unchanged.
 */
export function headOnly(bytes: Buffer): Buffer {
  const end = bytes.indexOf('\r\n\r\n');
  return end < 0 ? bytes : bytes.subarray(0, end + 4);
}
