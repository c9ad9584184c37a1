// Baseline: a bare node:http hello, the ceiling of any Node.js handler on this machine.
import http from 'node:http';
import { listen } from './listen.ts';

const body = Buffer.from('hello');
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
});
listen(server, 'bare node:http');
