import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signedHeaders } from './webhook-signing';

describe('webhook signing', () => {
  const body = JSON.stringify({ type: 'invoice.paid', timestamp: '2026-01-01T00:00:00.000Z', data: { id: 'x' } });

  it('makes whsec_ secrets that the standardwebhooks package accepts', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(() => new Webhook(secret)).not.toThrow();
  });

  it('signs so that a receiver holding either secret of a rotation verifies, and one holding another secret does not', () => {
    const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
    const headers = signedHeaders('msg_1', new Date(), body, [newSecret, oldSecret]);

    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(oldSecret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(newSecret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow('No matching signature found');
  });
});
