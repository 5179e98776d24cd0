import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './settings';

export interface DistSnapshot {
  /** Stands in for dist/: dist/src/main.js, dist/bench/*.js, dist/migrations. */
  dist: string;
  remove(): void;
}

const REQUIRED = [
  'src/main.js',
  'src/inference/runtime/inference-worker.js',
  ...['bare-server', 'health-probe', 'raw-worker'].map((f) => `bench/${f}.js`),
  ...['node-http-server', 'nest-express-server', 'nest-fastify-server'].map((f) => `bench/floor/${f}.js`),
];

/**
 * A private copy of dist/ for the servers, workers and probes the bench starts: `nest build`
 * (deleteOutDir) run by anyone else on this checkout would otherwise delete their files mid-run.
 * Lives in bench/.vigil-dist-<pid>/, which `.vigil-*` in .gitignore keeps out of git; node
 * still resolves node_modules from there by walking up to the repository root.
 */
export async function snapshotDist(): Promise<DistSnapshot> {
  const root = join(repoRoot, 'bench', `.vigil-dist-${process.pid}`);
  const dist = join(root, 'dist');
  const remove = () => rmSync(root, { recursive: true, force: true });
  for (let attempt = 1; ; attempt++) {
    remove();
    try {
      cpSync(join(repoRoot, 'dist'), dist, { recursive: true, filter: (src) => !/\.(map|tsbuildinfo)$/.test(src) });
      if (complete(dist)) return { dist, remove };
    } catch {
      // a concurrent build is rewriting dist/: try again below
    }
    if (attempt === 10) throw new Error('dist/ stayed incomplete (a concurrent build?); run `nest build` and retry');
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}

function complete(dist: string): boolean {
  if (!REQUIRED.every((file) => existsSync(join(dist, file)))) return false;
  const sources = readdirSync(join(repoRoot, 'migrations')).filter((f) => f.endsWith('.ts')).length;
  const built = readdirSync(join(dist, 'migrations')).filter((f) => f.endsWith('.js')).length;
  return sources === built;
}
