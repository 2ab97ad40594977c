import { act, fireEvent, render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CustomerEditForm } from '../index';
import { person, providerFor, recordingAdapter, twoClients } from './fixture';

describe('StrictMode', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('edits and saves once when effects and subscriptions run twice, and flushes on unmount', async () => {
    vi.useFakeTimers();
    const { adapter, calls } = recordingAdapter();
    const { client } = twoClients(adapter);
    const ana = await client.add(person(1));
    const Wrapper = providerFor(client);
    const view = render(
      <StrictMode>
        <Wrapper>
          <CustomerEditForm id={ana.id} />
        </Wrapper>
      </StrictMode>,
    );
    await act(() => vi.advanceTimersByTimeAsync(0));
    const input = screen.getByLabelText(/^Location/);
    await act(async () => {
      input.focus();
      fireEvent.change(input, { target: { value: 'Pier' } });
    });
    await act(() => vi.advanceTimersByTimeAsync(600));
    expect(calls.updates).toHaveLength(1);
    fireEvent.change(input, { target: { value: 'Pier 9' } });
    view.unmount();
    await vi.advanceTimersByTimeAsync(0);
    expect((await client.get(ana.id)).location).toBe('Pier 9');
    expect(calls.updates).toHaveLength(2);
  });
});
