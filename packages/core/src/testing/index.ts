export {
  type AdapterCapabilities,
  type AdapterConformanceOptions,
  runAdapterConformance,
} from './conformance';
export {
  customerDataArbitrary,
  customerSetArbitrary,
  dobArbitrary,
  filterArbitrary,
  messyCustomerInputArbitrary,
  PREFERENCE_POOL,
  TAG_POOL,
} from './arbitraries';
