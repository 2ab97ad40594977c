import { InvalidArgumentError } from '../errors/customer-error';

/**
 * What the CSV importer reads: a string, bytes (`Uint8Array`, Node `Buffer`, `ArrayBuffer`), a
 * `Blob`/`File`, a Web `ReadableStream`, or any (async) iterable of text or bytes chunks (Node
 * readable streams are async iterables). Bytes are decoded as UTF-8.
 */
export type CsvSource =
  | string
  | Uint8Array
  | ArrayBuffer
  | Blob
  | ReadableStream<Uint8Array | string>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>;

/** Text chunks of a source and how far reading has got. */
export interface CsvTextReader {
  /** Decoded text, BOM removed, in order. */
  readonly chunks: AsyncIterable<string>;
  /** Bytes consumed so far (UTF-16 code units for string sources). */
  bytesRead(): number;
  /** The source's size when known (`Blob`s and strings). */
  readonly totalBytes: number | undefined;
}

/** Characters per chunk when slicing a string source. */
const STRING_CHUNK = 64 * 1024;

function isAsyncIterable(value: object): value is AsyncIterable<unknown> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

function isIterable(value: object): value is Iterable<unknown> {
  return typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

async function* fromReadableStream(stream: ReadableStream<unknown>): AsyncGenerator<unknown> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Iterates a source while its next chunk is already being read, so I/O overlaps parsing.
 * @param source - Chunks.
 * @returns The same chunks, in order.
 */
async function* readAhead<T>(source: AsyncIterable<T> | Iterable<T>): AsyncGenerator<T> {
  if (!isAsyncIterable(source)) {
    yield* source;
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    let next = iterator.next();
    for (;;) {
      const result = await next;
      if (result.done) {
        finished = true;
        return;
      }
      next = iterator.next();
      // A read that fails while the consumer is busy is reported on the next await.
      next.catch(() => undefined);
      yield result.value;
    }
  } finally {
    if (!finished) await iterator.return?.();
  }
}

/**
 * Opens a CSV source as a stream of text chunks, decoding bytes with a streaming `TextDecoder`
 * (invalid bytes become U+FFFD, never an exception) and dropping a leading BOM.
 * @param source - See {@link CsvSource}.
 * @returns The text reader.
 * @throws `invalid_argument` when `source` is none of the accepted kinds.
 */
export function openCsvSource(source: CsvSource): CsvTextReader {
  let read = 0;
  if (typeof source === 'string') {
    const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
    return {
      totalBytes: text.length,
      bytesRead: () => read,
      chunks: (async function* () {
        for (let start = 0; start < text.length; start += STRING_CHUNK) {
          const chunk = text.slice(start, start + STRING_CHUNK);
          read = start + chunk.length;
          yield chunk;
        }
      })(),
    };
  }
  let raw: AsyncIterable<unknown> | Iterable<unknown>;
  let totalBytes: number | undefined;
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) {
    // Whole bytes in memory (a Node Buffer is a Uint8Array): decode in 64 KiB slices.
    const bytes = source instanceof ArrayBuffer ? new Uint8Array(source) : source;
    totalBytes = bytes.byteLength;
    raw = (function* () {
      for (let start = 0; start < bytes.byteLength; start += STRING_CHUNK)
        yield bytes.subarray(start, start + STRING_CHUNK);
    })();
  } else if (typeof Blob !== 'undefined' && source instanceof Blob) {
    raw = fromReadableStream(source.stream());
    totalBytes = source.size;
  } else if (
    typeof source === 'object' &&
    source !== null &&
    typeof (source as ReadableStream).getReader === 'function'
  ) {
    raw = fromReadableStream(source as ReadableStream<unknown>);
  } else if (
    typeof source === 'object' &&
    source !== null &&
    (isAsyncIterable(source) || isIterable(source))
  ) {
    raw = source;
  } else {
    throw new InvalidArgumentError(
      'source',
      'expected a string, a Blob, a ReadableStream or an async iterable of text or bytes',
    );
  }
  const chunks = async function* (): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8');
    let first = true;
    for await (const chunk of readAhead(raw)) {
      let text: string;
      if (typeof chunk === 'string') {
        read += chunk.length;
        text = chunk;
      } else if (chunk instanceof Uint8Array) {
        read += chunk.byteLength;
        text = decoder.decode(chunk, { stream: true });
      } else {
        throw new InvalidArgumentError('source', 'stream chunks must be strings or Uint8Arrays');
      }
      if (first && text !== '') {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (text !== '') yield text;
    }
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  };
  return { chunks: chunks(), bytesRead: () => read, totalBytes };
}
