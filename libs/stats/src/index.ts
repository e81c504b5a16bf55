// Stats exporters (ARCHITECTURE: counters, rates, histograms; HTML, CSV and Prometheus), pure: rows in, text out.
// The `show stat` rows and CSV live in @tandem/proxy, which feeds these renderers.
export type { StatRecord, StatsPageInfo, StatsRequestOptions } from './stats-page.types.js';
export { renderStatsHtml, groupByProxy, serverClass, formatDuration } from './stats-html.js';
export { renderStatsJson } from './stats-json.js';
export { renderPrometheus, type BackendHistograms } from './prometheus.js';
export { LatencyHistogram, LATENCY_BUCKETS_MS } from './histogram.js';
export { matchesStatsUri, parseStatsOptions, checkBasicAuth, parseAdminForm } from './stats-request.js';
