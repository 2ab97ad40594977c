import { createCustomerClient } from '@donutauto/core';
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useCustomerEditor } from '../index';
import { person, providerFor, recordingAdapter, twoClients } from './fixture';

async function setup() {
  const { adapter, calls } = recordingAdapter();
  const { client, other } = twoClients(adapter);
  const ana = await client.add(person(1, { notes: 'first note' }));
  const hook = renderHook(() => useCustomerEditor(ana.id), { wrapper: providerFor(client) });
  await act(() => vi.advanceTimersByTimeAsync(0));
  return { ...hook, client, other, calls, id: ana.id };
}

describe('useCustomerEditor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads the customer, then shows it as form values', async () => {
    const { result } = await setup();
    expect(result.current.status).toBe('idle');
    expect(result.current.values.firstName).toBe('First1');
    expect(result.current.values.phone).toBe('');
    expect(result.current.values.preferences).toEqual([]);
  });

  it('saves typing across several fields in one write', async () => {
    const { result, calls, client, id } = await setup();
    act(() => {
      for (const text of ['A', 'An', 'Ann', 'Anna']) result.current.setField('firstName', text);
      result.current.setField('email', 'anna@example.com');
      result.current.setField('phone', '+1 555 0100');
      result.current.setField('preferences', ['glazed', 'vegan']);
    });
    expect(result.current.values.firstName).toBe('Anna');
    expect(result.current.status).toBe('pending');
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(calls.updates).toHaveLength(1);
    expect(calls.updates[0]?.patch).toEqual({
      firstName: 'Anna',
      email: 'anna@example.com',
      phone: '+15550100',
      preferences: ['glazed', 'vegan'],
    });
    const stored = await client.get(id);
    expect(stored).toMatchObject({ firstName: 'Anna', email: 'anna@example.com', version: 2 });
  });

  it('saves consent like any field: the channels set, in one write, then shows the stored consent', async () => {
    const { result, calls, client, id } = await setup();
    expect(result.current.values.consent).toMatchObject({
      email: { state: 'subscribed' },
      sms: { state: 'unknown' },
    });
    act(() => {
      result.current.setField('consent', { email: { state: 'unsubscribed', source: 'form' } });
      result.current.setField('consent', { sms: 'unsubscribed' });
    });
    expect(result.current.status).toBe('pending');
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(calls.updates).toHaveLength(1);
    const stored = await client.get(id);
    expect([stored.consent.email.state, stored.consent.email.source, stored.consent.sms.state]).toEqual([
      'unsubscribed',
      'form',
      'unsubscribed',
    ]);
    expect(result.current.values.consent).toEqual(stored.consent);
    expect((await client.getConsentHistory(id)).map((e) => [e.version, e.channel])).toEqual([
      [1, 'email'],
      [2, 'email'],
      [2, 'sms'],
    ]);
  });

  it('keeps what was typed in the input while the stored value is normalized', async () => {
    const { result } = await setup();
    act(() => {
      result.current.setField('firstName', 'Anna ');
    });
    await act(() => vi.advanceTimersByTimeAsync(2_000));
    expect(result.current.customer?.firstName).toBe('Anna');
    // A trailing space the user is about to type after must not vanish from the input.
    expect(result.current.values.firstName).toBe('Anna ');
  });

  it('saves pending edits when the component unmounts', async () => {
    const { result, unmount, client, id } = await setup();
    act(() => {
      result.current.setField('lastName', 'Lee');
      result.current.setField('notes', 'oat milk');
    });
    unmount();
    await vi.advanceTimersByTimeAsync(0);
    expect(await client.get(id)).toMatchObject({ lastName: 'Lee', notes: 'oat milk' });
  });

  it('saves pending edits on pagehide and when the page is hidden, without waiting for the pause', async () => {
    const { result, client, id } = await setup();
    act(() => {
      result.current.setField('notes', 'leaving');
    });
    await act(async () => {
      window.dispatchEvent(new Event('pagehide'));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect((await client.get(id)).notes).toBe('leaving');

    act(() => {
      result.current.setField('notes', 'hidden');
    });
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    await act(async () => {
      document.dispatchEvent(new Event('visibilitychange'));
      await vi.advanceTimersByTimeAsync(0);
    });
    visibility.mockRestore();
    expect((await client.get(id)).notes).toBe('hidden');
  });

  it('keeps edits whose save could not finish before the page went away, and saves them when the editor opens again', async () => {
    const { adapter } = recordingAdapter();
    const { client } = twoClients(adapter);
    const ana = await client.add(person(1));
    // The page that goes away: its writes never complete (an unloading page's transaction dies).
    const dying = createCustomerClient({
      adapter: { ...adapter, update: () => new Promise<never>(() => {}) },
      organizationId: 'org',
    });
    const first = renderHook(() => useCustomerEditor(ana.id), { wrapper: providerFor(dying) });
    await act(() => vi.advanceTimersByTimeAsync(0));
    act(() => {
      first.result.current.setField('location', 'Harbour');
      first.result.current.setField('notes', 'Oat milk');
    });
    act(() => {
      window.dispatchEvent(new Event('pagehide'));
    });
    first.unmount();
    expect(await client.get(ana.id)).toMatchObject({ location: null, notes: null });
    expect(sessionStorage.getItem(`donutauto:pending:org:${ana.id}`)).not.toBeNull();

    const again = renderHook(() => useCustomerEditor(ana.id), { wrapper: providerFor(client) });
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(again.result.current.values).toMatchObject({ location: 'Harbour', notes: 'Oat milk' });
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(await client.get(ana.id)).toMatchObject({ location: 'Harbour', notes: 'Oat milk' });
    expect(sessionStorage.getItem(`donutauto:pending:org:${ana.id}`)).toBeNull();
  });

  it('shows "saving" for at least minSavingMs, then "saved"', async () => {
    const { result } = await setup();
    act(() => {
      result.current.setField('notes', 'x');
    });
    const seen: string[] = [];
    await act(async () => {
      await vi.advanceTimersByTimeAsync(500); // the debounce fires; the memory save is instant
    });
    seen.push(result.current.status);
    await act(() => vi.advanceTimersByTimeAsync(500));
    seen.push(result.current.status);
    await act(() => vi.advanceTimersByTimeAsync(200));
    seen.push(result.current.status);
    expect(seen).toEqual(['saving', 'saving', 'saved']);
  });

  it('shows a change made elsewhere to a field not edited here', async () => {
    const { result, other, id } = await setup();
    await act(async () => {
      await other.update(id, { location: 'Harbour' });
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(result.current.values.location).toBe('Harbour');
    expect(result.current.conflict).toBeNull();
  });

  it('reports a conflict when someone else changes a field with unsaved edits here, and lets the user take theirs', async () => {
    const { result, other, client, id } = await setup();
    act(() => {
      result.current.setField('notes', 'mine');
    });
    await act(async () => {
      await other.update(id, { notes: 'theirs', location: 'Harbour' });
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(result.current.conflict?.fields).toEqual([{ field: 'notes', mine: 'mine', theirs: 'theirs' }]);
    expect(result.current.values.notes).toBe('mine');
    expect(result.current.values.location).toBe('Harbour');

    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(await client.get(id)).toMatchObject({ notes: 'mine', location: 'Harbour' });
    expect(result.current.conflict).not.toBeNull();

    await act(async () => {
      result.current.resolveConflict('theirs');
      await vi.advanceTimersByTimeAsync(500);
    });
    expect(result.current.conflict).toBeNull();
    expect(result.current.values.notes).toBe('theirs');
    expect((await client.get(id)).notes).toBe('theirs');
  });

  it('reports a conflict found by a save that expected an older version', async () => {
    const { result, other, client, id } = await setup();
    // Someone else writes without this editor hearing it first (no change event delivered yet).
    act(() => {
      result.current.setField('notes', 'mine');
    });
    await other.update(id, { notes: 'theirs' });
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(result.current.conflict?.fields.map((c) => [c.field, c.theirs])).toEqual([['notes', 'theirs']]);
    expect((await client.get(id)).notes).toBe('mine');
    act(() => result.current.resolveConflict('mine'));
    expect(result.current.conflict).toBeNull();
  });

  it('shows the newest value typed in a conflicting field, and drops the conflict once it matches theirs (found by the property test)', async () => {
    const { result, other, id } = await setup();
    act(() => {
      result.current.setField('location', 'a');
    });
    await act(async () => {
      await other.update(id, { location: 'b' });
      await vi.advanceTimersByTimeAsync(0);
    });
    act(() => {
      result.current.setField('location', 'c');
    });
    expect(result.current.conflict?.fields).toEqual([{ field: 'location', mine: 'c', theirs: 'b' }]);
    act(() => {
      result.current.setField('location', 'b');
    });
    expect(result.current.conflict).toBeNull();
  });

  it('reports a remote write of a value typed here earlier as a conflict when it is not this editor’s save (found by the property test)', async () => {
    const { result, other, client, id } = await setup();
    act(() => {
      result.current.setField('notes', 'older');
      result.current.setField('notes', 'newest');
    });
    await act(async () => {
      await other.update(id, { notes: 'older' });
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(result.current.conflict?.fields).toEqual([{ field: 'notes', mine: 'newest', theirs: 'older' }]);
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect((await client.get(id)).notes).toBe('newest');
  });

  it('returns a refused edit and shows its message beside the field; nothing is saved', async () => {
    const { result, calls } = await setup();
    let error: unknown;
    act(() => {
      error = result.current.setField('email', 'not-an-email');
    });
    expect(error).toMatchObject({ code: 'validation_failed' });
    expect(result.current.fieldErrors.email).toMatch(/email/i);
    expect(result.current.values.email).toBe('not-an-email');
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    expect(calls.updates).toHaveLength(0);
    act(() => {
      result.current.setField('email', 'ok@example.com');
    });
    expect(result.current.fieldErrors.email).toBeUndefined();
  });

  it('reports not_found when the customer is deleted elsewhere', async () => {
    const { result, other, id } = await setup();
    await act(async () => {
      await other.delete(id);
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(result.current.status).toBe('error');
    expect(result.current.error).toMatchObject({ code: 'not_found' });
  });

  it('flush() saves at once', async () => {
    const { result, client, id } = await setup();
    act(() => {
      result.current.setField('gender', 'female');
    });
    await act(() => result.current.flush());
    expect((await client.get(id)).gender).toBe('female');
  });
});
