import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Creates the directory that holds the state database (mode 0750 when created). */
export async function ensureParentDirectory(path: string): Promise<void> {
  if (path === ':memory:') return;
  await mkdir(dirname(path), { recursive: true, mode: 0o750 });
}
