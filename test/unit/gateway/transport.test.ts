import * as http2 from 'node:http2';
import * as net from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMessage } from '../../../proto/schema';
import {
  frameMessage,
  GatewayClient,
  GRPC_CODE,
  GrpcError,
  GrpcTransport,
  statusFromError,
  FrontendError,
  unframeMessages,
} from '../../../frontend/gateway';
import { statusFromMetadata } from '../../../frontend/gateway/transport';

describe('gRPC framing', () => {
  it('frames and unframes messages', () => {
    const frame = frameMessage(new Uint8Array([1, 2, 3]));
    expect([...frame]).toEqual([0, 0, 0, 0, 3, 1, 2, 3]);
    const two = Buffer.concat([frame, frameMessage(new Uint8Array())]);
    expect(unframeMessages(two).map((m) => [...m])).toEqual([[1, 2, 3], []]);
    expect(() => unframeMessages(frame.subarray(0, 6))).toThrow(/truncated/);
    expect(() => unframeMessages(Buffer.from([1, 0, 0, 0, 0]))).toThrow(/compressed/);
  });

  it('reads status, percent-encoded message and the details trailer', () => {
    const details = encodeMessage('google.rpc.Status', {
      code: 2,
      message: 'failed: 100% sure',
      details: [{ type_url: 'x+json', value: Buffer.from('{"a":1}') }],
    });
    const status = statusFromMetadata({
      'grpc-status': '2',
      'grpc-message': 'failed%3A 100%25 sure',
      'grpc-status-details-bin': Buffer.from(details).toString('base64').replace(/=+$/, ''),
    });
    expect(status!.code).toBe(2);
    expect(status!.message).toBe('failed: 100% sure');
    const err = new GrpcError('/m', status!);
    expect(err.jsonDetails()).toEqual([{ typeUrl: 'x+json', value: { a: 1 } }]);
    expect(statusFromMetadata({ 'grpc-status': '5', 'grpc-message': 'a%20b' })).toEqual({ code: 5, message: 'a b', details: [] });
    expect(statusFromMetadata({})).toBeUndefined();
  });
});

describe('statusFromError', () => {
  it('forwards daemon statuses unchanged and wraps the rest as UNKNOWN', () => {
    const status = { code: 2, message: 'm', details: [{ type_url: 't', value: new Uint8Array([1]) }] };
    expect(statusFromError(new GrpcError('/x', status))).toBe(status);
    expect(statusFromError(new FrontendError('bad goal'))).toEqual({ code: 2, message: 'bad goal', details: [] });
    expect(statusFromError(new Error('oops')).message).toBe('internal error in the Modus frontend: oops');
  });
});

describe('GrpcTransport against an in-process HTTP/2 server', () => {
  let server: http2.Http2Server;
  let socketPath: string;
  let handler: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void;
  const clients: GrpcTransport[] = [];

  beforeAll(async () => {
    socketPath = join(mkdtempSync(join(tmpdir(), 'modus-h2-')), 'sock');
    server = http2.createServer();
    server.on('stream', (stream, headers) => handler(stream, headers));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await new Promise((resolve) => server.close(resolve));
  });

  function client(): GatewayClient {
    const transport = GrpcTransport.overStream(net.connect(socketPath));
    clients.push(transport);
    return new GatewayClient(transport);
  }

  it('sends gRPC headers on a POST to the method path and decodes the reply', async () => {
    let seen: http2.IncomingHttpHeaders = {};
    handler = (stream, headers) => {
      seen = headers;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(frameMessage(encodeMessage('moby.buildkit.v1.frontend.ReadFileResponse', { Data: Buffer.from('hi') })));
    };
    expect(Buffer.from(await client().readFile('r', 'f')).toString()).toBe('hi');
    expect(seen[':method']).toBe('POST');
    expect(seen[':path']).toBe('/moby.buildkit.v1.frontend.LLBBridge/ReadFile');
    expect(seen[':authority']).toBe('localhost');
    expect(seen['content-type']).toBe('application/grpc');
    expect(seen.te).toBe('trailers');
  });

  it('understands a trailers-only error response', async () => {
    handler = (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'unknown method' }, { endStream: true });
    };
    await expect(client().evaluate('r')).rejects.toMatchObject({ name: 'GrpcError', code: GRPC_CODE.UNIMPLEMENTED, message: 'unknown method' });
  });

  it('fails a non-gRPC HTTP answer as UNAVAILABLE', async () => {
    handler = (stream) => {
      stream.respond({ ':status': 503 });
      stream.end('no');
    };
    await expect(client().readFile('r', 'f')).rejects.toMatchObject({ code: GRPC_CODE.UNAVAILABLE });
  });

  it('times out a Ping that gets no answer, with grpc-timeout sent', async () => {
    let timeout: unknown;
    handler = (_stream, headers) => {
      timeout = headers['grpc-timeout'];
    };
    const started = Date.now();
    await expect(client().ping(150)).rejects.toMatchObject({ code: GRPC_CODE.DEADLINE_EXCEEDED });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(timeout).toBe('150m');
  });

  it('receives a multi-MiB message', async () => {
    const big = Buffer.alloc(9 << 20, 7);
    handler = (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(frameMessage(encodeMessage('moby.buildkit.v1.frontend.ReadFileResponse', { Data: big })));
    };
    const data = await client().readFile('r', 'big');
    expect(data.length).toBe(big.length);
    expect(Buffer.from(data).equals(big)).toBe(true);
  });

  it('runs concurrent calls on the one connection', async () => {
    handler = (stream, headers) => {
      const delay = headers[':path']!.endsWith('ReadFile') ? 30 : 0;
      setTimeout(() => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(frameMessage(new Uint8Array()));
      }, delay);
    };
    const c = client();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => c.readFile('r', `f${i}`)));
    expect(results).toHaveLength(20);
  });
});
