/**
 * The frontend's logger: pino writing to stderr (fd 2) only, since stdout is the gRPC stream.
 * Under BuildKit, stderr ends up in the daemon's log, not in front of the user.
 */
import pino from 'pino';

export type Logger = pino.Logger;

export function stderrLogger(level: string = process.env.MODUS_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'modus-frontend', level }, pino.destination({ dest: 2, sync: true }));
}
