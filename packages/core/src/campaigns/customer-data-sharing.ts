// Apart from the generator input builder (loaded with the campaign runner), so an app reading the
// opt-in list does not download it.

/** Customer fields a caller may opt in to sharing with generators; none are shared by default. */
export const OPT_IN_CUSTOMER_FIELDS = [
  'id',
  'lastName',
  'email',
  'phone',
  'notes',
  'instagramHandle',
  'tiktokHandle',
  'twitterHandle',
] as const;

/** A customer field shared with generators only on request. */
export type OptInCustomerField = (typeof OPT_IN_CUSTOMER_FIELDS)[number];

/** What customer data generators may see beyond the marketing data. */
export interface CustomerDataSharing {
  /** Identifying or contact fields to share. @defaultValue [] */
  readonly include?: readonly OptInCustomerField[];
  /** Custom fields to share, by key, or `'all'`. @defaultValue [] */
  readonly customFields?: readonly string[] | 'all';
}
