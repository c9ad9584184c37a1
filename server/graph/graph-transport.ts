// One Graph GET with the rules every call shares, in the order they apply to an answer:
//   network error or timeout → retry with capped backoff
//   401                      → one fresh token, then a final refusal
//   429 / 503 + Retry-After  → wait what Graph asks (never past the total wait cap), retry
//   other 5xx, 429           → retry with capped backoff
//   other 4xx                → a final refusal (graph-refusal.ts)
// A bounded number of retries, each try with its own timeout; what is left is a 503 catalogue error. The bearer
// token goes to graphUrl only: a nextLink pointing anywhere else is refused, not followed.
import type { Logger } from 'pino';
import type { GraphTokenSource } from './app-token.ts';
import { describeFetchFailure, isTimeout, parseJson, readCapped } from '../util/capped-fetch.ts';
import { describeGraphError, graphErrorOf, graphInvalidResponse, graphRefusal, graphUnavailable } from './graph-refusal.ts';
import { backoffMs, retryAfterMs } from './retry-delay.ts';

export interface GraphTransportOptions {
  /** e.g. https://graph.microsoft.com or http://127.0.0.1:9000/graph; calls go to {graphUrl}/v1.0/… */
  graphUrl: string;
  tokens: GraphTokenSource;
  /** Per try; default 10000. */
  timeoutMs?: number;
  /** Tries after the first; default 3. */
  maxRetries?: number;
  /** Total time one call may spend waiting between tries; default 30000. */
  maxWaitMs?: number;
  /** First backoff step; default 500, doubling up to maxBackoffMs (default 8000). */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  fetch?: typeof fetch;
  log?: Logger;
}

export interface GraphStats {
  /** HTTP requests sent to Graph, retries included. */
  calls: number;
  /** Of those, how many were retries (throttled, 5xx, timeouts, the one after a 401). */
  retried: number;
  throttled: number;
  tokenRefreshes: number;
  byOperation: Record<string, number>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class GraphTransport {
  readonly base: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxWaitMs: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly fetch: typeof fetch;
  private readonly counters: GraphStats = { calls: 0, retried: 0, throttled: 0, tokenRefreshes: 0, byOperation: {} };

  constructor(private readonly o: GraphTransportOptions) {
    this.base = `${o.graphUrl.replace(/\/+$/, '')}/v1.0`;
    new URL(this.base); // fail at start-up
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.maxRetries = o.maxRetries ?? 3;
    this.maxWaitMs = o.maxWaitMs ?? 30_000;
    this.baseBackoffMs = o.baseBackoffMs ?? 500;
    this.maxBackoffMs = o.maxBackoffMs ?? 8000;
    this.fetch = o.fetch ?? globalThis.fetch;
  }

  /** The parsed JSON of GET {base}{path} (or of an absolute nextLink under base); null for a 404 when asked. */
  async get(pathOrUrl: string, operation: string, options: { notFoundIsNull?: boolean } = {}): Promise<unknown> {
    const url = this.resolve(pathOrUrl, operation);
    let token = await this.o.tokens.token();
    let refreshed = false;
    let waitedMs = 0;
    for (let attempt = 0; ; attempt++) {
      this.count(operation, attempt > 0);
      let status: number;
      let text: string;
      let retryAfter: string | null = null;
      try {
        const response = await this.fetch(url, {
          signal: AbortSignal.timeout(this.timeoutMs),
          redirect: 'error',
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        });
        status = response.status;
        retryAfter = response.headers.get('retry-after');
        text = await readCapped(response);
      } catch (error) {
        const reason = describeFetchFailure(error, this.timeoutMs);
        const delay = this.backoff(attempt, waitedMs);
        if (delay === undefined) throw graphUnavailable(operation, `${reason}${attempt > 0 ? ` (after ${attempt + 1} tries)` : ''}`);
        this.o.log?.warn({ operation, attempt, reason, timeout: isTimeout(error), delay_ms: delay }, 'graph call failed, retrying');
        waitedMs += delay;
        await sleep(delay);
        continue;
      }
      if (status >= 200 && status < 300) {
        const body = parseJson(text);
        if (typeof body !== 'object' || body === null) throw graphInvalidResponse(operation, `HTTP ${status}, not a JSON object`);
        return body;
      }
      if (status === 404 && options.notFoundIsNull) return null;
      if (status === 401 && !refreshed) {
        refreshed = true;
        this.counters.tokenRefreshes++;
        token = await this.o.tokens.refresh(token);
        continue;
      }
      if (status === 429 || status >= 500) {
        const described = describeGraphError(status, graphErrorOf(text));
        const asked = status === 429 || status === 503 ? retryAfterMs(retryAfter) : undefined;
        if (status === 429) this.counters.throttled++;
        const delay = asked !== undefined ? this.honour(asked, attempt, waitedMs) : this.backoff(attempt, waitedMs);
        if (delay === undefined) {
          const why = asked !== undefined && asked + waitedMs > this.maxWaitMs ? `, Retry-After ${Math.ceil(asked / 1000)} s exceeds the wait cap` : '';
          throw graphUnavailable(operation, `${described} after ${attempt + 1} tries${why}`);
        }
        this.o.log?.warn({ operation, attempt, status, delay_ms: delay }, 'graph call throttled or failed, retrying');
        waitedMs += delay;
        await sleep(delay);
        continue;
      }
      throw graphRefusal(status, text, operation);
    }
  }

  stats(): GraphStats {
    return { ...this.counters, byOperation: { ...this.counters.byOperation } };
  }

  private resolve(pathOrUrl: string, operation: string): string {
    if (pathOrUrl.startsWith('/')) return `${this.base}${pathOrUrl}`;
    // nextLinks are absolute; follow them only when they stay under our Graph base URL.
    if (!pathOrUrl.startsWith(`${this.base}/`)) throw graphInvalidResponse(operation, 'a nextLink points outside the Graph URL');
    return pathOrUrl;
  }

  /** Retry-After as asked, or no retry when retries are used up or the wait would pass the cap. */
  private honour(askedMs: number, attempt: number, waitedMs: number): number | undefined {
    if (attempt >= this.maxRetries || waitedMs + askedMs > this.maxWaitMs) return undefined;
    return askedMs;
  }

  private backoff(attempt: number, waitedMs: number): number | undefined {
    if (attempt >= this.maxRetries) return undefined;
    const delay = backoffMs(attempt, this.baseBackoffMs, this.maxBackoffMs);
    return waitedMs + delay > this.maxWaitMs ? undefined : delay;
  }

  private count(operation: string, retry: boolean): void {
    this.counters.calls++;
    if (retry) this.counters.retried++;
    this.counters.byOperation[operation] = (this.counters.byOperation[operation] ?? 0) + 1;
  }
}
