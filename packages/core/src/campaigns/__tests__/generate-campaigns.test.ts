import {
  CampaignGenerationError,
  type CampaignGenerator,
  type CampaignGeneratorInput,
  type CampaignProgress,
  type CustomerClient,
  createCustomerClient,
  createMemoryAdapter,
  isCustomerError,
  type StorageAdapter,
  StorageError,
} from '@donutauto/core';
import { describe, expect, it } from 'vitest';
import { rejection } from '../../client/__tests__/code-of';
import {
  campaignsOf,
  clientWith,
  clockSleep,
  echoGenerator,
  runUntil,
  settle,
  virtualClock,
} from './campaign-test-kit';

const request = (customerIds: string[]) => ({
  target: { customerIds },
  title: 'Glazed week',
  contentTypes: ['fact', 'quiz'] as const,
  platforms: ['email', 'twitter_post'] as const,
});

describe('client.generateCampaigns', () => {
  it('ends one campaign per customer, content type and platform, with its content', async () => {
    const { client, ids } = await clientWith(3);
    const clock = virtualClock();
    const progress: CampaignProgress[] = [];
    const report = await settle(
      clock,
      client.generateCampaigns(request(ids), {
        generator: echoGenerator(clock, 20),
        timers: clock,
        onProgress: (p) => progress.push(p),
      }),
    );
    expect(report.counts).toEqual({
      total: 12,
      queued: 0,
      inProgress: 0,
      completed: 12,
      failed: 0,
      cancelled: 0,
      skipped: 0,
    });
    expect(report.aborted).toBe(false);
    expect(report.results.length).toBe(12);
    const stored = await campaignsOf(client, report.runId);
    const keys = stored.map((c) => `${c.customerId}/${c.contentType}/${c.platform}`);
    expect(new Set(keys).size).toBe(12);
    for (const id of ids) {
      for (const type of ['fact', 'quiz'])
        for (const p of ['email', 'twitter_post']) expect(keys).toContain(`${id}/${type}/${p}`);
    }
    const email = stored.find(
      (c) => c.customerId === ids[1] && c.platform === 'email' && c.contentType === 'quiz',
    );
    expect(email).toMatchObject({
      status: 'completed',
      title: 'Glazed week',
      content: { text: 'quiz for Name1', subject: 'Hi Name1' },
      error: null,
      attempts: 1,
      leaseOwner: null,
      leaseExpiresAt: null,
    });
    // Every result reached onProgress exactly once, and the last progress holds the totals.
    expect(progress.flatMap((p) => p.results.map((r) => r.campaignId)).sort()).toEqual(
      stored.map((c) => c.id).sort(),
    );
    expect(progress.at(-1)).toMatchObject({ total: 12, completed: 12, failed: 0, cancelled: 0 });
    const run = await client.getCampaignRun(report.runId);
    expect(run).toMatchObject({
      request: { title: 'Glazed week', target: { customerIds: ids }, instructions: null, requestedBy: null },
      counts: report.counts,
    });
    expect(run.preparedAt).not.toBeNull();
    expect((await client.listCampaignRuns()).page.map((r) => r.id)).toEqual([report.runId]);
  });

  it('targets the customers a filter selects', async () => {
    const { client, ids } = await clientWith(10);
    const clock = virtualClock();
    const report = await settle(
      clock,
      client.generateCampaigns(
        {
          target: { filter: { preferences: { all: ['glazed'] } } },
          title: 'T',
          contentTypes: ['general'],
          platforms: ['instagram_post'],
        },
        { generator: echoGenerator(clock), timers: clock },
      ),
    );
    const glazed = ids.filter((_, i) => i % 3 === 0);
    expect(report.counts.completed).toBe(glazed.length);
    expect((await campaignsOf(client, report.runId)).map((c) => c.customerId).sort()).toEqual(
      [...glazed].sort(),
    );
  });

  it('targets the members of a saved segment, as the segment is when the run starts', async () => {
    const { client, ids } = await clientWith(10);
    const vip = await client.createSegment({ name: 'VIP', filter: { tags: { all: ['vip'] } } });
    const clock = virtualClock();
    const report = await settle(
      clock,
      client.generateCampaigns(
        { target: { segmentId: vip.id }, title: 'T', contentTypes: ['general'], platforms: ['email'] },
        { generator: echoGenerator(clock), timers: clock },
      ),
    );
    const members = ids.filter((_, i) => i % 5 === 0);
    expect(report.counts.completed).toBe(members.length);
    expect((await campaignsOf(client, report.runId)).map((c) => c.customerId).sort()).toEqual(
      [...members].sort(),
    );
    expect((await client.getCampaignRun(report.runId)).request.target).toEqual({ segmentId: vip.id });
    // Deleting the segment afterwards changes nothing of the run.
    await client.deleteSegment(vip.id);
    expect((await client.getCampaignRun(report.runId)).counts.completed).toBe(members.length);
  });

  it('refuses an unknown segment with not_found and an empty one with invalid_argument, storing nothing', async () => {
    const { client } = await clientWith(3);
    const generator = echoGenerator(virtualClock());
    const unknown = await rejection(
      client.generateCampaigns(
        {
          target: { segmentId: 'no-such-segment' },
          title: 'T',
          contentTypes: ['fact'],
          platforms: ['email'],
        },
        { generator },
      ),
    );
    expect(unknown.code).toBe('not_found');
    const nobody = await client.createSegment({ name: 'Nobody', filter: { tags: { all: ['none'] } } });
    const empty = await rejection(
      client.generateCampaigns(
        { target: { segmentId: nobody.id }, title: 'T', contentTypes: ['fact'], platforms: ['email'] },
        { generator },
      ),
    );
    expect([empty.code, empty.argument]).toEqual(['invalid_argument', 'request.target.segmentId']);
    expect((await client.listCampaignRuns()).page).toEqual([]);
  });

  it('types the custom field conditions of a filter target by the definitions', async () => {
    const adapter = createMemoryAdapter();
    const client = createCustomerClient({
      adapter,
      organizationId: 'org-typed',
      customFields: [{ key: 'visits', label: 'Visits', type: 'number' }],
    });
    const added = await client.bulkAddCustomers(
      [2, 10, 30].map((visits, i) => ({
        firstName: `N${i}`,
        lastName: 'L',
        email: `v${i}@example.com`,
        customFields: { visits },
      })),
    );
    const clock = virtualClock();
    const report = await settle(
      clock,
      client.generateCampaigns(
        {
          target: { filter: { customFields: { visits: { gte: 10 } } } },
          title: 'Regulars',
          contentTypes: ['general'],
          platforms: ['email'],
        },
        { generator: echoGenerator(clock), timers: clock },
      ),
    );
    expect((await campaignsOf(client, report.runId)).map((c) => c.customerId).sort()).toEqual(
      added.addedIds.slice(1).sort(),
    );
    const wrongType = await rejection(
      client.generateCampaigns(
        {
          target: { filter: { customFields: { visits: { gte: 'ten' } } } },
          title: 'T',
          contentTypes: ['general'],
          platforms: ['email'],
        },
        { generator: echoGenerator(clock) },
      ),
    );
    expect([wrongType.code, wrongType.argument]).toEqual([
      'invalid_argument',
      'request.target.filter.customFields.visits.gte',
    ]);
  });

  it('refuses bad requests with invalid_argument naming the path, storing nothing', async () => {
    const { client, ids } = await clientWith(3);
    const generator = echoGenerator(virtualClock());
    const base = request(ids);
    const cases: [unknown, string][] = [
      [{ ...base, contentTypes: ['fact', 'poem'] }, 'request.contentTypes[1]'],
      [{ ...base, platforms: ['myspace'] }, 'request.platforms[0]'],
      [{ ...base, platforms: [] }, 'request.platforms'],
      [{ ...base, target: { customerIds: [] } }, 'request.target.customerIds'],
      [{ ...base, target: {} }, 'request.target'],
      [{ ...base, target: { customerIds: ids, filter: {} } }, 'request.target'],
      [{ ...base, target: { customerIds: [''] } }, 'request.target.customerIds[0]'],
      [{ ...base, target: { filter: { tags: { all: ['nobody-has-this'] } } } }, 'request.target.filter'],
      [{ ...base, target: { filter: { shoeSize: 3 } } }, 'request.target.filter.shoeSize'],
      [{ ...base, target: { segmentId: '' } }, 'request.target.segmentId'],
      [{ ...base, title: '  ' }, 'request.title'],
      [{ ...base, title: 'Nul \u0000 inside' }, 'request.title'],
      [{ ...base, instructions: 'lone \ud800 surrogate' }, 'request.instructions'],
      [{ ...base, contentTypes: ['custom'] }, 'request.instructions'],
      [{ ...base, colour: 'red' }, 'request.colour'],
      [null, 'request'],
    ];
    for (const [bad, path] of cases) {
      const error = await rejection(client.generateCampaigns(bad as never, { generator }));
      expect([error.code, error.argument, path]).toEqual(['invalid_argument', path, path]);
    }
    const unknownType = await rejection(
      client.generateCampaigns({ ...base, contentTypes: ['poem'] } as never, { generator }),
    );
    expect(unknownType.message).toContain(
      'unknown content type "poem"; expected one of quiz, fact, myth, general, custom',
    );
    const tooMany = await rejection(client.generateCampaigns(base, { generator, maxCustomers: 2 }));
    expect([tooMany.argument, tooMany.message]).toEqual([
      'request.target.customerIds',
      'Invalid request.target.customerIds: 3 customers is more than the per-run limit of 2 (option maxCustomers)',
    ]);
    const tooManyByFilter = await rejection(
      client.generateCampaigns({ ...base, target: { filter: {} } }, { generator, maxCustomers: 2 }),
    );
    expect(tooManyByFilter.argument).toBe('request.target.filter');
    const optionCases: [unknown, string][] = [
      [{}, 'options.generator'],
      [{ generator, concurrency: 0 }, 'options.concurrency'],
      [{ generator, retries: 1.5 }, 'options.retries'],
      [{ generator, customerData: { include: ['dob'] } }, 'options.customerData.include[0]'],
      [{ generator, paralel: 3 }, 'options.paralel'],
    ];
    for (const [bad, path] of optionCases) {
      const error = await rejection(client.generateCampaigns(base, bad as never));
      expect([error.code, error.argument]).toEqual(['invalid_argument', path]);
    }
    expect((await client.listCampaignRuns()).page).toEqual([]);
    expect((await client.listCampaigns()).page).toEqual([]);
  });

  it('shows generators marketing data only, unless the caller opts in', async () => {
    const { client, ids } = await clientWith(2);
    const seen: CampaignGeneratorInput[] = [];
    const generator: CampaignGenerator = async (input) => {
      seen.push(input);
      return { text: 'ok' };
    };
    const clock = virtualClock();
    const one = {
      ...request([ids[1]!]),
      contentTypes: ['fact'] as const,
      platforms: ['twitter_post'] as const,
    };
    await settle(clock, client.generateCampaigns(one, { generator, timers: clock }));
    const customer = await client.get(ids[1]!);
    expect(seen[0]!.customer).toEqual({
      firstName: 'Name1',
      preferences: ['vegan', 'coffee'],
      tags: [],
      birthdayMonth: 3,
      location: 'Leeds',
      customFields: {},
    });
    const text = JSON.stringify(seen[0]);
    for (const secret of [
      customer.id,
      customer.email,
      customer.phone!,
      customer.notes!,
      customer.lastName,
      '1990',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(seen[0]!.campaign).toMatchObject({
      title: 'Glazed week',
      contentType: 'fact',
      platform: 'twitter_post',
    });
    expect(seen[0]!.campaign.limits.maxTextLength).toBe(280);
    expect(Object.isFrozen(seen[0]!.customer.preferences)).toBe(true);

    await settle(
      clock,
      client.generateCampaigns(one, {
        generator,
        timers: clock,
        customerData: { include: ['id', 'email', 'notes'], customFields: ['tier'] },
      }),
    );
    expect(seen[1]!.customer).toMatchObject({
      id: customer.id,
      email: customer.email,
      notes: 'secret note 1',
      customFields: { tier: 'gold' },
    });
    expect(seen[1]!.customer).not.toHaveProperty('phone');
    expect(seen[1]!.customer).not.toHaveProperty('lastName');
  });

  it('retries transient failures with exponential backoff and jitter, then stores the answer', async () => {
    const { client, ids } = await clientWith(1);
    const clock = virtualClock();
    const calls: { at: number; attempt: number }[] = [];
    const generator: CampaignGenerator = async (_input, { attempt }) => {
      calls.push({ at: clock.now(), attempt });
      if (calls.length < 3) throw new Error('socket hang up');
      return { text: 'third time lucky' };
    };
    const one = { ...request(ids), contentTypes: ['fact'] as const, platforms: ['twitter_post'] as const };
    const report = await settle(
      clock,
      client.generateCampaigns(one, {
        generator,
        timers: clock,
        retries: 2,
        backoff: { minDelayMs: 1_000, maxDelayMs: 30_000, random: () => 0.5 },
      }),
    );
    expect(report.results).toEqual([expect.objectContaining({ status: 'completed', attempts: 3 })]);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    // Equal jitter: half the exponential delay plus random() × half: 750 ms, then 1,500 ms.
    expect([calls[1]!.at - calls[0]!.at, calls[2]!.at - calls[1]!.at]).toEqual([750, 1_500]);
  });

  it('fails a campaign at once on a permanent error, and after the last retry on a transient one', async () => {
    const { client, ids } = await clientWith(2);
    const clock = virtualClock();
    const calls = new Map<string, number>();
    const generator: CampaignGenerator = async (_input, { campaignId }) => {
      calls.set(campaignId, (calls.get(campaignId) ?? 0) + 1);
      const permanent = calls.size === 1;
      throw permanent
        ? new CampaignGenerationError('http_error', 'Bad request (400)', { retryable: false, status: 400 })
        : new CampaignGenerationError('rate_limited', 'Too many requests', { retryAfterMs: 5_000 });
    };
    const one = { ...request(ids), contentTypes: ['fact'] as const, platforms: ['twitter_post'] as const };
    const report = await settle(
      clock,
      client.generateCampaigns(one, { generator, timers: clock, concurrency: 1, retries: 1 }),
    );
    expect(report.counts).toMatchObject({ failed: 2, completed: 0 });
    expect(report.results.map((r) => [r.attempts, r.error])).toEqual([
      [1, { code: 'generation_failed', message: 'Bad request (400)' }],
      [2, { code: 'generation_failed', message: 'Too many requests' }],
    ]);
  });

  it('aborts a call that does not answer within timeoutMs and retries it', async () => {
    const { client, ids } = await clientWith(1);
    const clock = virtualClock();
    const signals: AbortSignal[] = [];
    const generator: CampaignGenerator = (_input, { signal }) => {
      signals.push(signal);
      return new Promise(() => {}); // hangs and ignores its signal
    };
    const one = { ...request(ids), contentTypes: ['fact'] as const, platforms: ['email'] as const };
    const start = clock.now();
    const report = await settle(
      clock,
      client.generateCampaigns(one, {
        generator,
        timers: clock,
        timeoutMs: 10_000,
        retries: 1,
        backoff: { minDelayMs: 100 },
      }),
    );
    expect(report.results[0]).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: { code: 'generation_failed' },
    });
    expect(report.results[0]!.error!.message).toContain('did not answer within 10000 ms');
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
    expect(clock.now() - start).toBeLessThan(25_000);
  });

  it('refuses an answer outside the platform limits', async () => {
    const { client, ids } = await clientWith(1);
    const clock = virtualClock();
    const answers = [
      { text: 'x'.repeat(281) },
      { text: 'nul \u0000' },
      { text: 'ok', subject: 'no subjects on Twitter' },
    ];
    let n = 0;
    const messages: string[] = [];
    const generator: CampaignGenerator = async () => answers[n++ % 3]!;
    const one = { ...request(ids), contentTypes: ['fact'] as const, platforms: ['twitter_post'] as const };
    const report = await settle(
      clock,
      client.generateCampaigns(one, {
        generator,
        timers: clock,
        retries: 2,
        backoff: { minDelayMs: 1 },
        onProgress: (p) => messages.push(...p.results.map((r) => r.error?.message ?? '')),
      }),
    );
    expect(report.results[0]).toMatchObject({ status: 'failed', attempts: 3 });
    expect(report.results[0]!.error!.message).toContain('Twitter post has no subject');
    expect(messages).toEqual([report.results[0]!.error!.message]);
  });

  it('names what does not fit in a generator answer: a wrong type, an unknown property', async () => {
    const { client, ids } = await clientWith(2);
    const answers = [{ text: 42 }, { text: 'ok', extra: 1 }];
    let n = 0;
    const generator: CampaignGenerator = async () => answers[n++]! as never;
    const one = { ...request(ids), contentTypes: ['fact'] as const, platforms: ['twitter_post'] as const };
    const report = await client.generateCampaigns(one, { generator, retries: 0, concurrency: 1 });
    expect(report.results.map((r) => r.error?.message)).toEqual([
      "The generator's answer does not fit twitter_post: text: text must be a string",
      'The generator\'s answer does not fit twitter_post: answer: unknown property "extra"',
    ]);
  });

  it('stores a failure message the database can keep, whatever the generator threw', async () => {
    const { client, ids } = await clientWith(1);
    const clock = virtualClock();
    const generator: CampaignGenerator = async () => {
      throw new CampaignGenerationError('failed', 'bad \u0000 byte and lone \udc00', { retryable: false });
    };
    const one = { ...request(ids), contentTypes: ['fact'] as const, platforms: ['twitter_post'] as const };
    const report = await settle(clock, client.generateCampaigns(one, { generator, timers: clock }));
    expect(report.results[0]!.error!.message).toBe('bad \ufffd byte and lone \ufffd');
  });

  it('fails the campaigns of a listed customer that does not exist without calling the generator', async () => {
    const { client, ids } = await clientWith(1);
    const clock = virtualClock();
    const called: string[] = [];
    const generator: CampaignGenerator = async ({ customer }) => {
      called.push(customer.firstName);
      return { text: 'hi' };
    };
    const one = {
      ...request([ids[0]!, 'no-such-customer']),
      contentTypes: ['fact'] as const,
      platforms: ['twitter_post'] as const,
    };
    const report = await settle(clock, client.generateCampaigns(one, { generator, timers: clock }));
    expect(called).toEqual(['Name0']);
    expect(report.results.find((r) => r.customerId === 'no-such-customer')).toMatchObject({
      status: 'failed',
      attempts: 0,
      error: { code: 'not_found' },
    });
  });

  it('never runs more than `concurrency` generator calls at once, and reaches it', async () => {
    const { client, ids } = await clientWith(40);
    const clock = virtualClock();
    let active = 0;
    let most = 0;
    const generator: CampaignGenerator = async (_input, { signal }) => {
      active++;
      most = Math.max(most, active);
      try {
        await clockSleep(clock, 10 + (active % 7), signal);
        return { text: 'ok' };
      } finally {
        active--;
      }
    };
    const all = { ...request(ids), contentTypes: ['fact'] as const, platforms: ['twitter_post'] as const };
    const report = await settle(
      clock,
      client.generateCampaigns(all, { generator, timers: clock, concurrency: 6 }),
    );
    expect(report.counts.completed).toBe(40);
    expect(most).toBe(6);
  });

  it('aborts: no new calls, running calls aborted, nothing left queued or in progress', async () => {
    const { client, ids } = await clientWith(30);
    const clock = virtualClock();
    const controller = new AbortController();
    let calls = 0;
    let callsAfterAbort = 0;
    const running = new Set<AbortSignal>();
    let runningAtAbort: AbortSignal[] = [];
    const generator: CampaignGenerator = async (_input, { signal }) => {
      calls++;
      if (controller.signal.aborted) callsAfterAbort++;
      running.add(signal);
      if (calls === 8) {
        runningAtAbort = [...running];
        controller.abort();
      }
      try {
        await clockSleep(clock, 50, signal);
        return { text: 'ok' };
      } finally {
        running.delete(signal);
      }
    };
    const all = { ...request(ids), contentTypes: ['fact'] as const, platforms: ['twitter_post'] as const };
    const report = await settle(
      clock,
      client.generateCampaigns(all, { generator, timers: clock, concurrency: 4, signal: controller.signal }),
    );
    expect(report.aborted).toBe(true);
    expect(callsAfterAbort).toBe(0);
    expect(runningAtAbort.length).toBe(4);
    expect(runningAtAbort.every((signal) => signal.aborted)).toBe(true);
    expect(report.counts.completed).toBe(4);
    expect(report.counts.queued + report.counts.inProgress).toBe(0);
    expect(report.counts.total).toBe(30);
    expect(report.counts.cancelled).toBe(30 - report.counts.completed);
    const stored = await campaignsOf(client, report.runId);
    expect(stored.filter((c) => c.status === 'cancelled').every((c) => c.error?.code === 'aborted')).toBe(
      true,
    );
    expect(report.results.length).toBe(30);
  });

  it('starts no other call once the first call aborted the run (property-test seed -1870506815)', async () => {
    const { client, ids } = await clientWith(1);
    const clock = virtualClock();
    const controller = new AbortController();
    let startedAfterAbort = 0;
    const generator: CampaignGenerator = async () => {
      if (controller.signal.aborted) startedAfterAbort++;
      controller.abort();
      return { text: 'ok' };
    };
    const report = await settle(
      clock,
      client.generateCampaigns(
        {
          target: { customerIds: ids },
          title: 'T',
          contentTypes: ['quiz', 'fact'],
          platforms: ['instagram_post'],
        },
        { generator, timers: clock, concurrency: 2, retries: 0, signal: controller.signal },
      ),
    );
    expect(startedAfterAbort).toBe(0);
    expect(report.counts).toMatchObject({ cancelled: 2, queued: 0, inProgress: 0 });
  });

  it('refuses to start when the signal is already aborted, storing nothing', async () => {
    const { client, ids } = await clientWith(1);
    const error = await rejection(
      client.generateCampaigns(request(ids), {
        generator: echoGenerator(virtualClock()),
        signal: AbortSignal.abort(),
      }),
    );
    expect(error.code).toBe('aborted');
    expect((await client.listCampaignRuns()).page).toEqual([]);
  });

  it('streams every result through onProgress and keeps the first maxResults in the report', async () => {
    const { client, ids } = await clientWith(20);
    const clock = virtualClock();
    const streamed: string[] = [];
    const all = {
      ...request(ids),
      contentTypes: ['fact'] as const,
      platforms: ['twitter_post', 'email'] as const,
    };
    const report = await settle(
      clock,
      client.generateCampaigns(all, {
        generator: echoGenerator(clock, 5),
        timers: clock,
        maxResults: 7,
        onProgress: (p) => {
          streamed.push(...p.results.map((r) => r.campaignId));
          throw new Error('a broken progress callback does not stop the run');
        },
      }),
    );
    expect(report.counts.completed).toBe(40);
    expect(report.results.length).toBe(7);
    expect(report.resultsTruncated).toBe(true);
    expect(new Set(streamed).size).toBe(40);
    expect(report.results.map((r) => r.campaignId)).toEqual(streamed.slice(0, 7));
  });
});

describe('client.retryFailed', () => {
  it('generates again only the failed campaigns, counting attempts on', async () => {
    const { client, ids } = await clientWith(6);
    const clock = virtualClock();
    const failing = new Set([ids[1], ids[4]]);
    const first: CampaignGenerator = async ({ customer }) => {
      if (failing.has(ids[Number(customer.firstName.slice(4))])) {
        throw new CampaignGenerationError('failed', 'Design service down', { retryable: false });
      }
      return { text: 'ok' };
    };
    const all = { ...request(ids), contentTypes: ['fact'] as const, platforms: ['twitter_post'] as const };
    const report = await settle(clock, client.generateCampaigns(all, { generator: first, timers: clock }));
    expect(report.counts).toMatchObject({ completed: 4, failed: 2 });
    const retried: string[] = [];
    const second: CampaignGenerator = async ({ customer }, { attempt }) => {
      retried.push(`${customer.firstName}#${attempt}`);
      return { text: 'second try' };
    };
    const again = await settle(clock, client.retryFailed(report.runId, { generator: second, timers: clock }));
    expect(retried.sort()).toEqual(['Name1#2', 'Name4#2']);
    expect(again.counts).toMatchObject({ completed: 6, failed: 0, total: 6 });
    expect(again.results.map((r) => r.status)).toEqual(['completed', 'completed']);
    const stored = await campaignsOf(client, report.runId);
    expect(
      stored
        .filter((c) => c.content?.text === 'second try')
        .map((c) => c.customerId)
        .sort(),
    ).toEqual([ids[1], ids[4]].sort());
    expect(
      (await settle(clock, client.retryFailed(report.runId, { generator: second, timers: clock }))).results,
    ).toEqual([]);
  });

  it('refuses an unknown run with not_found', async () => {
    const { client } = await clientWith(0);
    const generator = echoGenerator(virtualClock());
    for (const call of [
      client.retryFailed('nope', { generator }),
      client.resumeCampaignRun('nope', { generator }),
      client.getCampaignRun('nope'),
    ]) {
      const error = await rejection(call);
      expect(error.code).toBe('not_found');
      expect(error.message).toBe('Campaign run "nope" was not found');
    }
    expect(isCustomerError(await rejection(client.getCampaignRun('')), 'invalid_argument')).toBe(true);
  });
});

describe('client.listCampaigns', () => {
  it('pages a customer’s campaigns by keyset and filters by status', async () => {
    const adapter = createMemoryAdapter();
    const { client, ids } = await clientWith(3, adapter);
    const clock = virtualClock();
    for (const title of ['One', 'Two', 'Three']) {
      await settle(
        clock,
        client.generateCampaigns(
          { target: { customerIds: ids }, title, contentTypes: ['myth'], platforms: ['instagram_reel'] },
          { generator: echoGenerator(clock), timers: clock },
        ),
      );
    }
    const mine: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = await client.listCampaigns({ customerId: ids[2]!, numItems: 2, cursor });
      mine.push(...page.page.map((c) => c.title));
      if (page.isDone) break;
      cursor = page.continueCursor;
    }
    expect(mine).toEqual(['Three', 'Two', 'One']);
    expect((await client.listCampaigns({ status: 'failed' })).page).toEqual([]);
    expect((await client.listCampaigns({ status: 'completed', numItems: 1000 })).page.length).toBe(9);
    const bad = await rejection(client.listCampaigns({ status: 'done' as never }));
    expect([bad.code, bad.argument]).toEqual(['invalid_argument', 'options.status']);
    const badCursor = await rejection(client.listCampaigns({ cursor: 'forged' }));
    expect(badCursor.code).toBe('invalid_cursor');
  });
});

describe('campaign leases', () => {
  it('a resume waiting for a live runner returns soon after that runner ended its campaigns', async () => {
    const { client, ids } = await clientWith(2);
    const clock = virtualClock();
    let started = 0;
    const slow: CampaignGenerator = async (_input, { signal }) => {
      started++;
      await clockSleep(clock, 30_000, signal);
      return { text: 'slow but fine' };
    };
    const one = { ...request(ids), contentTypes: ['fact'] as const, platforms: ['twitter_post'] as const };
    const first = client.generateCampaigns(one, {
      generator: slow,
      timers: clock,
      concurrency: 2,
      leaseMs: 60_000,
    });
    await runUntil(clock, () => started === 2);
    const [run] = (await client.listCampaignRuns()).page;
    const never: CampaignGenerator = async () => {
      throw new Error('the live runner holds every campaign');
    };
    const [a, b] = await settle(
      clock,
      Promise.all([
        first,
        client.resumeCampaignRun(run!.id, { generator: never, timers: clock, leaseMs: 60_000 }),
      ]),
    );
    expect(a.counts.completed).toBe(2);
    expect(b.results).toEqual([]);
    expect(b.counts).toMatchObject({ completed: 2, inProgress: 0 });
    // It looked again every third of the lease, not once per lease.
    expect(b.durationMs).toBeLessThanOrEqual(30_000 + 20_000 + 100);
  });

  it('stops generating a campaign whose lease it could not renew, and never overwrites the new owner', async () => {
    const inner = createMemoryAdapter();
    const { client, ids } = await clientWith(1, inner);
    // Process A's status writes stall (a network partition) until the gate opens.
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const partitioned: StorageAdapter = new Proxy(inner, {
      get(target, key, receiver) {
        if (key === 'updateCampaigns') {
          return async (...args: Parameters<StorageAdapter['updateCampaigns']>) => {
            await gate;
            return target.updateCampaigns(...args);
          };
        }
        return Reflect.get(target, key, receiver);
      },
    });
    const a = createCustomerClient({ adapter: partitioned, organizationId: 'org-campaigns' });
    const clock = virtualClock();
    let aSignal: AbortSignal | undefined;
    let aReport: Awaited<ReturnType<CustomerClient['generateCampaigns']>> | undefined;
    void a
      .generateCampaigns(
        { target: { customerIds: ids }, title: 'T', contentTypes: ['fact'], platforms: ['email'] },
        {
          generator: (_input, { signal }) => {
            aSignal = signal;
            return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
          },
          timers: clock,
          leaseMs: 3_000,
          timeoutMs: 60_000,
        },
      )
      .then((report) => {
        aReport = report;
      });
    await runUntil(clock, () => aSignal?.aborted === true);
    expect((aSignal!.reason as Error).message).toBe('Another runner took this campaign over');
    const [run] = (await client.listCampaignRuns()).page;
    const b = await settle(
      clock,
      client.resumeCampaignRun(run!.id, { generator: echoGenerator(clock), timers: clock, leaseMs: 3_000 }),
    );
    expect(b.results).toEqual([
      expect.objectContaining({
        status: 'completed',
        content: { text: 'fact for Name0', subject: 'Hi Name0' },
      }),
    ]);
    open();
    await runUntil(clock, () => aReport !== undefined);
    expect(aReport!.results).toEqual([]);
    const [record] = (await client.listCampaigns({ runId: run!.id })).page;
    expect(record).toMatchObject({ status: 'completed', content: { text: 'fact for Name0' }, attempts: 1 });
  });
});

/** Wraps an adapter so that the named methods fail with `error` on their first `times` calls each. */
function flaky(
  inner: StorageAdapter,
  methods: readonly string[],
  error: () => Error,
  times = 1,
): StorageAdapter {
  const failures = new Map(methods.map((m) => [m, times]));
  return new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      const left = failures.get(String(key));
      if (typeof value !== 'function' || left === undefined) return value;
      return (...args: unknown[]) => {
        if ((failures.get(String(key)) ?? 0) > 0) {
          failures.set(String(key), (failures.get(String(key)) ?? 0) - 1);
          return Promise.reject(error());
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe('store failures during a run', () => {
  const methods = [
    'insertCampaigns',
    'claimCampaigns',
    'updateCampaigns',
    'markCampaignRunPrepared',
    'getCampaignRun',
  ];

  it('retries store calls that failed transiently, with backoff', async () => {
    const inner = createMemoryAdapter();
    const { ids } = await clientWith(5, inner);
    const lost = () => new StorageError('Connection lost', undefined, { retryable: true });
    const client = createCustomerClient({
      adapter: flaky(inner, methods, lost, 2),
      organizationId: 'org-campaigns',
    });
    const clock = virtualClock();
    const report = await settle(
      clock,
      client.generateCampaigns(request(ids), { generator: echoGenerator(clock), timers: clock }),
    );
    expect(report.counts).toMatchObject({ total: 20, completed: 20 });
  });

  it('stops on a lasting store failure, leaving its campaigns for a resume', async () => {
    const inner = createMemoryAdapter();
    const { client, ids } = await clientWith(5, inner);
    const broken = () => new StorageError('Disk full', undefined, { retryable: false });
    const failing = createCustomerClient({
      adapter: flaky(inner, ['updateCampaigns'], broken),
      organizationId: 'org-campaigns',
    });
    const clock = virtualClock();
    const error = await settle(
      clock,
      failing
        .generateCampaigns(request(ids), { generator: echoGenerator(clock), timers: clock, leaseMs: 5_000 })
        .catch((e: unknown) => e),
    );
    expect(isCustomerError(error, 'storage_failed')).toBe(true);
    const [run] = (await client.listCampaignRuns()).page;
    expect(run!.counts.completed).toBeLessThan(20);
    const resumed = await settle(
      clock,
      client.resumeCampaignRun(run!.id, { generator: echoGenerator(clock), timers: clock, leaseMs: 5_000 }),
    );
    expect(resumed.counts).toMatchObject({ total: 20, completed: 20, inProgress: 0 });
  });
});
