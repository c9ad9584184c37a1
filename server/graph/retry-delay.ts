// How long to wait before the next try of a Graph call. Graph's throttling guidance: on 429 (and 503 with it)
// wait the Retry-After seconds it sends; otherwise back off exponentially. Both are capped by the caller.
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header); // the HTTP-date form
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** attempt 0 → base, 1 → 2·base, … at most cap, with up to 20% jitter so parallel callers spread out. */
export function backoffMs(attempt: number, baseMs: number, capMs: number): number {
  const exponential = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(exponential * (0.8 + Math.random() * 0.2));
}
