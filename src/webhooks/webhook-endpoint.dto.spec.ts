import { createEndpointSchema, listDeliveriesSchema, updateEndpointSchema } from './webhook-endpoint.dto';

describe('webhook endpoint DTOs', () => {
  it('defaults enabled and deduplicates event types', () => {
    const parsed = createEndpointSchema.parse({
      url: 'https://hooks.example.com/x',
      eventTypes: ['drift.detected', 'drift.detected', '*'],
    });
    expect(parsed).toMatchObject({ enabled: true, eventTypes: ['drift.detected', '*'] });
  });

  it('accepts a well-formed secret and refuses a short or malformed one', () => {
    const base = { url: 'https://hooks.example.com/x', eventTypes: ['*'] };
    const good = `whsec_${Buffer.alloc(24, 9).toString('base64')}`;
    expect(createEndpointSchema.safeParse({ ...base, secret: good }).success).toBe(true);
    expect(
      createEndpointSchema.safeParse({ ...base, secret: `whsec_${Buffer.alloc(8).toString('base64')}` }).success,
    ).toBe(false);
    expect(createEndpointSchema.safeParse({ ...base, secret: 'whsec_!!!!' }).success).toBe(false);
  });

  it('names unknown event types and the known ones', () => {
    const result = createEndpointSchema.safeParse({ url: 'https://x.example/', eventTypes: ['drift.detectd'] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toMatch(/unknown event type 'drift.detectd' \(known: drift.detected/);
  });

  it('needs at least one field on update', () => {
    expect(updateEndpointSchema.safeParse({}).success).toBe(false);
    expect(updateEndpointSchema.safeParse({ enabled: false }).success).toBe(true);
  });

  it('bounds the deliveries page', () => {
    expect(listDeliveriesSchema.parse({})).toEqual({ limit: 50 });
    expect(listDeliveriesSchema.safeParse({ limit: '500' }).success).toBe(false);
    expect(listDeliveriesSchema.safeParse({ status: 'lost' }).success).toBe(false);
  });
});
