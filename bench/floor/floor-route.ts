/** The trivial route every framework-floor server answers: a small JSON in, a small JSON out. */
export const FLOOR_PATH = '/echo';
export const FLOOR_READY_PATH = '/ready';

export interface EchoRequest {
  name: string;
  value: number;
}

export interface EchoResponse extends EchoRequest {
  ok: true;
}

export function echo(request: EchoRequest): EchoResponse {
  return { name: request.name, value: request.value, ok: true };
}

/** Every floor server listens on FLOOR_PORT, on loopback only. */
export function floorPort(): number {
  const port = Number(process.env.FLOOR_PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`FLOOR_PORT is '${process.env.FLOOR_PORT}'`);
  return port;
}
