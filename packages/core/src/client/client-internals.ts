import type { CampaignClientContext } from '../campaigns/campaign-reads';
import { InvalidArgumentError } from '../errors/customer-error';
import type { CsvClientContext } from './client-csv';

/** What the operations taking a client (`importCsv(client, …)`) need from it (internal). */
export interface ClientInternals {
  /** The CSV context, without an import's checks. */
  readonly csv: CsvClientContext;
  /** The campaign context. */
  readonly campaigns: CampaignClientContext;
  /** An import's checks: custom fields (indexed once per import) and erased emails. */
  readonly importChecks: () => Pick<CsvClientContext, 'check' | 'findErased'>;
}

// Keyed by the client object, so the operations need no hidden property on it.
const internals = new WeakMap<object, ClientInternals>();

/** Records a new client's internals. */
export function attachInternals(client: object, value: ClientInternals): void {
  internals.set(client, value);
}

/**
 * The internals of a client made by `createSlimClient` or `createCustomerClient`.
 * @throws `invalid_argument` for anything else (another object, or a client of another copy of
 * `@donutauto/core`).
 */
export function internalsOf(client: unknown): ClientInternals {
  const found = typeof client === 'object' && client !== null ? internals.get(client) : undefined;
  if (!found) {
    throw new InvalidArgumentError(
      'client',
      'expected a client made by createSlimClient or createCustomerClient',
    );
  }
  return found;
}
