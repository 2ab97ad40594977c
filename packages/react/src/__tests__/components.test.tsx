import { templateCampaignGenerator } from '@donutauto/core';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CsvBulkUploader,
  CsvTemplateDownloadButton,
  CustomerAddForm,
  CustomerEditForm,
  CustomerList,
} from '../index';
import { person, providerFor, recordingAdapter, twoClients } from './fixture';

/** The element holding a field's input, its label and its error (the `data-part="field"` wrapper). */
function fieldBox(label: RegExp): HTMLElement {
  const box = screen.getByLabelText(label).closest<HTMLElement>('[data-part="field"]');
  if (!box) throw new Error(`no field box for ${label}`);
  return box;
}

describe('CustomerList', () => {
  it('lists customers, loads more, selects, and updates live when another client adds one', async () => {
    const { client, other } = twoClients();
    await client.bulkAddCustomers(Array.from({ length: 3 }, (_, i) => person(i)));
    render(
      <CustomerList
        pageSize={2}
        renderSelectionActions={(ids) => <span data-testid="chosen">{ids.length}</span>}
      />,
      { wrapper: providerFor(client) },
    );
    expect(await screen.findByRole('rowheader', { name: 'First2 Last2' })).toBeTruthy();
    expect(screen.queryByRole('rowheader', { name: 'First0 Last0' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('rowheader', { name: 'First0 Last0' })).toBeTruthy();
    expect(screen.getByText('All 3 customers shown.')).toBeTruthy();

    fireEvent.click(screen.getByRole('checkbox', { name: 'Select First1 Last1' }));
    expect(screen.getByTestId('chosen').textContent).toBe('1');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all shown customers' }));
    expect(screen.getByTestId('chosen').textContent).toBe('3');

    await act(() => other.add(person(7)));
    expect(await screen.findByRole('rowheader', { name: 'First7 Last7' })).toBeTruthy();
    expect(screen.getAllByRole('row')).toHaveLength(5);
  });

  it('deletes only after confirmation', async () => {
    const { client } = twoClients();
    await client.add(person(1));
    render(<CustomerList />, { wrapper: providerFor(client) });
    fireEvent.click(await screen.findByRole('button', { name: 'Delete First1 Last1' }));
    const confirm = screen.getByRole('button', { name: 'Yes, delete' });
    expect(document.activeElement).toBe(confirm);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(await client.count()).toBe(1);
    fireEvent.click(screen.getByRole('button', { name: 'Delete First1 Last1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: 'First1 Last1' })).toBeNull());
    expect(await client.count()).toBe(0);
  });

  it('generates a campaign for the selected customers, with progress and a summary', async () => {
    const { client } = twoClients();
    await client.bulkAddCustomers(Array.from({ length: 3 }, (_, i) => person(i)));
    render(
      <CustomerList
        campaign={{
          request: {
            title: 'Glazed week',
            contentTypes: ['general'],
            platforms: ['email', 'instagram_post'],
          },
          options: { generator: templateCampaignGenerator({ brandName: 'Donut Corner' }) },
        }}
      />,
      { wrapper: providerFor(client) },
    );
    const button = await screen.findByRole('button', { name: 'Select customers to generate “Glazed week”' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select First0 Last0' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select First2 Last2' }));
    fireEvent.click(screen.getByRole('button', { name: 'Generate “Glazed week” for 2 customers' }));
    expect(await screen.findByText('Campaign generated: 4 completed, 0 failed, 0 cancelled.')).toBeTruthy();
    const campaigns = await client.listCampaigns({ numItems: 10 });
    expect(new Set(campaigns.page.map((c) => c.customerId)).size).toBe(2);
  });

  it('calls onEdit with the customer', async () => {
    const { client } = twoClients();
    const ana = await client.add(person(1));
    const onEdit = vi.fn();
    render(<CustomerList onEdit={onEdit} />, { wrapper: providerFor(client) });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit First1 Last1' }));
    expect(onEdit).toHaveBeenCalledWith(expect.objectContaining({ id: ana.id }));
  });
});

describe('CustomerAddForm', () => {
  it('shows each of core’s field errors beside its field, then adds', async () => {
    const { client } = twoClients();
    await client.add(person(1));
    const onAdded = vi.fn();
    render(<CustomerAddForm onAdded={onAdded} />, { wrapper: providerFor(client) });
    fireEvent.change(screen.getByLabelText(/^Email/), { target: { value: 'bad' } });
    fireEvent.change(screen.getByLabelText(/^Phone/), { target: { value: '12' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add customer' }));
    await screen.findAllByRole('alert');
    const first = fieldBox(/^First name/);
    expect(within(first).getByRole('alert').textContent).toBe('First name is required');
    expect(screen.getByLabelText(/^First name/).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText(/^First name/).getAttribute('aria-describedby')).toBe(
      within(first).getByRole('alert').id,
    );
    expect(within(fieldBox(/^Email/)).getByRole('alert').textContent).toMatch(/not a valid email/);
    expect(within(fieldBox(/^Phone/)).getByRole('alert').textContent).toMatch(/4–15 digits/);
    expect(within(fieldBox(/^Location/)).queryByRole('alert')).toBeNull();

    fireEvent.change(screen.getByLabelText(/^First name/), { target: { value: 'Bo' } });
    fireEvent.change(screen.getByLabelText(/^Last name/), { target: { value: 'Ng' } });
    fireEvent.change(screen.getByLabelText(/^Email/), { target: { value: 'C1@example.com' } });
    fireEvent.change(screen.getByLabelText(/^Phone/), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add customer' }));
    await waitFor(() =>
      expect(within(fieldBox(/^Email/)).getByRole('alert').textContent).toMatch(/already exists/),
    );
    expect(within(fieldBox(/^First name/)).queryByRole('alert')).toBeNull();

    fireEvent.change(screen.getByLabelText(/^Email/), { target: { value: 'bo@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add preference' }));
    fireEvent.change(screen.getByLabelText('Preference 1'), { target: { value: 'glazed' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add customer' }));
    expect(await screen.findByText('Added Bo Ng.')).toBeTruthy();
    expect(onAdded).toHaveBeenCalledWith(
      expect.objectContaining({ email: 'bo@example.com', preferences: ['glazed'] }),
    );
    expect((screen.getByLabelText(/^First name/) as HTMLInputElement).value).toBe('');
  });
});

describe('CustomerEditForm', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('saves typing in several fields in one write and shows Saving…, then Saved', async () => {
    vi.useFakeTimers();
    const { adapter, calls } = recordingAdapter();
    const { client } = twoClients(adapter);
    const ana = await client.add(person(1, { preferences: ['glazed'] }));
    render(<CustomerEditForm id={ana.id} />, { wrapper: providerFor(client) });
    await act(() => vi.advanceTimersByTimeAsync(0));
    const status = screen.getByText('', { selector: '[data-part="status"]' });
    expect((screen.getByLabelText(/^First name/) as HTMLInputElement).value).toBe('First1');
    for (const text of ['A', 'An', 'Ana'])
      fireEvent.change(screen.getByLabelText(/^First name/), { target: { value: text } });
    fireEvent.change(screen.getByLabelText(/^Location/), { target: { value: 'Harbour' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add preference' }));
    fireEvent.change(screen.getByLabelText('Preference 2'), { target: { value: 'vegan' } });
    expect(status.textContent).toBe('Saving…');
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(calls.updates).toEqual([
      { id: ana.id, patch: { firstName: 'Ana', location: 'Harbour', preferences: ['glazed', 'vegan'] } },
    ]);
    expect(status.textContent).toBe('Saving…');
    await act(() => vi.advanceTimersByTimeAsync(700));
    expect(status.textContent).toBe('Saved');
  });

  it('allows at most 3 preferences, with add and remove', async () => {
    const { client } = twoClients();
    const ana = await client.add(person(1, { preferences: ['a', 'b', 'c'] }));
    render(<CustomerEditForm id={ana.id} />, { wrapper: providerFor(client) });
    await waitFor(() => expect((screen.getByLabelText('Preference 3') as HTMLInputElement).value).toBe('c'));
    expect((screen.getByRole('button', { name: 'Add preference' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Remove preference 2' }));
    expect(screen.queryByLabelText('Preference 3')).toBeNull();
    expect((screen.getByLabelText('Preference 2') as HTMLInputElement).value).toBe('c');
    expect((screen.getByRole('button', { name: 'Add preference' }) as HTMLButtonElement).disabled).toBe(
      false,
    );
  });

  it('shows a version conflict with both values and lets the user take theirs', async () => {
    vi.useFakeTimers();
    const { client, other } = twoClients();
    const ana = await client.add(person(1));
    render(<CustomerEditForm id={ana.id} />, { wrapper: providerFor(client) });
    await act(() => vi.advanceTimersByTimeAsync(0));
    fireEvent.change(screen.getByLabelText(/^Notes/), { target: { value: 'mine' } });
    await other.update(ana.id, { notes: 'theirs' });
    await act(() => vi.advanceTimersByTimeAsync(500));
    const notice = screen.getAllByRole('alert').find((el) => el.dataset.part === 'conflict');
    expect(notice?.textContent).toContain('Notes: they saved “theirs”, you typed “mine”');
    fireEvent.click(screen.getByRole('button', { name: 'Use theirs for Notes' }));
    expect((screen.getByLabelText(/^Notes/) as HTMLTextAreaElement).value).toBe('theirs');
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect((await client.get(ana.id)).notes).toBe('theirs');
    expect(screen.queryAllByRole('alert').filter((el) => el.dataset.part === 'conflict')).toHaveLength(0);
  });

  it('shows a refused edit beside its field', async () => {
    const { client } = twoClients();
    const ana = await client.add(person(1));
    render(<CustomerEditForm id={ana.id} />, { wrapper: providerFor(client) });
    await waitFor(() =>
      expect((screen.getByLabelText(/^Email/) as HTMLInputElement).value).toBe('c1@example.com'),
    );
    fireEvent.change(screen.getByLabelText(/^Email/), { target: { value: 'c1@' } });
    expect(within(fieldBox(/^Email/)).getByRole('alert').textContent).toMatch(/not a valid email/);
    expect(within(fieldBox(/^Phone/)).queryByRole('alert')).toBeNull();
  });
});

describe('CsvBulkUploader', () => {
  it('previews the mapping and issues, imports on confirm, and reports', async () => {
    const { client } = twoClients();
    await client.add(person(0, { email: 'taken@example.com' }));
    const onImported = vi.fn();
    render(<CsvBulkUploader onImported={onImported} />, { wrapper: providerFor(client) });
    const csv = [
      'First Name,Last Name,Email',
      'Ana,Li,ana@example.com',
      'Bo,,bo@example.com',
      'Di,Ng,taken@example.com',
    ];
    const file = new File([csv.join('\n')], 'customers.csv', { type: 'text/csv' });
    fireEvent.change(screen.getByLabelText('Choose a CSV file, or drop it here'), {
      target: { files: [file] },
    });
    const preview = await screen.findByRole('region', { name: 'Import preview' });
    expect(within(preview).getByRole('combobox', { name: 'Import column First Name as' })).toHaveProperty(
      'value',
      'firstName',
    );
    expect(within(preview).getByText(/Error in Last Name: Last name is required/)).toBeTruthy();
    expect(await client.count()).toBe(1);
    fireEvent.click(within(preview).getByRole('button', { name: 'Import 1 customers' }));
    const report = await screen.findByRole('region', { name: 'Import report' });
    expect(within(report).getByText('Added').nextSibling?.textContent).toBe('1');
    expect(within(report).getByText('Skipped').nextSibling?.textContent).toBe('1');
    expect(within(report).getByText('Refused').nextSibling?.textContent).toBe('1');
    expect(onImported).toHaveBeenCalledTimes(1);
    expect(await client.count()).toBe(2);

    const saved: Blob[] = [];
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved.push(blob as Blob);
      return 'blob:rejected';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    fireEvent.click(within(report).getByRole('button', { name: 'Download the 1 refused rows to fix' }));
    expect(names).toEqual(['rejected-rows.csv']);
    const text = await saved[0]?.text();
    expect(text?.split(/\r?\n/)[0]).toBe('First Name,Last Name,Email,Import errors');
    expect(text).toMatch(/^Bo,,bo@example\.com,.*Last name is required/m);
    vi.restoreAllMocks();
  });
});

describe('CsvTemplateDownloadButton', () => {
  it('downloads the template', () => {
    const { client } = twoClients();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:x');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    render(<CsvTemplateDownloadButton className="primary" />, { wrapper: providerFor(client) });
    const button = screen.getByRole('button', { name: 'Download the CSV template' });
    expect(button.className).toBe('primary');
    fireEvent.click(button);
    expect(click).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();
  });
});
