import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NULL_LOGGER } from '@tandem/core';
import { CommandRegistry, ControlServer, sendControlCommand } from '@tandem/control';

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-control-'));
  const registry = new CommandRegistry();
  let reloads = 0;
  registry.register({ words: ['show', 'info'], usage: 'show info : process information', level: 'user', run: () => 'Name: tandem\n' });
  registry.register({ words: ['reload'], usage: 'reload : reload', level: 'admin', run: () => `Success=1 (${++reloads})\n` });
  const address = { kind: 'unix', path: join(dir, 'admin.sock') } as const;
  return { dir, registry, address };
}

test('a UNIX admin socket answers each ;-separated command followed by an empty line, then closes', async () => {
  const { dir, registry, address } = fixture();
  const server = new ControlServer(registry, { address, level: 'admin', mode: 0o660 }, NULL_LOGGER);
  await server.listen();
  try {
    assert.equal(statSync(address.path).mode & 0o777, 0o660);
    assert.equal(await sendControlCommand(address, 'show info; reload'), 'Name: tandem\n\nSuccess=1 (1)\n\n');
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the socket level is enforced', async () => {
  const { dir, registry, address } = fixture();
  const server = new ControlServer(registry, { address, level: 'user' }, NULL_LOGGER);
  await server.listen();
  try {
    assert.equal(await sendControlCommand(address, 'reload'), 'Permission denied\n\n');
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('prompt mode keeps the connection open and prompts until quit', async () => {
  const { dir, registry, address } = fixture();
  const server = new ControlServer(registry, { address, level: 'admin' }, NULL_LOGGER);
  await server.listen();
  try {
    const transcript = await new Promise<string>((resolve, reject) => {
      const socket = connect(address.path);
      let text = '';
      socket.setEncoding('utf8');
      socket.on('error', reject);
      socket.on('data', (chunk: string) => {
        text += chunk;
        if (text.endsWith('> ') && text.includes('Name: tandem')) socket.write('quit\n');
      });
      socket.on('close', () => resolve(text));
      socket.write('prompt\nshow info\n');
    });
    // HAProxy answers `prompt` with its empty line, then the prompt.
    assert.equal(transcript, '\n> Name: tandem\n\n> ');
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a client that shuts its side after the line (echo | socat) gets the whole answer, even a slow one', async () => {
  const { dir, registry, address } = fixture();
  registry.register({ words: ['slow'], usage: 'slow : answers late', level: 'user', run: () => new Promise((r) => setTimeout(() => r('late\n'), 150)) });
  const server = new ControlServer(registry, { address, level: 'admin' }, NULL_LOGGER);
  await server.listen();
  const halfClose = (payload: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(address.path);
      let text = '';
      socket.setEncoding('utf8');
      socket.on('error', reject);
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.end(payload);
    });
  try {
    assert.equal(await halfClose('slow; show info\n'), 'late\n\nName: tandem\n\n');
    // No final newline: the line is still run when the client closes its side.
    assert.equal(await halfClose('show info'), 'Name: tandem\n\n');
    // Without prompt only the first line is answered.
    assert.equal(await halfClose('show info\nreload\n'), 'Name: tandem\n\n');
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
