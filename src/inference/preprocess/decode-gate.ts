import { DomainError } from '../../common/domain-error';

type Task = () => Promise<unknown>;

interface Queued {
  task: Task;
  ticket: DecodeTicket;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface DecodeGateOptions {
  /** Images decoded at once in the process (MAX_DECODE_CONCURRENCY). */
  slots: number;
  /** Requests waiting for a slot before a client that already has one waiting is refused (MAX_DECODE_QUEUE). */
  maxWaiting: number;
}

/**
 * The per-process cap on image decoding. sharp decodes in libuv's thread pool, which is first in,
 * first out: without a gate, one request of 256 large images queues ahead of every other client's
 * image. Here at most `slots` images are decoded at once; a free slot goes to the waiting client
 * served least recently (each client's requests in order), and one client never holds more than slots - 1
 * of them, so another client's image starts at once instead of after a large decode. Past
 * `maxWaiting` waiting requests a client that already has one waiting gets 503 + Retry-After; a
 * client with none waiting is still let in, so a flood from one client cannot lock others out.
 */
export class DecodeGate {
  private readonly perClient: number;
  /** Clients with queued tasks; each client's tasks in arrival order. */
  private readonly queues = new Map<string, Queued[]>();
  private readonly running = new Map<string, number>();
  /** When each client last got a slot: the least recently served client goes next. */
  private readonly lastServed = new Map<string, number>();
  private turns = 0;
  /** Tasks not yet started, per request. */
  private readonly queuedOf = new Map<DecodeTicket, number>();
  private busy = 0;

  constructor(private readonly options: DecodeGateOptions) {
    this.perClient = Math.max(1, options.slots - 1);
  }

  /** Requests with images waiting for a slot. */
  get waiting(): number {
    return this.queuedOf.size;
  }

  /** Admits one request of `client`, or refuses it with 503 when the queue is full (see above). */
  admit(client: string): DecodeTicket {
    if (this.waiting >= this.options.maxWaiting && this.queues.has(client)) {
      const { slots, maxWaiting } = this.options;
      throw new DomainError(
        'unavailable',
        'decode_busy',
        `image decoding is saturated: ${slots} images are being decoded (MAX_DECODE_CONCURRENCY) and ${maxWaiting} requests are waiting (MAX_DECODE_QUEUE), one of them yours; retry shortly`,
        { slots, maxWaiting, setting: 'MAX_DECODE_QUEUE' },
        1,
      );
    }
    return new DecodeTicket(this, client);
  }

  /** @internal Queues one task of a ticket; settles with the task. */
  enqueue(ticket: DecodeTicket, task: Task): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(ticket.client) ?? [];
      queue.push({ task, ticket, resolve, reject });
      this.queues.set(ticket.client, queue);
      this.queuedOf.set(ticket, (this.queuedOf.get(ticket) ?? 0) + 1);
      this.dispatch();
    });
  }

  /** Drops a ticket's tasks that have not started (its request already failed). */
  private cancel(ticket: DecodeTicket, reason: unknown): void {
    this.queuedOf.delete(ticket);
    const queue = this.queues.get(ticket.client);
    if (!queue) return;
    const kept = queue.filter((queued) => queued.ticket !== ticket);
    for (const queued of queue) if (queued.ticket === ticket) queued.reject(reason);
    if (kept.length > 0) this.queues.set(ticket.client, kept);
    else this.queues.delete(ticket.client);
  }

  private dispatch(): void {
    while (this.busy < this.options.slots) {
      const next = this.nextRunnable();
      if (!next) return;
      this.start(next);
    }
  }

  /** The next task of the least recently served client below its share of the slots. */
  private nextRunnable(): Queued | undefined {
    let chosen: string | undefined;
    for (const client of this.queues.keys()) {
      if ((this.running.get(client) ?? 0) >= this.perClient) continue;
      if (chosen === undefined || (this.lastServed.get(client) ?? -1) < (this.lastServed.get(chosen) ?? -1)) {
        chosen = client;
      }
    }
    if (chosen === undefined) return undefined;
    const queue = this.queues.get(chosen)!;
    const queued = queue.shift()!;
    if (queue.length === 0) this.queues.delete(chosen);
    this.lastServed.set(chosen, this.turns++);
    const left = this.queuedOf.get(queued.ticket)! - 1;
    if (left > 0) this.queuedOf.set(queued.ticket, left);
    else this.queuedOf.delete(queued.ticket);
    return queued;
  }

  private start(queued: Queued): void {
    const { client } = queued.ticket;
    this.busy++;
    this.running.set(client, (this.running.get(client) ?? 0) + 1);
    const finish = () => {
      this.busy--;
      const left = this.running.get(client)! - 1;
      if (left > 0) this.running.set(client, left);
      else this.running.delete(client);
      if (left === 0 && !this.queues.has(client)) this.lastServed.delete(client); // idle: forgotten
      this.dispatch();
    };
    queued.task().then(
      (value) => {
        finish();
        queued.resolve(value);
      },
      (error: unknown) => {
        this.cancel(queued.ticket, error); // one failed image fails its request: drop the rest first
        finish();
        queued.reject(error);
      },
    );
  }
}

/** One request's passage through the gate: its images, one task each, in one or more rounds. */
export class DecodeTicket {
  constructor(
    private readonly gate: DecodeGate,
    readonly client: string,
  ) {}

  /** Runs one task per image through the gate; the first failure drops the request's unstarted tasks. */
  run<T>(tasks: Array<() => Promise<T>>): Promise<T[]> {
    const settled = tasks.map((task) => this.gate.enqueue(this, task) as Promise<T>);
    // The gate drops a request's unstarted tasks when one fails; started ones keep their slots until they end.
    return Promise.all(settled);
  }
}
