/**
 * Small pieces both Google destinations share: first values of one-or-many fields and the base URL
 * rule (`baseURL` replaces only the origin; the path stays Google's). Settings and their
 * environment fallback are read with `../destination-kit`, as every destination does.
 */
import type { OneOrMany } from '@capi-kit/core';

/** The origin to send to: `baseURL` without a trailing slash, else the platform's own. */
export function originOf(baseURL: string | undefined, platformOrigin: string): string {
  return (baseURL ?? platformOrigin).replace(/\/+$/, '');
}

/** Every value of a one-or-many field, as an array. */
export function allValues<T>(value: OneOrMany<T> | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

/** The first value of a one-or-many field. */
export function firstValue<T>(value: OneOrMany<T> | undefined): T | undefined {
  return allValues(value)[0];
}

/** A finite number, or `undefined`. */
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** UTF-8 size of a JSON body, as the platform measures it. */
export function jsonByteLength(body: unknown): number {
  return Buffer.byteLength(JSON.stringify(body), 'utf8');
}
