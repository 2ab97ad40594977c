// `@donutauto/server/node`: the bridge from Node's `http` (and Express) to the Fetch-API handler.
// The only module of the package that imports Node built-ins.
export { type FetchHandler, type NodeHandler, toNodeHandler } from './node-bridge';
