// Helpers of the layer-cache e2e suites: builds whose step statuses and cache explanations are
// read from the plain progress output, a changing file served over http and a git repository
// served by `git daemon`, both on 127.0.0.1.
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { explainBuild, renderExplanations, type ExplainState, type StepExplanation } from '../../../frontend/caching/explain';
import { BUSYBOX_IMAGE, FRONTEND_IMAGE, dockerBuild, makeTempDirectory, removeImages, type BuildOptions } from '../support';

export const GIT_IMAGE = process.env.MODUS_GIT_IMAGE || 'modus-test/git:1';
export const FROM_BUSYBOX = `from("${BUSYBOX_IMAGE}")`;
export const FROM_GIT = `from("${GIT_IMAGE}")`;

/** Unique per run, so that BuildKit's cache from earlier runs of the suite never answers. */
export const RUN_ID = `${process.pid}-${Date.now()}`;

export interface CachedBuild {
  imageId: string;
  output: string;
  explanations: StepExplanation[];
  /** The explanation text `modus build --explain-cache` prints. */
  explained: string;
}

/**
 * Builds one target again and again from one context, keeping the previous build's step
 * records like `modus build --explain-cache` does, so each build comes with its explanation.
 */
export class BuildSeries {
  private state: ExplainState = {};
  private readonly images: string[] = [];

  constructor(private readonly base: BuildOptions & { target: string }) {}

  async build(extra: Partial<BuildOptions> = {}): Promise<CachedBuild> {
    const result = await dockerBuild({ ...this.base, ...extra });
    if (result.code !== 0 || !result.imageId) {
      throw new Error(`build of ${this.base.target} failed with ${result.code}:\n${result.output}`);
    }
    this.images.push(result.imageId);
    const file = path.resolve(this.base.context, this.base.file ?? 'Modusfile');
    const { explanations, state } = explainBuild(this.state, file, this.base.target, result.output);
    this.state = state;
    return { imageId: result.imageId, output: result.output, explanations, explained: renderExplanations(explanations) };
  }

  async cleanUp(): Promise<void> {
    await removeImages(...this.images.splice(0));
  }
}

/** The status of the one step whose name contains `text` (cached, run or failed). */
export function statusOf(build: CachedBuild, text: string): string {
  return stepOf(build, text).status;
}

/** The explanation lines of the one step whose name contains `text`. */
export function reasonsOf(build: CachedBuild, text: string): string[] {
  return build.explained
    .split('\n')
    .reduce<{ inStep: boolean; lines: string[] }>(
      (acc, line) => {
        if (!line.startsWith('    ')) return { inStep: line.includes(text), lines: acc.lines };
        return acc.inStep ? { inStep: true, lines: [...acc.lines, line.trim()] } : acc;
      },
      { inStep: false, lines: [] },
    ).lines;
}

function stepOf(build: CachedBuild, text: string): StepExplanation {
  const matches = build.explanations.filter((e) => e.name.includes(text));
  if (matches.length !== 1) {
    throw new Error(`expected one step containing ${text}, found ${matches.length}:\n${build.explained}\n${build.output}`);
  }
  return matches[0]!;
}

export const CACHING_SUITE = { images: [FRONTEND_IMAGE, BUSYBOX_IMAGE] };
export const GIT_SUITE = { images: [FRONTEND_IMAGE, BUSYBOX_IMAGE, GIT_IMAGE] };

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** An http server on 127.0.0.1 answering every GET with the current `content`. */
export class ChangingFile {
  content = '';
  private server: http.Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(this.content) });
      res.end(this.content);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  url(name: string): string {
    return `http://127.0.0.1:${this.port}/${name}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@example.invalid', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@example.invalid' },
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout.trim();
}

/** A bare repository served by `git daemon` on 127.0.0.1, and a work tree that pushes to it. */
export class ServedRepository {
  private daemon: ChildProcess | undefined;
  private readonly root = makeTempDirectory('modus-e2e-git-');
  private readonly work = path.join(this.root, 'work');
  port = 0;

  constructor(private readonly name: string) {}

  async start(): Promise<void> {
    const bare = path.join(this.root, 'served', `${this.name}.git`);
    fs.mkdirSync(bare, { recursive: true });
    git(bare, 'init', '-q', '--bare', '-b', 'main');
    git(this.root, 'init', '-q', '-b', 'main', this.work);
    git(this.work, 'remote', 'add', 'origin', bare);
    this.port = await freePort();
    this.daemon = spawn(
      'git',
      ['daemon', '--reuseaddr', `--base-path=${path.join(this.root, 'served')}`, '--export-all', '--enable=receive-pack', '--listen=127.0.0.1', `--port=${this.port}`],
      { stdio: 'ignore' },
    );
    await waitForPort(this.port);
  }

  url(): string {
    return `git://127.0.0.1:${this.port}/${this.name}.git`;
  }

  /** Commits `content` as README and pushes it; returns the new commit. */
  commit(content: string): string {
    fs.writeFileSync(path.join(this.work, 'README'), content);
    git(this.work, 'add', 'README');
    git(this.work, 'commit', '-q', '-m', content);
    git(this.work, 'push', '-q', 'origin', 'main');
    return git(this.work, 'rev-parse', 'HEAD');
  }

  stop(): void {
    if (this.daemon?.pid !== undefined && this.daemon.exitCode === null) this.daemon.kill('SIGTERM');
  }
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
