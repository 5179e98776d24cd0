import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotDist } from '../../bench/snapshot';
import { compare, Equivalence, inferRows, photoTensor } from './zoo-check';
import { ensureExported, loadZooModel, registerByPath, retire, zooDir, ZooModel } from './zoo-models';
import { zooService } from './zoo-service';
import { measureSpeed, Speed } from './zoo-speed';

/*
 * `npm run zoo [-- family ...]`: exports the torchvision families (scripts/zoo/export_zoo.py),
 * registers each through the API, checks the service's answers for the photographs against
 * PyTorch's, measures images/s through the service and through raw onnxruntime, prints a table.
 * Starts its own service (scratch database on DATABASE_URL, MODEL_DIR=.zoo) unless VIGIL_URL is
 * set; that service must then have MODEL_DIR pointing at this .zoo folder and AUTH_MODE=open.
 */

const TOLERANCE = 1e-4;

interface Row {
  model: ZooModel;
  equivalence: Equivalence;
  speed: Speed;
}

/**
 * The real registration (output "logits": the service answers softmax probabilities) and a
 * second one of the same file declaring output "probabilities", which the service passes through
 * untouched: the raw logits, compared with PyTorch's directly. The second is retired at once.
 */
async function measureFamily(
  baseUrl: string,
  dist: string,
  model: ZooModel,
  runId: string,
  seconds: number,
): Promise<Row> {
  const version = `${runId}`;
  const passThrough = `${runId}-raw`;
  const started = performance.now();
  await registerByPath(baseUrl, model, version, model.inputSpec);
  console.log(`${model.family}: registered in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await registerByPath(baseUrl, model, passThrough, { ...model.inputSpec, output: 'probabilities' });
  const pixels = await photoTensor(model);
  const rawLogits = await inferRows(baseUrl, model, passThrough, pixels);
  await retire(baseUrl, model, passThrough);
  const equivalence = compare(model, rawLogits, await inferRows(baseUrl, model, version, pixels));
  console.log(`${model.family}: max |diff| logits ${equivalence.maxLogitDiff.toExponential(2)}`);
  const speed = await measureSpeed(baseUrl, dist, model, version, seconds);
  // A champion cannot be retired (409); it stays registered and loaded. A challenger is released.
  await retire(baseUrl, model, version, [200, 409]);
  return { model, equivalence, speed };
}

const fixed = (v: number, digits = 1) => v.toFixed(digits);

function table(rows: Row[]): string {
  const header = [
    'Family',
    'File (MB)',
    'Params (M)',
    'Opset',
    'Logit std',
    'max abs diff logits',
    'max abs diff log p',
    'Top-1 same',
    'Service b1 (img/s)',
    'Raw b1 (img/s)',
    'Service b32 (img/s)',
    'Raw b32 (img/s)',
  ];
  const lines = rows.map(({ model, equivalence: e, speed: s }) => [
    model.family,
    fixed(model.fileBytes / 1e6),
    fixed(model.parameters / 1e6, 2),
    String(model.opset),
    model.logitsStd.toPrecision(3),
    `${e.maxLogitDiff.toExponential(1)} ${e.maxLogitDiff <= TOLERANCE ? 'ok' : 'FAIL'}`,
    e.maxLogProbDiff.toExponential(1),
    `${e.top1Agree}/${e.images}`,
    fixed(s.serviceB1),
    fixed(s.rawB1),
    fixed(s.serviceB32),
    fixed(s.rawB32),
  ]);
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [row(header), row(header.map(() => '---')), ...lines.map(row)].join('\n');
}

async function main(): Promise<number> {
  const families = ensureExported(process.argv.slice(2));
  const seconds = Number(process.env.ZOO_SECONDS || 10);
  const runId = `r${Date.now().toString(36)}`;
  // A private copy of dist/: a `nest build` by anyone else on this checkout deletes dist/ mid-run.
  const snapshot = await snapshotDist();
  const rows: Row[] = [];
  try {
    const target = await zooService(snapshot.dist);
    try {
      for (const family of families) {
        rows.push(await measureFamily(target.url, snapshot.dist, loadZooModel(family), runId, seconds));
      }
    } finally {
      await target.stop();
    }
  } finally {
    snapshot.remove();
  }
  const markdown = table(rows);
  console.log(`\n${markdown}\n`);
  const strip = ({ model, ...rest }: Row) => ({
    ...rest,
    family: model.family,
    fileBytes: model.fileBytes,
    parameters: model.parameters,
  });
  writeFileSync(
    join(zooDir, 'results.json'),
    JSON.stringify({ at: new Date().toISOString(), seconds, rows: rows.map(strip) }, null, 1),
  );
  writeFileSync(join(zooDir, 'results.md'), `${markdown}\n`);
  const failed = rows.filter((r) => r.equivalence.maxLogitDiff > TOLERANCE).map((r) => r.model.family);
  if (failed.length > 0) console.error(`above ${TOLERANCE}: ${failed.join(', ')}`);
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
