import { connect, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect } from 'node:tls';
import type { ServerEndpoint } from '@tandem/core';
import type { ServerTlsOptions, TcpCheckRule } from '@tandem/config';
import { describeFailure, judgeExpect, withImplicitConnect } from '../tcp-check.js';
import type { CheckResult } from '../health.types.js';
import { expectationMet, type HttpExpect } from '../http-expect.js';
import { encodeHttpCheckRequest, type HttpCheckRequest } from '../httpchk-request.js';

const MAX_CHECK_RESPONSE = 64 * 1024;

type Finish = (result: Omit<CheckResult, 'durationMs'>) => void;

/** TLS for a check (`check-ssl`, or a server with `ssl`): the server's verify settings, SNI from `check-sni`. */
export type CheckTls = ServerTlsOptions;

/**
 * Connects (and completes the TLS handshake when asked), then hands the socket and the one-shot `finish` to
 * `onReady`; errors and timeouts finish it too. A failed handshake is HAProxy's "Layer6 invalid response".
 */
function open(endpoint: ServerEndpoint, timeoutMs: number, onReady: (socket: Socket, finish: Finish) => void, done: (r: CheckResult) => void, tls?: CheckTls): void {
  const started = performance.now();
  const socket = openServerSocket(endpoint, tls);
  let connected = false;
  let finished = false;
  const finish: Finish = (result) => {
    if (finished) return;
    finished = true;
    socket.destroy();
    done({ ...result, durationMs: performance.now() - started });
  };
  socket.setTimeout(timeoutMs, () => finish({ ok: false, reason: socket.connecting ? 'Layer4 timeout' : tls && !connected ? 'Layer6 timeout' : 'Layer7 timeout' }));
  socket.on('error', (error: NodeJS.ErrnoException) => {
    if (tls && !socket.connecting && !connected) return finish({ ok: false, reason: 'Layer6 invalid response', info: error.message });
    finish({ ok: false, reason: 'Layer4 connection problem', info: error.code === 'ECONNREFUSED' ? 'Connection refused' : error.message });
  });
  socket.on(tls ? 'secureConnect' : 'connect', () => {
    connected = true;
    onReady(socket, finish);
  });
}

/** A Layer4 check: the server accepts a TCP connection within the timeout. */
export function tcpConnectCheck(endpoint: ServerEndpoint, timeoutMs: number, tls?: CheckTls): Promise<CheckResult> {
  return new Promise((resolve) => {
    open(endpoint, timeoutMs, (_socket, finish) => finish({ ok: true, reason: tls ? 'Layer6 check passed' : 'Layer4 check passed' }), resolve, tls);
  });
}

/** A Layer7 check: send the httpchk request, read the response (bounded), and apply the expect rule. */
export function httpCheck(endpoint: ServerEndpoint, request: HttpCheckRequest, expect: HttpExpect, timeoutMs: number, tls?: CheckTls): Promise<CheckResult> {
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
    }, resolve, tls);
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

/**
 * `option tcp-check` with rules: connect, send and expect in order, one connection at a time (a new `connect`
 * closes the previous one). `timeout check` bounds each step. The result names the failing step as HAProxy does.
 */
export function tcpCheckSequence(endpoint: ServerEndpoint, rules: readonly TcpCheckRule[], timeoutMs: number, tls?: CheckTls): Promise<CheckResult> {
  const steps = withImplicitConnect(rules);
  const started = performance.now();
  return new Promise((resolve) => {
    let socket: Socket | undefined;
    let received = Buffer.alloc(0);
    let ended = false;
    let index = -1;
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    let wake: (() => void) | undefined;
    const finish = (result: Omit<CheckResult, 'durationMs'>) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket?.destroy();
      resolve({ ...result, durationMs: performance.now() - started });
    };
    const arm = (onTimeout: () => void) => {
      clearTimeout(timer);
      timer = setTimeout(onTimeout, timeoutMs);
    };
    const next = (): void => {
      if (finished) return;
      const rule = steps[++index];
      const step = index + 1;
      if (!rule) return finish({ ok: true, reason: 'Layer7 check passed', info: '(tcp-check)' });
      if (rule.kind === 'connect') {
        socket?.destroy();
        received = Buffer.alloc(0);
        ended = false;
        const target = { ...endpoint, port: rule.port ?? endpoint.port };
        const ruleTls: CheckTls | undefined = rule.ssl ? { ...(tls ?? { verify: 'none' }), ...(rule.sni ? { sni: rule.sni } : {}) } : index === 0 && rules[0]?.kind !== 'connect' ? tls : undefined;
        const s = openServerSocket(target, ruleTls);
        socket = s;
        let connected = false;
        arm(() => finish({ ok: false, reason: 'Layer4 timeout', info: describeFailure(rule, step, 'connect', 'Timeout') }));
        s.on('error', (error: NodeJS.ErrnoException) => {
          if (s !== socket) return;
          if (!connected) finish({ ok: false, reason: 'Layer4 connection problem', info: describeFailure(rule, step, 'connect', error.code === 'ECONNREFUSED' ? 'Connection refused' : error.message) });
          else {
            ended = true;
            wake?.();
          }
        });
        s.on('data', (chunk: Buffer) => {
          received = Buffer.concat([received, chunk]);
          wake?.();
        });
        s.on('end', () => {
          ended = true;
          wake?.();
        });
        s.once(ruleTls ? 'secureConnect' : 'connect', () => {
          connected = true;
          next();
        });
        return;
      }
      if (rule.kind === 'send') {
        received = Buffer.alloc(0);
        socket!.write(rule.data);
        return next();
      }
      arm(() => finish({ ok: false, reason: 'Layer7 timeout', info: describeFailure(rule, step, 'timeout') }));
      const judge = () => {
        const verdict = judgeExpect(rule, received, ended);
        if (verdict === 'more') return;
        wake = undefined;
        if (verdict === 'fail') return finish({ ok: false, reason: 'Layer7 invalid response', info: describeFailure(rule, step, 'mismatch') });
        next();
      };
      wake = judge;
      judge();
    };
    next();
  });
}

/**
 * A client socket to a server, plain or TLS as HAProxy's `ssl` server option opens it: SNI only when `sni` is set;
 * with `verify required` the chain is checked against `ca-file`, and the name against `verifyhost` (or the SNI)
 * when given. Checks and the proxy's own server connections both open sockets here.
 */
export function openServerSocket(endpoint: ServerEndpoint, tls: ServerTlsOptions | undefined): Socket {
  if (!tls) return connect({ host: endpoint.host, port: endpoint.port });
  const name = tls.verifyHost ?? tls.sni;
  return tlsConnect({
    host: endpoint.host,
    port: endpoint.port,
    ...(tls.sni ? { servername: tls.sni } : {}),
    ...(tls.ca ? { ca: tls.ca } : {}),
    rejectUnauthorized: tls.verify === 'required',
    checkServerIdentity: (_host, cert) => (tls.verify === 'required' && name ? checkServerIdentity(name, cert) : undefined),
  });
}
