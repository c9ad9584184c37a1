// At most N calls to the chat server at once from this node; the rest wait their turn in order, and a waiter
// gives up when the queue is already long, so a flood of new tokens cannot queue without bound.
export class CallLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly maxConcurrent: number,
    private readonly maxQueued: number,
  ) {}

  /** Runs `call` when a slot is free; false (and nothing run) when the queue is full. */
  async run<T>(call: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    if (this.running >= this.maxConcurrent) {
      if (this.waiting.length >= this.maxQueued) return { ran: false };
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return { ran: true, value: await call() };
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  get active(): number {
    return this.running;
  }
}
