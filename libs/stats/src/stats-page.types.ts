/** One `show stat` row by column name (pxname, svname, scur, ...): what every exporter of this lib reads. */
export type StatRecord = Readonly<Record<string, string | number | undefined>>;

/** What the HTML page shows besides the rows (HAProxy's "General process information"). */
export interface StatsPageInfo {
  /** The page's own URI prefix (forms post to it, links append `;csv`...). */
  readonly uri: string;
  readonly pid: number;
  readonly uptimeMs: number;
  /** `stats show-node`: the node name to print; absent: none. */
  readonly node?: string;
  /** Absent with `stats hide-version`. */
  readonly version?: string;
  readonly refreshMs?: number;
  readonly showLegends: boolean;
  /** `stats admin` matched: server rows get checkboxes and the action form. */
  readonly admin: boolean;
  /** `;st=<code>` after an admin action (DONE, NONE, PART, DENY, ERRP, EXCD). */
  readonly status?: string;
  /** Latency quantiles per backend (Tandem's histograms), shown under the proxies. */
  readonly latency?: ReadonlyArray<{ readonly backend: string; readonly phases: ReadonlyArray<{ readonly phase: string; readonly count: number; readonly p50?: number; readonly p99?: number }> }>;
}

/** The options HAProxy reads after the stats URI: `;csv`, `;json`, `;up`, `;norefresh`, `;no-maint`, `;st=`. */
export interface StatsRequestOptions {
  /** `latency`: Tandem's histograms as JSON (`;latency`), not in HAProxy. */
  readonly format: 'html' | 'csv' | 'json' | 'latency';
  readonly upOnly: boolean;
  readonly noMaint: boolean;
  readonly noRefresh: boolean;
  readonly status?: string;
}
