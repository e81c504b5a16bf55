import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startStubHttpBackend } from '@tandem/testing';
import { backend, bind, frontend, parse, raw, runtimeConfig, server, startPlane } from './support.js';

describe('server state and stop', () => {
  it('a server put in maint leaves rotation (selector rebuilt), and comes back', async () => {
    const a = await startStubHttpBackend('a');
    const b = await startStubHttpBackend('b');
    const { plane, port } = await startPlane(runtimeConfig([frontend('fe', 'be', [bind()])], [backend('be', [server('a', a.port), server('b', b.port)])]));
    plane.backend('be')!.server('a')!.setState('maint');
    for (let i = 0; i < 3; i++) assert.equal(parse(await raw(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).body, 'b');
    plane.backend('be')!.server('a')!.setState('up');
    const bodies = new Set<string>();
    for (let i = 0; i < 4; i++) bodies.add(parse(await raw(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).body);
    assert.deepEqual([...bodies].sort(), ['a', 'b']);
    await plane.stop('hard');
    await a.close();
    await b.close();
  });

  it('graceful stop lets an in-flight download finish and closes idle keep-alive connections', async () => {
    const s = await startStubHttpBackend('s');
    const { plane, port } = await startPlane(runtimeConfig([frontend('fe', 'be', [bind()])], [backend('be', [server('s', s.port)])]));
    const idle = connect({ host: '127.0.0.1', port });
    const idleClosed = new Promise((r) => idle.on('close', r));
    idle.on('error', () => undefined);
    const download = new Promise<string>((resolve) => {
      const c = connect({ host: '127.0.0.1', port });
      let out = '';
      c.on('data', (d) => (out += d.toString('latin1')));
      c.on('close', () => resolve(out));
      c.write('GET /slow/65536/20 HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    await new Promise((r) => setTimeout(r, 50));
    await plane.stop('graceful', 3000);
    await idleClosed;
    const out = await download;
    assert.equal(parse(out).body.length, 65536);
    assert.equal(plane.snapshot().connections, 0);
    await s.close();
  });
});
