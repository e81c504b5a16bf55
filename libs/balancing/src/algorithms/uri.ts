import type { BalancingAlgorithm } from '../balancing.types.js';
import { HashSelector } from '../hash-selector.js';

/**
 * `balance uri [whole] [len <n>] [depth <n>]`: the path is hashed (with the query string too when `whole`),
 * cut to its first `len` characters and to its first `depth` directories when given, so one URI keeps reaching
 * the same (cache) server.
 */
export const uriHash: BalancingAlgorithm = {
  name: 'uri',
  build(servers, options) {
    const args = options.config.args;
    const whole = args.includes('whole');
    const len = numberAfter(args, 'len');
    const depth = numberAfter(args, 'depth');
    return new HashSelector(servers, options, (request) => {
      if (request.path === undefined) return undefined;
      let key = whole && request.query ? `${request.path}?${request.query}` : request.path;
      if (depth !== undefined) {
        let slashes = 0;
        for (let i = 0; i < key.length; i++) {
          if (key[i] === '/' && ++slashes > depth) {
            key = key.slice(0, i);
            break;
          }
        }
      }
      if (len !== undefined && len > 0) key = key.slice(0, len);
      return key;
    });
  },
};

function numberAfter(args: readonly string[], name: string): number | undefined {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : undefined;
}
