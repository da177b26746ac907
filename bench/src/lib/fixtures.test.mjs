// The benchmarks only mean something if their inputs are what the relay accepts: a beacon the
// collect validator refuses, or an event the Meta destination skips, would measure a fast error
// path. These tests keep the fixtures valid as core and the server evolve.
import { parseCollectPayload } from '@capi-kit/core';
import { meta } from '@capi-kit/server/meta';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, beaconBody, canonicalEvent, PIXEL_ID } from './fixtures.mjs';

describe('beaconBody', () => {
  it('is a collect payload that core accepts, with every event ID', () => {
    const ids = ['0b0e2f4c-1f6a-4b8e-9a43-3d1c2f0e9a11', '7d2c1a90-55be-4f7e-8a1c-2b9d7e3f4a60'];
    const result = parseCollectPayload(JSON.parse(beaconBody(ids)));
    expect(result.ok).toBe(true);
    expect(result.ok && result.events.map((event) => event.id)).toEqual(ids);
  });

  it('weighs about 1 KB for one event, the size the collect suite asks for', () => {
    const bytes = Buffer.byteLength(beaconBody('0b0e2f4c-1f6a-4b8e-9a43-3d1c2f0e9a11'));
    expect(bytes).toBeGreaterThan(900);
    expect(bytes).toBeLessThan(1200);
  });
});

describe('canonicalEvent', () => {
  it('prepares for Meta with the seven hashed fields, IP, UA, fbc, fbp, value and currency', async () => {
    const destination = meta({ pixelId: PIXEL_ID, accessToken: ACCESS_TOKEN });
    const prepared = await destination.doPrepare(/** @type {any} */ (canonicalEvent(3)));
    expect(prepared.kind).toBe('ready');
    const payload = /** @type {any} */ (prepared.kind === 'ready' ? prepared.payload : {});
    for (const key of ['em', 'ph', 'fn', 'ln', 'ct', 'zp', 'country']) {
      expect(payload.user_data[key], key).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    }
    expect(payload.user_data).toMatchObject({
      client_ip_address: '203.0.113.3',
      fbc: expect.stringMatching(/^fb\.1\.\d{13}\./),
      fbp: expect.stringMatching(/^fb\.1\.\d{13}\./),
    });
    expect(payload.user_data.client_user_agent).toMatch(/^Mozilla\//);
    expect(payload.custom_data).toMatchObject({ value: 45.5, currency: 'EUR' });
  });
});
