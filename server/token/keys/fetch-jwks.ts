// One HTTP request for a JWKS document: a timeout, no redirects (keys come from the URL we chose, nowhere else), and
// a body cap so a hostile or broken endpoint cannot make us buffer without bound.
import { describeFetchFailure, readCapped } from '../../util/capped-fetch.ts';

export const MAX_JWKS_BYTES = 1024 * 1024;

export class JwksFetchError extends Error {
  override readonly name = 'JwksFetchError';
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
    throw new JwksFetchError(describeFetchFailure(error, options.timeoutMs));
  }
}
