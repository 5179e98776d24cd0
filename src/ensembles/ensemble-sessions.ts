import { OncePerKey } from '../common/once-per-key';
import type { BatchSignals, ProviderName } from '../inference/runtime/types';
import type { ItemResult, LoadableModel, ModelDescription } from '../models/model-runner';
import { EnsembleSignalCounter } from './ensemble-signals';
import { combineVotes, type Voting } from './voting';

export interface EnsembleMember {
  model: LoadableModel;
  weight: number;
}

/** What the model runner knows of an ensemble version: its rule, and how to read its members (once). */
export interface LoadableEnsemble {
  voting: Voting;
  members: () => Promise<EnsembleMember[]>;
}

/** One member's answer to one input, for `?members=true`. */
export interface MemberAnswer {
  version: string;
  probabilities: Float32Array;
}

/** The parts of the model runner an ensemble runs its members through. */
export interface MemberRunner {
  ensureLoaded(model: LoadableModel): Promise<ModelDescription>;
  infer(model: LoadableModel, tensor: Float32Array): Promise<ItemResult>;
  score(model: LoadableModel, data: Float32Array, n: number): Promise<Float32Array>;
}

interface LoadedEnsemble {
  model: LoadableModel;
  voting: Voting;
  members: EnsembleMember[];
  weights: number[];
  load: ModelDescription;
}

/**
 * Ensemble versions inside the model runner: each input goes to every member's own batcher at once
 * (members run concurrently in the worker pool), then the votes combine. The ensemble's signal
 * counts come from its own input and combined output, under its own version id.
 */
export class EnsembleSessions {
  private readonly loaded = new OncePerKey<LoadedEnsemble>();
  private readonly signals = new EnsembleSignalCounter();

  constructor(
    private readonly runner: MemberRunner,
    private readonly countSignals: boolean,
  ) {}

  async ensureLoaded(model: LoadableModel): Promise<ModelDescription> {
    return (await this.entry(model)).load;
  }

  async infer(model: LoadableModel, tensor: Float32Array): Promise<ItemResult> {
    const entry = await this.entry(model);
    const started = performance.now();
    const answers = await Promise.all(entry.members.map((m) => this.runner.infer(m.model, tensor)));
    const probabilities = combineVotes(
      answers.map((a) => a.probabilities),
      entry.voting,
      entry.weights,
    );
    // The members' own batch counts (their versions' histograms) travel up with the ensemble's.
    const signals = answers.flatMap((a) => a.signals ?? []);
    if (this.countSignals) signals.push(this.count(entry, tensor, probabilities));
    const members = answers.map((a, i) => ({
      version: entry.members[i].model.version,
      probabilities: a.probabilities,
    }));
    return { probabilities, latencyMs: performance.now() - started, members, signals };
  }

  /** n inputs scored by every member outside the batchers and histograms, combined row by row. */
  async score(model: LoadableModel, data: Float32Array, n: number): Promise<Float32Array> {
    const entry = await this.entry(model);
    const scored = await Promise.all(entry.members.map((m) => this.runner.score(m.model, data, n)));
    const k = scored[0].length / n;
    const out = new Float32Array(n * k);
    for (let r = 0; r < n; r++) {
      const rows = scored.map((s) => s.subarray(r * k, (r + 1) * k));
      out.set(combineVotes(rows, entry.voting, entry.weights), r * k);
    }
    return out;
  }

  has(id: string): boolean {
    return this.loaded.has(id);
  }

  edgesVersion(id: string): number | undefined {
    return this.loaded.get(id)?.model.edgesVersion;
  }

  provider(id: string): ProviderName | undefined {
    return this.loaded.get(id)?.load.provider;
  }

  updateSignals(model: LoadableModel): void {
    const entry = this.loaded.get(model.id);
    if (entry) entry.model = model;
  }

  /** Forgets the ensemble; its members stay loaded (they are versions of their own). */
  unload(id: string): boolean {
    return this.loaded.delete(id);
  }

  close(): Promise<void> {
    return this.signals.close();
  }

  private entry(model: LoadableModel): Promise<LoadedEnsemble> {
    return this.loaded.obtain(model.id, () => this.load(model));
  }

  private async load(model: LoadableModel): Promise<LoadedEnsemble> {
    const members = await model.ensemble!.members();
    const loads = await Promise.all(members.map((m) => this.runner.ensureLoaded(m.model)));
    // Inputs and outputs are the first member's (all members share the input spec and labels).
    const load: ModelDescription = {
      ...loads[0],
      attempts: loads.flatMap((l) => l.attempts),
      fallback: loads.some((l) => l.fallback),
    };
    return { model, voting: model.ensemble!.voting, members, weights: members.map((m) => m.weight), load };
  }

  /** Counted in a worker and not awaited: counting never delays an answer; stale edges are dropped. */
  private count(entry: LoadedEnsemble, tensor: Float32Array, probabilities: Float32Array) {
    const { id, edgesVersion, inputSpec, signalSpecs } = entry.model;
    // A copy: a view would carry its whole (batch) buffer to the worker.
    const task = { input: tensor.slice(), probabilities, spec: inputSpec, signals: signalSpecs };
    return this.signals
      .count(task)
      .then((counts): BatchSignals | undefined =>
        this.loaded.get(id)?.model.edgesVersion === edgesVersion
          ? { modelVersionId: id, edgesVersion, counts }
          : undefined,
      );
  }
}
