export { DataPlane, type DataPlaneDeps, type DataPlaneSnapshot, type PrepareGeneration } from './data-plane.js';
export { BackendRuntime, ServerRuntime, effectiveConnectionMode } from './backend/backend-runtime.js';
export type { ServerAdminState } from './backend/server-state.types.js';
export { TrafficCounters } from './counters.js';
export type { TrafficLogHook } from './log/traffic-log.js';
export { bindKey, servedAlpn } from './io/listener.js';
export { HAPROXY_ERRORS, errorResponse } from './l7/wire/error-responses.js';
export { decodeRequestHead, encodeRequestHead } from './l7/wire/request-head.codec.js';
export { decodeResponseHead, encodeResponseHead } from './l7/wire/response-head.codec.js';
export { ChunkedFramer, encodeChunked } from './l7/wire/chunked-framer.js';
export type * from './l7/wire/http-head.types.js';
// Admin-socket commands (registered with @tandem/control by apps/tandemd) and the pure `show stat` CSV.
export { proxyAdminCommands, lookupServer, parseWeightChange, setAdminState, AdminCommandError, type ProxyAdminCommand, type ProxyAdminOptions, type AdminCommandContext } from './admin/proxy-commands.js';
export {
  planOverrides, applyOverridePlan, stateChange, weightChange, encodeWeightOverride, decodeWeightOverride, setServerAdminState,
  type RuntimeOverride, type RuntimeChange, type RuntimeChangeCommit, type OverridePlan, type AdminStateValue,
} from './admin/runtime-overrides.js';
export type { ProxyAdminSource, ProxyRuntimes } from './admin/proxy-view.js';
export { STAT_FIELDS, STAT_TYPE, encodeStatCsv, encodeStatRow, statCsvHeader, type StatField, type StatRow } from './admin/stat-csv.js';
export { statRows, type StatFilter } from './admin/stat-rows.js';
export { encodeServersState, SERVERS_STATE_FIELDS } from './admin/servers-state.js';
// The stats page and the Prometheus exporter (issue #5), served from the L7 policy runtime.
export { serveStatsPage, servePrometheus, type StatsPageContext, type StatsAdminAction, type StatsAnswer } from './admin/stats-page.js';
// Stick tables (issue #6): the registry the data plane owns, per-connection trackers, `show table` / `clear table`.
export { StickTableRegistry, StickTracker, trackerFor, definitionOf } from './stick/stick-table-registry.js';
export { stickTableCommands, type StickTableSource } from './admin/table-commands.js';
export { patternRefCommands, type PatternRefSource } from './admin/map-commands.js';
export { proxyOpsCommands, setServerAddr, haproxyDate, type ProxyOpsOptions } from './admin/ops-commands.js';
export { encodeStatTyped, encodeStatJson } from './admin/stat-typed.js';
// `show sess`, `shutdown session`, `show errors` (issue #5): read-only session views and error captures.
export { sessionCommands, sessionLine, sessionDetail, humanTime, type SessionSource, type SessionCommandOptions } from './admin/session-commands.js';
export { encodeShowErrors, dumpText } from './admin/errors-dump.js';
export type { SessionView } from './session-view.js';
export { captureError, lastError, capturedEvents, type ErrorSnapshot } from './error-capture.js';
