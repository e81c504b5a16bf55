/** A request waiting for a server slot: woken when one frees, or expired after `timeout queue`. */
export interface QueuedRequest {
  /** A slot may be free: try to take a server again (the request re-queues with its place if none has room). */
  resume(): void;
  /** `timeout queue` elapsed: answer 503 (HTTP) or close (TCP). */
  expire(): void;
}

interface Entry {
  readonly request: QueuedRequest;
  /** Arrival order, shared by every queue so a server can serve the oldest of its own and its backend's queue. */
  readonly seq: number;
  /** When `timeout queue` ends (ms, monotonic), or undefined without a limit. */
  readonly deadline: number | undefined;
  timer: NodeJS.Timeout | undefined;
  /** The queue holding the entry (changes when a DOWN server's queue moves to the backend's). */
  queue: PendingQueue;
}

/** Arrival counter across all queues (HAProxy dequeues the oldest request of the server and backend queues). */
let arrivals = 0;
/** Set while a woken request retries: its arrival order and deadline, kept if it queues again. */
let resuming: { seq: number; deadline: number | undefined; requeued: boolean } | undefined;

/**
 * A queue of requests waiting for a server slot: the backend's (requests free to use any server) or a server's
 * (requests bound to it by cookie, stick match or use-server), as in HAProxy. Ordered by arrival; each entry is
 * bounded by `timeout queue` (HAProxy's default when unset: `timeout connect`). A request that is woken and finds
 * no room queues again with its original place and deadline.
 */
export class PendingQueue {
  private readonly waiting: Entry[] = [];
  /** Peak length since start (stats' qmax). */
  max = 0;
  /** Requests that waited and were then served (or re-queued elsewhere). */
  dequeued = 0;
  /** Requests that got 503 after `timeout queue`. */
  expired = 0;

  get length(): number {
    return this.waiting.length;
  }

  /** Arrival order of the oldest waiting request (Infinity when empty). */
  get headSeq(): number {
    return this.waiting[0]?.seq ?? Infinity;
  }

  has(request: QueuedRequest): boolean {
    return this.waiting.some((w) => w.request === request);
  }

  /**
   * Queues `request`. During a retry (`resume()`), the request keeps its arrival order and deadline, whichever
   * queue it lands in; `front` is accepted for callers that flag a retry explicitly and changes nothing else.
   */
  add(request: QueuedRequest, timeoutMs: number | undefined, front = false): void {
    void front;
    const keep = resuming;
    if (keep) keep.requeued = true;
    const deadline = keep ? keep.deadline : timeoutMs !== undefined && timeoutMs > 0 ? performance.now() + timeoutMs : undefined;
    this.insert({ request, seq: keep ? keep.seq : ++arrivals, deadline, timer: undefined, queue: this });
  }

  /** Takes a request out (its client left); true when it was queued here. */
  remove(request: QueuedRequest): boolean {
    const i = this.waiting.findIndex((w) => w.request === request);
    if (i < 0) return false;
    clearTimeout(this.waiting[i]!.timer);
    this.waiting.splice(i, 1);
    return true;
  }

  /**
   * Wakes up to `count` requests in order. Each one retries at once (synchronously takes a slot or queues again
   * with its place), so a woken request that finds no room stops the round instead of spinning.
   */
  wake(count = 1): void {
    for (let n = 0; n < count && this.waiting.length > 0; n++) {
      if (!this.wakeOne()) return;
    }
  }

  /** Wakes the oldest request; false when it found no room and queued again. */
  wakeOne(): boolean {
    const entry = this.waiting.shift();
    if (!entry) return false;
    clearTimeout(entry.timer);
    const outer = resuming;
    const state = { seq: entry.seq, deadline: entry.deadline, requeued: false };
    resuming = state;
    try {
      entry.request.resume();
    } finally {
      resuming = outer;
    }
    if (state.requeued) return false;
    this.dequeued++;
    return true;
  }

  /** Moves every waiting request to `target` with its place and deadline (a server going DOWN); returns the count. */
  moveTo(target: PendingQueue): number {
    const moved = this.waiting.splice(0);
    for (const e of moved) {
      clearTimeout(e.timer);
      target.insert({ ...e, timer: undefined, queue: target });
    }
    return moved.length;
  }

  /** Expires everything (stop or a new generation without this backend). */
  clear(): void {
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      w.request.expire();
    }
  }

  private insert(entry: Entry): void {
    let i = this.waiting.length;
    while (i > 0 && this.waiting[i - 1]!.seq > entry.seq) i--;
    this.waiting.splice(i, 0, entry);
    if (entry.deadline !== undefined) {
      const left = Math.max(0, entry.deadline - performance.now());
      entry.timer = setTimeout(() => {
        const q = entry.queue;
        if (!q.waiting.includes(entry)) return;
        q.remove(entry.request);
        q.expired++;
        entry.request.expire();
      }, left);
    }
    if (this.waiting.length > this.max) this.max = this.waiting.length;
  }
}

/** Which of two queues holds the older head (a server's own queue wins ties); undefined when both are empty. */
export function olderHead(own: PendingQueue, shared: PendingQueue): PendingQueue | undefined {
  if (own.length === 0 && shared.length === 0) return undefined;
  return own.headSeq <= shared.headSeq ? own : shared;
}
