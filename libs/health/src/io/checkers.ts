import { connect, type Socket } from 'node:net';
import type { ServerEndpoint } from '@tandem/core';
import type { CheckResult } from '../health.types.js';
import { expectationMet, type HttpExpect } from '../http-expect.js';
import { encodeHttpCheckRequest, type HttpCheckRequest } from '../httpchk-request.js';

const MAX_CHECK_RESPONSE = 64 * 1024;

type Finish = (result: Omit<CheckResult, 'durationMs'>) => void;

/** Connects, then hands the socket and the one-shot `finish` to `onReady`; errors and timeouts finish it too. */
function open(endpoint: ServerEndpoint, timeoutMs: number, onReady: (socket: Socket, finish: Finish) => void, done: (r: CheckResult) => void): void {
  const started = performance.now();
  const socket = connect({ host: endpoint.host, port: endpoint.port });
  let finished = false;
  const finish: Finish = (result) => {
    if (finished) return;
    finished = true;
    socket.destroy();
    done({ ...result, durationMs: performance.now() - started });
  };
  socket.setTimeout(timeoutMs, () => finish({ ok: false, reason: socket.connecting ? 'Layer4 timeout' : 'Layer7 timeout' }));
  socket.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, reason: 'Layer4 connection problem', info: error.code === 'ECONNREFUSED' ? 'Connection refused' : error.message }));
  socket.on('connect', () => onReady(socket, finish));
}

/** A Layer4 check: the server accepts a TCP connection within the timeout. */
export function tcpConnectCheck(endpoint: ServerEndpoint, timeoutMs: number): Promise<CheckResult> {
  return new Promise((resolve) => {
    open(endpoint, timeoutMs, (_socket, finish) => finish({ ok: true, reason: 'Layer4 check passed' }), resolve);
  });
}

/** A Layer7 check: send the httpchk request, read the response (bounded), and apply the expect rule. */
export function httpCheck(endpoint: ServerEndpoint, request: HttpCheckRequest, expect: HttpExpect, timeoutMs: number): Promise<CheckResult> {
  return new Promise((resolve) => {
    open(endpoint, timeoutMs, (socket, finish) => {
      let received = '';
      const judge = () => {
        const status = /^HTTP\/1\.[01] (\d{3})(?: ([^\r\n]*))?\r?\n/.exec(received);
        if (!status) return finish({ ok: false, reason: 'Layer7 invalid response', info: received.slice(0, 40) || 'no response' });
        const code = Number(status[1]);
        const headEnd = received.indexOf('\r\n\r\n');
        const body = headEnd >= 0 ? received.slice(headEnd + 4) : '';
        const ok = expectationMet(expect, code, body);
        const reason = ok ? 'Layer7 check passed' : expect.kind === 'string' || expect.kind === 'rstring' ? 'Layer7 wrong response' : 'Layer7 wrong status';
        finish({ ok, reason, code, ...(status[2] ? { info: status[2] } : {}) });
      };
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        received += chunk;
        if (received.length > MAX_CHECK_RESPONSE) judge();
      });
      socket.on('end', judge);
      socket.write(encodeHttpCheckRequest(request, endpoint.host));
    }, resolve);
  });
}

/** An agent check: connect to the agent, send `send` (if any), read one line (bounded). */
export function agentCheck(endpoint: ServerEndpoint, send: string | undefined, timeoutMs: number): Promise<{ line?: string; result: CheckResult }> {
  return new Promise((resolve) => {
    let line: string | undefined;
    open(endpoint, timeoutMs, (socket, finish) => {
      let received = '';
      const done = () => {
        line = received.split('\n')[0]!.replace(/\r$/, '');
        finish({ ok: true, reason: 'Layer7 check passed', info: line });
      };
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        received += chunk;
        if (received.includes('\n') || received.length > 1024) done();
      });
      socket.on('end', done);
      if (send) socket.write(send);
    }, (result) => resolve({ ...(line !== undefined ? { line } : {}), result }));
  });
}
