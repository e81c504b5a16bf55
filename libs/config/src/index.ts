export * from './runtime-config.types.js';
export type * from './log.types.js';
export type * from './policy-config.types.js';
// How log-format values print (flags, hex, captures): shared by @tandem/logging and @tandem/policy.
export { printLogValue, printCaptures, encodeCapture, ipHex, logDate, gmtDate, localDate, type LogValue, type LogFlags } from './log-value.js';
export { parseHaproxyConfig, type LoadResult, type ParseOptions } from './haproxy/parse-haproxy.js';
export { loadHaproxyConfig } from './haproxy/load-haproxy-config.js';
export { formatDiagnostic } from './haproxy/diagnostics.js';
export { parseTime, parseSize, parseInteger } from './haproxy/units.js';
export { parseListenAddress, parseServerEndpoint, ipFamily } from './haproxy/addresses.js';
// Sample fetches and pattern syntax, shared with @tandem/policy (which evaluates them).
export { SAMPLE_FETCHES, STICK_FETCH_DATA, STICK_FETCH_WRITES, MATCH_METHODS, type FetchSpec } from './haproxy/sample-fetches.js';
export { sampleExprType, SampleExprError } from './haproxy/sample-expr.js';
// `%[…]` in the traffic log's log-format (@tandem/logging parses, @tandem/policy evaluates).
export { parseSampleExpr, closingBracket as sampleExprEnd } from './haproxy/log-format.js';
export { DIGESTS, TABLE_CONVERTER_DATA } from './haproxy/converter-specs.js';
export { parseIntPatterns, parseIp, parseNetwork, ipInNetwork, type IntPattern, type IpNetwork } from './haproxy/acl-patterns.js';
export { ISSUES, NOT_IMPLEMENTED_PROXY_KEYWORDS, NOT_IMPLEMENTED_SERVER_PARAMS, NOT_IMPLEMENTED_GLOBAL_KEYWORDS } from './haproxy/not-implemented.js';
export type { ConfigFilePort } from './haproxy/parse-context.js';
export { DEFAULTS as CONFIG_DEFAULTS } from './haproxy/build-runtime-config.js';
// keepalived's configuration language (src/keepalived/): parseKeepalivedConfig is pure (files through the port).
export { parseKeepalivedConfig } from './keepalived/parse-keepalived.js';
export { loadKeepalivedConfig } from './keepalived/load-keepalived-config.js';
export { KEEPALIVED_DEFAULTS } from './keepalived/global-defs.js';
export type * from './keepalived/keepalived-config.types.js';
export { PatternRef, PatternRefRegistry, lookupPatternRef, type PatternEntry, type PatternCheck, type PatternUser } from './pattern-ref.js';
