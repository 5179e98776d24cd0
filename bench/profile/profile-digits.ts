import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase } from '../database';
import { runLoad } from '../load';
import { digitsModel, mobilenetModel, registerModel } from '../models';
import { digitsPng, digitsUint8, mobilenetFp32Binary } from '../payloads';
import { benchDataDir, startService } from '../servers';
import { PREFERRED_THREADS, repoRoot } from '../settings';
import { summariseProfile } from './summarise-profile';

/**
 * `npm run bench:profile`: the service under the bench's digits v2 JSON UINT8 load (c=32; PNG
 * bodies with PROFILE_PAYLOAD=png, MobileNetV2 binary FP32 at c=8 with PROFILE_PAYLOAD=mobilenet) with
 * `--cpu-prof` on its main thread, then the functions and files that took the most self time.
 * What BENCHMARKS.md "Profile of the digits path" quotes, before and after a change.
 */
async function main(): Promise<void> {
  const seconds = Number(process.env.PROFILE_SECONDS ?? 10);
  const dist = join(repoRoot, 'dist');
  const database = await createScratchDatabase(
    process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    'vigil_profile',
  );
  const profileDir = mkdtempSync(join(tmpdir(), 'vigil-profile-'));
  const service = await startService({
    label: 'service',
    databaseUrl: database.url,
    dataDir: benchDataDir(),
    threads: PREFERRED_THREADS,
    monitoring: true,
    dist,
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
  });
  try {
    const kind = process.env.PROFILE_PAYLOAD ?? 'json';
    const model = kind === 'mobilenet' ? mobilenetModel() : digitsModel();
    await registerModel(service.url, model);
    const payload =
      kind === 'png' ? digitsPng(model) : kind === 'mobilenet' ? mobilenetFp32Binary(model) : await digitsUint8(model);
    const target = { ...payload, url: service.url, connections: kind === 'mobilenet' ? 8 : 32 };
    await runLoad(target, 3); // warm-up (JIT) inside the profile too; it is short next to the measured part
    const load = await runLoad(target, seconds);
    console.log(
      `${model.name} (${kind}), c=${target.connections}: ${load.itemsPerS.toFixed(0)} items/s (p99 ${load.latencyP99Ms} ms)`,
    );
  } finally {
    await service.stop();
    await database.drop();
  }
  // Every thread writes its own profile (main, inference workers, parse threads): all summarised.
  const files = readdirSync(profileDir).map((f) => join(profileDir, f));
  const main = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
  const report = files
    .map((file) => `${file}\n${summariseProfile(JSON.parse(readFileSync(file, 'utf8')), 12)}`)
    .join('\n');
  const out = join(repoRoot, 'bench', 'results', `profile-${process.env.PROFILE_PAYLOAD ?? 'digits'}.txt`);
  writeFileSync(out, report);
  console.log(report);
  console.log(`profile: ${main}\nsummary: ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
