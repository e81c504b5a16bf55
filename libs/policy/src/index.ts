// @tandem/policy: HAProxy's samples, ACLs, conditions, content switching and HTTP rules, evaluated purely over a
// RequestView the proxy builds per request. No I/O, no NestJS (ARCHITECTURE rules 10, 13).
export type { HeaderList, RequestView, Sample, StickAccess, TxnState, VarValue } from './request-view.types.js';
export { FETCHES, cookieValues, headerValues, pathOf, type FetchImpl } from './fetches.js';
export { compileSampleMatcher } from './matchers.js';
export { compileAcl, compileAclTerm, compileAcls, compileCondition, type Predicate } from './condition.js';
export { CompiledProxyPolicy, addHeader, deleteHeader, redirectLocation, type RequestVerdict, type ResponseEdit, type TcpVerdict } from './http-rules.js';
export type { ResponseVerdict } from './response-verdict.js';
export type { ReplyContent } from './return-action.js';
export { applyConverters, compileConverter, compileMapLookup, compileSampleExpr, formatIp, type ConverterImpl } from './converters.js';
export { compileLogFormat, compileValue, sampleText, type TextEval } from './log-format.js';
export { newTxnState, readVar, txnOf } from './txn-state.js';
export type { TxnInfo } from './txn-info.types.js';
export { uniqueIdOf } from './unique-id.js';
export { setPath, setQuery } from './rule-actions.js';
export { urlParams } from './fetches.js';
export { compileKeyExpr, typedSampleText, type TypedSample } from './key-expr.js';
export type { BackendLoad, PayloadView, TlsDetails } from './request-view.types.js';
export { CompiledTcpRules, compileTriCondition, type TcpRulesVerdict, type TriPredicate, type TriState } from './tcp-content-rules.js';
export { helloSni, helloType, helloVersion, type HelloResult } from './tls-client-hello.js';
export { UserlistAuth, basicCredentials } from './userlist-auth.js';
export { crypt, verifyCrypt, isSupportedCryptHash } from './crypt.js';
export { normalizeUri } from './normalize-uri.js';
