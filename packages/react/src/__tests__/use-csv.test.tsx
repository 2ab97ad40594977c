import { csvTemplate } from '@donutauto/core';
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useCsvImport, useCsvTemplate } from '../index';
import { person, providerFor, twoClients } from './fixture';

const CSV = [
  'First Name,Surname,E-mail,Phone Number,Loyalty',
  'Ana,Li,ana@example.com,555 0100 199,gold',
  'Bo,,bo@example.com,,',
  'Cy,Zed,ana@example.com,,',
  'Di,Ng,taken@example.com,,',
].join('\n');

describe('useCsvImport', () => {
  it('previews without writing, then imports on confirm and reports every row', async () => {
    const { client } = twoClients();
    await client.add(person(0, { email: 'taken@example.com' }));
    const { result } = renderHook(() => useCsvImport(), { wrapper: providerFor(client) });
    act(() => result.current.select(new Blob([CSV], { type: 'text/csv' })));
    expect(result.current.phase).toBe('previewing');
    await waitFor(() => expect(result.current.phase).toBe('ready'));
    const preview = result.current.preview;
    expect(preview?.dryRun).toBe(true);
    expect(preview?.mapping.columns.map((c) => [c.column, c.target])).toEqual([
      ['First Name', 'firstName'],
      ['Surname', 'lastName'],
      ['E-mail', 'email'],
      ['Phone Number', 'phone'],
      ['Loyalty', null],
    ]);
    expect(preview?.mapping.columns[0]?.confidence).toBeGreaterThan(0);
    expect([preview?.addedCount, preview?.skippedCount, preview?.errorCount]).toEqual([1, 2, 1]);
    expect(result.current.issuesByRow.map((r) => r.row)).toEqual([1, 3, 4, 5]);
    expect(await client.count()).toBe(1);

    act(() => result.current.confirm());
    expect(result.current.phase).toBe('importing');
    await waitFor(() => expect(result.current.phase).toBe('done'));
    expect(result.current.report?.addedCount).toBe(1);
    expect(result.current.progress?.rowsRead).toBe(4);
    expect(result.current.fraction).toBe(1);
    expect(await client.count()).toBe(2);
  });

  it('collects the refused rows of the import (not of the preview) as a CSV to fix', async () => {
    const { client } = twoClients();
    const { result } = renderHook(() => useCsvImport(), { wrapper: providerFor(client) });
    act(() => result.current.select(CSV));
    await waitFor(() => expect(result.current.phase).toBe('ready'));
    expect(result.current.rejectedCsv).toBeUndefined();
    act(() => result.current.confirm());
    await waitFor(() => expect(result.current.phase).toBe('done'));
    const lines = (await result.current.rejectedCsv?.text())?.trim().split(/\r?\n/);
    expect(lines?.[0]).toBe('First Name,Surname,E-mail,Phone Number,Loyalty,Import errors');
    expect(lines?.slice(1).map((line) => line.split(',')[0])).toEqual(['Bo']);
    expect(lines?.[1]).toMatch(/Last name is required/);
    act(() => result.current.reset());
    expect(result.current.rejectedCsv).toBeUndefined();
  });

  it('has no rejected CSV when every row goes in', async () => {
    const { client } = twoClients();
    const { result } = renderHook(() => useCsvImport(), { wrapper: providerFor(client) });
    act(() => result.current.select('firstName,lastName,email\nAna,Li,ana@example.com'));
    await waitFor(() => expect(result.current.phase).toBe('ready'));
    act(() => result.current.confirm());
    await waitFor(() => expect(result.current.phase).toBe('done'));
    expect(result.current.report?.addedCount).toBe(1);
    expect(result.current.rejectedCsv).toBeUndefined();
  });

  it('maps a column by hand and previews again', async () => {
    const { client } = twoClients();
    const { result } = renderHook(() => useCsvImport({ unmappedColumns: 'report' }), {
      wrapper: providerFor(client),
    });
    act(() => result.current.select(CSV));
    await waitFor(() => expect(result.current.phase).toBe('ready'));
    act(() => result.current.mapColumn('Loyalty', 'customFields.loyalty'));
    await waitFor(() => expect(result.current.phase).toBe('ready'));
    expect(result.current.settings.mapping).toEqual({ Loyalty: 'customFields.loyalty' });
    expect(result.current.preview?.mapping.columns[4]?.target).toBe('customFields.loyalty');
  });

  it('aborts an import between batches; the report covers what was written', async () => {
    const { client } = twoClients();
    const rows = Array.from({ length: 50 }, (_, i) => `N${i},L${i},n${i}@example.com`);
    const text = ['firstName,lastName,email', ...rows].join('\n');
    const { result } = renderHook(() => useCsvImport({ batchSize: 10 }), { wrapper: providerFor(client) });
    act(() => result.current.select(text));
    await waitFor(() => expect(result.current.phase).toBe('ready'));
    act(() => {
      result.current.confirm();
      result.current.abort();
    });
    await waitFor(() => expect(result.current.phase).toBe('aborted'));
    expect(result.current.report?.aborted).toBe(true);
    expect(await client.count()).toBe(result.current.report?.addedCount);
    expect(result.current.report?.addedCount).toBeLessThan(50);
  });
});

describe('useCsvTemplate', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gives the template text and downloads it as a file', async () => {
    const { client } = twoClients();
    const clicks: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push({ href: this.href, download: this.download });
    });
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:template';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const { result } = renderHook(() => useCsvTemplate(), { wrapper: providerFor(client) });
    expect(result.current.text).toBe(csvTemplate());
    act(() => result.current.download());
    expect(clicks).toEqual([{ href: 'blob:template', download: 'customers-template.csv' }]);
    expect(await blobs[0]?.text()).toBe(csvTemplate());
  });
});
