// Baseline: an Express 5 hello (routing, req/res decoration, no auth).
import http from 'node:http';
import express from 'express';
import { listen } from './listen.ts';

const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.get('/hello', (_req, res) => {
  res.type('text/plain').send('hello');
});
listen(http.createServer(app), 'express hello');
