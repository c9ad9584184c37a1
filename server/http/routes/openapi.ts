// GET /plugins/mamgate/api/v1/openapi.json: the API's OpenAPI 3.1 document. Public: it names routes and shapes,
// never a setting's value or a secret.
import { Router } from 'express';
import { OPENAPI_PATH } from '../openapi/operations.ts';
import { openApiDocument } from '../openapi/document.ts';

export function openApiRoutes(): Router {
  const router = Router();
  router.get(OPENAPI_PATH, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/json').send(openApiDocument());
  });
  return router;
}
