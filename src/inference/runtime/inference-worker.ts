// worker_threads entry: session.run() blocks its thread, so it must never run on the main event loop.
import { existsSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { InferenceError, ModelLoadError } from './errors';
import { providerNotInstalled } from './provider-libraries';
import { encodeWorkerError, type LoadRequest, type RunRequest, type WorkerReply, type WorkerRequest } from './protocol';
import { computeSignalCounts, softmax, validateSignalSpecs } from './signals';
import {
  describeAttempt,
  inputDims,
  inputSize,
  type InputSpec,
  type LoadResult,
  type ProviderAttempt,
  type ProviderName,
  type SignalSpec,
  type TensorInfo,
} from './types';

interface LoadedModel {
  session: ort.InferenceSession;
  spec: InputSpec;
  signals: SignalSpec[];
  inputName: string;
  outputName: string;
}

const models = new Map<string, LoadedModel>();

function describe(
  metadata: readonly ort.InferenceSession.ValueMetadata[] | undefined,
  names: readonly string[],
): TensorInfo[] {
  // Older runtimes lack metadata; names alone still identify the tensors.
  if (!metadata) return names.map((name) => ({ name, type: 'unknown', dims: [] }));
  return metadata.map((m) =>
    m.isTensor ? { name: m.name, type: m.type, dims: [...m.shape] } : { name: m.name, type: 'non-tensor', dims: [] },
  );
}

/** Rejects models whose fixed dims contradict the spec; symbolic dims (dynamic batch) pass. */
function checkInputMatchesSpec(input: TensorInfo, spec: InputSpec): void {
  if (input.type === 'unknown') return;
  const expected = inputDims(spec, 1);
  const mismatch =
    input.type !== 'float32' ||
    input.dims.length !== expected.length ||
    input.dims.some((d, i) => i > 0 && typeof d === 'number' && d !== expected[i]);
  if (mismatch) {
    throw new ModelLoadError(
      `model input '${input.name}' is ${input.type}[${input.dims.join(',')}], spec expects float32[N,${expected.slice(1).join(',')}] (${spec.layout})`,
    );
  }
}

async function openSession(msg: LoadRequest, provider: ProviderName): Promise<LoadedModel & { result: LoadResult }> {
  const session = await ort.InferenceSession.create(msg.modelPath, {
    executionProviders: [provider],
    intraOpNumThreads: msg.intraOpThreads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  try {
    const inputs = describe(session.inputMetadata, session.inputNames);
    const outputs = describe(session.outputMetadata, session.outputNames);
    checkInputMatchesSpec(inputs[0], msg.spec);
    const model = {
      session,
      spec: msg.spec,
      signals: msg.signals,
      inputName: inputs[0].name,
      outputName: outputs[0].name,
    };
    await infer(model, new Float32Array(inputSize(msg.spec)), 1); // warm-up: first run allocates and JITs kernels
    return { ...model, result: { provider, attempts: [], inputs, outputs } };
  } catch (err) {
    await session.release().catch(() => undefined);
    throw err;
  }
}

async function load(msg: LoadRequest): Promise<LoadResult> {
  validateSignalSpecs(msg.signals, msg.spec);
  if (!existsSync(msg.modelPath)) throw new ModelLoadError(`model file not found: ${msg.modelPath}`);
  const attempts: ProviderAttempt[] = [];
  for (const provider of msg.providers) {
    const notInstalled = providerNotInstalled(provider);
    if (notInstalled) {
      attempts.push({ provider, reason: 'not_installed', error: notInstalled });
      continue;
    }
    try {
      const { result, ...model } = await openSession(msg, provider);
      const previous = models.get(msg.key);
      models.set(msg.key, model);
      await previous?.session.release().catch(() => undefined);
      return { ...result, attempts };
    } catch (err) {
      if (err instanceof ModelLoadError) throw err; // spec mismatch: no other provider would help
      attempts.push({ provider, reason: 'load_failed', error: errorMessage(err) });
    }
  }
  const detail = attempts.map(describeAttempt).join('; ');
  throw new ModelLoadError(`no execution provider could load model '${msg.key}' (${detail})`, attempts);
}

async function infer(
  model: LoadedModel,
  data: Float32Array,
  n: number,
): Promise<{ probabilities: Float32Array; numClasses: number }> {
  const feeds = { [model.inputName]: new ort.Tensor('float32', data, inputDims(model.spec, n)) };
  let output: ort.OnnxValue | undefined;
  try {
    output = (await model.session.run(feeds))[model.outputName];
  } catch (err) {
    throw new InferenceError(`inference failed: ${errorMessage(err)}`, 'inference_failed');
  }
  if (!(output?.data instanceof Float32Array) || output.data.length === 0 || output.data.length % n !== 0) {
    throw new InferenceError(
      `model output '${model.outputName}' is not a float32 [${n}, K] tensor`,
      'inference_failed',
    );
  }
  // softmax() and slice() both give an array owning its buffer, safe to transfer.
  const probabilities = model.spec.output === 'logits' ? softmax(output.data, n) : output.data.slice();
  return { probabilities, numClasses: probabilities.length / n };
}

function loaded(key: string): LoadedModel {
  const model = models.get(key);
  if (!model) throw new InferenceError(`model '${key}' is not loaded`, 'model_not_loaded');
  return model;
}

async function run(msg: RunRequest): Promise<WorkerReply> {
  const model = loaded(msg.key);
  const expected = msg.n * inputSize(model.spec);
  if (!Number.isInteger(msg.n) || msg.n < 1 || !(msg.data instanceof Float32Array) || msg.data.length !== expected) {
    throw new InferenceError(`expected ${msg.n} inputs of ${inputSize(model.spec)} float32 values`, 'invalid_input');
  }
  const { probabilities, numClasses } = await infer(model, msg.data, msg.n);
  const signals = msg.withSignals
    ? computeSignalCounts(msg.data, probabilities, msg.n, model.spec, model.signals)
    : undefined;
  return { id: msg.id, type: 'ran', probabilities, numClasses, signals };
}

async function handle(msg: WorkerRequest): Promise<WorkerReply> {
  switch (msg.type) {
    case 'load':
      return { id: msg.id, type: 'loaded', ...(await load(msg)) };
    case 'setSignals': {
      const model = loaded(msg.key);
      validateSignalSpecs(msg.signals, model.spec);
      model.signals = msg.signals;
      return { id: msg.id, type: 'done' };
    }
    case 'run':
      return run(msg);
    case 'unload': {
      const model = models.get(msg.key);
      models.delete(msg.key);
      await model?.session.release();
      return { id: msg.id, type: 'done' };
    }
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

if (parentPort) {
  const port = parentPort;
  // One request at a time: a session must not be released or replaced while it runs.
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (msg: WorkerRequest) => {
    chain = chain
      .then(async () => {
        try {
          const reply = await handle(msg);
          port.postMessage(reply, reply.type === 'ran' ? [reply.probabilities.buffer as ArrayBuffer] : []);
        } catch (err) {
          port.postMessage({ id: msg.id, type: 'failed', error: encodeWorkerError(err) } satisfies WorkerReply);
        }
      })
      .catch(() => undefined); // keep the chain alive whatever happens
  });
}
