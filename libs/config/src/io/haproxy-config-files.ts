import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigFilePort } from '../haproxy/parse-context.js';

/** The real file system behind the parser's port. */
export const FILE_SYSTEM: ConfigFilePort = {
  read(path: string): Buffer | Error {
    try {
      return readFileSync(path);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  },
  listDirectory(path: string): string[] | undefined {
    try {
      if (!statSync(path).isDirectory()) return undefined;
      return readdirSync(path).filter((name) => !name.startsWith('.')).sort().map((name) => join(path, name));
    } catch {
      return undefined;
    }
  },
};

/**
 * The configuration texts for `-f` arguments, in order. A directory contributes its `*.cfg` files in lexical order,
 * as HAProxy does. An unreadable path is returned as an error line rather than thrown.
 */
export function readConfigSources(paths: readonly string[]): { sources: { file: string; text: string }[]; errors: { file: string; message: string }[] } {
  const sources: { file: string; text: string }[] = [];
  const errors: { file: string; message: string }[] = [];
  for (const path of paths) {
    let files: string[];
    try {
      files = statSync(path).isDirectory()
        ? readdirSync(path).filter((n) => n.endsWith('.cfg')).sort().map((n) => join(path, n))
        : [path];
    } catch (error) {
      errors.push({ file: path, message: `cannot open configuration: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (error as Error).message}` });
      continue;
    }
    for (const file of files) {
      try {
        sources.push({ file, text: readFileSync(file, 'utf8') });
      } catch (error) {
        errors.push({ file, message: `cannot read configuration: ${(error as Error).message}` });
      }
    }
  }
  return { sources, errors };
}
