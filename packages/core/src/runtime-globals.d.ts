/**
 * The few Web-standard globals that every runtime core targets has (browsers, Node >= 20, edge
 * runtimes), declared by hand because core compiles without the DOM lib and without Node's types:
 * that way neither `window` nor `node:*` can slip into core. Keep this list minimal.
 */
export {};

declare global {
  interface AbortSignal {
    readonly aborted: boolean;
    readonly reason: unknown;
  }
  function fetch(input: string, init?: object): Promise<unknown>;

  interface Crypto {
    getRandomValues<T extends Uint8Array | Uint16Array | Uint32Array>(array: T): T;
    randomUUID?(): string;
    readonly subtle: {
      digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
    };
  }
  var crypto: Crypto;

  class TextEncoder {
    encode(input?: string): Uint8Array;
  }

  class URLSearchParams {
    constructor(init?: string);
    get(name: string): string | null;
    has(name: string): boolean;
  }
  class URL {
    constructor(url: string, base?: string);
    readonly hostname: string;
    readonly protocol: string;
    readonly search: string;
    readonly searchParams: URLSearchParams;
    readonly href: string;
  }
}
