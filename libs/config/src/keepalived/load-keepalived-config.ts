import { FILE_SYSTEM } from '../io/haproxy-config-files.js';
import type { KeepalivedParseOptions, KeepalivedParseResult } from './keepalived-config.types.js';
import { parseKeepalivedConfig } from './parse-keepalived.js';

/** Reads keepalived.conf (and its includes) from the file system and parses it. */
export function loadKeepalivedConfig(path: string, options: KeepalivedParseOptions = {}): KeepalivedParseResult {
  return parseKeepalivedConfig(path, FILE_SYSTEM, options);
}
