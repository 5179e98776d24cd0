import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';
import { HttpDrain } from './bootstrap';

/** A latch a handler waits on. */
function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** A real server: /slow answers when released; /stream sends its head at once, its end when released. */
function testServer() {
  const slow = latch();
  const stream = latch();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/plain' }).write('part ');
      void stream.opened.then(() => res.end('end'));
    } else if (req.url === '/slow') {
      void slow.opened.then(() => res.end('slow done'));
    } else res.end('fast');
  });
  return { server, releaseSlow: slow.open, releaseStream: stream.open };
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** A raw HTTP/1.1 connection that keeps everything it received. */
function rawConnection(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  return {
    socket,
    async until(pattern: RegExp): Promise<string> {
      while (!pattern.test(received)) await once(socket, 'data');
      return received;
    },
    clear: () => (received = ''),
  };
}

describe('HttpDrain', () => {
  it('refuses new connections, answers 503 on kept-alive ones, and finishes the requests in flight', async () => {
    const { server, releaseSlow, releaseStream } = testServer();
    const drain = new HttpDrain(server);
    const port = await listen(server);
    const slow = fetch(`http://127.0.0.1:${port}/slow`);
    const stream = rawConnection(port);
    stream.socket.write('GET /stream HTTP/1.1\r\nhost: x\r\n\r\n');
    await stream.until(/part /);
    while (drain.pending < 2) await once(server, 'request'); // /slow has arrived too
    expect(drain.pending).toBe(2);

    const drained = drain.drain();
    await expect(fetch(`http://127.0.0.1:${port}/fast`)).rejects.toThrow(); // the port is closed
    // /stream sent its head before the drain, so its connection stays open: the next request
    // on it is refused with 503 while /slow is still being answered.
    releaseStream();
    await stream.until(/end\r\n0\r\n\r\n/);
    stream.clear();
    stream.socket.write('GET /fast HTTP/1.1\r\nhost: x\r\n\r\n');
    const refused = await stream.until(/shutting_down/);
    expect(refused).toMatch(/^HTTP\/1.1 503/);
    expect(refused).toMatch(/connection: close/i);

    releaseSlow();
    const slowAnswer = await slow;
    expect(await slowAnswer.text()).toBe('slow done');
    expect(slowAnswer.headers.get('connection')).toBe('close'); // not reused after the drain
    expect(await drained).toEqual({ answered: 2, refused: 1 });
    expect(server.listening).toBe(false);
    stream.socket.destroy();
  });

  it('resolves at once when nothing is in flight', async () => {
    const { server } = testServer();
    const drain = new HttpDrain(server);
    const port = await listen(server);
    expect(await (await fetch(`http://127.0.0.1:${port}/fast`)).text()).toBe('fast');
    await expect(drain.drain()).resolves.toEqual({ answered: 0, refused: 0 });
  });
});
