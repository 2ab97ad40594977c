/** One Server-Sent Event, as the `EventSource` parsing rules read it. */
export interface ServerSentEvent {
  /** The `event:` field, `message` when absent. */
  readonly event: string;
  /** The `data:` lines, joined with `\n`. */
  readonly data: string;
  /** The `id:` field, when present. */
  readonly id?: string;
}

/**
 * Reads a `text/event-stream` body: lines end with CRLF, LF or CR (also across chunks), comments
 * (`:`) are skipped, a blank line dispatches the event (one without data is dropped, as
 * `EventSource` does).
 * @param body - The response body.
 * @param onBytes - Called for every chunk received (comments included), e.g. to feed a watchdog.
 * @returns The events, in order.
 */
export async function* readEventStream(
  body: ReadableStream<Uint8Array>,
  onBytes: () => void = () => {},
): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  // A CR ending one chunk may be the first half of a CRLF split across two chunks.
  let skipLeadingLf = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onBytes();
      buffer += decoder.decode(value, { stream: true });
      if (skipLeadingLf && buffer.startsWith('\n')) buffer = buffer.slice(1);
      skipLeadingLf = false;
      let start = 0;
      for (;;) {
        const end = lineEnd(buffer, start);
        if (end === -1) break;
        const line = buffer.slice(start, end);
        start = end + 1;
        if (buffer[end] === '\r') {
          if (start === buffer.length) skipLeadingLf = true;
          else if (buffer[start] === '\n') start++;
        }
        if (line === '') {
          if (data.length > 0)
            yield { event: event || 'message', data: data.join('\n'), ...(id === undefined ? {} : { id }) };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id' && !value.includes('\u0000')) id = value;
      }
      buffer = buffer.slice(start);
      if (buffer.length > MAX_LINE) throw new Error(`An event stream line is over ${MAX_LINE} characters`);
    }
  } finally {
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** Longest line kept while waiting for its end: a stream that never ends a line is refused. */
const MAX_LINE = 4 * 1024 * 1024;

function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}
