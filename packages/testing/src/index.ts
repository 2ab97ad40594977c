export {
  customerDataArbitrary,
  customerSetArbitrary,
  dobArbitrary,
  filterArbitrary,
  messyCustomerInputArbitrary,
  PREFERENCE_POOL,
  TAG_POOL,
} from './arbitraries';
export { campaignRecordFixture, campaignRunFixture } from './campaign-fixtures';
export {
  type AdapterCapabilities,
  type AdapterConformanceOptions,
  runAdapterConformance,
} from './conformance';
export { customerDataFixture } from './fixtures';
