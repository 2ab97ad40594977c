import type { CustomerClient } from '@donutauto/core';
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { type UseCustomerListOptions, useCustomerList } from '../index';
import { type AdapterCalls, person, providerFor, recordingAdapter, twoClients } from './fixture';

async function seeded(count: number) {
  const { adapter, calls } = recordingAdapter();
  const { client, other } = twoClients(adapter);
  await client.bulkAddCustomers(Array.from({ length: count }, (_, i) => person(i)));
  return { client, other, calls };
}

function mount(client: CustomerClient, options: UseCustomerListOptions) {
  return renderHook((props: UseCustomerListOptions) => useCustomerList(props), {
    wrapper: providerFor(client),
    initialProps: options,
  });
}

/** Loads pages until `pages` are loaded. */
async function loadPages(
  result: { current: ReturnType<typeof useCustomerList> },
  pages: number,
  size: number,
) {
  await waitFor(() => expect(result.current.results).toHaveLength(size));
  for (let p = 2; p <= pages; p++) {
    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.results).toHaveLength(size * p));
  }
}

const cursorsOf = (calls: AdapterCalls, from: number) => calls.lists.slice(from).map((q) => q.cursor);

describe('useCustomerList', () => {
  it('loads the first page, then more, until exhausted, in the usePaginatedQuery shape', async () => {
    const { client } = await seeded(5);
    const { result } = mount(client, { pageSize: 2 });
    expect(result.current.status).toBe('LoadingFirstPage');
    await waitFor(() => expect(result.current.status).toBe('CanLoadMore'));
    expect(result.current.results.map((c) => c.firstName)).toEqual(['First4', 'First3']);
    act(() => result.current.loadMore());
    expect(result.current.status).toBe('LoadingMore');
    await waitFor(() => expect(result.current.results).toHaveLength(4));
    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.status).toBe('Exhausted'));
    expect(result.current.results.map((c) => c.firstName)).toEqual([
      'First4',
      'First3',
      'First2',
      'First1',
      'First0',
    ]);
    expect(result.current.error).toBeUndefined();
  });

  it('shows a customer another client adds, refetching only the first page (newest first)', async () => {
    const { client, other, calls } = await seeded(7);
    const { result } = mount(client, { pageSize: 2 });
    await loadPages(result, 3, 2);
    const before = calls.lists.length;
    await act(() => other.add(person(99)));
    await waitFor(() => expect(result.current.results[0]?.firstName).toBe('First99'));
    expect(result.current.results).toHaveLength(7);
    expect(cursorsOf(calls, before).filter((c) => c === null)).toHaveLength(1);
    // One read of the first page's range (one row past it shows where it ends); no other page.
    expect(calls.lists.length - before).toBe(1);
    expect(result.current.status).toBe('CanLoadMore');
  });

  it('refetches only the page holding a customer changed elsewhere', async () => {
    const { client, other, calls } = await seeded(6);
    const { result } = mount(client, { pageSize: 2 });
    await loadPages(result, 3, 2);
    const target = result.current.results[3];
    if (!target) throw new Error('no row');
    const pageStart = calls.lists[1]?.cursor; // page 2 starts where page 1's request left off
    const before = calls.lists.length;
    await act(() => other.update(target.id, { notes: 'changed' }));
    await waitFor(() => expect(result.current.results[3]?.notes).toBe('changed'));
    const reads = calls.lists.slice(before);
    expect(reads.map((q) => [q.cursor, q.numItems])).toEqual([[pageStart, 3]]);
  });

  it('drops a customer deleted elsewhere without reading anything', async () => {
    const { client, other, calls } = await seeded(4);
    const { result } = mount(client, { pageSize: 2 });
    await loadPages(result, 2, 2);
    const gone = result.current.results[2];
    if (!gone) throw new Error('no row');
    const before = calls.lists.length;
    await act(() => other.delete(gone.id));
    await waitFor(() => expect(result.current.results).toHaveLength(3));
    expect(result.current.results.some((c) => c.id === gone.id)).toBe(false);
    expect(calls.lists.length).toBe(before);
  });

  it('puts a customer added elsewhere at the end of an exhausted oldest-first list', async () => {
    const { client, other } = await seeded(3);
    const { result } = mount(client, { pageSize: 2, sort: 'oldest' });
    await waitFor(() => expect(result.current.status).toBe('CanLoadMore'));
    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.status).toBe('Exhausted'));
    await act(() => other.add(person(50)));
    await waitFor(() => expect(result.current.results.at(-1)?.firstName).toBe('First50'));
    expect(result.current.results.map((c) => c.firstName)).toEqual(['First0', 'First1', 'First2', 'First50']);
  });

  it('shows every customer added elsewhere to an exhausted list, beyond its page size (found by the property test)', async () => {
    const { client, other } = await seeded(0);
    const { result } = mount(client, { pageSize: 1 });
    await waitFor(() => expect(result.current.status).toBe('Exhausted'));
    await act(async () => {
      await other.add(person(1));
      await other.add(person(2));
    });
    await waitFor(() => expect(result.current.results.map((c) => c.firstName)).toEqual(['First2', 'First1']));
    expect(result.current.status).toBe('Exhausted');
  });

  it('keeps a filtered list right when a customer changes into or out of it', async () => {
    const { client, other } = await seeded(4);
    const { result } = mount(client, { pageSize: 10, filter: { tags: { all: ['vip'] } } });
    await waitFor(() => expect(result.current.status).toBe('Exhausted'));
    expect(result.current.results).toHaveLength(0);
    const all = await client.list({ numItems: 10 });
    const [first, second] = all.page;
    if (!first || !second) throw new Error('no rows');
    await act(() => other.update(second.id, { tags: ['vip'] }));
    await waitFor(() => expect(result.current.results.map((c) => c.id)).toEqual([second.id]));
    await act(() => other.update(first.id, { tags: ['vip'] }));
    await waitFor(() => expect(result.current.results.map((c) => c.id)).toEqual([first.id, second.id]));
    await act(() => other.update(first.id, { tags: [] }));
    await waitFor(() => expect(result.current.results.map((c) => c.id)).toEqual([second.id]));
  });

  it('starts over when the filter changes, and compares filters by value', async () => {
    const { client, calls } = await seeded(3);
    const { result, rerender } = mount(client, { pageSize: 10, filter: { text: 'First1' } });
    await waitFor(() => expect(result.current.results.map((c) => c.firstName)).toEqual(['First1']));
    const before = calls.lists.length;
    rerender({ pageSize: 10, filter: { text: 'First1' } });
    expect(calls.lists.length).toBe(before);
    rerender({ pageSize: 10, filter: { text: 'First2' } });
    await waitFor(() => expect(result.current.results.map((c) => c.firstName)).toEqual(['First2']));
  });

  it('reports a refused query as error', async () => {
    const { client } = await seeded(1);
    const { result } = mount(client, { pageSize: 5000 });
    await waitFor(() => expect(result.current.error).toMatchObject({ code: 'invalid_argument' }));
    expect(result.current.status).toBe('LoadingFirstPage');
  });
});
