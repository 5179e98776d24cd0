import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export const SECRET_PREFIX = 'whsec_';

/** `whsec_` + base64 of 24 to 64 random bytes: the Standard Webhooks secret format. */
export const secretPattern = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Standard Webhooks signing: v1 = base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)). */
@Injectable()
export class WebhookSigner {
  generateSecret(): string {
    return SECRET_PREFIX + randomBytes(32).toString('base64');
  }

  sign(secret: string, eventId: string, body: string, at: Date): SignedHeaders {
    return {
      'webhook-id': eventId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(eventId, at, body),
    };
  }
}
