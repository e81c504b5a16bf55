#!/usr/bin/env node
// A drill backend: answers every request with its name; /healthz answers 200 {"status":"ok"}.
// Usage: backend.mjs <address> <port> <name>
import { createServer } from 'node:http';

const [address, port, name] = process.argv.slice(2);
createServer((req, res) => {
  const body = req.url === '/healthz' ? '{"status":"ok"}' : name;
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(Number(port), address);
process.on('SIGTERM', () => process.exit(0));
