/**
 * What a person sees while images build (on stderr): one line per image — waiting, building,
 * done in N s, failed. On a terminal the lines are redrawn in place; otherwise (or with many
 * images) each change is a new plain line. `verbose` adds every line of BuildKit's progress,
 * prefixed by the image literal.
 */
import type { JobEvent, JobResult } from './runner';

interface ProgressOptions {
  write: (text: string) => void;
  live: boolean;
  verbose: boolean;
  /** Elapsed seconds for the live view's clock. */
  now?: () => number;
}

/** `modus build --progress`, as docker spells it. */
export const PROGRESS_MODES = ['auto', 'plain', 'tty', 'quiet'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/**
 * What a mode shows: `auto` redraws in place on a terminal and prints plain lines otherwise,
 * `tty` always redraws, `plain` prints plain lines and every line of BuildKit's progress, `quiet`
 * none of the per-image lines (the messages and errors of `modus build` itself stay).
 */
export function progressOptions(mode: ProgressMode, io: { stderr: (text: string) => void; isTTY: boolean }): ProgressOptions {
  if (mode === 'quiet') return { write: () => undefined, live: false, verbose: false };
  return { write: io.stderr, live: mode === 'tty' || (mode === 'auto' && io.isTTY), verbose: mode === 'plain' };
}

/**
 * Where the informational lines of `modus build` itself go (what is built and how, the tags, the
 * time taken): stderr, or nowhere with `quiet`. Warnings and errors always go to stderr.
 */
export function infoWriter(mode: ProgressMode, io: { stderr: (text: string) => void }): (text: string) => void {
  return mode === 'quiet' ? () => undefined : io.stderr;
}

/**
 * `quiet` without `--json`: the image IDs on stdout, one line per image in the order of the
 * solutions, as `docker build -q` prints its image's ID.
 */
export function printQuietIds(mode: ProgressMode, json: boolean, ids: readonly (string | undefined)[], io: { stdout: (text: string) => void }): void {
  if (mode !== 'quiet' || json) return;
  io.stdout(ids.flatMap((id) => (id === undefined ? [] : [`${id}\n`])).join(''));
}

type Row = { state: 'waiting' } | { state: 'building'; since: number } | { state: 'ended'; result: JobResult };

/** At most this many rows are redrawn in place; more would scroll off a terminal. */
const LIVE_ROWS = 40;

export class BuildProgress {
  private readonly rows: Row[];
  private readonly width: number;
  private readonly live: boolean;
  private readonly now: () => number;
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly literals: readonly string[],
    private readonly options: ProgressOptions,
  ) {
    this.rows = literals.map(() => ({ state: 'waiting' }));
    this.width = Math.min(48, Math.max(...literals.map((l) => l.length), 1));
    this.live = options.live && !options.verbose && literals.length <= LIVE_ROWS;
    this.now = options.now ?? (() => performance.now() / 1000);
  }

  begin(concurrency: number): void {
    if (this.live) {
      this.redraw();
      this.timer = setInterval(() => this.redraw(), 250);
      this.timer.unref();
    } else if (concurrency < this.literals.length) {
      this.literals.forEach((_, i) => this.options.write(this.line(i) + '\n'));
    }
  }

  onEvent(event: JobEvent): void {
    if (event.kind === 'output') {
      if (this.options.verbose) this.options.write(`${this.label(event.index)} | ${event.line}\n`);
      return;
    }
    // An image the one solve is building already is not started again: its row keeps its time.
    if (event.kind === 'start' && this.rows[event.index]?.state === 'building') return;
    this.rows[event.index] = event.kind === 'start' ? { state: 'building', since: this.now() } : { state: 'ended', result: event.result };
    if (this.live) this.redraw();
    else if (event.kind === 'start' || event.result.state !== 'cancelled') this.options.write(this.line(event.index) + '\n');
  }

  /** Stops redrawing; the last state of every row stays on screen. */
  end(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.live) this.redraw();
  }

  private redraw(): void {
    const up = this.drawn > 0 ? `\u001b[${this.drawn}F` : '';
    const body = this.literals.map((_, i) => `\u001b[2K${this.line(i)}\n`).join('');
    this.options.write(up + body);
    this.drawn = this.literals.length;
  }

  private label(index: number): string {
    const count = String(this.literals.length);
    return `[${String(index + 1).padStart(count.length)}/${count}] ${this.literals[index]!.padEnd(this.width)}`;
  }

  private line(index: number): string {
    return `${this.label(index)}  ${this.status(this.rows[index]!)}`;
  }

  private status(row: Row): string {
    switch (row.state) {
      case 'waiting':
        return 'waiting';
      case 'building':
        return this.live ? `building ${seconds(this.now() - row.since)}` : 'building';
      case 'ended':
        return endStatus(row.result);
    }
  }
}

function endStatus(result: JobResult): string {
  switch (result.state) {
    case 'done':
      return `done in ${seconds(result.seconds)}${result.imageId === undefined ? '' : `  ${shortId(result.imageId)}`}`;
    case 'failed':
      return `failed after ${seconds(result.seconds)}${result.reason ? ` (${result.reason})` : ''}`;
    case 'cancelled':
      return 'cancelled';
  }
}

export function seconds(value: number): string {
  return `${value.toFixed(1)} s`;
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** The end of a failed build's log: BuildKit prints the failing step's output and the error last. */
export function failureLog(literal: string, result: JobResult, maxLines = 80): string {
  const lines = result.log.replace(/\n$/, '').split('\n');
  const shown = lines.slice(-maxLines);
  const cut = lines.length > shown.length ? ` (last ${shown.length} of ${lines.length} lines)` : '';
  const head = `--- ${literal}: BuildKit log${cut} ---`;
  const reason = result.reason ? [`modus: ${result.reason}`] : [];
  return [head, ...shown, ...reason, '-'.repeat(Math.min(head.length, 72))].join('\n') + '\n';
}
