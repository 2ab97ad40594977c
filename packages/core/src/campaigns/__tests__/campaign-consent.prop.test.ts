import {
  CAMPAIGN_PLATFORMS,
  type CampaignGenerator,
  type CampaignPlatform,
  type CampaignRequest,
  CONSENT_STATES,
  type ConsentState,
  createCustomerClient,
  createMemoryAdapter,
  isCustomerError,
} from '@donutauto/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { settle, virtualClock } from './campaign-test-kit';

const channelOf = (platform: CampaignPlatform) => (platform === 'email' ? 'email' : 'socialDm');

/** Customers with the given consent, and a generator that records whom it wrote for (by first name). */
async function setUp(people: readonly { email: ConsentState; socialDm: ConsentState }[]) {
  const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org-consent' });
  const added = await client.bulkAddCustomers(
    people.map((consent, i) => ({
      firstName: `P${i}`,
      lastName: 'Consent',
      email: `p${i}@example.com`,
      consent,
    })),
  );
  const reached: { name: string; platform: CampaignPlatform }[] = [];
  const generator: CampaignGenerator = async (input) => {
    reached.push({ name: input.customer.firstName, platform: input.campaign.platform });
    return input.campaign.platform === 'email' ? { text: 'Hi', subject: 'Hello' } : { text: 'Hi' };
  };
  const ids = added.addedIds;
  /** Generates campaigns of `ids` on a virtual clock. */
  const generate = (request: Omit<CampaignRequest, 'target' | 'title'>) => {
    const clock = virtualClock();
    return settle(
      clock,
      client.generateCampaigns(
        { target: { customerIds: ids }, title: 'T', ...request },
        { generator, timers: clock },
      ),
    );
  };
  return { client, ids, reached, generator, generate };
}

describe('generateCampaigns and consent', () => {
  it('never reaches a customer whose consent for the platform’s channel is not subscribed, without an override', async () => {
    const state = fc.constantFrom(...CONSENT_STATES);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ email: state, socialDm: state }), { minLength: 1, maxLength: 8 }),
        fc.uniqueArray(fc.constantFrom(...CAMPAIGN_PLATFORMS), { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(fc.constantFrom(...CAMPAIGN_PLATFORMS), { maxLength: 3 }),
        async (people, platforms, requiredFor) => {
          const { ids, reached, generate } = await setUp(people);
          const report = await generate({ contentTypes: ['fact'], platforms, consent: { requiredFor } });
          const needs = (p: CampaignPlatform) => p === 'email' || requiredFor.includes(p);
          const allowed = (i: number, p: CampaignPlatform) =>
            !needs(p) || people[i]![channelOf(p)] === 'subscribed';
          // The generator was called only for allowed pairs, once each.
          for (const { name, platform } of reached)
            expect(allowed(Number(name.slice(1)), platform)).toBe(true);
          const expected = people.flatMap((_, i) =>
            platforms.filter((p) => allowed(i, p)).map((p) => `P${i}:${p}`),
          );
          expect(reached.map((r) => `${r.name}:${r.platform}`).sort()).toEqual(expected.sort());
          // Every other pair ended skipped with no_consent, reported per customer.
          for (const result of report.results) {
            const i = ids.indexOf(result.customerId);
            if (allowed(i, result.platform)) expect(result.status).toBe('completed');
            else expect([result.status, result.error?.code]).toEqual(['skipped', 'no_consent']);
          }
          expect(report.counts.skipped).toBe(people.length * platforms.length - expected.length);
          expect(report.counts.completed).toBe(expected.length);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('an override with a stated reason reaches everyone, and the reason is kept on the run', async () => {
    const { client, reached, generate } = await setUp([
      { email: 'unsubscribed', socialDm: 'unknown' },
      { email: 'unknown', socialDm: 'unknown' },
    ]);
    const report = await generate({
      contentTypes: ['general'],
      platforms: ['email'],
      consent: { override: { reason: '  Allergen recall: service message  ' } },
    });
    expect(report.counts).toMatchObject({ completed: 2, skipped: 0 });
    expect(reached).toHaveLength(2);
    const run = await client.getCampaignRun(report.runId);
    expect(run.request.consent).toEqual({
      requiredFor: ['email'],
      override: { reason: 'Allergen recall: service message' },
    });
  });

  it('checks consent as it is when the campaign is generated: an unsubscribe before a retry is honoured', async () => {
    const { client, ids, generator } = await setUp([{ email: 'subscribed', socialDm: 'unknown' }]);
    const clock = virtualClock();
    let fail = true;
    const flaky: CampaignGenerator = async (input, options) => {
      if (fail) throw Object.assign(new Error('down'), { retryable: false });
      return generator(input, options);
    };
    const first = await settle(
      clock,
      client.generateCampaigns(
        { target: { customerIds: ids }, title: 'T', contentTypes: ['fact'], platforms: ['email'] },
        { generator: flaky, timers: clock, retries: 0 },
      ),
    );
    expect(first.counts.failed).toBe(1);
    await client.updateCustomerField({ id: ids[0]!, field: 'consent', value: { email: 'unsubscribed' } });
    fail = false;
    const retry = await settle(clock, client.retryFailed(first.runId, { generator: flaky, timers: clock }));
    expect(retry.results.map((r) => [r.status, r.error?.code])).toEqual([['skipped', 'no_consent']]);
  });

  it('refuses an override without a reason and an unknown platform, naming the path', async () => {
    const { client, ids, generator } = await setUp([{ email: 'subscribed', socialDm: 'unknown' }]);
    const base = {
      target: { customerIds: ids },
      title: 'T',
      contentTypes: ['fact'] as const,
      platforms: ['email'] as const,
    };
    for (const [consent, argument] of [
      [{ override: { reason: '  ' } }, 'request.consent.override.reason'],
      [{ override: {} }, 'request.consent.override.reason'],
      [{ requiredFor: ['fax'] }, 'request.consent.requiredFor[0]'],
      [{ overide: { reason: 'x' } }, 'request.consent.overide'],
    ] as const) {
      const error = await client
        .generateCampaigns({ ...base, consent: consent as never }, { generator })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(isCustomerError(error, 'invalid_argument') && error.argument).toBe(argument);
    }
  });
});
