import { useSyncExternalStore } from 'react';

/** The app's pages, addressed by the URL hash so a static file server is enough. */
export type Route =
  | { readonly page: 'list' }
  | { readonly page: 'add' }
  | { readonly page: 'edit'; readonly id: string }
  | { readonly page: 'import' }
  | { readonly page: 'template' };

/**
 * Reads a route from a hash such as `#/edit/0191…`.
 * @param hash - `location.hash`.
 * @returns The route; the list for anything unknown.
 */
export function parseRoute(hash: string): Route {
  const [, page, id] = hash.replace(/^#/, '').split('/');
  if (page === 'add' || page === 'import' || page === 'template') return { page };
  if (page === 'edit' && id) return { page, id: decodeURIComponent(id) };
  return { page: 'list' };
}

/**
 * The hash of a route.
 * @param route - The route.
 * @returns `#/…`.
 */
export function hrefOf(route: Route): string {
  return route.page === 'edit'
    ? `#/edit/${encodeURIComponent(route.id)}`
    : `#/${route.page === 'list' ? '' : route.page}`;
}

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

/**
 * The current route, re-rendering on navigation.
 * @returns The route.
 */
export function useRoute(): Route {
  const hash = useSyncExternalStore(
    subscribe,
    () => window.location.hash,
    () => '',
  );
  return parseRoute(hash);
}

/**
 * Goes to a route.
 * @param route - Where to go.
 */
export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}
