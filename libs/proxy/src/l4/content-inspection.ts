import type { PayloadView, TcpRulesVerdict } from '@tandem/policy';

/** Timers as a port, so unit specs drive the inspect-delay with a fake clock. */
export interface InspectionTimers {
  setTimeout(callback: () => void, delayMs: number): { cancel(): void };
}

/**
 * One content-inspection stage of a `mode tcp` connection, as HAProxy's tcp_inspect_request runs it (the frontend's
 * `tcp-request content` rules under its `tcp-request inspect-delay`, then the backend's under its own):
 *
 * - the rules are evaluated at once on what the buffer holds, then again each time data arrives;
 * - a rule whose fetch lacks data (MISS) stops the evaluation and waits; the inspect-delay starts at the first wait;
 * - the buffer is final (fetches answer with what is there, and a MISS can no longer happen) when there is no
 *   inspect-delay, when it expired, when the buffer is full (`maxBytes`: tune.bufsize - tune.maxrewrite), or when
 *   the client closed its side;
 * - accept, or no rule deciding, lets the connection go on; reject closes it.
 *
 * The buffer belongs to the caller (the session forwards it unchanged); this class only reads it.
 */
export class ContentInspection {
  private timer: { cancel(): void } | undefined;
  private expired = false;
  private ended = false;
  private finished = false;

  constructor(
    private readonly evaluate: (payload: PayloadView) => TcpRulesVerdict,
    private readonly delayMs: number,
    private readonly maxBytes: number,
    private readonly buffer: () => Buffer,
    private readonly timers: InspectionTimers,
    private readonly done: (verdict: 'accept' | 'reject' | 'silent-drop') => void,
  ) {}

  /** The first evaluation (the stage begins with whatever is buffered already). */
  start(): void {
    this.run();
  }

  /** More bytes were appended to the buffer. */
  data(): void {
    this.run();
  }

  /** The client closed its side: no more data can come. */
  end(): void {
    this.ended = true;
    this.run();
  }

  /** The session closed: no verdict will be delivered. */
  cancel(): void {
    this.finished = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  get waiting(): boolean {
    return !this.finished;
  }

  private run(): void {
    if (this.finished) return;
    const data = this.buffer();
    const final = this.delayMs <= 0 || this.expired || this.ended || data.length >= this.maxBytes;
    const payload: PayloadView = { data, final, mayChange: false };
    const verdict = this.evaluate(payload);
    // A MISS on a final buffer cannot happen (fetches only flag `mayChange` before it is final); treat it as done.
    if (verdict === 'wait' && !final) {
      this.timer ??= this.timers.setTimeout(() => {
        this.timer = undefined;
        this.expired = true;
        this.run();
      }, this.delayMs);
      return;
    }
    this.cancel();
    this.done(verdict === 'reject' || verdict === 'silent-drop' ? verdict : 'accept');
  }
}
