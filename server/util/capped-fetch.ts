// Shared by every outside HTTP call (the JWKS, the token endpoint, Graph): a short, secret-free reason for a failed
// fetch, and reading a body with a cap so a hostile or broken endpoint cannot make us buffer without bound.
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export class ResponseTooLarge extends Error {
  override readonly name = 'ResponseTooLarge';
}

/** The body as text; the fetch's abort signal also bounds this read, so a slow trickle cannot outlive the timeout. */
export async function readCapped(response: Response, maxBytes = MAX_RESPONSE_BYTES): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new ResponseTooLarge(`response of ${declared} bytes exceeds ${maxBytes}`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ResponseTooLarge(`response exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function isTimeout(error: unknown): boolean {
  return (error as { name?: unknown })?.name === 'TimeoutError';
}

/** e.g. "timed out after 5000 ms", "ECONNREFUSED". Never the request, whose headers carry the token. */
export function describeFetchFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof ResponseTooLarge) return error.message;
  if (isTimeout(error)) return `timed out after ${timeoutMs} ms`;
  if ((error as { name?: unknown })?.name === 'AbortError') return 'aborted';
  const cause = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof cause === 'string' ? cause : String((error as Error)?.message ?? error);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
