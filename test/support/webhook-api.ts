/** Small JSON client for the webhook endpoints of a test app. */
export function webhookApi(baseUrl: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  return {
    call,
    create: (body: Record<string, unknown>) => call('POST', '/v1/webhooks', body),
    show: (id: string) => call('GET', `/v1/webhooks/${id}`),
    test: (id: string) => call('POST', `/v1/webhooks/${id}/test`),
    deliveries: (id: string, query = '') => call('GET', `/v1/webhooks/${id}/deliveries${query}`),
    delivery: (id: string, deliveryId: string) => call('GET', `/v1/webhooks/${id}/deliveries/${deliveryId}`),
    redeliver: (id: string, deliveryId: string) =>
      call('POST', `/v1/webhooks/${id}/deliveries/${deliveryId}/redeliver`),
  };
}

export type WebhookApi = ReturnType<typeof webhookApi>;
