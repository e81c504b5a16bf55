import type { SelectionRequest } from '@tandem/balancing';
import type { BalanceConfig } from '@tandem/config';
import type { RequestView } from '@tandem/policy';
import type { RequestHead } from './wire/http-head.types.js';
import { balanceHashKey } from './sample-bytes.js';

/**
 * A request as the balancing algorithms see it; path, query, header lookups and the `balance hash` sample are
 * computed only when read (round robin and leastconn never read them).
 */
export class LazySelectionRequest implements SelectionRequest {
  constructor(
    private readonly req: RequestHead,
    readonly clientAddress: string,
    private readonly view?: RequestView,
    private readonly balance?: BalanceConfig,
  ) {}

  get path(): string {
    const uri = this.req.uri;
    const q = uri.indexOf('?');
    return q < 0 ? uri : uri.slice(0, q);
  }

  get query(): string {
    const uri = this.req.uri;
    const q = uri.indexOf('?');
    return q < 0 ? '' : uri.slice(q + 1);
  }

  header(name: string): string | undefined {
    const n = name.toLowerCase();
    const i = this.req.headers.names.indexOf(n);
    return i < 0 ? undefined : this.req.headers.values[i];
  }

  /** `balance hash <expr>` evaluated on the request as the http-request rules left it (HAProxy's order). */
  hashSample(): string | undefined {
    return this.balance ? balanceHashKey(this.balance, this.view) : undefined;
  }
}
