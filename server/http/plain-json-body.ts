// Reading a JSON body on plain node:http (the sign-in's fast path), with the same rules and catalogue errors as
// the Express body parser in json-body.ts: JSON only (415), at most the body limit (400 body_too_large), UTF-8
// only and well-formed (400 malformed_json).
import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors/app-error.ts';

const utf8 = new TextDecoder('utf-8');

/** A request that carries a body: a non-zero Content-Length, or a chunked one. */
export function carriesBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return length !== '0' && (length !== undefined || req.headers['transfer-encoding'] !== undefined);
}

function mediaType(req: IncomingMessage): { type: string; charset: string | undefined } {
  const [type = '', ...params] = (req.headers['content-type'] ?? '').split(';');
  const charset = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='));
  return { type: type.trim().toLowerCase(), charset: charset?.slice('charset='.length).replace(/^"|"$/g, '') };
}

/** Resolves the parsed body (undefined when there is none); rejects with the catalogue error. */
export function readJsonBody(req: IncomingMessage, limitBytes: number, limitLabel: string): Promise<unknown> {
  if (!carriesBody(req)) {
    req.resume();
    return Promise.resolve(undefined);
  }
  const { type, charset } = mediaType(req);
  if (type !== 'application/json') return Promise.reject(new AppError('mamgate.request.unsupported_media_type.app_error'));
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return Promise.reject(new AppError('mamgate.request.malformed_json.app_error', { detailed: 'charset.unsupported' }));
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') {
    return Promise.reject(new AppError('mamgate.request.malformed_json.app_error', { detailed: 'encoding.unsupported' }));
  }
  const tooLarge = () => new AppError('mamgate.request.body_too_large.app_error', { params: { Limit: limitLabel } });
  if (Number(req.headers['content-length']) > limitBytes) return Promise.reject(tooLarge());

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limitBytes) {
        refused = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (error) => {
      if (!refused) reject(new AppError('mamgate.request.malformed_json.app_error', { detailed: 'request.aborted', cause: error }));
      refused = true;
    });
    req.on('end', () => {
      if (refused) return;
      try {
        resolve(JSON.parse(utf8.decode(Buffer.concat(chunks, size))));
      } catch {
        reject(new AppError('mamgate.request.malformed_json.app_error', { detailed: 'entity.parse.failed' }));
      }
    });
  });
}
