import { describe, expect, it } from 'vitest';
import dataManagerPurchase from './__fixtures__/data-manager-purchase.json';
import { type Json, useFakePlatforms } from './__fixtures__/fake-test-kit';

const NOW = Date.UTC(2026, 0, 1, 1);
const TOKEN = 'ya29.test-token';
const INGEST = '/v1/events:ingest';

const platforms = useFakePlatforms(() => NOW);

function fixture(): Json {
  return structuredClone(dataManagerPurchase) as Json;
}

async function ingest(
  body: unknown,
  options: { path?: string; token?: string | null; raw?: string } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const token = options.token === undefined ? TOKEN : options.token;
  const response = await fetch(`${platforms.fake.url}${options.path ?? INGEST}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
    },
    body: options.raw ?? JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Json,
    headers: response.headers,
  };
}

function expectInvalidArgument(result: { status: number; body: Json }, field: string) {
  expect(result.status).toBe(400);
  expect(result.body.error).toMatchObject({
    code: 400,
    status: 'INVALID_ARGUMENT',
    message: expect.any(String),
  });
  const violations = result.body.error.details[0].fieldViolations as Json[];
  expect(result.body.error.details[0]['@type']).toBe('type.googleapis.com/google.rpc.BadRequest');
  expect(violations.map((violation) => violation.field)).toContain(field);
}

describe('data manager fake: accepted requests', () => {
  it('accepts the §14 fixture and answers { requestId }', async () => {
    const result = await ingest(fixture());
    expect(result).toMatchObject({ status: 200, body: { requestId: expect.any(String) } });
    expect(Object.keys(result.body)).toEqual(['requestId']);
  });

  it('records the event keyed by productDestinationId and transactionId, time in ms', async () => {
    const body = fixture();
    await ingest(body);
    expect(platforms.fake.dataManager.events).toEqual([
      {
        platform: 'dataManager',
        pixelId: '987654321',
        eventName: 'conversion',
        eventId: 'ord_1',
        eventTime: Date.UTC(2026, 0, 1),
        body: body.events[0],
        validationOnly: false,
        deduplicated: false,
        receivedAt: NOW,
      },
    ]);
  });

  it('honours validateOnly: validates, records as test traffic and keeps it out of dedup', async () => {
    const result = await ingest({ ...fixture(), validateOnly: true });
    expect(result.status).toBe(200);
    expect(platforms.fake.dataManager.events[0]?.validationOnly).toBe(true);
    expect(platforms.fake.dataManager.requests[0]?.testMode).toBe(true);
    expect(platforms.fake.dataManager.dedupVerdict('conversion', 'ord_1')).toBe('unknown');
  });

  it('still rejects an invalid request when validateOnly is set', async () => {
    const body: Json = { ...fixture(), validateOnly: true };
    body.events[0].eventTimestamp = 1767225600;
    expectInvalidArgument(await ingest(body), 'events[0].eventTimestamp');
  });

  it('accepts BASE64-encoded hashes with encoding BASE64', async () => {
    const body = fixture();
    body.encoding = 'BASE64';
    body.events[0].userData.userIdentifiers = [
      {
        emailAddress: Buffer.from(
          '3586de92bb3636d0885a12eff961429a32e4ebd764b96f50d85d016f9338d586',
          'hex',
        ).toString('base64'),
      },
    ];
    expect((await ingest(body)).status).toBe(200);
  });

  it('accepts an address with hashed names and plain region and postal code', async () => {
    const body = fixture();
    body.events[0].userData.userIdentifiers.push({
      address: {
        givenName: '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec',
        familyName: '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec',
        regionCode: 'US',
        postalCode: '94035',
      },
    });
    expect((await ingest(body)).status).toBe(200);
  });

  it('accepts 2000 events', async () => {
    const body = fixture();
    body.events = Array.from({ length: 2000 }, (_, index) => ({
      ...body.events[0],
      transactionId: `ord_${index}`,
    }));
    expect((await ingest(body)).status).toBe(200);
    expect(platforms.fake.dataManager.events).toHaveLength(2000);
  });
});

describe('data manager fake: validation answers 400 INVALID_ARGUMENT', () => {
  const cases: Array<[string, (body: Json) => void, string]> = [
    [
      'eventTimestamp in seconds',
      (body) => (body.events[0].eventTimestamp = 1767225600),
      'events[0].eventTimestamp',
    ],
    [
      'eventTimestamp without a zone',
      (body) => (body.events[0].eventTimestamp = '2026-01-01T00:00:00'),
      'events[0].eventTimestamp',
    ],
    [
      'a missing eventTimestamp',
      (body) => delete body.events[0].eventTimestamp,
      'events[0].eventTimestamp',
    ],
    [
      'a plain e-mail',
      (body) => (body.events[0].userData.userIdentifiers[0].emailAddress = 'john@gmail.com'),
      'events[0].userData.userIdentifiers[0].emailAddress',
    ],
    [
      'a plain phone',
      (body) => (body.events[0].userData.userIdentifiers[1].phoneNumber = '+16505551212'),
      'events[0].userData.userIdentifiers[1].phoneNumber',
    ],
    [
      'upper-case hex with HEX encoding',
      (body) => (body.events[0].userData.userIdentifiers[0].emailAddress = 'A'.repeat(64)),
      'events[0].userData.userIdentifiers[0].emailAddress',
    ],
    [
      'two identifiers in one object',
      (body) =>
        (body.events[0].userData.userIdentifiers = [
          { emailAddress: 'a'.repeat(64), phoneNumber: 'b'.repeat(64) },
        ]),
      'events[0].userData.userIdentifiers[0]',
    ],
    [
      'an unhashed given name',
      (body) =>
        body.events[0].userData.userIdentifiers.push({
          address: { givenName: 'mary', regionCode: 'US' },
        }),
      'events[0].userData.userIdentifiers[2].address.givenName',
    ],
    ['a missing encoding with user data', (body) => delete body.encoding, 'encoding'],
    ['the GA4 consent enum', (body) => (body.consent.adUserData = 'GRANTED'), 'consent.adUserData'],
    [
      'an event consent outside the enum',
      (body) => (body.events[0].consent = { adPersonalization: 'YES' }),
      'events[0].consent.adPersonalization',
    ],
    ['no destinations', (body) => (body.destinations = []), 'destinations'],
    [
      'an account ID with dashes',
      (body) => (body.destinations[0].operatingAccount.accountId = '123-456-7890'),
      'destinations[0].operatingAccount.accountId',
    ],
    [
      'an unknown account type',
      (body) => (body.destinations[0].operatingAccount.accountType = 'ADS'),
      'destinations[0].operatingAccount.accountType',
    ],
    [
      'a missing productDestinationId',
      (body) => delete body.destinations[0].productDestinationId,
      'destinations[0].productDestinationId',
    ],
    ['no events', (body) => (body.events = []), 'events'],
    [
      '2001 events',
      (body) => (body.events = Array.from({ length: 2001 }, () => body.events[0])),
      'events',
    ],
    ['a misspelled event field', (body) => (body.events[0].transactionID = 'x'), 'events[0]'],
    ['a misspelled top-level field', (body) => (body.validate_only = true), ''],
    [
      'a conversionValue string',
      (body) => (body.events[0].conversionValue = '123.45'),
      'events[0].conversionValue',
    ],
    ['a lower-case currency', (body) => (body.events[0].currency = 'usd'), 'events[0].currency'],
    [
      'an unknown eventSource',
      (body) => (body.events[0].eventSource = 'WEBSITE'),
      'events[0].eventSource',
    ],
    [
      'an event without identifiers',
      (body) => {
        delete body.events[0].userData;
        delete body.events[0].adIdentifiers;
      },
      'events[0]',
    ],
    [
      'an unknown destination reference',
      (body) => (body.events[0].destinationReferences = ['nope']),
      'events[0].destinationReferences',
    ],
  ];

  it.each(cases)('rejects %s', async (_name, breakIt, field) => {
    const body = fixture();
    breakIt(body);
    expectInvalidArgument(await ingest(body), field);
    expect(platforms.fake.dataManager.events).toEqual([]);
  });

  it('lists every violation, not just the first', async () => {
    const body = fixture();
    body.events[0].eventTimestamp = 'yesterday';
    body.events[0].userData.userIdentifiers[0].emailAddress = 'john@gmail.com';
    const result = await ingest(body);
    expect(result.body.error.details[0].fieldViolations).toHaveLength(2);
  });

  it('never echoes a plain e-mail in the error', async () => {
    const body = fixture();
    body.events[0].userData.userIdentifiers[0].emailAddress = 'someone.private@example.com';
    const result = await ingest(body);
    expect(result.status).toBe(400);
    expect(JSON.stringify(result.body)).not.toContain('someone.private');
  });

  it('rejects a body that is not JSON', async () => {
    const result = await ingest(undefined, { raw: '{"events":' });
    expect(result.status).toBe(400);
    expect(result.body.error.status).toBe('INVALID_ARGUMENT');
  });
});

describe('data manager fake: authentication', () => {
  it('answers 401 UNAUTHENTICATED without a bearer token', async () => {
    const result = await ingest(fixture(), { token: null });
    expect(result.status).toBe(401);
    expect(result.body.error).toMatchObject({
      code: 401,
      status: 'UNAUTHENTICATED',
      details: [expect.objectContaining({ reason: 'CREDENTIALS_MISSING' })],
    });
    expect(result.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('answers 401 for an expired token, then accepts the refreshed one', async () => {
    platforms.fake.dataManager.rejectToken('ya29.expired');
    const expired = await ingest(fixture(), { token: 'ya29.expired' });
    expect(expired.status).toBe(401);
    expect(expired.body.error.details[0].reason).toBe('ACCESS_TOKEN_EXPIRED');
    expect(platforms.fake.dataManager.events).toEqual([]);
    expect((await ingest(fixture(), { token: 'ya29.fresh' })).status).toBe(200);
    expect(
      platforms.fake.dataManager.requests.map((request) => request.headers.authorization),
    ).toEqual(['Bearer ya29.expired', 'Bearer ya29.fresh']);
  });

  it('answers 404 NOT_FOUND for another path', async () => {
    const result = await ingest(fixture(), { path: '/v1/events:upload' });
    expect(result.status).toBe(404);
    expect(result.body.error.status).toBe('NOT_FOUND');
  });

  it('answers 429 RESOURCE_EXHAUSTED when scripted', async () => {
    platforms.fake.dataManager.respondWith({ kind: 'error', error: 'google_resource_exhausted' });
    const result = await ingest(fixture());
    expect(result.status).toBe(429);
    expect(result.body.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
  });
});

describe('data manager fake: dedup by transactionId', () => {
  it('reports matched when the Google tag copy carries the same transaction ID', async () => {
    platforms.fake.dataManager.recordPixelHit({
      pixelId: 'AW-123',
      eventName: 'purchase',
      eventId: 'ord_1',
    });
    await ingest(fixture());
    expect(platforms.fake.dataManager.dedupVerdict('purchase', 'ord_1')).toBe('matched');
  });

  it('reports duplicate when the same transactionId is ingested twice', async () => {
    await ingest(fixture());
    await ingest(fixture());
    expect(platforms.fake.dataManager.dedupVerdict('conversion', 'ord_1')).toBe('duplicate');
  });
});
