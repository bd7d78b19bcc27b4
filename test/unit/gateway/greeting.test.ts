import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, type Transform } from 'node:stream';
import { CLIENT_PREFACE, EARLY_GREETING, greetEarly, WithoutFirstSettingsAck, WithoutPreface } from '../../../frontend/gateway/greeting';
import { startsProcesses } from '../../support/process-tests';

startsProcesses();

const frame = (type: number, flags: number, payload: number[] = []) =>
  Buffer.from([(payload.length >> 16) & 0xff, (payload.length >> 8) & 0xff, payload.length & 0xff, type, flags, 0, 0, 0, 0, ...payload]);
const SETTINGS = frame(4, 0, [0, 4, 0, 0x40, 0, 0]);
const SETTINGS_ACK = frame(4, 1);
const WINDOW_UPDATE = frame(8, 0, [0, 0x0f, 0, 1]);
const HEADERS = frame(1, 4, [0x88]);

/** Feeds `chunks` through `transform` and resolves with everything it passed on. */
async function through(transform: Transform, chunks: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  transform.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    transform.on('end', resolve);
    transform.on('error', reject);
  });
  for (const c of chunks) transform.write(c);
  transform.end();
  await ended;
  return Buffer.concat(out);
}

/** Every split of `bytes` into two chunks, and one byte at a time. */
function splits(bytes: Buffer): Buffer[][] {
  const out: Buffer[][] = [[...bytes].map((b) => Buffer.from([b]))];
  for (let i = 0; i <= bytes.length; i++) out.push([bytes.subarray(0, i), bytes.subarray(i)]);
  return out;
}

describe('early HTTP/2 greeting', () => {
  it('is the client preface and an empty SETTINGS frame', () => {
    expect(EARLY_GREETING.subarray(0, 24).toString('latin1')).toBe('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    expect([...EARLY_GREETING.subarray(24)]).toEqual([0, 0, 0, 4, 0, 0, 0, 0, 0]);
  });

  it("drops the client's own preface however its writes are split, and keeps what follows", async () => {
    const written = Buffer.concat([CLIENT_PREFACE, SETTINGS, HEADERS]);
    for (const chunks of splits(written)) {
      expect(await through(new WithoutPreface(), chunks)).toEqual(Buffer.concat([SETTINGS, HEADERS]));
    }
  });

  it('fails when the client does not start with the preface', async () => {
    await expect(through(new WithoutPreface(), [Buffer.from('GET / HTTP/1.1\r\n')])).rejects.toThrow('connection preface');
  });

  it("drops only the server's first SETTINGS ACK, however the frames arrive", async () => {
    const received = Buffer.concat([SETTINGS, WINDOW_UPDATE, SETTINGS_ACK, SETTINGS_ACK, HEADERS]);
    const expected = Buffer.concat([SETTINGS, WINDOW_UPDATE, SETTINGS_ACK, HEADERS]);
    for (const chunks of splits(received)) {
      expect(await through(new WithoutFirstSettingsAck(), chunks)).toEqual(expected);
    }
  });

  it('writes the greeting before the client writes anything, then passes the client through', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const written: Buffer[] = [];
    output.on('data', (c: Buffer) => written.push(c));
    const stream = greetEarly(input, output);
    expect(Buffer.concat(written)).toEqual(EARLY_GREETING);
    stream.write(Buffer.concat([CLIENT_PREFACE, SETTINGS]));
    const read: Buffer[] = [];
    stream.on('data', (c: Buffer) => read.push(c));
    input.write(Buffer.concat([SETTINGS, SETTINGS_ACK, SETTINGS_ACK]));
    await new Promise((r) => setImmediate(r));
    expect(Buffer.concat(written)).toEqual(Buffer.concat([EARLY_GREETING, SETTINGS]));
    expect(Buffer.concat(read)).toEqual(Buffer.concat([SETTINGS, SETTINGS_ACK]));
  });

  it('writes nothing when the entrypoint already sent it', () => {
    const output = new PassThrough();
    const written: Buffer[] = [];
    output.on('data', (c: Buffer) => written.push(c));
    greetEarly(new PassThrough(), output, { alreadySent: true });
    expect(written).toEqual([]);
  });

  it("is what the frontend image's entrypoint prints before it starts node", () => {
    const dockerfile = readFileSync(join(__dirname, '../../../Dockerfile'), 'utf8');
    const entrypoint = JSON.parse(/^ENTRYPOINT (.*)$/m.exec(dockerfile)![1]!) as string[];
    expect(entrypoint.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    const [greeting, start] = entrypoint[2]!.split(' && ');
    expect(start).toBe('MODUS_GREETING_SENT=1 exec /usr/local/bin/node --snapshot-blob /modus/frontend.blob');
    expect(execFileSync('/bin/sh', ['-c', greeting!])).toEqual(EARLY_GREETING);
  });
});
