// A bounded HTTP/1.1 client over a raw TCP socket, for hostile-input tests: it sends header names and values and
// bodies exactly as given (NUL, invalid UTF-8, oversized headers — what fetch and node:http refuse to send), always
// with `Connection: close`, and fails (never hangs) after `timeoutMs`. Chunked answers are decoded; an event stream
// is returned as soon as its headers arrive.
import net from 'node:net';

export interface RawRequest {
  method: string;
  path: string;
  /** Header lines as [name, value]; values are written as latin1 bytes unless given as Buffers. */
  headers?: Array<[string, string | Buffer]>;
  body?: Buffer | string;
  /** Default: Content-Length of the body, when there is one. */
  contentLength?: boolean;
  timeoutMs?: number;
}

export interface RawAnswer {
  /** 0 when the server closed the connection without a status line (e.g. a parser error it answers by closing). */
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text: string;
  ms: number;
}

function decodeChunked(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = Number.parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export function rawRequest(port: number, request: RawRequest): Promise<RawAnswer> {
  const timeoutMs = request.timeoutMs ?? 10_000;
  const started = Date.now();
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  const head: Buffer[] = [Buffer.from(`${request.method} ${request.path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n`, 'latin1')];
  for (const [name, value] of request.headers ?? []) {
    head.push(Buffer.from(`${name}: `, 'latin1'), Buffer.isBuffer(value) ? value : Buffer.from(value, 'latin1'), Buffer.from('\r\n'));
  }
  if (body && request.contentLength !== false) head.push(Buffer.from(`Content-Length: ${body.length}\r\n`));
  head.push(Buffer.from('\r\n'));
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) return reject(error);
      const data = Buffer.concat(chunks);
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return resolve({ status: 0, headers: {}, body: Buffer.alloc(0), text: '', ms: Date.now() - started });
      const lines = data.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      let payload: Buffer = data.subarray(end + 4);
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) payload = decodeChunked(payload);
      resolve({ status, headers, body: payload, text: payload.toString('utf8'), ms: Date.now() - started });
    };
    const timer = setTimeout(() => {
      const seen = Buffer.concat(chunks).toString('latin1').slice(0, 200);
      finish(new Error(`no complete answer to ${request.method} ${request.path.slice(0, 120)} within ${timeoutMs} ms (seen: ${JSON.stringify(seen)})`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const sofar = Buffer.concat(chunks);
      const end = sofar.indexOf('\r\n\r\n');
      if (end >= 0 && /content-type:\s*text\/event-stream/i.test(sofar.subarray(0, end).toString('latin1'))) finish();
    });
    // A reset after the server has answered (it may stop reading an oversized body) is not a failure.
    // A reset or broken pipe (the server stopped reading an oversized request and closed) answers status 0 unless
    // an answer had already arrived; a refused connection is an error.
    socket.on('error', (error: NodeJS.ErrnoException) =>
      chunks.length > 0 || error.code === 'ECONNRESET' || error.code === 'EPIPE' ? finish() : finish(error),
    );
    socket.on('close', () => finish());
    socket.on('connect', () => {
      socket.write(Buffer.concat(head));
      if (body) socket.write(body);
    });
  });
}
