import { createHttpAdapter } from '@donutauto/adapter-http';
import { createIndexedDbAdapter } from '@donutauto/adapter-indexeddb';
import { CustomersProvider } from '@donutauto/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import './styles.css';

// One shop, stored in this browser's IndexedDB: the app needs no server and keeps working offline.
// Server mode (`?api=/api/customers`, see src/server/): the same app stores its customers in
// PostgreSQL behind @donutauto/server, through the HTTP adapter; the session cookie authorizes.
const api = new URLSearchParams(window.location.search).get('api');
const adapter = api
  ? createHttpAdapter({ baseUrl: api })
  : createIndexedDbAdapter({ name: 'donutauto-example' });

// The service worker keeps the app's files, so it also opens without a network (production builds).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker
      .register('./sw.js')
      .catch((error: unknown) => console.warn('No offline copy:', error));
  });
}

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <CustomersProvider adapter={adapter} organizationId="my-shop">
      <App />
    </CustomersProvider>
  </StrictMode>,
);
