import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { secretPattern, WebhookSigner } from './webhook-signer';

describe('WebhookSigner', () => {
  const signer = new WebhookSigner();
  const at = new Date();
  const body = JSON.stringify({ id: 'e1', type: 'webhook.test', data: { message: 'héllo' } });

  it('generates Standard Webhooks secrets, different every time', () => {
    const a = signer.generateSecret();
    expect(a).toMatch(secretPattern);
    expect(Buffer.from(a.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(signer.generateSecret()).not.toBe(a);
  });

  it('produces headers that standardwebhooks verifies', () => {
    const secret = signer.generateSecret();
    const headers = signer.sign(secret, 'evt-1', body, at);
    expect(headers['webhook-id']).toBe('evt-1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('signs v1 = base64(HMAC-SHA256(key, id.timestamp.body)) per the spec', () => {
    const secret = `whsec_${Buffer.alloc(24, 1).toString('base64')}`;
    const headers = signer.sign(secret, 'msg_1', body, at);
    const expected = createHmac('sha256', Buffer.alloc(24, 1))
      .update(`msg_1.${headers['webhook-timestamp']}.${body}`)
      .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
  });

  it('fails verification with another secret or a changed body', () => {
    const secret = signer.generateSecret();
    const headers = { ...signer.sign(secret, 'evt-2', body, at) };
    expect(() => new Webhook(signer.generateSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body.replace('héllo', 'hello'), headers)).toThrow();
  });
});
