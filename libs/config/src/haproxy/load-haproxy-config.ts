import { FILE_SYSTEM, readConfigSources } from '../io/haproxy-config-files.js';
import { parseHaproxyConfig, type LoadResult, type ParseOptions } from './parse-haproxy.js';

/** Reads the `-f` paths (files or directories) and parses them: `tandemd -c` and every reload go through here. */
export function loadHaproxyConfig(paths: readonly string[], options: Omit<ParseOptions, 'files'> = {}): LoadResult {
  const { sources, errors } = readConfigSources(paths);
  if (errors.length) {
    return {
      ok: false,
      sources: [],
      diagnostics: errors.map((e) => ({ severity: 'error' as const, file: e.file, line: 0, keyword: '-f', message: e.message })),
    };
  }
  if (sources.length === 0) {
    return { ok: false, sources: [], diagnostics: [{ severity: 'error', file: paths.join(' '), line: 0, keyword: '-f', message: 'no configuration file found (a directory contributes its *.cfg files)' }] };
  }
  return parseHaproxyConfig(sources, { env: process.env, ...options, files: FILE_SYSTEM });
}
