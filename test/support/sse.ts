// A small text/event-stream client over fetch's body reader, for the event-stream tests: events are parsed as they
// arrive and a test waits for the next one (bounded), or for the end of the stream.
import assert from 'node:assert/strict';

export interface StreamEvent {
  id?: string;
  event: string;
  data: string;
}

export interface EventStream {
  status: number;
  headers: Headers;
  /** The next event not yet taken (comments and retry lines are not events); fails after `timeoutMs`. */
  next(timeoutMs?: number): Promise<StreamEvent>;
  /** Resolves true when the server ends the stream within `timeoutMs` (events not taken yet stay queued). */
  ended(timeoutMs?: number): Promise<boolean>;
  /** Comment lines (heartbeats) seen so far. */
  comments: string[];
  close(): void;
}

export async function openEventStream(url: string, headers: Record<string, string>): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const queue: StreamEvent[] = [];
  const comments: string[] = [];
  let done = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };

  const parseBlock = (block: string) => {
    const event: StreamEvent = { event: 'message', data: '' };
    const data: string[] = [];
    let any = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        comments.push(line);
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event.event = value;
      else if (field === 'id') event.id = value;
      else if (field === 'data') data.push(value);
      else continue;
      any = true;
    }
    if (any && (data.length > 0 || event.event !== 'message')) {
      event.data = data.join('\n');
      queue.push(event);
    }
  };

  if (response.ok && response.body) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done: finished } = await reader.read();
          if (finished) break;
          buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
          let cut = buffer.indexOf('\n\n');
          while (cut >= 0) {
            parseBlock(buffer.slice(0, cut));
            buffer = buffer.slice(cut + 2);
            cut = buffer.indexOf('\n\n');
          }
          notify();
        }
      } catch {
        // aborted by close(), or the connection dropped
      } finally {
        done = true;
        notify();
      }
    })();
  } else {
    done = true;
  }

  const waitFor = async (ready: () => boolean, timeoutMs: number): Promise<boolean> => {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return true;
  };

  return {
    status: response.status,
    headers: response.headers,
    comments,
    async next(timeoutMs = 3000) {
      const ready = await waitFor(() => queue.length > 0 || done, timeoutMs);
      assert.ok(ready, `no event within ${timeoutMs} ms`);
      const event = queue.shift();
      assert.ok(event, 'the stream ended before the next event');
      return event;
    },
    ended(timeoutMs = 3000) {
      return waitFor(() => done, timeoutMs);
    },
    close() {
      controller.abort();
    },
  };
}
