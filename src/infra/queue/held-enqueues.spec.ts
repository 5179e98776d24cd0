import { Logger } from '@nestjs/common';
import { z } from 'zod';
import { HeldEnqueue, HeldEnqueues, isRedisUnavailable } from './held-enqueues';
import { defineJob, QueueName } from './jobs';

const weekly = defineJob({ name: 'evaluation.weekly', queue: QueueName.Evaluation, payload: z.object({}) });
const job = (jobId: string, dueAt = 0): HeldEnqueue => ({
  definition: weekly as never,
  envelope: { payload: {} },
  jobId,
  dueAt,
});
const redisDown = () => new Error("Stream isn't writeable and enableOfflineQueue options is false");

describe('isRedisUnavailable', () => {
  it.each([
    [redisDown(), true],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }), true],
    [
      Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' }),
      true,
    ],
    [new Error('Connection is closed.'), true],
    [new Error('Custom Id cannot contain :'), false],
    ['a string', false],
  ])('%s -> %s', (error, expected) => expect(isRedisUnavailable(error)).toBe(expected));
});

describe('HeldEnqueues', () => {
  let logger: Logger;
  beforeEach(() => {
    jest.useFakeTimers();
    logger = new Logger('test');
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    jest.spyOn(logger, 'log').mockImplementation(() => undefined);
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.useRealTimers());

  it('adds held jobs, in order and once per id, when Redis answers again', async () => {
    let redisUp = false;
    const added: HeldEnqueue[] = [];
    const held = new HeldEnqueues(async (j) => {
      if (!redisUp) throw redisDown();
      added.push(j);
    }, logger);
    expect(held.hold(job('evaluation-digits-2026-W48', 5), redisDown())).toBe(true);
    expect(held.hold(job('webhook-delivery-1-2'), redisDown())).toBe(true);
    expect(held.hold(job('evaluation-digits-2026-W48', 5), redisDown())).toBe(true); // same id: one job
    await jest.advanceTimersByTimeAsync(3000);
    expect(added).toEqual([]);
    expect(held.size).toBe(2);

    redisUp = true;
    await jest.advanceTimersByTimeAsync(1000);
    expect(added.map((j) => [j.jobId, j.dueAt])).toEqual([
      ['evaluation-digits-2026-W48', 5],
      ['webhook-delivery-1-2', 0],
    ]);
    expect(held.size).toBe(0);
  });

  it('drops a job Redis refuses for another reason, and keeps going', async () => {
    const added: string[] = [];
    const held = new HeldEnqueues(async (j) => {
      if (j.jobId === 'bad') throw new Error('Custom Id cannot contain :');
      added.push(j.jobId);
    }, logger);
    held.hold(job('bad'), redisDown());
    held.hold(job('good'), redisDown());
    await jest.advanceTimersByTimeAsync(1000);
    expect(added).toEqual(['good']);
    expect(held.size).toBe(0);
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ jobId: 'bad' }), expect.any(String));
  });

  it('stop() ends the retries and reports what was never added', async () => {
    const add = jest.fn().mockRejectedValue(redisDown());
    const held = new HeldEnqueues(add, logger);
    held.hold(job('a'), redisDown());
    expect(held.stop()).toBe(1);
    await jest.advanceTimersByTimeAsync(5000);
    expect(add).not.toHaveBeenCalled();
  });
});
