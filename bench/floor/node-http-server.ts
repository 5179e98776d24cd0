// Framework floor, plain node:http: read the body, JSON.parse it, JSON.stringify the answer.
import { createServer, IncomingMessage } from 'node:http';
import { echo, EchoRequest, FLOOR_PATH, FLOOR_READY_PATH, floorPort } from './floor-route';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const server = createServer((req, res) => {
  const send = (status: number, body: object) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  if (req.method === 'GET' && req.url === FLOOR_READY_PATH) return send(200, { ready: true });
  if (req.method !== 'POST' || req.url !== FLOOR_PATH) return send(404, { error: 'not found' });
  readBody(req).then(
    (body) => send(200, echo(JSON.parse(body) as EchoRequest)),
    () => send(400, { error: 'bad body' }),
  );
});
server.keepAliveTimeout = 60_000;
server.listen(floorPort(), '127.0.0.1');
