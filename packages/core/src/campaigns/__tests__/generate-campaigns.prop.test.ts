import {
  CampaignGenerationError,
  type CampaignGenerator,
  type CampaignRecord,
  type CampaignRequest,
  type CampaignResult,
  createCustomerClient,
  createMemoryAdapter,
  type StorageAdapter,
} from '@donutauto/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  campaignsOf,
  clientWith,
  clockSleep,
  crashable,
  runUntil,
  settle,
  type VirtualClock,
  virtualClock,
} from './campaign-test-kit';

/** What a generator call does. */
type Behaviour = 'ok' | 'slow' | 'transient' | 'permanent' | 'hang';

const TIMEOUT_MS = 1_000;
const LEASE_MS = 3_000;

interface CallLog {
  /** Calls running now, per runner. */
  active: Map<string, number>;
  /** The most calls one runner had running at once. */
  most: Map<string, number>;
  /** Calls per campaign, and the last answer given for it. */
  calls: Map<string, number>;
  answers: Map<string, string>;
  /** Calls of one campaign running at once in live runners (must stay ≤ 1). */
  overlapping: Map<string, number>;
  worstOverlap: number;
  /** Calls started after the run's signal aborted. */
  startedAfterAbort: number;
}

function newLog(): CallLog {
  return {
    active: new Map(),
    most: new Map(),
    calls: new Map(),
    answers: new Map(),
    overlapping: new Map(),
    worstOverlap: 0,
    startedAfterAbort: 0,
  };
}

/**
 * A generator that, per call, answers at once, answers slowly (maybe past the timeout), fails
 * (transiently or for good) or hangs until its signal aborts, as `behaviours` dictates in turn.
 */
function randomGenerator(
  runner: string,
  clock: VirtualClock,
  behaviours: readonly Behaviour[],
  delays: readonly number[],
  log: CallLog,
  live = true,
  abortAfterCalls?: { at: number; controller: AbortController },
): CampaignGenerator {
  let n = 0;
  return async (_input, { signal, campaignId }) => {
    const i = n++;
    if (abortAfterCalls?.controller.signal.aborted) log.startedAfterAbort++;
    if (abortAfterCalls && i === abortAfterCalls.at) abortAfterCalls.controller.abort();
    const active = (log.active.get(runner) ?? 0) + 1;
    log.active.set(runner, active);
    log.most.set(runner, Math.max(log.most.get(runner) ?? 0, active));
    log.calls.set(campaignId, (log.calls.get(campaignId) ?? 0) + 1);
    if (live) {
      const overlap = (log.overlapping.get(campaignId) ?? 0) + 1;
      log.overlapping.set(campaignId, overlap);
      log.worstOverlap = Math.max(log.worstOverlap, overlap);
    }
    try {
      const behaviour = behaviours[i % behaviours.length]!;
      const delay = delays[i % delays.length]!;
      if (behaviour === 'hang')
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      await clockSleep(clock, behaviour === 'slow' ? delay * 3 : delay, signal);
      if (behaviour === 'transient') throw new Error('connection reset');
      if (behaviour === 'permanent')
        throw new CampaignGenerationError('http_error', 'Bad request', { retryable: false });
      const text = `${runner} answer ${i}`;
      log.answers.set(campaignId, text);
      return { text, subject: 'Subject' };
    } finally {
      log.active.set(runner, (log.active.get(runner) ?? 1) - 1);
      if (live) log.overlapping.set(campaignId, (log.overlapping.get(campaignId) ?? 1) - 1);
    }
  };
}

const TERMINAL = ['completed', 'failed', 'cancelled'];

/** Every (customer, type, platform) of the run has one record, ended, reported exactly once. */
function expectEndedOnce(
  records: readonly CampaignRecord[],
  ids: readonly string[],
  types: number,
  platforms: number,
  reported: readonly CampaignResult[],
): void {
  expect(records.length).toBe(ids.length * types * platforms);
  expect(new Set(records.map((r) => `${r.customerId}/${r.contentType}/${r.platform}`)).size).toBe(
    records.length,
  );
  for (const record of records) {
    expect(TERMINAL).toContain(record.status);
    expect(record.leaseOwner).toBeNull();
  }
  const reportedIds = reported.map((r) => r.campaignId);
  expect(new Set(reportedIds).size).toBe(reportedIds.length);
  expect([...reportedIds].sort()).toEqual(records.map((r) => r.id).sort());
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const result of reported) expect(result.status).toBe(byId.get(result.campaignId)!.status);
}

const scenario = fc.record({
  customers: fc.integer({ min: 1, max: 12 }),
  types: fc.subarray(['quiz', 'fact', 'myth'] as const, { minLength: 1 }),
  platforms: fc.subarray(['email', 'instagram_post'] as const, { minLength: 1 }),
  concurrency: fc.integer({ min: 1, max: 5 }),
  retries: fc.integer({ min: 0, max: 2 }),
  behaviours: fc.array(fc.constantFrom<Behaviour>('ok', 'ok', 'slow', 'transient', 'permanent', 'hang'), {
    minLength: 1,
    maxLength: 12,
  }),
  delays: fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 6 }),
});

const options = (clock: VirtualClock, retries: number, concurrency: number) => ({
  timers: clock,
  retries,
  concurrency,
  timeoutMs: TIMEOUT_MS,
  leaseMs: LEASE_MS,
  backoff: { minDelayMs: 100, maxDelayMs: 1_000, random: () => 0.3 },
});

describe('generateCampaigns with a generator that fails, hangs or answers slowly at random', () => {
  it('ends every campaign exactly once, within the concurrency, honouring an abort', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        async (s, abortAt) => {
          const { client, ids } = await clientWith(s.customers);
          const clock = virtualClock();
          const log = newLog();
          const controller = new AbortController();
          const abort = abortAt === undefined ? undefined : { at: abortAt, controller };
          const reported: CampaignResult[] = [];
          const report = await settle(
            clock,
            client.generateCampaigns(
              { target: { customerIds: ids }, title: 'Prop', contentTypes: s.types, platforms: s.platforms },
              {
                ...options(clock, s.retries, s.concurrency),
                generator: randomGenerator('a', clock, s.behaviours, s.delays, log, true, abort),
                signal: controller.signal,
                onProgress: (p) => reported.push(...p.results),
              },
            ),
          );
          const records = await campaignsOf(client, report.runId, 1000);
          expectEndedOnce(records, ids, s.types.length, s.platforms.length, reported);
          expect(log.most.get('a') ?? 0).toBeLessThanOrEqual(s.concurrency);
          expect(log.worstOverlap).toBeLessThanOrEqual(1);
          expect(report.aborted).toBe(controller.signal.aborted);
          expect(report.counts.queued + report.counts.inProgress).toBe(0);
          if (report.aborted) expect(log.startedAfterAbort).toBe(0);
          for (const record of records) {
            // Attempts count every call made for the campaign; content is the last answer given.
            expect(record.attempts).toBe(log.calls.get(record.id) ?? 0);
            if (record.status === 'completed') expect(record.content?.text).toBe(log.answers.get(record.id));
            else expect(record.content).toBeNull();
            if (record.status !== 'completed') expect(record.error).not.toBeNull();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('finishes a run after its process died, with one or two processes resuming at once', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        fc.integer({ min: 0, max: 30 }),
        fc.boolean(),
        async (s, crashAfterCalls, twoResumers) => {
          const inner = createMemoryAdapter();
          const { ids } = await clientWith(s.customers, inner);
          const dead = crashable(inner);
          const deadClient = createCustomerClient({ adapter: dead.adapter, organizationId: 'org-campaigns' });
          const deadClock = virtualClock();
          const log = newLog();
          const reported: CampaignResult[] = [];
          let calls = 0;
          const deadGenerator = randomGenerator('dead', deadClock, s.behaviours, s.delays, log, false);
          let finished = false;
          let runId: string | undefined;
          const first = deadClient
            .generateCampaigns(
              { target: { customerIds: ids }, title: 'Crash', contentTypes: s.types, platforms: s.platforms },
              {
                ...options(deadClock, s.retries, s.concurrency),
                generator: (input, context) => {
                  calls++;
                  return deadGenerator(input, context);
                },
                onProgress: (p) => {
                  runId = p.runId;
                  reported.push(...p.results);
                },
              },
            )
            .then((r) => {
              runId = r.runId;
              finished = true;
            });
          // The first call proves the run and its records are stored: crash any time after that.
          await runUntil(deadClock, () => finished || calls >= Math.max(1, crashAfterCalls));
          dead.crash();
          void first;
          const client = createCustomerClient({ adapter: inner, organizationId: 'org-campaigns' });
          runId ??= (await client.listCampaignRuns()).page[0]!.id;
          // The survivors start on the dead process's clock; its leases expire LEASE_MS later.
          const clock = virtualClock(deadClock.now());
          const resumers = (twoResumers ? ['b', 'c'] : ['b']).map((name) =>
            client.resumeCampaignRun(runId!, {
              ...options(clock, s.retries, s.concurrency),
              generator: randomGenerator(name, clock, s.behaviours, s.delays, log),
              onProgress: (p) => reported.push(...p.results),
            }),
          );
          const reports = await settle(clock, Promise.all(resumers));
          const records = await campaignsOf(client, runId, 1000);
          expectEndedOnce(records, ids, s.types.length, s.platforms.length, reported);
          for (const report of reports) expect(report.counts.queued + report.counts.inProgress).toBe(0);
          // Live runners never generate one campaign at the same time.
          expect(log.worstOverlap).toBeLessThanOrEqual(1);
          for (const name of ['b', 'c']) expect(log.most.get(name) ?? 0).toBeLessThanOrEqual(s.concurrency);
          for (const record of records) {
            if (record.status === 'completed') expect(record.content?.text).toBe(log.answers.get(record.id));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** Starts a run of `target` whose process dies once 500 of its records are stored. */
async function crashWhilePreparing(inner: StorageAdapter, target: CampaignRequest['target']) {
  const dead = crashable(inner);
  const deadClock = virtualClock();
  let inserted = 0;
  const spy = new Proxy(dead.adapter, {
    get(target, key, receiver) {
      if (key === 'insertCampaigns') {
        return async (...args: Parameters<typeof target.insertCampaigns>) => {
          const n = await target.insertCampaigns(...args);
          inserted += n;
          if (inserted >= 500) dead.crash();
          return n;
        };
      }
      return Reflect.get(target, key, receiver);
    },
  });
  void createCustomerClient({ adapter: spy, organizationId: 'org-campaigns' })
    .generateCampaigns(
      { target, title: 'Big', contentTypes: ['fact'], platforms: ['twitter_post'] },
      { generator: () => new Promise(() => {}), timers: deadClock, leaseMs: LEASE_MS },
    )
    .catch(() => {});
  await runUntil(deadClock, () => inserted >= 500);
  const client = createCustomerClient({ adapter: inner, organizationId: 'org-campaigns' });
  const run = (await client.listCampaignRuns()).page[0]!;
  expect(run.preparedAt).toBeNull();
  expect(run.counts.total).toBe(500);
  return { client, run, clock: virtualClock(deadClock.now()) };
}

describe('resumeCampaignRun', () => {
  const resume = { generator: async () => ({ text: 'done' }), leaseMs: LEASE_MS, concurrency: 16 };

  it('creates the rest of the target when the process died while preparing the run', async () => {
    const inner = createMemoryAdapter();
    const { ids } = await clientWith(1_100, inner);
    const { client, run, clock } = await crashWhilePreparing(inner, { customerIds: ids });
    const report = await settle(clock, client.resumeCampaignRun(run.id, { ...resume, timers: clock }));
    expect(report.counts).toEqual({
      total: 1_100,
      queued: 0,
      inProgress: 0,
      completed: 1_100,
      failed: 0,
      cancelled: 0,
      skipped: 0,
    });
    expect((await client.getCampaignRun(run.id)).preparedAt).not.toBeNull();
  });

  it('finishes the records it has when the filter no longer matches anyone', async () => {
    const inner = createMemoryAdapter();
    const { client: owner, ids } = await clientWith(600, inner);
    for (const id of ids) await owner.update(id, { tags: ['autumn'] });
    const { client, run, clock } = await crashWhilePreparing(inner, {
      filter: { tags: { all: ['autumn'] } },
    });
    for (const id of ids) await owner.update(id, { tags: [] });
    const report = await settle(clock, client.resumeCampaignRun(run.id, { ...resume, timers: clock }));
    expect(report.counts).toEqual({
      total: 500,
      queued: 0,
      inProgress: 0,
      completed: 500,
      failed: 0,
      cancelled: 0,
      skipped: 0,
    });
  });
});
