import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../bench/settings';
import { snapshotDist } from '../../bench/snapshot';
import type { SetComparison } from '../../src/quantization/variant-comparison';
import { DemoApi } from '../demo/demo-api';
import { loadDigits, registerDigitsModel } from '../demo/demo-digits';
import { randomCrops } from './zoo-crops';
import { ensureExported, loadZooModel, registerByPath, zooDir } from './zoo-models';
import { zooService } from './zoo-service';

/*
 * `npm run zoo:int8`: INT8 variants made by the service (POST .../quantize, min-max) of
 * MobileNetV2 and ResNet-50 (random weights) and of the trained digits CNN, and the service's
 * variant report of each: accuracy with Wilson intervals, agreement, McNemar, and batch-1 /
 * batch-32 latency and throughput of INT8 against FP32 on this host. Service as `npm run zoo`.
 */

const CROPS = Number(process.env.ZOO_INT8_IMAGES || 64);

interface SpeedRow {
  batch: number;
  parent: { meanLatencyMs: number; imagesPerSecond: number };
  variant: { meanLatencyMs: number; imagesPerSecond: number };
  throughputRatio: number;
  latencyRatio: number;
}

interface VariantReport {
  sets: Array<SetComparison & { set: { name: string } }>;
  speed: SpeedRow[];
  host: { cpu: string; cores: number };
}

interface Item {
  file: string;
  bytes: Buffer;
  label: string;
  type: string;
}

async function uploadSet(api: DemoApi, model: string, name: string, items: Item[]): Promise<void> {
  const form = new FormData();
  for (const item of items) form.append('images', new Blob([item.bytes], { type: item.type }), item.file);
  form.append('name', name);
  form.append('labels', ['file,label', ...items.map((i) => `${i.file},${i.label}`)].join('\n'));
  await api.form(`/v1/models/${model}/evaluation-sets`, form);
}

/** Starts a min-max quantization job and waits for it; answers the variant's version. */
async function quantize(api: DemoApi, model: string, version: string, set: string): Promise<string> {
  const started = performance.now();
  const job = await api.post<{ id: string }>(`/v1/models/${model}/versions/${version}/quantize`, { set });
  for (;;) {
    const state = await api.get<{ status: string; error?: unknown; report?: { version?: string } }>(
      `/v1/models/${model}/quantizations/${job.id}`,
    );
    if (state.status === 'failed') throw new Error(`quantizing ${model}: ${JSON.stringify(state.error)}`);
    if (state.status === 'completed') break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.log(`${model}: quantized in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return `${version}-int8`;
}

/** bench/models/mobilenetv2.onnx (scripts/fixtures/export_mobilenet.py), copied under MODEL_DIR. */
function mobilenetV2() {
  const bench = join(repoRoot, 'bench', 'models');
  if (!existsSync(join(bench, 'mobilenetv2.onnx')))
    throw new Error('run /usr/bin/python3 scripts/fixtures/export_mobilenet.py');
  const meta = JSON.parse(readFileSync(join(bench, 'mobilenetv2.json'), 'utf8'));
  mkdirSync(join(zooDir, 'mobilenet_v2'), { recursive: true });
  copyFileSync(join(bench, 'mobilenetv2.onnx'), join(zooDir, 'mobilenet_v2', 'model.onnx'));
  const inputSpec = { ...meta.inputSpec, resize: { mode: 'centre-crop', shorterSide: 256 } };
  return { name: 'mobilenet_v2', family: 'mobilenet_v2', labels: meta.labels as string[], inputSpec };
}

async function zooModel(api: DemoApi, model: ReturnType<typeof mobilenetV2>): Promise<VariantReport> {
  await registerByPath(api.baseUrl, model, 'fp32', model.inputSpec);
  // Labels: the photograph's index as a class, arbitrary (random weights make accuracy meaningless).
  const items = (crops: Awaited<ReturnType<typeof randomCrops>>) =>
    crops.map((c) => ({ file: c.file, bytes: c.bytes, label: model.labels[c.photo], type: 'image/jpeg' }));
  await uploadSet(api, model.name, 'calibration', items(await randomCrops(CROPS, 1, 'cal')));
  await uploadSet(api, model.name, 'evaluation', items(await randomCrops(CROPS, 2, 'eval')));
  const variant = await quantize(api, model.name, 'fp32', 'calibration');
  return api.get<VariantReport>(`/v1/models/${model.name}/versions/${variant}/variant-report`);
}

async function digits(api: DemoApi): Promise<VariantReport> {
  const registered = await registerDigitsModel(api, 'digits', 'cnn');
  for (const split of ['reference', 'heldback'] as const) {
    const images = loadDigits(split);
    const items = images.map((i) => ({
      file: i.file.split('/').pop()!,
      bytes: i.bytes,
      label: i.label,
      type: 'image/png',
    }));
    await uploadSet(api, 'digits', split, items);
  }
  // Calibrated on the reference images; judged on the held-back ones (and on the reference).
  const variant = await quantize(api, 'digits', registered.version, 'reference');
  return api.get<VariantReport>(`/v1/models/digits/versions/${variant}/variant-report`);
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const interval = (i: { lower: number; upper: number }) => `[${pct(i.lower)}, ${pct(i.upper)}]`;

function print(model: string, report: VariantReport, set: string): void {
  const s = report.sets.find((x) => x.set.name === set)!;
  console.log(
    `${model} (${set}, n=${s.n}): accuracy FP32 ${pct(s.parent.accuracy)} ${interval(s.parent.interval)}, ` +
      `INT8 ${pct(s.variant.accuracy)} ${interval(s.variant.interval)}; agreement ${s.agreement.count}/${s.n} ` +
      `${pct(s.agreement.rate)} ${interval(s.agreement.interval)}; McNemar FP32-only ${s.mcnemar.championOnly}, ` +
      `INT8-only ${s.mcnemar.challengerOnly}, p ${s.mcnemar.pValue.toPrecision(3)}`,
  );
  for (const r of report.speed) {
    console.log(
      `  batch ${r.batch}: FP32 ${r.parent.meanLatencyMs.toFixed(2)} ms ${r.parent.imagesPerSecond.toFixed(1)} img/s, ` +
        `INT8 ${r.variant.meanLatencyMs.toFixed(2)} ms ${r.variant.imagesPerSecond.toFixed(1)} img/s; ` +
        `throughput INT8/FP32 ${r.throughputRatio.toFixed(2)}, latency INT8/FP32 ${r.latencyRatio.toFixed(2)}`,
    );
  }
}

/** The INT8-relevant instruction sets this CPU reports (Linux only). */
function cpuFlags(): string[] {
  const info = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const flags = new Set(/^flags\s*:(.*)$/m.exec(info)?.[1].trim().split(/\s+/) ?? []);
  return ['avx2', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx_vnni', 'amx_int8'].filter((f) => flags.has(f));
}

async function main(): Promise<void> {
  ensureExported(['resnet50']);
  const resnet = loadZooModel('resnet50');
  const models = [
    mobilenetV2(),
    { name: resnet.name, family: resnet.family, labels: resnet.labels, inputSpec: resnet.inputSpec },
  ];
  console.log(`CPU ${cpus()[0]?.model} x${cpus().length}, INT8-relevant flags: ${cpuFlags().join(' ') || 'none'}`);
  const snapshot = await snapshotDist();
  const reports: Record<string, VariantReport> = {};
  try {
    const target = await zooService(snapshot.dist, 'zoo_int8');
    try {
      const api = new DemoApi(target.url);
      // `npm run zoo:int8 -- resnet50 digits`: only those (default all).
      const only = (name: string) => process.argv.length <= 2 || process.argv.includes(name);
      for (const model of models.filter((m) => only(m.name))) {
        reports[model.name] = await zooModel(api, model);
        print(model.name, reports[model.name], 'evaluation');
      }
      if (only('digits')) {
        reports.digits = await digits(api);
        print('digits-cnn', reports.digits, 'heldback');
      }
    } finally {
      await target.stop();
    }
  } finally {
    snapshot.remove();
  }
  const out = join(zooDir, 'int8-results.json');
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), flags: cpuFlags(), reports }, null, 1));
  console.log(`written ${out}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
