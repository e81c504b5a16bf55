/**
 * `http-check expect [!] <match> <pattern>`: what a Layer7 check accepts. Pure: the checker gives it the status
 * and the body it read.
 */
export type HttpExpect =
  | { readonly kind: 'status'; readonly codes: readonly number[]; readonly negate: boolean }
  | { readonly kind: 'rstatus'; readonly pattern: RegExp; readonly negate: boolean }
  | { readonly kind: 'string'; readonly text: string; readonly negate: boolean }
  | { readonly kind: 'rstring'; readonly pattern: RegExp; readonly negate: boolean };

/** Parses the words after `http-check expect`; an error text when they are not valid. */
export function parseHttpExpect(words: readonly string[]): HttpExpect | string {
  let i = 0;
  const negate = words[0] === '!';
  if (negate) i++;
  const match = words[i];
  const pattern = words[i + 1];
  if (pattern === undefined) return `expects [!] status|rstatus|string|rstring <pattern>`;
  if (words.length > i + 2) return `unexpected '${words[i + 2]}' after the pattern`;
  switch (match) {
    case 'status': {
      const codes = pattern.split(',').map(Number);
      if (codes.some((c) => !Number.isInteger(c) || c < 100 || c > 599)) return `invalid status list '${pattern}'`;
      return { kind: 'status', codes, negate };
    }
    case 'string':
      return { kind: 'string', text: pattern, negate };
    case 'rstatus':
    case 'rstring':
      try {
        return { kind: match, pattern: new RegExp(pattern), negate };
      } catch (error) {
        return `invalid regular expression '${pattern}': ${(error as Error).message}`;
      }
    default:
      return `unknown match '${match ?? ''}' (status, rstatus, string, rstring)`;
  }
}

/** HAProxy's default when no `http-check expect` is given: any 2xx or 3xx status passes. */
export const DEFAULT_EXPECT = { kind: 'rstatus', pattern: /^[23]/, negate: false } as const satisfies HttpExpect;

export function expectationMet(expect: HttpExpect, status: number, body: string): boolean {
  let met: boolean;
  switch (expect.kind) {
    case 'status':
      met = expect.codes.includes(status);
      break;
    case 'rstatus':
      met = expect.pattern.test(String(status));
      break;
    case 'string':
      met = body.includes(expect.text);
      break;
    case 'rstring':
      met = expect.pattern.test(body);
      break;
  }
  return expect.negate ? !met : met;
}
