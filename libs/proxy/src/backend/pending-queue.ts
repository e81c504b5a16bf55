/** A request waiting for a server slot: woken when one frees, or expired after `timeout queue`. */
export interface QueuedRequest {
  /** A slot may be free: try to take a server again (the request re-queues at the front if none has room). */
  resume(): void;
  /** `timeout queue` elapsed: answer 503 (HTTP) or close (TCP). */
  expire(): void;
}

/**
 * The backend's queue of requests that found every server at its `maxconn` (HAProxy's backend queue, for
 * requests not bound to one server). First come, first served; each entry bounded by `timeout queue`
 * (HAProxy's default when unset: `timeout connect`). A request put back after a failed wake keeps its place.
 */
export class PendingQueue {
  private readonly waiting: Array<{ request: QueuedRequest; timer: NodeJS.Timeout | undefined }> = [];
  /** Peak length since start (stats' qmax). */
  max = 0;
  /** Requests that waited and were then served (or re-queued). */
  dequeued = 0;
  /** Requests that got 503 after `timeout queue`. */
  expired = 0;

  get length(): number {
    return this.waiting.length;
  }

  has(request: QueuedRequest): boolean {
    return this.waiting.some((w) => w.request === request);
  }

  /** Queues `request`; `front` keeps the place of a request that was woken but found no room. */
  add(request: QueuedRequest, timeoutMs: number | undefined, front = false): void {
    const entry: { request: QueuedRequest; timer: NodeJS.Timeout | undefined } = { request, timer: undefined };
    if (timeoutMs !== undefined && timeoutMs > 0) {
      entry.timer = setTimeout(() => {
        if (!this.remove(request)) return;
        this.expired++;
        request.expire();
      }, timeoutMs);
    }
    if (front) this.waiting.unshift(entry);
    else this.waiting.push(entry);
    if (this.waiting.length > this.max) this.max = this.waiting.length;
  }

  /** Takes a request out (its client left); true when it was queued. */
  remove(request: QueuedRequest): boolean {
    const i = this.waiting.findIndex((w) => w.request === request);
    if (i < 0) return false;
    clearTimeout(this.waiting[i]!.timer);
    this.waiting.splice(i, 1);
    return true;
  }

  /**
   * Wakes up to `count` requests in order. Each one retries at once (synchronously takes a slot or re-queues at
   * the front), so a woken request that finds no room stops the round instead of spinning.
   */
  wake(count = 1): void {
    for (let n = 0; n < count && this.waiting.length > 0; n++) {
      const entry = this.waiting.shift()!;
      clearTimeout(entry.timer);
      this.dequeued++;
      const before = this.waiting.length;
      entry.request.resume();
      if (this.waiting.length > before && this.waiting[0]?.request === entry.request) {
        // Re-queued: no server had room after all. Its timeout restarts, as the request's own wait continues.
        this.dequeued--;
        return;
      }
    }
  }

  /** Expires everything (stop or a new generation without this backend). */
  clear(): void {
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      w.request.expire();
    }
  }
}
