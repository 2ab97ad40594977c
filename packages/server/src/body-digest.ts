/** Bytes hashed per step: the digest does not depend on how the body was split into chunks. */
const BLOCK = 64 * 1024;
const UTF8 = new TextEncoder();

/**
 * An incremental SHA-256 fingerprint of a body fed chunk by chunk (Web Crypto has no incremental
 * digest): the body is cut into fixed 64 KiB blocks and each block is hashed together with the
 * digest of the blocks before it, so equal bodies give equal fingerprints however they arrive.
 */
export class BodyDigest {
  #chain: Promise<Uint8Array> = Promise.resolve(new Uint8Array(32));
  #block = new Uint8Array(BLOCK);
  #filled = 0;
  #length = 0;

  /**
   * Adds bytes.
   * @param chunk - The next bytes of the body.
   */
  update(chunk: Uint8Array): void {
    this.#length += chunk.byteLength;
    let at = 0;
    while (at < chunk.byteLength) {
      const take = Math.min(BLOCK - this.#filled, chunk.byteLength - at);
      this.#block.set(chunk.subarray(at, at + take), this.#filled);
      this.#filled += take;
      at += take;
      if (this.#filled === BLOCK) this.#flush();
    }
  }

  /**
   * Finishes the fingerprint.
   * @param context - Text hashed with the body (method, route, options).
   * @returns The fingerprint, hex.
   */
  async digest(context: string): Promise<string> {
    this.#flush();
    const previous = await this.#chain;
    const tail = UTF8.encode(`\u0000${this.#length}\u0000${context}`);
    return hex(await sha256(concat(previous, tail)));
  }

  #flush(): void {
    if (this.#filled === 0) return;
    const block = this.#block.slice(0, this.#filled);
    this.#filled = 0;
    this.#chain = this.#chain.then((previous) => sha256(concat(previous, block)));
  }
}

/**
 * The fingerprint of a whole body.
 * @param bytes - The body.
 * @param context - Text hashed with it.
 * @returns The fingerprint, hex.
 */
export function digestOf(bytes: Uint8Array, context: string): Promise<string> {
  const digest = new BodyDigest();
  digest.update(bytes);
  return digest.digest(context);
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}
