// Development only, no Mattermost shape: counters for tests and GET /dev/stats: calls per route pattern, /api/v4 calls under way (now and at most).
export class CallStats {
  calls: Record<string, number> = {};
  concurrent = 0;
  maxConcurrent = 0;

  /** Counts a call to `pattern` and returns the function that marks its end (call it once). */
  enter(pattern: string): () => void {
    this.calls[pattern] = (this.calls[pattern] ?? 0) + 1;
    this.concurrent++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.concurrent--;
    };
  }

  reset(): void {
    this.calls = {};
    this.maxConcurrent = this.concurrent;
  }
}
