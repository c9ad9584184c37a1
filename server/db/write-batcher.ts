// Group commit for a hot write path: items submitted while earlier batches are in flight are written together,
// in one statement and one transaction, when a slot frees up. A lone item is written at once (no timer, no added
// latency when the service is quiet); under load the batches grow, and the database pays one round trip, one
// plan execution and one WAL flush per batch instead of per item.

export interface WriteBatcherOptions<Item> {
  /** Most items in one batch. */
  maxBatch: number;
  /** Most batches in flight at once (each holds one database connection). */
  maxInFlight: number;
  /** Items with one key are written one after the other: never in one batch, nor in two batches in flight at once. */
  keyOf(item: Item): string;
  /** When a batch fails with an error this accepts, each of its items is retried alone through `writeOne`. */
  retryAlone(error: unknown): boolean;
  /** Told the size of every batch written (a metric). */
  onBatch?(size: number): void;
}

interface Pending<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export class WriteBatcher<Item, Result> {
  private queue: Pending<Item, Result>[] = [];
  private inFlight = 0;
  private readonly keysInFlight = new Set<string>();

  constructor(
    /** Writes a batch; answers one result per item, in order. */
    private readonly writeBatch: (items: Item[]) => Promise<Result[]>,
    /** Writes one item on its own (the path that resolves conflicts). */
    private readonly writeOne: (item: Item) => Promise<Result>,
    private readonly options: WriteBatcherOptions<Item>,
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      if (batch.length === 0) return; // every queued key is in flight: wait for those batches
      const keys = batch.map((pending) => this.options.keyOf(pending.item));
      for (const key of keys) this.keysInFlight.add(key);
      this.inFlight++;
      this.options.onBatch?.(batch.length);
      this.run(batch).finally(() => {
        for (const key of keys) this.keysInFlight.delete(key);
        this.inFlight--;
        this.flush();
      });
    }
  }

  /** The oldest items, at most maxBatch, no two with one key nor a key in flight; the others keep their place. */
  private take(): Pending<Item, Result>[] {
    const batch: Pending<Item, Result>[] = [];
    const keys = new Set<string>();
    const rest: Pending<Item, Result>[] = [];
    for (const pending of this.queue) {
      const key = this.options.keyOf(pending.item);
      if (batch.length < this.options.maxBatch && !keys.has(key) && !this.keysInFlight.has(key)) {
        keys.add(key);
        batch.push(pending);
      } else {
        rest.push(pending);
      }
    }
    this.queue = rest;
    return batch;
  }

  private async run(batch: Pending<Item, Result>[]): Promise<void> {
    let results: Result[];
    try {
      results = await this.writeBatch(batch.map((p) => p.item));
    } catch (error) {
      if (!this.options.retryAlone(error)) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      // An item conflicted with a write elsewhere and the whole statement was rolled back: write each alone.
      await Promise.all(batch.map((pending) => this.writeOne(pending.item).then(pending.resolve, pending.reject)));
      return;
    }
    for (const [i, pending] of batch.entries()) pending.resolve(results[i]!);
  }
}
