import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@donutauto/server/node';

/** A Node `http` server on 127.0.0.1 serving a Fetch-API handler through the bridge. */
export interface Loopback {
  /** `http://127.0.0.1:<port>` plus the mount path. */
  readonly url: string;
  /** The server. */
  readonly server: Server;
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}

/**
 * Serves `handler` on a free loopback port.
 * @param handler - The Fetch-API handler.
 * @param mount - The path the client uses as its base URL (the handler finds routes by suffix).
 */
export async function serveOnLoopback(
  handler: (request: Request) => Promise<Response>,
  mount = '/api/customers',
): Promise<Loopback> {
  const server = createServer(toNodeHandler(handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${mount}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The bearer token of an organization in tests (a real app verifies a signed token or a session). */
export function tokenFor(organizationId: string): string {
  return `test-token:${organizationId}`;
}

/**
 * A test `authorize`: the organization of a `Bearer test-token:<org>` header, or `null`.
 * @param request - The request.
 */
export function bearerAuthorize(request: Request): string | null {
  const match = /^Bearer test-token:(.+)$/.exec(request.headers.get('authorization') ?? '');
  return match ? match[1]! : null;
}

/** Adapter headers carrying the organization's test token. */
export function bearerHeaders({ organizationId }: { readonly organizationId: string }): HeadersInit {
  return { authorization: `Bearer ${tokenFor(organizationId)}` };
}
