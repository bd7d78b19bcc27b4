/**
 * The HTTP/2 greeting, sent before anything else.
 *
 * BuildKit serves the frontend's connection with Go's HTTP/2 server, started before the
 * frontend's container is created. That server drops a connection whose client preface has not
 * arrived within 10 s, or whose first SETTINGS frame has not followed the preface within 2 s, and
 * says so only in verbose logs: the build fails with "frontend grpc server closed unexpectedly"
 * and the frontend is killed. Under load (20 builds at once on 2 cores) container creation,
 * node's start and loading node:http2 took longer than that.
 *
 * So the frontend writes the preface and an empty SETTINGS frame (no change to the defaults)
 * first, before loading HTTP/2, and node's HTTP/2 client then runs over a stream that removes
 * what would repeat it: the client's own preface on the way out, and the server's ACK of the
 * early SETTINGS on the way in (the client counts one ACK per SETTINGS it sent). The client's
 * own SETTINGS frame goes through unchanged, so both sides agree on every setting. The frontend
 * image's entrypoint goes further: a shell `printf` writes the greeting before node even starts
 * (node's start alone took 2-3 s under that load) and sets MODUS_GREETING_SENT=1.
 */
import { Duplex, Transform, type Readable, type TransformCallback, type Writable } from 'node:stream';

export const CLIENT_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

const FRAME_HEADER_LENGTH = 9;
const SETTINGS_TYPE = 0x4;
const ACK_FLAG = 0x1;

/** An empty SETTINGS frame: length 0, type SETTINGS, no flags, stream 0. */
const EMPTY_SETTINGS = Buffer.from([0, 0, 0, SETTINGS_TYPE, 0, 0, 0, 0, 0]);

/** What the server waits for first: the client preface and a SETTINGS frame. */
export const EARLY_GREETING = Buffer.concat([CLIENT_PREFACE, EMPTY_SETTINGS]);

/**
 * Writes the greeting to `output` (unless the process that started this one already did) and
 * returns the stream for the HTTP/2 client: its writes go to `output` without their preface, and
 * it reads `input` without the ACK of the early SETTINGS.
 */
export function greetEarly(input: Readable, output: Writable, options: { alreadySent?: boolean } = {}): Duplex {
  if (!options.alreadySent) output.write(EARLY_GREETING);
  const outbound = new WithoutPreface();
  outbound.pipe(output);
  return Duplex.from({ readable: input.pipe(new WithoutFirstSettingsAck()), writable: outbound });
}

/** Passes bytes through, except the client preface at the start (which must be there). */
export class WithoutPreface extends Transform {
  private seen = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let rest = chunk;
    if (this.seen < CLIENT_PREFACE.length) {
      const n = Math.min(CLIENT_PREFACE.length - this.seen, rest.length);
      if (!rest.subarray(0, n).equals(CLIENT_PREFACE.subarray(this.seen, this.seen + n))) {
        done(new Error('the HTTP/2 client did not start with the connection preface'));
        return;
      }
      this.seen += n;
      rest = rest.subarray(n);
    }
    if (rest.length > 0) this.push(rest);
    done();
  }
}

/** Passes HTTP/2 frames through, except the first SETTINGS frame with the ACK flag. */
export class WithoutFirstSettingsAck extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private dropped = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.dropped) {
      this.push(chunk);
      done();
      return;
    }
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let offset = 0;
    while (this.pending.length - offset >= FRAME_HEADER_LENGTH) {
      const frameLength = FRAME_HEADER_LENGTH + this.pending.readUIntBE(offset, 3);
      const isSettingsAck = this.pending[offset + 3] === SETTINGS_TYPE && (this.pending[offset + 4]! & ACK_FLAG) !== 0;
      if (this.pending.length - offset < frameLength) break;
      if (isSettingsAck) {
        this.dropped = true;
        if (offset > 0) this.push(this.pending.subarray(0, offset));
        if (this.pending.length > offset + frameLength) this.push(this.pending.subarray(offset + frameLength));
        this.pending = Buffer.alloc(0);
        done();
        return;
      }
      offset += frameLength;
    }
    if (offset > 0) this.push(this.pending.subarray(0, offset));
    this.pending = this.pending.subarray(offset);
    done();
  }
}
