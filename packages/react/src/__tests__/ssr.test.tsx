// @vitest-environment node
import { createCustomerClient, createMemoryAdapter } from '@donutauto/core';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  CsvBulkUploader,
  CsvTemplateDownloadButton,
  CustomerAddForm,
  CustomerEditForm,
  CustomerList,
  CustomersProvider,
} from '../index';

describe('server rendering', () => {
  it('renders every component to a string without a DOM, showing loading states and reading nothing', async () => {
    const adapter = createMemoryAdapter();
    let reads = 0;
    const counting = {
      ...adapter,
      list: (...args: Parameters<typeof adapter.list>) => {
        reads++;
        return adapter.list(...args);
      },
    };
    const client = createCustomerClient({ adapter: counting, organizationId: 'org' });
    const ana = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    expect(typeof window).toBe('undefined');
    const html = renderToString(
      <CustomersProvider client={client}>
        <CustomerList />
        <CustomerAddForm />
        <CustomerEditForm id={ana.id} />
        <CsvBulkUploader />
        <CsvTemplateDownloadButton />
      </CustomersProvider>,
    );
    expect(html).toContain('Loading customers…');
    expect(html).toContain('Loading…');
    expect(html).toContain('Add customer');
    expect(html).toContain('Download the CSV template');
    expect(reads).toBe(0);
  });

  it('builds a client from an adapter and an organization id', () => {
    const html = renderToString(
      <CustomersProvider adapter={createMemoryAdapter()} organizationId="org">
        <CustomerList caption="Regulars" />
      </CustomersProvider>,
    );
    expect(html).toContain('Regulars');
  });
});
