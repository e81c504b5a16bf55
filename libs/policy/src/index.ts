// @tandem/policy: HAProxy's samples, ACLs, conditions, content switching and HTTP rules, evaluated purely over a
// RequestView the proxy builds per request. No I/O, no NestJS (ARCHITECTURE rules 10, 13).
export type { HeaderList, RequestView, Sample, StickAccess } from './request-view.types.js';
export { FETCHES, headerValues, pathOf, type FetchImpl } from './fetches.js';
export { compileSampleMatcher } from './matchers.js';
export { compileAcl, compileAclTerm, compileAcls, compileCondition, type Predicate } from './condition.js';
export { CompiledProxyPolicy, addHeader, deleteHeader, redirectLocation, type RequestVerdict, type TcpVerdict } from './http-rules.js';
