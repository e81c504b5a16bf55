#!/usr/bin/env node
// The lint rule that keeps the lib graph one-way (ARCHITECTURE rules 10, 13, 14 and the "Inside every lib" list).
// It reads every .ts file under libs/ and apps/ and reports each import that breaks a rule, with file:line.
// Exit 1 on any violation. Run: `npm run lint`.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');

// Which @tandem libs each lib may import. Anything not listed is forbidden. Apps may import every lib.
// core <- config <- {balancing, health, stick-tables, stats} <- proxy; stick-tables <- peers (rule 14).
export const ALLOWED = {
  core: [],
  config: ['core'],
  balancing: ['core', 'config'],
  health: ['core', 'config'],
  'stick-tables': ['core', 'config'],
  stats: ['core', 'config'],
  logging: ['core', 'config'],
  persistence: ['core', 'config'],
  policy: ['core', 'config'],
  control: ['core'],
  proxy: ['core', 'config', 'balancing', 'health', 'stick-tables', 'stats', 'logging', 'policy'],
  peers: ['core', 'config', 'stick-tables'],
  vrrp: ['core', 'config'],
  testing: ['core'],
};

// Modules that perform I/O: only src/io/ of a lib may import them (rule 13), never a codec or a state machine.
const IO_MODULES = /^(node:)?(net|dgram|tls|fs|fs\/promises|child_process|http|https|http2|worker_threads|cluster)$|^raw-socket$|^dgram-as-promised$/;
const PERSISTENCE_ONLY = /^(typeorm|@nestjs\/typeorm|sqlite3)(\/|$)/;
const NEST = /^@nestjs\//;

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function checkFile(file, text) {
  const rel = relative(root, file).split(sep).join('/');
  const [area, pkg, ...rest] = rel.split('/');
  const inner = rest.join('/');
  const isTest = /\.(spec|int-spec)\.ts$/.test(file) || inner.startsWith('test/');
  const problems = [];
  let m;
  importRe.lastIndex = 0;
  while ((m = importRe.exec(text))) {
    const spec = m[1] ?? m[2] ?? m[3];
    const line = text.slice(0, m.index + m[0].length).split('\n').length;
    const report = (why) => problems.push(`${rel}:${line}: import '${spec}': ${why}`);

    if (spec.startsWith('@tandem/')) {
      const [, target, ...deep] = spec.split('/');
      if (deep.length) report('deep import; import the lib only through its index (@tandem/<name>)');
      if (target === 'tandemd' || target === 'tandemctl') report('libs and apps never import an app');
      if (area === 'libs') {
        if (target === 'testing' && !isTest && pkg !== 'testing') report('@tandem/testing is for tests only');
        else if (target !== 'testing' && target !== pkg && !(ALLOWED[pkg] ?? []).includes(target))
          report(`${pkg} may import only ${(ALLOWED[pkg] ?? []).join(', ') || 'no other lib'} (ARCHITECTURE rule 14)`);
      } else if (area === 'apps' && target === 'testing' && !isTest) {
        if (!inner.startsWith('src/demo/')) report('@tandem/testing is for tests (and the demo) only');
      }
      continue;
    }
    if (spec.startsWith('.')) {
      const target = relative(root, resolve(dirname(file), spec)).split(sep).join('/');
      if (!target.startsWith(`${area}/${pkg}/`)) report('relative import leaves its lib or app; import @tandem/<name> instead');
      continue;
    }
    if (area !== 'libs' || isTest || pkg === 'testing') continue;
    if (NEST.test(spec) && !spec.startsWith('@nestjs/typeorm') && !file.endsWith('.module.ts'))
      report('only <name>.module.ts imports @nestjs/* (rule 10: no NestJS on the hot path)');
    if (PERSISTENCE_ONLY.test(spec) && pkg !== 'persistence') report('only libs/persistence imports typeorm/sqlite3');
    if (IO_MODULES.test(spec) && !inner.startsWith('src/io/')) report('I/O modules are imported only under src/io/ (rule 13)');
  }
  return problems;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const files = [...walk(join(root, 'libs')), ...walk(join(root, 'apps'))];
  const problems = files.flatMap((f) => checkFile(f, readFileSync(f, 'utf8')));
  for (const p of problems) console.error(p);
  if (problems.length) {
    console.error(`lint: ${problems.length} boundary violation(s)`);
    process.exit(1);
  }
  console.log(`lint: ${files.length} files, lib boundaries respected`);
}
