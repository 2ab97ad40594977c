/**
 * Browser entry of the Chromium behaviour tests: exposes the adapter, the core and the version-1
 * and version-2 fixtures on `globalThis.__lib` so Node can script several tabs of the same origin.
 */
import { createIndexedDbAdapter, SCHEMA_VERSION } from '@donutauto/adapter-indexeddb';
import { type ChangeEvent, createMemoryAdapter, isCustomerError, type StorageAdapter } from '@donutauto/core';
import { normalizeFilter } from '@donutauto/core/adapter';
import {
  customer,
  LEGACY_LAYOUTS,
  openVersion1,
  openVersion2,
  putVersion1,
  putVersion2,
} from '../customers.fixture';

/** What the page exposes; Node-side tests type `globalThis` with it. */
export interface BehaviourLib {
  createIndexedDbAdapter: typeof createIndexedDbAdapter;
  createMemoryAdapter: typeof createMemoryAdapter;
  normalizeFilter: typeof normalizeFilter;
  isCustomerError: typeof isCustomerError;
  customer: typeof customer;
  openVersion1: typeof openVersion1;
  putVersion1: typeof putVersion1;
  openVersion2: typeof openVersion2;
  putVersion2: typeof putVersion2;
  legacy: typeof LEGACY_LAYOUTS;
  SCHEMA_VERSION: number;
  adapters: Map<string, StorageAdapter>;
  events: ChangeEvent[];
  raw: Map<string, IDBDatabase>;
  /** Values a test keeps between two `page.evaluate` calls. */
  scratch: Map<string, unknown>;
  /** Runs `call` and returns the code and reason of what it threw, or `null` when it succeeded. */
  failure(call: () => Promise<unknown>): Promise<{ code: string; reason: string; name: string } | null>;
}

const lib: BehaviourLib = {
  createIndexedDbAdapter,
  createMemoryAdapter,
  normalizeFilter,
  isCustomerError,
  customer,
  openVersion1,
  putVersion1,
  openVersion2,
  putVersion2,
  legacy: LEGACY_LAYOUTS,
  SCHEMA_VERSION,
  adapters: new Map(),
  events: [],
  raw: new Map(),
  scratch: new Map(),
  async failure(call) {
    try {
      await call();
      return null;
    } catch (error) {
      const e = error as { code?: unknown; reason?: unknown; name?: unknown };
      return { code: String(e.code), reason: String(e.reason), name: String(e.name) };
    }
  },
};

// Functions Node passes to `page.evaluate` are serialized; they reach the library through `lib()`.
Object.assign(globalThis, { __lib: lib, lib: () => lib });
