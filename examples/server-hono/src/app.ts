/**
 * The customers API inside a Hono app: the handler is mounted as a route (`c.req.raw` is the
 * Fetch-API request it takes), and `authorize` reads a session cookie set by the app's own login.
 */
import { createMemoryAdapter, RequestError } from '@donutauto/core';
import { createCustomersHandler } from '@donutauto/server';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** The session cookie's name. */
export const SESSION_COOKIE = 'sid';

/**
 * Builds the app: `POST /login` and `POST /logout` (a stand-in for the app's real sign-in), and
 * the customers API under `/api/customers/*`.
 */
export function createApp() {
  // Session id → organization. A real app keeps sessions in its database or a signed cookie.
  const sessions = new Map<string, string>();
  const handler = createCustomersHandler({
    adapter: createMemoryAdapter(),
    authorize(request) {
      const sid = /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
      if (!sid) return null;
      const organizationId = sessions.get(sid);
      if (!organizationId) throw new RequestError('unauthorized', 'Your session has expired: sign in again');
      return organizationId;
    },
  });

  const app = new Hono();
  app.post('/login', async (c) => {
    const { organizationId } = await c.req.json<{ organizationId?: string }>();
    if (!organizationId) return c.json({ error: 'organizationId is required' }, 400);
    const sid = crypto.randomUUID();
    sessions.set(sid, organizationId);
    setCookie(c, SESSION_COOKIE, sid, { httpOnly: true, sameSite: 'Lax', path: '/' });
    return c.json({ ok: true });
  });
  app.post('/logout', (c) => {
    const sid = getCookie(c, SESSION_COOKIE);
    if (sid) sessions.delete(sid);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true });
  });
  app.all('/api/customers/*', (c) => handler(c.req.raw));
  return { app, handler };
}
