import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp directory with a state.db path inside a not-yet-existing subdirectory. */
export function tempDb(): { dir: string; path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-persistence-'));
  return { dir, path: join(dir, 'var', 'lib', 'tandem', 'state.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
