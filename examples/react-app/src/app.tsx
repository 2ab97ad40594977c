import { type CustomerSort, templateCampaignGenerator } from '@donutauto/core';
import {
  CsvBulkUploader,
  CsvTemplateDownloadButton,
  CustomerAddForm,
  CustomerEditForm,
  CustomerList,
  type CustomerListCampaign,
} from '@donutauto/react';
import { type ReactNode, useEffect, useState } from 'react';
import { hrefOf, navigate, type Route, useRoute } from './routes';

const TITLES: Record<Route['page'], string> = {
  list: 'Customers',
  add: 'Add a customer',
  edit: 'Edit customer',
  import: 'Import customers from CSV',
  template: 'CSV template',
};

const NAV: readonly Route[] = [{ page: 'list' }, { page: 'add' }, { page: 'import' }, { page: 'template' }];

/** The app: a header with navigation, and the page the URL hash names. */
export function App(): ReactNode {
  const route = useRoute();
  const title = TITLES[route.page];
  useEffect(() => {
    document.title = `${title} · DonutAuto`;
  }, [title]);
  return (
    <>
      <header>
        <p className="brand">DonutAuto Customers</p>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.page}>
                <a href={hrefOf(item)} aria-current={item.page === route.page ? 'page' : undefined}>
                  {TITLES[item.page]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main>
        <h1>{title}</h1>
        <Page route={route} />
      </main>
    </>
  );
}

function Page({ route }: { readonly route: Route }): ReactNode {
  switch (route.page) {
    case 'list':
      return <ListPage />;
    case 'add':
      return <AddPage />;
    case 'edit':
      return (
        <CustomerEditForm key={route.id} id={route.id} className="form">
          {({ flush }) => (
            <button type="button" onClick={() => flush().then(() => navigate({ page: 'list' }))}>
              Done
            </button>
          )}
        </CustomerEditForm>
      );
    case 'import':
      return <CsvBulkUploader className="uploader" settings={{ onDuplicate: 'skip' }} />;
    case 'template':
      return (
        <section className="template">
          <p>
            The template has one column per customer field, in the order the importer expects, and two example
            rows. First name, last name and email are required; at most three preferences, separated by
            commas.
          </p>
          <CsvTemplateDownloadButton className="primary" />
        </section>
      );
  }
}

/** The campaign the list offers for selected customers: written offline by core's template generator. */
const CAMPAIGN: CustomerListCampaign = {
  request: { title: 'Glazed week', contentTypes: ['general'], platforms: ['email', 'instagram_post'] },
  options: { generator: templateCampaignGenerator({ brandName: 'DonutAuto' }) },
};

function ListPage(): ReactNode {
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<CustomerSort>('newest');
  return (
    <>
      <div className="toolbar">
        <label>
          Search
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label>
          Order
          <select value={sort} onChange={(e) => setSort(e.target.value as CustomerSort)}>
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
            <option value="lastName">Last name A–Z</option>
            <option value="firstName">First name A–Z</option>
            <option value="recentlyUpdated">Recently updated</option>
          </select>
        </label>
      </div>
      <CustomerList
        className="list"
        pageSize={50}
        sort={sort}
        {...(search.trim() ? { filter: { text: search.trim() } } : {})}
        onEdit={(customer) => navigate({ page: 'edit', id: customer.id })}
        campaign={CAMPAIGN}
      />
    </>
  );
}

function AddPage(): ReactNode {
  const [last, setLast] = useState<{ id: string; name: string } | undefined>(undefined);
  return (
    <>
      <CustomerAddForm
        className="form"
        onAdded={(customer) =>
          setLast({ id: customer.id, name: `${customer.firstName} ${customer.lastName}` })
        }
      />
      {last && (
        <p>
          <a href={hrefOf({ page: 'edit', id: last.id })}>{`Edit ${last.name}`}</a>
        </p>
      )}
    </>
  );
}
