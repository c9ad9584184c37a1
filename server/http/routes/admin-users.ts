// POST …/admin/users/import: a CSV or JSON Lines file as the raw body, read as a stream. Mounted before the JSON
// body parser, behind requireAdmin.
import { Router } from 'express';
import type { TokenIdentities } from '../../chatserver/token-identities.ts';
import { AppError } from '../../errors/app-error.ts';
import type { ServiceContext } from '../../context.ts';
import { usernameResolver } from '../../users/bulk-export.ts';
import { importUsers } from '../../users/import-users.ts';
import { formatOf } from '../../users/read-records.ts';
import { actorOf, requireAdmin } from '../admin-auth.ts';
import { limitedBody } from '../streamed-body.ts';
import { sendAnswer } from '../typed-answer.ts';
import { importAnswer } from './admin-users.schemas.ts';

const IMPORT_LIMIT_BYTES = 200 * 1024 * 1024;

export function adminUserImportRoutes(ctx: ServiceContext, identities?: TokenIdentities): Router {
  const router = Router();
  router.post('/users/import', requireAdmin(ctx, identities), async (req, res) => {
    const type = req.get('content-type') ?? '';
    if (!/text\/csv|application\/(x-)?(nd)?jsonl?|application\/x-ndjson/i.test(type)) {
      throw new AppError('mamgate.users.import_format.app_error', { params: { ContentType: type.slice(0, 64) || 'no content type' } });
    }
    const result = await importUsers(ctx.db, limitedBody(req, IMPORT_LIMIT_BYTES), formatOf(type), actorOf(res), usernameResolver(ctx));
    sendAnswer(res, importAnswer, result);
  });
  return router;
}
