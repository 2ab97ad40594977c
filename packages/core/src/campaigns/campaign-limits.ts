// Apart from the request's schema (loaded with the campaign runner), so an app reading them does
// not download it.

/** Most customers one run may cover unless `maxCustomers` says otherwise. */
export const DEFAULT_MAX_CUSTOMERS_PER_RUN = 10_000;
/** The largest `maxCustomers` a caller may set. */
export const MAX_CUSTOMERS_PER_RUN = 1_000_000;
