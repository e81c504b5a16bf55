import { decodeConfigSources, type ConfigSource } from './config-sources.js';

/**
 * A unified diff (`diff -u` layout, 3 lines of context) of two texts, line by line. Pure. The edit script is a
 * longest common subsequence over lines after trimming the common head and tail; configurations are a few thousand
 * lines at most. Past `maxCells` (head/tail trimmed lengths multiplied), the middle is shown as replaced whole.
 */
export function unifiedLineDiff(a: string, b: string, labels: { from: string; to: string }, context = 3, maxCells = 25_000_000): string {
  const left = splitLines(a);
  const right = splitLines(b);
  const ops = lineEdits(left, right, maxCells);
  if (!ops.some((op) => op.kind !== ' ')) return '';
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  // Group the edits into hunks: runs of changes with up to 2*context unchanged lines between them.
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i]!.kind === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    let lastChange = i;
    while (end < ops.length) {
      if (ops[end]!.kind !== ' ') lastChange = end;
      else if (end - lastChange > 2 * context) break;
      end++;
    }
    const stop = Math.min(ops.length, lastChange + context + 1);
    const hunk = ops.slice(start, stop);
    const first = ops[start]!;
    const aCount = hunk.filter((op) => op.kind !== '+').length;
    const bCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${range(first.a, aCount)} +${range(first.b, bCount)} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.text}`);
    i = stop;
  }
  return `${out.join('\n')}\n`;
}

/** The diff of two recorded configurations (the `text` of two config revisions), file by file in load order. */
export function diffConfigRevisions(from: { id: number; text: string }, to: { id: number; text: string }): string {
  const a = safeDecode(from.text);
  const b = safeDecode(to.text);
  const files = [...new Set([...a.map((s) => s.file), ...b.map((s) => s.file)])];
  return files
    .map((file) =>
      unifiedLineDiff(a.find((s) => s.file === file)?.text ?? '', b.find((s) => s.file === file)?.text ?? '', {
        from: `${file}\t(revision ${from.id})`,
        to: `${file}\t(revision ${to.id})`,
      }),
    )
    .join('');
}

interface Edit {
  readonly kind: ' ' | '-' | '+';
  readonly text: string;
  /** 1-based line numbers in the old and new text where this edit sits. */
  readonly a: number;
  readonly b: number;
}

function lineEdits(left: readonly string[], right: readonly string[], maxCells: number): Edit[] {
  let head = 0;
  while (head < left.length && head < right.length && left[head] === right[head]) head++;
  let tail = 0;
  while (tail < left.length - head && tail < right.length - head && left[left.length - 1 - tail] === right[right.length - 1 - tail]) tail++;
  const l = left.slice(head, left.length - tail);
  const r = right.slice(head, right.length - tail);
  const middle: (' ' | '-' | '+')[] = [];
  if (l.length * r.length > maxCells) {
    middle.push(...l.map(() => '-' as const), ...r.map(() => '+' as const));
  } else {
    // lcs[i][j] = LCS length of l[i..] and r[j..].
    const w = r.length + 1;
    const lcs = new Uint32Array((l.length + 1) * w);
    for (let i = l.length - 1; i >= 0; i--) {
      for (let j = r.length - 1; j >= 0; j--) {
        lcs[i * w + j] = l[i] === r[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < l.length || j < r.length) {
      if (i < l.length && j < r.length && l[i] === r[j]) {
        middle.push(' ');
        i++;
        j++;
      } else if (j >= r.length || (i < l.length && lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        middle.push('-');
        i++;
      } else {
        middle.push('+');
        j++;
      }
    }
  }
  const kinds: (' ' | '-' | '+')[] = [...left.slice(0, head).map(() => ' ' as const), ...middle, ...left.slice(left.length - tail).map(() => ' ' as const)];
  const edits: Edit[] = [];
  let a = 0;
  let b = 0;
  for (const kind of kinds) {
    if (kind === ' ') edits.push({ kind, text: left[a]!, a: a + 1, b: b + 1 }), a++, b++;
    else if (kind === '-') edits.push({ kind, text: left[a]!, a: a + 1, b: b + 1 }), a++;
    else edits.push({ kind, text: right[b]!, a: a + 1, b: b + 1 }), b++;
  }
  return edits;
}

/** `start,count` as diff -u writes it: an empty range names the line before it. */
function range(start: number, count: number): string {
  const s = count === 0 ? start - 1 : start;
  return count === 1 ? `${s}` : `${s},${count}`;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function safeDecode(text: string): ConfigSource[] {
  try {
    return decodeConfigSources(text);
  } catch {
    // A revision rejected before it could be read stores its paths, or any text: diff it as one anonymous file.
    return [{ file: '(config)', text }];
  }
}
