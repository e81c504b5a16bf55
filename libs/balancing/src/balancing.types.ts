import type { BalanceConfig } from '@tandem/config';

/**
 * The backend <-> algorithm contract, as small as HAProxy's `struct lb_ops`.
 *
 * A `Selector` is built from the servers that are currently in rotation (UP or going down, weight > 0) and is
 * never mutated when membership, weight or health changes: the owner builds a new one and swaps it in
 * (ARCHITECTURE rule 6). Per-request conditions (server full at maxconn, already tried by this request) are applied
 * by the proxy through `isEligible`, so one selector serves every request.
 */
export interface BalancedServer {
  /** HAProxy's numeric server id (stable across rebuilds; used for tie-breaking and `first`). */
  readonly id: number;
  readonly name: string;
  /** Effective weight, 1..256 (servers of weight 0 are not in rotation). */
  readonly weight: number;
  readonly backup: boolean;
}

/** What an algorithm may look at in a request. Every field is optional: `mode tcp` only has the client address. */
export interface SelectionRequest {
  readonly clientAddress?: string;
  readonly path?: string;
  readonly query?: string;
  /** Case-insensitive header lookup (first value). */
  header?(name: string): string | undefined;
  /**
   * `balance hash <expr>`: the backend's sample expression evaluated on this request, as the bytes HAProxy hashes
   * (a string's characters; an address's or an integer's bytes, one character each); undefined when it yields nothing.
   */
  hashSample?(): string | undefined;
}

export type EligibilityFilter = (server: BalancedServer) => boolean;

export interface Selector {
  /**
   * The server for this request, or undefined when none is eligible. Called again after a failed attempt with a
   * filter that excludes the servers already tried (redispatch).
   */
  select(request: SelectionRequest, isEligible: EligibilityFilter): BalancedServer | undefined;
  /** Connection accounting, for algorithms that balance on load (leastconn, first). No-ops for others. */
  connectionStarted(server: BalancedServer): void;
  connectionEnded(server: BalancedServer): void;
}

export interface SelectorOptions {
  readonly config: BalanceConfig;
  /** `option allbackups`: use every backup server at once rather than only the first. */
  readonly allBackups: boolean;
  /** Current connection counts, carried over when a selector is rebuilt (leastconn). */
  readonly activeConnections?: ReadonlyMap<number, number>;
  /** Source of randomness for `random` (tests inject a deterministic one). */
  readonly random?: () => number;
}

/** One balancing algorithm: a name (as written after `balance`) and a factory. Registered in the registry. */
export interface BalancingAlgorithm {
  readonly name: string;
  build(servers: readonly BalancedServer[], options: SelectorOptions): Selector;
}
