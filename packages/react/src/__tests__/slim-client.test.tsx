import { templateCampaignGenerator } from '@donutauto/core';
import { createMemoryAdapter, createSlimClient } from '@donutauto/core/slim';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { CustomersProvider, useCampaignGeneration, useCsvImport, useCustomerClient } from '../index';
import { person } from './fixture';

const CSV = 'First Name,Last Name,Email\nAna,Li,ana@example.com\nBo,,bo@example.com\n';

describe('the hooks on a slim client', () => {
  it('import a CSV and generate campaigns through the functions taking the client', async () => {
    const client = createSlimClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const wrapper = ({ children }: { children?: ReactNode }) => (
      <CustomersProvider client={client}>{children}</CustomersProvider>
    );
    const imports = renderHook(() => useCsvImport(), { wrapper });
    act(() => imports.result.current.select(CSV));
    await waitFor(() => expect(imports.result.current.phase).toBe('ready'));
    act(() => imports.result.current.confirm());
    await waitFor(() => expect(imports.result.current.phase).toBe('done'));
    expect([imports.result.current.report?.addedCount, imports.result.current.report?.errorCount]).toEqual([
      1, 1,
    ]);

    const ids = [(await client.add(person(1))).id];
    const campaigns = renderHook(() => useCampaignGeneration({ generator: templateCampaignGenerator() }), {
      wrapper,
    });
    act(() =>
      campaigns.result.current.generate({
        title: 'Glazed week',
        contentTypes: ['general'],
        platforms: ['email'],
        target: { customerIds: ids },
      }),
    );
    await waitFor(() => expect(campaigns.result.current.phase).toBe('done'));
    expect(campaigns.result.current.report?.counts).toMatchObject({ total: 1, completed: 1 });
  });

  it('the provider makes a slim client from an adapter and an organization', async () => {
    const adapter = createMemoryAdapter();
    const { result } = renderHook(() => useCustomerClient(), {
      wrapper: ({ children }) => (
        <CustomersProvider adapter={adapter} organizationId="org">
          {children}
        </CustomersProvider>
      ),
    });
    expect(result.current.organizationId).toBe('org');
    expect('importCsv' in result.current).toBe(false);
    await result.current.add(person(2));
    expect(await result.current.count()).toBe(1);
  });
});
