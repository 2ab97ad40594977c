export {
  CUSTOM_FIELD_KEYS,
  type CustomerArbitraryOptions,
  consentArbitrary,
  customerDataArbitrary,
  customerSetArbitrary,
  dobArbitrary,
  filterArbitrary,
  messyCustomerInputArbitrary,
  PREFERENCE_POOL,
  sortArbitrary,
  TAG_POOL,
  TRICKY_NAMES,
} from './arbitraries';
export { campaignRecordFixture, campaignRunFixture } from './campaign-fixtures';
export { canonicalJson } from './change-feed-conformance';
export {
  type AdapterCapabilities,
  type AdapterConformanceOptions,
  runAdapterConformance,
} from './conformance';
export { customerDataFixture } from './fixtures';
