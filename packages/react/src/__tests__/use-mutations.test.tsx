import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useAddCustomer, useCustomer, useDeleteCustomer } from '../index';
import { person, providerFor, twoClients } from './fixture';

describe('useAddCustomer', () => {
  it('adds a customer and reports pending, then success', async () => {
    const { client } = twoClients();
    const { result } = renderHook(() => useAddCustomer(), { wrapper: providerFor(client) });
    expect(result.current.status).toBe('idle');
    let added: Promise<unknown> = Promise.resolve();
    act(() => {
      added = result.current.addCustomer(person(1));
    });
    expect(result.current.isPending).toBe(true);
    await act(() => added);
    expect(result.current.status).toBe('success');
    expect(result.current.customer?.email).toBe('c1@example.com');
    expect(await client.count()).toBe(1);
  });

  it('gives the typed error and each field issue by path', async () => {
    const { client } = twoClients();
    const { result } = renderHook(() => useAddCustomer(), { wrapper: providerFor(client) });
    let added: unknown;
    await act(async () => {
      added = await result.current.addCustomer({
        firstName: '',
        lastName: 'Li',
        email: 'nope',
        preferences: ['a', 'b', 'c', 'd'],
        customFields: { tier: { nested: true } as unknown as string },
      });
    });
    expect(added).toBeUndefined();
    expect(result.current.status).toBe('error');
    expect(result.current.error).toMatchObject({ code: 'validation_failed' });
    expect(Object.keys(result.current.fieldErrors).sort()).toEqual([
      'customFields.tier',
      'email',
      'firstName',
      'preferences',
    ]);
    expect(result.current.fieldErrors.preferences).toMatch(/at most 3/);
  });

  it('puts a taken email under email', async () => {
    const { client } = twoClients();
    await client.add(person(1));
    const { result } = renderHook(() => useAddCustomer(), { wrapper: providerFor(client) });
    await act(() => result.current.addCustomer(person(2, { email: 'C1@example.com' })));
    expect(result.current.error).toMatchObject({ code: 'duplicate_email' });
    expect(result.current.fieldErrors.email).toMatch(/already exists/);
    act(() => result.current.reset());
    expect(result.current.status).toBe('idle');
  });
});

describe('useDeleteCustomer', () => {
  it('deletes, listing the ids in flight, and reports not_found', async () => {
    const { client } = twoClients();
    const ana = await client.add(person(1));
    const { result } = renderHook(() => useDeleteCustomer(), { wrapper: providerFor(client) });
    let done: Promise<boolean> = Promise.resolve(false);
    act(() => {
      done = result.current.deleteCustomer(ana.id);
    });
    expect(result.current.pendingIds).toEqual([ana.id]);
    expect(await act(() => done)).toBe(true);
    expect(result.current.pendingIds).toEqual([]);
    expect(await client.count()).toBe(0);
    await act(() => result.current.deleteCustomer(ana.id));
    expect(result.current.error).toMatchObject({ code: 'not_found' });
  });
});

describe('useCustomer', () => {
  it('reads a customer and follows changes made elsewhere, then its deletion', async () => {
    const { client, other } = twoClients();
    const ana = await client.add(person(1));
    const { result } = renderHook(() => useCustomer(ana.id), { wrapper: providerFor(client) });
    expect(result.current.status).toBe('loading');
    await waitFor(() => expect(result.current.customer?.firstName).toBe('First1'));
    await act(() => other.update(ana.id, { firstName: 'Anna' }));
    await waitFor(() => expect(result.current.customer?.firstName).toBe('Anna'));
    await act(() => other.delete(ana.id));
    await waitFor(() => expect(result.current.error).toMatchObject({ code: 'not_found' }));
    expect(result.current.status).toBe('error');
  });
});
