import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BackendConfig, RuntimeConfig, ServerConfig } from '@tandem/config';
import { BackendRuntime, type ServerRuntime } from './backend-runtime.js';
import { effectiveMaxconn, fullconnByBackend } from './dynamic-maxconn.js';
import { PendingQueue, type QueuedRequest } from './pending-queue.js';

function server(name: string, id: number, extra: Partial<ServerConfig> = {}): ServerConfig {
  return { name, id, endpoint: { host: '127.0.0.1', port: 1000 + id, family: 4 }, weight: 1, backup: false, disabled: false, ssl: false, check: { enabled: false }, source: { file: 't', line: id }, ...extra } as unknown as ServerConfig;
}

function backend(servers: ServerConfig[], extra: Partial<BackendConfig> = {}): BackendRuntime {
  const config = {
    name: 'be', mode: 'http', balance: { algorithm: 'roundrobin', args: [], hashType: 'map-based' }, servers, timeouts: {},
    retries: 3, redispatch: false, allBackups: false, httpReuse: 'safe', errorFiles: new Map(), fromListen: false,
    healthCheck: { kind: 'tcp', httpchk: [], source: { file: 't', line: 1 } }, source: { file: 't', line: 1 }, ...extra,
  } as unknown as BackendConfig;
  return new BackendRuntime(config);
}

/** A request that takes a slot on `bound` (or any server with room) when woken, as the sessions do. */
function request(be: BackendRuntime, name: string, served: string[], bound?: ServerRuntime): QueuedRequest {
  const r: QueuedRequest = {
    resume: () => {
      const s = bound && bound.acceptsPersistent ? bound : be.servers.find((x) => x.inRotation && x.hasRoom);
      if (!s || !s.hasRoom) return (bound && bound.acceptsPersistent ? bound.queue : be.queue).add(r, undefined);
      s.counters.current++;
      served.push(`${name}@${s.name}`);
    },
    expire: () => served.push(`${name}:503`),
  };
  return r;
}

describe('server and backend queues', () => {
  it('a freed slot serves the oldest request of the server queue and the backend queue', () => {
    const be = backend([server('s1', 1, { maxconn: 1 })]);
    const s1 = be.servers[0]!;
    s1.counters.current = 1;
    const served: string[] = [];
    be.queue.add(request(be, 'a', served), undefined);
    s1.queue.add(request(be, 'b', served, s1), undefined);
    be.queue.add(request(be, 'c', served), undefined);
    s1.queue.add(request(be, 'd', served, s1), undefined);
    for (let i = 0; i < 4; i++) {
      s1.counters.current--;
      be.slotFreed(s1);
    }
    assert.deepEqual(served, ['a@s1', 'b@s1', 'c@s1', 'd@s1']);
    assert.equal(be.queued, 0);
  });

  it('a woken request that finds no room keeps its place', () => {
    const q = new PendingQueue();
    const order: string[] = [];
    let room = false;
    const mk = (n: string): QueuedRequest => {
      const r: QueuedRequest = { resume: () => (room ? order.push(n) : q.add(r, undefined)), expire: () => undefined };
      return r;
    };
    q.add(mk('first'), undefined);
    q.add(mk('second'), undefined);
    q.wake(2);
    assert.equal(q.length, 2);
    room = true;
    q.wake(2);
    assert.deepEqual(order, ['first', 'second']);
  });

  it('maxqueue marks the server queue full', () => {
    const be = backend([server('s1', 1, { maxconn: 1, maxqueue: 1 })]);
    const s1 = be.servers[0]!;
    assert.equal(s1.queueFull, false);
    s1.queue.add(request(be, 'a', [], s1), undefined);
    assert.equal(s1.queueFull, true);
  });

  it('a server going DOWN moves its queue to the backend queue with option redispatch (HAProxy), in order', () => {
    const be = backend([server('s1', 1, { maxconn: 1 }), server('s2', 2, { maxconn: 1 })], { redispatch: true });
    const [s1, s2] = be.servers as [ServerRuntime, ServerRuntime];
    s1.counters.current = 1;
    s2.counters.current = 1;
    const served: string[] = [];
    s1.queue.add(request(be, 'a', served, s1), undefined);
    be.queue.add(request(be, 'b', served), undefined);
    s1.queue.add(request(be, 'c', served, s1), undefined);
    s1.setState('down');
    assert.equal(s1.lastRequeued, 2);
    assert.equal(s1.queue.length, 0);
    assert.equal(be.queue.length, 3);
    for (let i = 0; i < 3; i++) {
      s2.counters.current--;
      be.slotFreed(s2);
    }
    assert.deepEqual(served, ['a@s2', 'b@s2', 'c@s2']);
  });

  it('without option redispatch the queue stays with the DOWN server', () => {
    const be = backend([server('s1', 1, { maxconn: 1 })]);
    const s1 = be.servers[0]!;
    s1.counters.current = 1;
    s1.queue.add(request(be, 'a', [], s1), undefined);
    s1.setState('down');
    assert.equal(s1.lastRequeued, 0);
    assert.equal(s1.queue.length, 1);
  });

  it('timeout queue expires a request wherever it waits, moved or not', async () => {
    const be = backend([server('s1', 1, { maxconn: 1 })], { redispatch: true });
    const s1 = be.servers[0]!;
    s1.counters.current = 1;
    const served: string[] = [];
    s1.queue.add(request(be, 'a', served, s1), 20);
    s1.setState('down');
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(served, ['a:503']);
    assert.equal(be.queue.expired, 1);
  });
});

describe('dynamic maxconn (minconn, fullconn)', () => {
  it('scales between minconn and maxconn with the backend load', () => {
    assert.equal(effectiveMaxconn(100, 10, 0, 1000), 10);
    assert.equal(effectiveMaxconn(100, 10, 50, 1000), 10);
    assert.equal(effectiveMaxconn(100, 10, 500, 1000), 50);
    assert.equal(effectiveMaxconn(100, 10, 999, 1000), 99);
    assert.equal(effectiveMaxconn(100, 10, 1000, 1000), 100);
    assert.equal(effectiveMaxconn(100, 10, 5000, 1000), 100);
  });

  it('is static without a minconn below maxconn, and unlimited without maxconn', () => {
    assert.equal(effectiveMaxconn(100, undefined, 0, 1000), 100);
    assert.equal(effectiveMaxconn(100, 100, 0, 1000), 100);
    assert.equal(effectiveMaxconn(undefined, 10, 0, 1000), undefined);
    assert.equal(effectiveMaxconn(0, undefined, 0, 1000), undefined);
  });

  it("fullconn defaults to 10% of the maxconn of the frontends that use the backend (global maxconn when unset)", () => {
    const config = {
      global: { maxconn: 4000 },
      frontends: [
        { name: 'a', maxconn: 1000, defaultBackend: 'web' },
        { name: 'b', maxconn: 505, policy: { useBackend: [{ backend: 'web' }, { backend: 'api' }] } },
        { name: 'c', defaultBackend: 'api' },
        { name: 'd', maxconn: 10, policy: { useBackend: [{ backend: 'web', format: [] }] } },
      ],
      backends: [{ name: 'web' }, { name: 'api' }, { name: 'fixed', fullconn: 77 }, { name: 'idle' }],
    } as unknown as RuntimeConfig;
    const full = fullconnByBackend(config);
    assert.equal(full.get('web'), 151);
    assert.equal(full.get('api'), 451);
    assert.equal(full.get('fixed'), 77);
    assert.equal(full.get('idle'), 1);
  });

  it("a server's room follows the backend load", () => {
    const be = backend([server('s1', 1, { maxconn: 10, minconn: 2 })]);
    be.fullconn = 20;
    const s1 = be.servers[0]!;
    s1.counters.current = 2;
    assert.equal(s1.effectiveMaxconn, 2);
    assert.equal(s1.hasRoom, false);
    for (let i = 0; i < 6; i++) be.queue.add({ resume: () => undefined, expire: () => undefined }, undefined);
    // load 8 of 20: 10 × 8 / 20 = 4
    assert.equal(s1.effectiveMaxconn, 4);
    assert.equal(s1.hasRoom, true);
  });
});
