import { describe, expect, it } from 'vitest';
import { type Json, useFakePlatforms } from './__fixtures__/fake-test-kit';

const NOW = Date.UTC(2026, 0, 1, 1);
const TOKEN = 'li-test-token';
const PATH = '/rest/conversionEvents';
const EMAIL_HASH = '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f';

const platforms = useFakePlatforms(() => NOW);

/** The §14 LinkedIn fixture. */
function element(overrides: Json = {}): Json {
  return {
    conversion: 'urn:lla:llaPartnerConversion:104012',
    conversionHappenedAt: 1767225600000,
    conversionValue: { currencyCode: 'USD', amount: '123.45' },
    eventId: 'ord_1',
    user: {
      userIds: [
        { idType: 'SHA256_EMAIL', idValue: EMAIL_HASH },
        { idType: 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', idValue: 'li-fat-abc' },
      ],
    },
    ...overrides,
  };
}

const HEADERS = {
  'content-type': 'application/json',
  authorization: `Bearer ${TOKEN}`,
  'linkedin-version': '202603',
  'x-restli-protocol-version': '2.0.0',
};

async function post(
  body: unknown,
  options: { path?: string; headers?: Record<string, string | undefined>; batch?: boolean } = {},
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = {};
  const merged = {
    ...HEADERS,
    ...(options.batch === false ? {} : { 'x-restli-method': 'BATCH_CREATE' }),
    ...options.headers,
  };
  for (const [name, value] of Object.entries(merged))
    if (value !== undefined) headers[name] = value;
  const response = await fetch(`${platforms.fake.url}${options.path ?? PATH}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
}

describe('linkedin fake: accepted requests', () => {
  it('accepts a BATCH_CREATE with 200 and one 201 per element', async () => {
    const result = await post({ elements: [element(), element({ eventId: 'ord_2' })] });
    expect(result).toEqual({ status: 200, body: { elements: [{ status: 201 }, { status: 201 }] } });
    expect(
      platforms.fake.linkedin.events.map((event) => [
        event.pixelId,
        event.eventName,
        event.eventId,
      ]),
    ).toEqual([
      ['104012', '104012', 'ord_1'],
      ['104012', '104012', 'ord_2'],
    ]);
    expect(platforms.fake.linkedin.events[0]!.eventTime).toBe(1767225600000);
  });

  it('accepts a single create (the §14 fixture) with 201 and no body', async () => {
    const result = await post(element(), { batch: false });
    expect(result).toEqual({ status: 201, body: {} });
    expect(platforms.fake.linkedin.events).toHaveLength(1);
  });

  it('pairs the server copy with the Insight Tag hit on (rule, eventId)', async () => {
    platforms.fake.linkedin.recordPixelHit({ eventName: '104012', eventId: 'ord_1' });
    await post({ elements: [element()] });
    expect(platforms.fake.linkedin.dedupVerdict('104012', 'ord_1')).toBe('matched');
    await post({ elements: [element()] });
    expect(platforms.fake.linkedin.dedupVerdict('104012', 'ord_1')).toBe('duplicate');
    expect(platforms.fake.linkedin.events[1]!.deduplicated).toBe(true);
  });

  it('shows up in /__fake/state and takes pixel hits on /__pixel/linkedin', async () => {
    const hit = await fetch(`${platforms.fake.url}/__pixel/linkedin`, {
      method: 'POST',
      body: JSON.stringify({ eventName: '104012', eventId: 'ord_9' }),
    });
    expect(await hit.json()).toMatchObject({ recorded: true, platform: 'linkedin' });
    const state = (await (await fetch(`${platforms.fake.url}/__fake/state`)).json()) as Json;
    expect(state.platforms.linkedin.stats).toEqual({
      matched: 0,
      serverOnly: 0,
      pixelOnly: 1,
      duplicates: 0,
    });
  });
});

describe('linkedin fake: rejects what LinkedIn rejects', () => {
  it('answers 401 for a missing or revoked token', async () => {
    const missing = await post(
      { elements: [element()] },
      { headers: { authorization: undefined } },
    );
    expect(missing).toMatchObject({ status: 401, body: { serviceErrorCode: 65604 } });
    platforms.fake.linkedin.rejectToken(TOKEN);
    const revoked = await post({ elements: [element()] });
    expect(revoked).toMatchObject({
      status: 401,
      body: { status: 401, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN' },
    });
  });

  it('answers 400 without LinkedIn-Version and 426 for a sunset one', async () => {
    const none = await post(
      { elements: [element()] },
      { headers: { 'linkedin-version': undefined } },
    );
    expect(none).toMatchObject({ status: 400, body: { code: 'VERSION_MISSING' } });
    const old = await post(
      { elements: [element()] },
      { headers: { 'linkedin-version': '202412' } },
    );
    expect(old).toMatchObject({ status: 426, body: { code: 'NONEXISTENT_VERSION' } });
    const live = await post(
      { elements: [element()] },
      { headers: { 'linkedin-version': '202502' } },
    );
    expect(live.status).toBe(200);
  });

  it('requires X-Restli-Protocol-Version 2.0.0', async () => {
    const result = await post(
      { elements: [element()] },
      { headers: { 'x-restli-protocol-version': undefined } },
    );
    expect(result.status).toBe(400);
  });

  it('answers 404 off the conversionEvents path', async () => {
    expect((await post({ elements: [element()] }, { path: '/rest/conversionEvent' })).status).toBe(
      404,
    );
  });

  it.each([
    [
      'a plain e-mail',
      { user: { userIds: [{ idType: 'SHA256_EMAIL', idValue: 'a@b.co' }] } },
      '/elements/1/user/userIds/0/idValue',
    ],
    [
      'upper-case hex',
      { user: { userIds: [{ idType: 'SHA256_EMAIL', idValue: EMAIL_HASH.toUpperCase() }] } },
      '/elements/1/user/userIds/0/idValue',
    ],
    [
      'Segment’s AXCIOM_ID typo',
      { user: { userIds: [{ idType: 'AXCIOM_ID', idValue: 'x' }] } },
      '/elements/1/user/userIds/0/idType',
    ],
    [
      'seconds instead of ms',
      { conversionHappenedAt: 1767225600 },
      '/elements/1/conversionHappenedAt',
    ],
    [
      'a numeric amount',
      { conversionValue: { currencyCode: 'USD', amount: 123.45 } },
      '/elements/1/conversionValue/amount',
    ],
    [
      'an unknown currency',
      { conversionValue: { currencyCode: 'XXX', amount: '1' } },
      '/elements/1/conversionValue/currencyCode',
    ],
    ['a conversion that is not a rule URN', { conversion: '104012' }, '/elements/1/conversion'],
    ['no userIds', { user: {} }, '/elements/1/user/userIds'],
    ['no userId and no userInfo', { user: { userIds: [] } }, '/elements/1/user/userIds'],
    [
      'userInfo without lastName',
      { user: { userIds: [], userInfo: { firstName: 'mary' } } },
      '/elements/1/user/userInfo/lastName',
    ],
    [
      'two externalIds',
      {
        user: {
          userIds: [{ idType: 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', idValue: 'x' }],
          externalIds: ['a', 'b'],
        },
      },
      '/elements/1/user/externalIds',
    ],
  ])('fails the whole batch with 422 for %s', async (_label, overrides, fieldPath) => {
    const result = await post({ elements: [element(), element(overrides)] });
    expect(result.status).toBe(422);
    expect(result.body.errorDetails.inputErrors[0].input.inputPath.fieldPath).toBe(fieldPath);
    expect(platforms.fake.linkedin.events).toEqual([]);
  });

  it('accepts userInfo-only matching with an empty userIds list', async () => {
    const user = { userIds: [], userInfo: { firstName: 'mary', lastName: 'smith' } };
    expect((await post({ elements: [element({ user })] })).status).toBe(200);
  });

  it('rejects more than 5 000 elements', async () => {
    const elements = Array.from({ length: 5001 }, (_, index) => element({ eventId: `e${index}` }));
    const result = await post({ elements });
    expect(result.status).toBe(422);
    expect(platforms.fake.linkedin.events).toEqual([]);
  });

  it('fails only the element older than 90 days, inside a 200 batch answer', async () => {
    const old = element({ eventId: 'old', conversionHappenedAt: NOW - 91 * 24 * 3600_000 });
    const result = await post({ elements: [element(), old] });
    expect(result.status).toBe(200);
    expect(result.body.elements[0]).toEqual({ status: 201 });
    expect(result.body.elements[1]).toMatchObject({ status: 400, error: { status: 400 } });
    expect(platforms.fake.linkedin.events.map((event) => event.eventId)).toEqual(['ord_1']);
  });

  it('answers scripted errors in LinkedIn’s shapes', async () => {
    platforms.fake.linkedin.respondWith(
      { kind: 'error', error: 'linkedin_throttled', headers: { 'retry-after': '5' } },
      { kind: 'error', error: 'linkedin_token' },
      { kind: 'error', error: 'linkedin_invalid', message: 'bad element' },
      { kind: 'error', error: 'linkedin_version' },
    );
    const statuses = [];
    for (let index = 0; index < 4; index++)
      statuses.push((await post({ elements: [element()] })).status);
    expect(statuses).toEqual([429, 401, 422, 426]);
    expect(platforms.fake.linkedin.requests[2]!.response!.body).toMatchObject({
      errorDetails: { inputErrors: [{ description: 'bad element' }] },
    });
    expect(platforms.fake.linkedin.events).toEqual([]);
  });
});
