import { createHttpAdapter, type FetchFunction } from '@donutauto/adapter-http';
import type { ChangeEvent } from '@donutauto/core/adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A fetch whose event stream sends `bytes` one slice at a time, then stays open. */
function streaming(bytes: Uint8Array, slice: number): FetchFunction {
  return async (_input, init) => {
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= bytes.length) return new Promise(() => {});
        controller.enqueue(bytes.slice(at, at + slice));
        at += slice;
      },
    });
    init?.signal?.addEventListener('abort', () => void body.cancel().catch(() => {}));
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  };
}

async function eventsFrom(text: string, slice: number): Promise<ChangeEvent[]> {
  const adapter = createHttpAdapter({
    baseUrl: 'http://x',
    fetch: streaming(new TextEncoder().encode(text), slice),
  });
  closers.push(() => adapter.close());
  const events: ChangeEvent[] = [];
  adapter.subscribe('org', (event) => events.push(event));
  await vi.waitFor(() => expect(events.length).toBeGreaterThanOrEqual(2));
  await new Promise((resolve) => setTimeout(resolve, 20));
  return events;
}

describe('HttpAdapter.subscribe reading Server-Sent Events', () => {
  const stream =
    ': hello\r\n\r\nretry: 1000\n\nevent: ready\r\ndata: {"heartbeatMs":0}\r\n\r\n' +
    'event: change\rdata: {"type":"insert",\ndata: "ids":["ü€😀"]}\r\rid: 7\n\n' +
    'event: empty\n\nevent: change\ndata: {"type":"delete","ids":["b"]}\n\n';

  it.each([1, 3, 7, 4096])(
    'reads comments, CR/LF/CRLF and multi-line data split every %i bytes',
    async (slice) => {
      expect(await eventsFrom(stream, slice)).toEqual([
        { type: 'insert', organizationId: 'org', ids: ['ü€😀'] },
        { type: 'delete', organizationId: 'org', ids: ['b'] },
      ]);
    },
  );

  it('ignores changes sent before ready, and an unfinished event', async () => {
    const events = await eventsFrom(
      'event: change\ndata: {"type":"insert","ids":["early"]}\n\nevent: ready\ndata: {"heartbeatMs":0}\n\n' +
        'event: change\ndata: {"type":"update","ids":["a"]}\n\nevent: change\ndata: {"type":"update","ids":["b"]}\n\n' +
        'event: change\ndata: {"type":"delete","ids":["cut"]}',
      5,
    );
    expect(events.map((e) => e.ids)).toEqual([['a'], ['b']]);
  });
});
