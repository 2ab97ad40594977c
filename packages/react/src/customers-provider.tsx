import type { CustomFieldDefinition, StorageAdapter } from '@donutauto/core';
import { createSlimClient, type SlimCustomerClient } from '@donutauto/core/slim';
import { createContext, type ReactNode, useContext } from 'react';
import { useInstance } from './hooks/use-instance';

const ClientContext = createContext<SlimCustomerClient | null>(null);

/** Props of {@link CustomersProvider}: a ready client, or an adapter and the organization to scope it to. */
export type CustomersProviderProps = {
  /** The components that use the hooks. */
  readonly children?: ReactNode;
} & (
  | {
      /**
       * The organization-scoped client the hooks read and write through: of `createCustomerClient`,
       * or of `createSlimClient` (`@donutauto/core/slim`).
       */
      readonly client: SlimCustomerClient;
      readonly adapter?: never;
      readonly organizationId?: never;
      readonly customFields?: never;
    }
  | {
      readonly client?: never;
      /** Where customers are stored, e.g. `createIndexedDbAdapter()`; a client is created from it once. */
      readonly adapter: StorageAdapter;
      /** The organization every hook below reads and writes. */
      readonly organizationId: string;
      /** The organization's custom field definitions (see `createCustomerClient`). */
      readonly customFields?: readonly CustomFieldDefinition[];
    }
);

/**
 * Makes a customer client available to the hooks and components below it. Pass a `client`, or an
 * `adapter` and `organizationId` (the client is then created once per adapter and organization).
 * There is no global state: two providers are two independent scopes.
 * @param props - The client, or the adapter and organization id; the children.
 * @returns The provider element.
 * @throws `invalid_argument` (from `createSlimClient`) for an empty organization id or a missing adapter.
 * @example
 * <CustomersProvider adapter={createIndexedDbAdapter()} organizationId="sunrise-donuts">
 *   <CustomerList pageSize={25} />
 * </CustomersProvider>
 */
export function CustomersProvider(props: CustomersProviderProps): ReactNode {
  // Definitions are compared by value, so an inline array does not make a new client every render.
  const definitionsKey = props.customFields ? JSON.stringify(props.customFields) : undefined;
  const client = useInstance([props.client, props.adapter, props.organizationId, definitionsKey], () =>
    props.client
      ? props.client
      : createSlimClient({
          adapter: props.adapter,
          organizationId: props.organizationId,
          ...(props.customFields ? { customFields: props.customFields } : {}),
        }),
  );
  return <ClientContext.Provider value={client}>{props.children}</ClientContext.Provider>;
}

/**
 * Reads the client of the nearest {@link CustomersProvider}. Its CSV import and campaign
 * generation are functions of `@donutauto/core/slim` taking it (`importCsv(client, file)`), or the
 * hooks `useCsvImport` and `useCampaignGeneration`.
 * @returns The organization-scoped client.
 * @throws `Error` when no provider is above the calling component.
 */
export function useCustomerClient(): SlimCustomerClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useCustomerClient: wrap your components in <CustomersProvider>');
  return client;
}
