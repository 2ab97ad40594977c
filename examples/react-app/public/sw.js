// Service worker of the example app: keeps the app shell (index.html and the files it loads) so the
// app opens without a network. Customers themselves live in IndexedDB and need no caching.
const CACHE = 'donutauto-example-v1';

async function precache() {
  const cache = await caches.open(CACHE);
  const response = await fetch('./', { cache: 'reload' });
  const html = await response.clone().text();
  await cache.put('./', response);
  // Vite names the built assets after their content; index.html lists every one the app needs.
  const assets = [...html.matchAll(/(?:src|href)="(\.?\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await cache.addAll(assets);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Network first (a new version shows as soon as it is deployed), the cache when offline.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // The customers API (server mode) is never cached: its answers are live, and change events stream.
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.includes('/api/'))
    return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request.mode === 'navigate' ? './' : request, copy));
        }
        return response;
      })
      .catch(
        async () => (await caches.match(request.mode === 'navigate' ? './' : request)) ?? Response.error(),
      ),
  );
});
