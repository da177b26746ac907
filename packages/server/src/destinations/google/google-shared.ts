/**
 * Small pieces both Google destinations share: reading a required setting with its environment
 * fallback, first values of one-or-many fields, and the base URL rule (`baseURL` replaces only the
 * origin; the path stays Google's).
 */
import { ConfigError, type OneOrMany } from '@capi-kit/core';

/**
 * A required setting, else its environment variable, else a `ConfigError` that names both, so a
 * missing secret fails at start-up and never per event.
 */
export function requireSetting(
  factory: string,
  setting: string,
  value: string | undefined,
  envName: string,
): string {
  const resolved = value ?? readEnv(envName);
  if (resolved === undefined || resolved.trim() === '') {
    throw new ConfigError(
      `${factory}: the \`${setting}\` setting is required (pass it, or set the ${envName} environment variable)`,
    );
  }
  return resolved.trim();
}

/** An optional setting, else its environment variable. */
export function optionalSetting(value: string | undefined, envName: string): string | undefined {
  const resolved = value ?? readEnv(envName);
  return resolved === undefined || resolved.trim() === '' ? undefined : resolved.trim();
}

function readEnv(name: string): string | undefined {
  return typeof process === 'undefined' ? undefined : process.env[name];
}

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

/** A non-empty string, or `undefined`. */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** UTF-8 size of a JSON body, as the platform measures it. */
export function jsonByteLength(body: unknown): number {
  return Buffer.byteLength(JSON.stringify(body), 'utf8');
}
