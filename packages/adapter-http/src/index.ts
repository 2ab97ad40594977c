export type { HttpExportOptions, HttpImportOptions } from './csv-transfer';
export { createHttpAdapter, type HttpAdapter, type HttpAdapterOptions } from './http-adapter';
export type { FetchFunction, HeadersOption } from './http-transport';
