import { describe, expect, it } from 'vitest';
import { readEventStream, type ServerSentEvent } from '../event-stream-reader';

async function read(chunks: string[]): Promise<ServerSentEvent[]> {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  const out: ServerSentEvent[] = [];
  for await (const event of readEventStream(body)) out.push(event);
  return out;
}

describe('readEventStream', () => {
  it('reads events, names, ids and multi-line data; skips comments and data-less events', async () => {
    const events = await read([
      ': hello\n\nretry: 1000\n\n',
      'event: ready\ndata: {"heartbeatMs":5}\n\n',
      'data: one\ndata:two\nid: 7\n\n',
      'event: empty\n\n',
    ]);
    expect(events).toEqual([
      { event: 'ready', data: '{"heartbeatMs":5}' },
      { event: 'message', data: 'one\ntwo', id: '7' },
    ]);
  });

  it('accepts CRLF and CR line ends, also split across chunks, and multi-byte text split mid-character', async () => {
    const bytes = new TextEncoder().encode('event: change\r\ndata: {"ids":["ü€😀"]}\r\n\r\ndata: x\r\r');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i++) controller.enqueue(bytes.slice(i, i + 1));
        controller.close();
      },
    });
    const out: ServerSentEvent[] = [];
    for await (const event of readEventStream(body)) out.push(event);
    expect(out).toEqual([
      { event: 'change', data: '{"ids":["ü€😀"]}' },
      { event: 'message', data: 'x' },
    ]);
    expect(await read(['data: a\r', '\n\r', '\n'])).toEqual([{ event: 'message', data: 'a' }]);
  });

  it('drops an unfinished event at the end of the stream', async () => {
    expect(await read(['data: complete\n\ndata: cut'])).toEqual([{ event: 'message', data: 'complete' }]);
  });
});
