// One HTTP request for a JWKS document: a timeout, no redirects (keys come from the URL we chose, nowhere else), and
// a body cap so a hostile or broken endpoint cannot make us buffer without bound.
export const MAX_JWKS_BYTES = 1024 * 1024;

export class JwksFetchError extends Error {
  override readonly name = 'JwksFetchError';
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new JwksFetchError(`response of ${declared} bytes exceeds ${maxBytes}`);
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
      throw new JwksFetchError(`response exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof JwksFetchError) return error.message;
  const name = (error as { name?: unknown })?.name;
  if (name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  if (name === 'AbortError') return 'aborted';
  const cause = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof cause === 'string' ? cause : String((error as Error)?.message ?? error);
}

export interface FetchJwksOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  maxBytes?: number;
}

/** The parsed JSON document; throws JwksFetchError with a short reason on any failure. */
export async function fetchJwks(url: string, options: FetchJwksOptions): Promise<unknown> {
  const maxBytes = options.maxBytes ?? MAX_JWKS_BYTES;
  try {
    // The signal also bounds reading the body, so a slow trickle cannot outlive the timeout.
    const response = await options.fetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
      headers: { accept: 'application/json' },
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new JwksFetchError(`HTTP ${response.status}`);
    }
    const text = await readCapped(response, maxBytes);
    try {
      return JSON.parse(text);
    } catch {
      throw new JwksFetchError('the response is not JSON');
    }
  } catch (error) {
    throw new JwksFetchError(describeFailure(error, options.timeoutMs));
  }
}
