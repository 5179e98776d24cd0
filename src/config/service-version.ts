import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Vigil's version from its package.json (found above this file in src/ and in dist/). */
export const serviceVersion: string = (() => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
})();
