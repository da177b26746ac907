import { describe, expect, it } from 'vitest';
import { createSigner } from './signing';

const SECRET = 'a-signing-secret-of-at-least-32-chars!';

describe('createSigner', () => {
  it('verifies its own token and returns the signed claims', async () => {
    const signer = createSigner(SECRET);
    const token = await signer.sign({
      name: 'Purchase',
      id: 'ord_1',
      data: { value: 42, currency: 'EUR' },
    });
    expect(await signer.verify(token)).toEqual({
      name: 'Purchase',
      id: 'ord_1',
      data: { value: 42, currency: 'EUR' },
    });
  });

  it('refuses a token whose data was changed', async () => {
    const signer = createSigner(SECRET);
    const token = await signer.sign({ name: 'Purchase', id: 'ord_1', data: { value: 42 } });
    const [, mac] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ n: 'Purchase', i: 'ord_1', d: { value: 1 } }),
    ).toString('base64url');
    expect(await signer.verify(`${forged}.${mac}`)).toBeUndefined();
  });

  it('refuses a token signed with another secret, or garbage', async () => {
    const token = await createSigner(`${SECRET}-other`).sign({ name: 'Purchase', id: 'ord_1' });
    const signer = createSigner(SECRET);
    expect(await signer.verify(token)).toBeUndefined();
    expect(await signer.verify('not-a-token')).toBeUndefined();
    expect(await signer.verify('a.b.c')).toBeUndefined();
    expect(await signer.verify('!!.??')).toBeUndefined();
  });
});
