import { CampaignGenerationError, type CampaignGenerator, templateCampaignGenerator } from '@donutauto/core';
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useCampaignGeneration } from '../index';
import { person, providerFor, twoClients } from './fixture';

async function customers(count: number) {
  const { client } = twoClients();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await client.add(person(i, { preferences: ['glazed'] }))).id);
  return { client, ids };
}

const brief = { title: 'Glazed week', contentTypes: ['general' as const], platforms: ['email' as const] };

describe('useCampaignGeneration', () => {
  it('generates for a selection with progress, then reports each campaign', async () => {
    const { client, ids } = await customers(3);
    const { result } = renderHook(
      () => useCampaignGeneration({ generator: templateCampaignGenerator({ brandName: 'Donut Corner' }) }),
      { wrapper: providerFor(client) },
    );
    expect(result.current.phase).toBe('idle');
    act(() => result.current.generate({ ...brief, target: { customerIds: ids } }));
    expect(result.current.phase).toBe('running');
    await waitFor(() => expect(result.current.phase).toBe('done'));
    expect(result.current.progress).toMatchObject({ total: 3, completed: 3, failed: 0 });
    expect(result.current.fraction).toBe(1);
    expect(result.current.results.map((r) => r.customerId).sort()).toEqual([...ids].sort());
    expect(result.current.results.every((r) => r.status === 'completed' && r.content)).toBe(true);
    expect(result.current.report?.counts).toMatchObject({ total: 3, completed: 3 });
  });

  it('generates for one customer, and for a filter', async () => {
    const { client, ids } = await customers(2);
    const { result } = renderHook(() => useCampaignGeneration({ generator: templateCampaignGenerator() }), {
      wrapper: providerFor(client),
    });
    act(() => result.current.generate({ ...brief, target: { customerIds: [ids[0] as string] } }));
    await waitFor(() => expect(result.current.phase).toBe('done'));
    expect(result.current.report?.counts.total).toBe(1);
    act(() =>
      result.current.generate({ ...brief, target: { filter: { preferences: { all: ['glazed'] } } } }),
    );
    await waitFor(() => expect(result.current.phase).toBe('done'));
    expect(result.current.report?.counts.total).toBe(2);
  });

  it('cancels a run: running generator calls are aborted and unfinished campaigns cancelled', async () => {
    const { client, ids } = await customers(3);
    const started: string[] = [];
    const waitForAbort: CampaignGenerator = (_input, { signal, campaignId }) => {
      started.push(campaignId);
      return new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    };
    const { result } = renderHook(() => useCampaignGeneration({ generator: waitForAbort, concurrency: 1 }), {
      wrapper: providerFor(client),
    });
    act(() => result.current.generate({ ...brief, target: { customerIds: ids } }));
    await waitFor(() => expect(started).toHaveLength(1));
    act(() => result.current.cancel());
    await waitFor(() => expect(result.current.phase).toBe('cancelled'));
    expect(result.current.report?.aborted).toBe(true);
    expect(result.current.report?.counts).toMatchObject({ total: 3, completed: 0, cancelled: 3 });
  });

  it('retries the failed campaigns of the run', async () => {
    const { client, ids } = await customers(2);
    let broken = true;
    const template = templateCampaignGenerator();
    const flaky: CampaignGenerator = (input, context) => {
      if (broken) throw new CampaignGenerationError('failed', 'the service said no', { retryable: false });
      return template(input, context);
    };
    const { result } = renderHook(() => useCampaignGeneration({ generator: flaky }), {
      wrapper: providerFor(client),
    });
    act(() => result.current.generate({ ...brief, target: { customerIds: ids } }));
    await waitFor(() => expect(result.current.phase).toBe('done'));
    expect(result.current.report?.counts).toMatchObject({ failed: 2, completed: 0 });
    expect(result.current.results[0]?.error?.code).toBe('generation_failed');
    broken = false;
    act(() => result.current.retryFailed());
    await waitFor(() => expect(result.current.phase).toBe('done'));
    expect(result.current.report?.counts).toMatchObject({ failed: 0, completed: 2 });
  });

  it('reports a refused request as failed, with the typed error', async () => {
    const { client } = await customers(1);
    const { result } = renderHook(() => useCampaignGeneration({ generator: templateCampaignGenerator() }), {
      wrapper: providerFor(client),
    });
    act(() => result.current.generate({ ...brief, title: '', target: { customerIds: ['x'] } }));
    await waitFor(() => expect(result.current.phase).toBe('failed'));
    expect(result.current.error).toMatchObject({ code: 'invalid_argument' });
  });
});
