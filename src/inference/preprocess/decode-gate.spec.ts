import { DomainError } from '../../common/domain-error';
import { DecodeGate } from './decode-gate';

/** A task the test finishes by hand, recording when it started. */
class Work {
  private static started: string[] = [];
  private finish!: (value: string) => void;
  private fail!: (error: Error) => void;
  readonly done = new Promise<string>((resolve, reject) => {
    this.finish = resolve;
    this.fail = reject;
  });

  constructor(readonly name: string) {}

  static reset(): string[] {
    Work.started = [];
    return Work.started;
  }

  static order(): string[] {
    return [...Work.started];
  }

  readonly task = () => {
    Work.started.push(this.name);
    return this.done;
  };

  end(): Promise<void> {
    this.finish(this.name);
    return flush();
  }

  error(): Promise<void> {
    this.fail(new Error(`${this.name} failed`));
    return flush();
  }
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const works = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => new Work(`${prefix}${i + 1}`));

describe('DecodeGate', () => {
  beforeEach(() => Work.reset());

  it('runs at most `slots` tasks at once and one client at most slots - 1 of them', async () => {
    const gate = new DecodeGate({ slots: 3, maxWaiting: 10 });
    const a = works('a', 5);
    const running = gate.admit('A').run(a.map((w) => w.task));
    await flush();
    expect(Work.order()).toEqual(['a1', 'a2']); // the third slot stays free for another client
    const b = works('b', 1);
    const other = gate.admit('B').run(b.map((w) => w.task));
    await flush();
    expect(Work.order()).toEqual(['a1', 'a2', 'b1']); // started at once, not after a's batch
    await b[0].end();
    expect(await other).toEqual(['b1']);
    for (const w of a) await w.end();
    expect(await running).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
  });

  it('gives free slots to waiting clients in turn, not in arrival order', async () => {
    const gate = new DecodeGate({ slots: 2, maxWaiting: 10 });
    const [a, b, c] = [works('a', 3), works('b', 2), works('c', 2)];
    const all = [
      gate.admit('A').run(a.map((w) => w.task)),
      gate.admit('B').run(b.map((w) => w.task)),
      gate.admit('C').run(c.map((w) => w.task)),
    ];
    await flush();
    expect(Work.order()).toEqual(['a1', 'b1']);
    await a[0].end(); // C has not had a turn yet: it goes before A's second image
    expect(Work.order()).toEqual(['a1', 'b1', 'c1']);
    await b[0].end();
    expect(Work.order()).toEqual(['a1', 'b1', 'c1', 'a2']);
    await c[0].end(); // B was served before C and A
    expect(Work.order()).toEqual(['a1', 'b1', 'c1', 'a2', 'b2']);
    for (const w of [...a, ...b, ...c]) await w.end();
    await Promise.all(all);
    expect(Work.order()).toHaveLength(7);
  });

  it('a failed task fails its request and drops its tasks that had not started', async () => {
    const gate = new DecodeGate({ slots: 2, maxWaiting: 10 });
    const a = works('a', 4);
    const running = gate.admit('A').run(a.map((w) => w.task));
    await flush();
    const failed = expect(running).rejects.toThrow('a1 failed');
    await a[0].error();
    await failed;
    expect(Work.order()).toEqual(['a1']);
    expect(gate.waiting).toBe(0);
    const b = works('b', 1);
    const next = gate.admit('B').run(b.map((w) => w.task));
    await flush();
    await b[0].end();
    expect(await next).toEqual(['b1']);
  });

  it('past maxWaiting refuses a client that already has a request waiting (503, Retry-After), not a new one', async () => {
    const gate = new DecodeGate({ slots: 1, maxWaiting: 1 });
    const hold = works('hold', 1);
    const held = gate.admit('H').run(hold.map((w) => w.task));
    const [a, b] = [works('a', 1), works('b', 1)];
    const waitingA = gate.admit('A').run(a.map((w) => w.task));
    expect(gate.waiting).toBe(1);
    let refusal: unknown;
    try {
      gate.admit('A');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ kind: 'unavailable', code: 'decode_busy', retryAfterSeconds: 1 });
    expect((refusal as Error).message).toMatch(/MAX_DECODE_CONCURRENCY.*MAX_DECODE_QUEUE/);
    const waitingB = gate.admit('B').run(b.map((w) => w.task)); // nothing of B's waiting: let in
    expect(gate.waiting).toBe(2);
    await hold[0].end();
    await held;
    expect(Work.order()).toEqual(['hold1', 'a1']);
    await a[0].end();
    await b[0].end();
    expect(await Promise.all([waitingA, waitingB])).toEqual([['a1'], ['b1']]);
  });
});
