import { describe, expect, it } from 'vitest';
import { CapiKitError, DestinationCallError, InvalidEventError } from './errors';

describe('CapiKitError.isInstance', () => {
  it('recognizes errors from another copy of the package by their marker', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('capi-kit.error')]: true });
    expect(CapiKitError.isInstance(foreign)).toBe(true);
    expect(CapiKitError.isInstance(new Error('x'))).toBe(false);
    expect(CapiKitError.isInstance(null)).toBe(false);
  });

  it('holds for every subclass', () => {
    const error = new DestinationCallError('boom', { statusCode: 503, isRetryable: true });
    expect(CapiKitError.isInstance(error)).toBe(true);
    expect(error.isRetryable).toBe(true);
    expect(error.isConfigurationError).toBe(false);
  });
});

describe('InvalidEventError', () => {
  it('names the field and the rule of the first issues in its message', () => {
    const error = new InvalidEventError([
      { path: 'events[0].data.value', message: 'must be a finite number' },
    ]);
    expect(error.message).toBe('invalid event: events[0].data.value must be a finite number');
    expect(error.issues).toHaveLength(1);
  });
});
