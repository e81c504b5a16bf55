// Scenario: `bind ... ssl crt <pem>` terminates TLS for real clients (curl and openssl s_client), with the seed's
// TLS options (ciphers, no-tlsv10/11, alpn h2,http/1.1); and the embedded demo serves on loopback.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { daemonArgs, freePort, freePortPair, hasProgram, httpGet, runCommand, selfSignedPem, startHttpStub, TandemdProcess, TempDir, type StubBackend, stopScenario } from '@tandem/testing';

describe('TLS termination against curl and openssl', async () => {
  const tools = (await hasProgram('curl')) && (await hasProgram('openssl'));
  const skip = tools ? false : 'curl and openssl are needed (npm test installs them through apt-get when run as root)';
  const dir = new TempDir();
  let daemon: TandemdProcess;
  let backend: StubBackend;
  let port = 0;

  before(async () => {
    if (skip) return;
    backend = await startHttpStub('web01');
    port = await freePort();
    const pem = await selfSignedPem(dir, 'solvethenetwork.com');
    daemon = new TandemdProcess(daemonArgs(dir, `defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend tls_termination
    bind 127.0.0.1:${port} ssl crt ${pem} \\
        ciphers ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384 \\
        no-sslv3 no-tlsv10 no-tlsv11 \\
        alpn h2,http/1.1
    default_backend web_servers
backend web_servers
    server web01 127.0.0.1:${backend.port}
`));
    await daemon.start();
  });

  after(() => stopScenario(daemon, [backend], dir));

  test('curl gets the backend through TLS 1.2+ (HTTP/1.1 negotiated by ALPN)', { skip }, async () => {
    const result = await runCommand('curl', ['-sk', '--max-time', '10', '-w', '\\n%{http_version} %{ssl_verify_result}', `https://127.0.0.1:${port}/`]);
    assert.equal(result.code, 0, result.stderr);
    const [body, meta] = result.stdout.split('\n');
    assert.equal(body, 'web01');
    assert.match(meta!, /^1\.1 /);
  });

  test('openssl s_client: TLS 1.1 is refused, TLS 1.2 with the configured cipher is accepted', { skip }, async () => {
    const old = await runCommand('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-tls1_1'], { input: '', timeoutMs: 10_000 });
    assert.notEqual(old.code, 0, 'TLS 1.1 must be refused (no-tlsv11)');
    const ok = await runCommand('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-tls1_2', '-alpn', 'h2,http/1.1'], { input: '', timeoutMs: 10_000 });
    assert.match(ok.stdout, /Cipher is ECDHE-ECDSA-AES256-GCM-SHA384/);
    assert.match(ok.stdout, /ALPN protocol: http\/1\.1/);
  });
});

describe('the embedded demo', () => {
  test('tandemd --demo balances over its three demo backends on loopback and prints the URLs', async () => {
    const dir = new TempDir();
    // The demo binds HTTP on the port and TCP on the next one: both must be free.
    const port = await freePortPair();
    const daemon = new TandemdProcess(['--demo'], { TANDEM_DEMO_PORT: String(port) }, dir.path);
    try {
      await daemon.start();
      assert.match(daemon.log, new RegExp(`curl -s http://127\\.0\\.0\\.1:${port}/`));
      const served = new Set<string>();
      for (let i = 0; i < 4; i++) {
        const response = await httpGet(port, '/');
        assert.equal(response.status, 200);
        served.add(response.headers['x-served-by']!);
      }
      assert.deepEqual([...served].sort(), ['demo-backend-1', 'demo-backend-2', 'demo-backend-3']);
    } finally {
      await daemon.stop();
      dir.cleanup();
    }
  });
});
