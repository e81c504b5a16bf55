/** Time as a port (ARCHITECTURE rule 13): unit tests drive a fake clock, production uses the system one. */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Monotonic milliseconds; only differences are meaningful. */
  now(): number;
  /** Wall-clock milliseconds since the epoch, for records and logs. */
  wallTime(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
}
