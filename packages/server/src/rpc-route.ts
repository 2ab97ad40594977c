import type { RpcMethod, RpcResult } from '@donutauto/adapter-http/protocol';
import { type CustomFieldDefinition, InvalidArgumentError, RequestError } from '@donutauto/core';
import type { StorageAdapter } from '@donutauto/core/adapter';
import type * as z from 'zod';
import type { HandlerLimits } from './handler-options';

/** What a route runs with: the adapter, the authorized organization and the handler's settings. */
export interface RouteContext {
  /** The handler's storage adapter. */
  readonly adapter: StorageAdapter;
  /** The organization `authorize` returned: the only one a route reads or writes. */
  readonly organizationId: string;
  /** The handler's limits. */
  readonly limits: HandlerLimits;
  /** The server's clock, epoch ms. */
  readonly now: () => number;
  /** The organization's custom field definitions (looked up once per request, when needed). */
  readonly definitions: () => Promise<readonly CustomFieldDefinition[] | undefined>;
  /**
   * `true` when the request is a retry of a write (an `Idempotency-Key` and `DonutAuto-Attempt` 2 or
   * more): an insert that finds its own record already stored answers as done, since the first
   * attempt stored it and lost its answer. A first attempt gets the storage contract's answer.
   */
  readonly retried: boolean;
  /**
   * Signs the cursors a listing hands out and opens the ones it gets back (`cursorSecret`);
   * passes them through unchanged when the handler has no secret.
   */
  readonly cursors: {
    /** The cursor to send. */
    sign(cursor: string): string;
    /** The adapter's cursor inside one a client sent. @throws `invalid_cursor` */
    open(cursor: string | null): string | null;
  };
}

/**
 * One storage method over HTTP: a zod schema of the shape of its arguments (after
 * `organizationId`), and the function that checks their meaning with the core's validators and
 * calls the adapter for the authorized organization.
 */
export interface RpcRoute<R> {
  /** The shape of the arguments array. */
  readonly args: z.ZodType<readonly unknown[]>;
  /** Runs the method; `args` is the schema's output. */
  readonly run: (context: RouteContext, args: never) => Promise<R>;
}

/** The routes of one part of the storage contract, one per method. */
export type RouteTable<M extends RpcMethod> = { readonly [K in M]: RpcRoute<RpcResult<K>> };

/**
 * Declares a route, typing `run`'s arguments by the schema.
 * @param args - zod schema of the arguments array.
 * @param run - Checks and runs the method.
 * @returns The route.
 */
export function route<S extends z.ZodType<readonly unknown[]>, R>(
  args: S,
  run: (context: RouteContext, args: z.output<S>) => Promise<R>,
): RpcRoute<R> {
  return { args, run: run as RpcRoute<R>['run'] };
}

/**
 * Checks the shape of a route's arguments.
 * @param routeArgs - The route's schema.
 * @param args - The body's `args`.
 * @returns The parsed arguments.
 * @throws `invalid_argument` naming the first wrong argument (`args[1].expectedVersion`, …).
 */
export function parseArgs(routeArgs: z.ZodType<readonly unknown[]>, args: unknown): never {
  const result = routeArgs.safeParse(args);
  if (result.success) return result.data as never;
  const issue = result.error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  throw new InvalidArgumentError(`args${path}`, issue.message);
}

/**
 * Refuses a batch over the handler's limit.
 * @throws `payload_too_large`.
 */
export function checkBatchSize(context: RouteContext, size: number, what: string): void {
  if (size > context.limits.maxBatchSize) {
    throw new RequestError(
      'payload_too_large',
      `At most ${context.limits.maxBatchSize} ${what} per request (got ${size})`,
    );
  }
}

/**
 * Refuses a client timestamp too far ahead of the server's clock.
 * @throws `invalid_argument` naming the argument.
 */
export function checkTimestamp(context: RouteContext, value: number, argument: string): void {
  const latest = context.now() + context.limits.maxClockSkewMs;
  if (value > latest) {
    throw new InvalidArgumentError(argument, `is ${value - context.now()} ms ahead of the server's clock`);
  }
}
