import autocannon from 'autocannon';

export interface LoadTarget {
  /** Base URL of the server under test. */
  url: string;
  path: string;
  contentType: string;
  /** Cycled through by every connection. */
  bodies: Array<string | Buffer>;
  itemsPerRequest: number;
  connections: number;
  /** Sent with every request besides Content-Type (an API key). */
  headers?: Record<string, string>;
}

export interface LoadResult {
  itemsPerS: number;
  requests: number;
  seconds: number;
  non2xx: number;
  errors: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Prediction ids acknowledged in 200 responses. */
  predictionIds: string[];
}

const OIP_IDS = /"prediction_ids":\[([^\]]*)\]/;
const REST_ID = /"prediction_id":"([0-9a-f-]{36})"/g;

/**
 * Saturates one endpoint with autocannon for durationS. Every 200 response goes through the same
 * id extraction whatever the server, so the client does equal work for baseline and subject.
 */
export async function runLoad(target: LoadTarget, durationS: number): Promise<LoadResult> {
  const ids: string[] = [];
  const onResponse = (status: number, body: string) => {
    if (status === 200) for (const id of predictionIds(body)) ids.push(id);
  };
  const result = await autocannon({
    url: target.url,
    connections: target.connections,
    duration: durationS,
    timeout: 30,
    requests: target.bodies.map((body) => ({
      method: 'POST' as const,
      path: target.path,
      headers: { ...target.headers, 'content-type': target.contentType },
      body,
      onResponse,
    })),
  });
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  const ok = result['2xx'];
  return {
    itemsPerS: (ok * target.itemsPerRequest) / seconds,
    requests: ok,
    seconds,
    non2xx: result.non2xx,
    errors: result.errors,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    predictionIds: ids,
  };
}

/** Prediction ids in a response body: OIP `parameters.prediction_ids` or REST `prediction_id`s. */
export function predictionIds(body: string): string[] {
  const oip = OIP_IDS.exec(body);
  if (oip)
    return oip[1]
      .split(',')
      .filter((id) => id.length > 2)
      .map((id) => id.slice(1, -1));
  return Array.from(body.matchAll(REST_ID), (match) => match[1]);
}
