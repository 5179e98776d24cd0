#!/usr/bin/env node
// Lists what `docker build .` would send as its context, honouring .dockerignore with Docker's own
// matching rules (@balena/dockerignore, a port of moby's), and measures it as a tar. No Docker
// engine needed. Fails when a secret or local state would be sent (.env, .vigil*, node_modules,
// dist, .git) or when a file the Dockerfiles COPY is missing.
// Usage (from the repo root): node deploy/build-context.js [--list]
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const ignore = require('@balena/dockerignore');

const ROOT = path.resolve(__dirname, '..');
const FORBIDDEN = [/(^|\/)\.env(\..*)?$/, /(^|\/)\.vigil[^/]*(\/|$)/, /^node_modules\//, /^dist\//, /^\.git\//];
// Paths the Dockerfiles COPY from the context.
const REQUIRED = [
  'package.json',
  'package-lock.json',
  '.npmrc',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
];

const ignoreFile = path.join(ROOT, '.dockerignore');
const rules = fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, 'utf8').split('\n') : [];
const ig = ignore().add(rules);
const exceptions = rules.filter((r) => r.trim().startsWith('!')).map((r) => r.trim().slice(1).replace(/\/$/, ''));

/** An ignored folder can only hold sent files when an exception pattern reaches inside it. */
function mayHoldExceptions(dir) {
  return exceptions.some((e) => e.startsWith(`${dir}/`) || e.includes('*'));
}

function walk(dir, out) {
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!ig.ignores(rel) || mayHoldExceptions(rel)) walk(rel, out);
    } else if (!ig.ignores(rel)) {
      out.push(rel);
    }
  }
  return out;
}

const files = walk('', []).sort();
// The list goes through stdin (no argv limit) and only the byte count comes back.
const tarBytes = Number(
  execFileSync('sh', ['-c', 'tar -cf - --no-recursion -C "$0" -T - | wc -c', ROOT], { input: files.join('\n') }),
);
if (process.argv.includes('--list')) console.log(files.join('\n'));
console.log(`build context: ${files.length} files, tar ${(tarBytes / 1024).toFixed(0)} KiB`);

const leaked = files.filter((f) => FORBIDDEN.some((re) => re.test(f)));
const missing = REQUIRED.filter((f) => !files.includes(f));
if (!files.some((f) => f.startsWith('src/'))) missing.push('src/');
if (!files.some((f) => f.startsWith('migrations/'))) missing.push('migrations/');
if (leaked.length > 0) {
  const more = leaked.length > 10 ? ` and ${leaked.length - 10} more` : '';
  console.error(`build context must not contain: ${leaked.slice(0, 10).join(', ')}${more}`);
}
if (missing.length > 0) console.error(`build context lacks what the Dockerfiles COPY: ${missing.join(', ')}`);
if (leaked.length > 0 || missing.length > 0) process.exit(1);
