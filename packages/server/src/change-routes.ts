import type { CHANGE_METHODS } from '@donutauto/adapter-http/protocol';
import { MAX_CHANGE_PAGE } from '@donutauto/core';
import * as z from 'zod';
import { type RouteTable, route } from './rpc-route';

/**
 * The change-feed part of the storage contract over HTTP: the page size is bounded, and the
 * cursor is opened and signed like a listing's (with `cursorSecret`, a forged one is refused).
 */
export const changeRoutes: RouteTable<keyof typeof CHANGE_METHODS> = {
  changesSince: route(
    z.tuple([z.string().nullable(), z.number().int().min(1).max(MAX_CHANGE_PAGE)]),
    async (context, [cursor, limit]) => {
      const page = await context.adapter.changesSince(
        context.organizationId,
        context.cursors.open(cursor),
        limit,
      );
      return { ...page, cursor: context.cursors.sign(page.cursor) };
    },
  ),
};
