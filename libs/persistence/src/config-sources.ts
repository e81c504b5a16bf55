import { createHash } from 'node:crypto';

export interface ConfigSource {
  readonly file: string;
  readonly text: string;
}

/**
 * The stored form of a multi-file configuration: `text` is a JSON array of `{ file, sha256, text }` in load order,
 * and `sha256` hashes the whole config as `file \0 text \0` for each file in order (the same hash the config
 * applier computes), so two revisions with the same files and contents have the same sha256.
 */
export function encodeConfigSources(sources: readonly ConfigSource[]): { sha256: string; text: string } {
  const whole = createHash('sha256');
  const files = sources.map(({ file, text }) => {
    whole.update(file).update('\0').update(text).update('\0');
    return { file, sha256: createHash('sha256').update(text).digest('hex'), text };
  });
  return { sha256: whole.digest('hex'), text: JSON.stringify(files) };
}

/** Inverse of encodeConfigSources' `text`; throws on text that is not such an array. */
export function decodeConfigSources(text: string): ConfigSource[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value)) throw new TypeError('config revision text is not a JSON array');
  return value.map((entry: unknown) => {
    const e = entry as { file?: unknown; text?: unknown };
    if (typeof e.file !== 'string' || typeof e.text !== 'string') throw new TypeError('config revision entry without file/text');
    return { file: e.file, text: e.text };
  });
}
