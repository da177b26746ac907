/**
 * The two `node:crypto` functions core's Node-only hashing uses, declared by hand because core
 * compiles without Node's types (so nothing else from Node can slip in). They merge with
 * `@types/node` as overloads where that is loaded.
 */
declare module 'node:crypto' {
  function hash(algorithm: 'sha256', data: string, outputEncoding: 'hex'): string;
  function createHash(algorithm: 'sha256'): {
    update(data: string, inputEncoding: 'utf8'): { digest(encoding: 'hex'): string };
  };
}
