// What the runner asks the load generator to do (written to a file, read by loadgen.ts in its own process).
export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration: number;
  /** Exactly this many requests, then stop. */
  amount?: number;
  /** Per-request variation, built in the load generator. */
  vary?:
    | { kind: 'bearer-cycle'; tokens: string[] }
    /** A JSON body whose `device_id` is new for every request. */
    | { kind: 'device-id'; body: Record<string, unknown>; prefix: string };
}

export interface LoadResult {
  /** Completed requests per second (all statuses) over the measured time. */
  rps: number;
  total: number;
  durationS: number;
  /** Latency percentiles in ms (autocannon's histogram: whole milliseconds). */
  p50: number;
  p99: number;
  mean: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** CPU the load generator itself used, in % of one core: near 100 means the generator, not the server, limits. */
  generatorCpuPct: number;
}
