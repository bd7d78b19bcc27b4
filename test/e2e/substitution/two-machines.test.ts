// Two machines sharing a cache repository: machine A (the main daemon) builds a goal with heavy
// shared sub-images through `modus build --cache-repo R --push-cache`; machine B (a second dockerd,
// scripts/start-second-daemon.sh, its build cache emptied) builds the same goal with R, runs none of
// the stored sub-images' steps and gets the same files; after one copied context file changes, B
// rebuilds exactly the sub-images that read it.
import { spawn, spawnSync } from 'child_process';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { buildSync } from 'esbuild';
import { BUSYBOX_IMAGE, DOCKER, FRONTEND_IMAGE, describeE2e, docker, dockerChecked, makeContext, makeTempDirectory, writeContextFile } from '../support';
import { FRONTEND_SUITE } from '../frontend/support';

const B_HOST = process.env.MODUS_B_HOST || 'unix:///var/run/modus-b.sock';
const REPO = `${process.env.MODUS_TEST_REGISTRY || '127.0.0.1:5000'}/modus-e2e/two-machines-${randomBytes(4).toString('hex')}`;
const ROOT = path.join(__dirname, '../../..');

/** heavy is shared by withA and withB; only withA (and app, built on it) reads a.txt. */
function modusfile(nonce: string): string {
  return [
    `heavy :- from("${BUSYBOX_IMAGE}"), run("dd if=/dev/urandom of=/heavy bs=1k count=512 2>/dev/null; sleep 2 # ${nonce}").`,
    'withA :- heavy, copy("a.txt", "/a.txt"), run("sha256sum /heavy /a.txt > /sums; sleep 1").',
    'withB :- heavy, copy("b.txt", "/b.txt"), run("dd if=/dev/urandom of=/rb bs=1k count=64 2>/dev/null; sleep 1").',
    'app :- withA, withB::copy("/rb", "/rb"), run("cat /sums > /app").',
    '',
  ].join('\n');
}

let bundle: string | undefined;

/** The `modus` program bundled from the working tree once per file. */
function modusScript(): string {
  if (!bundle) {
    bundle = path.join(makeTempDirectory('modus-e2e-two-machines-'), 'modus.js');
    buildSync({ entryPoints: [path.join(ROOT, 'frontend/cli/main.ts')], bundle: true, platform: 'node', target: 'node20', outfile: bundle, logLevel: 'warning' });
  }
  return bundle;
}

interface Built {
  imageId: string;
  stderr: string;
}

/** `modus build --json --verbose --network none ... CONTEXT app` on the daemon at `host` (default A). */
function modusBuild(context: string, extra: string[], host?: string): Promise<Built> {
  const args = [modusScript(), 'build', '--json', '--verbose', '--network', 'none', ...extra, context, 'app'];
  const env = { ...process.env, MODUS_DOCKER: DOCKER, MODUS_FRONTEND: FRONTEND_IMAGE, MODUS_BUILDX: '0', ...(host ? { DOCKER_HOST: host } : {}) };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: context, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`modus build exited with ${code}:\n${stderr}`));
      const report = JSON.parse(stdout) as { literal: string; image_id: string }[];
      resolve({ imageId: report[0]!.image_id, stderr });
    });
  });
}

const onB = { env: { DOCKER_HOST: B_HOST } };

/** Checksums of the image's files (the random ones too), read in a container on `host`. */
async function fileSums(image: string, host?: string): Promise<string> {
  const result = await dockerChecked(['run', '--rm', '--network=none', '--entrypoint', 'sha256sum', image, '/heavy', '/a.txt', '/rb', '/sums', '/app'], host ? { env: { DOCKER_HOST: host } } : {});
  return result.stdout;
}

/** The Modus step lines of the progress: `app › run(...)` and so on (one per vertex, not per status line). */
function stepsOf(stderr: string, predicate: string): string[] {
  const names = new Set<string>();
  for (const match of stderr.matchAll(new RegExp(`#\\d+ (${predicate} › .*)$`, 'gm'))) names.add(match[1]!);
  return [...names].sort();
}

const imagesOnB: string[] = [];
const tagsOnA: string[] = [];

describeE2e(
  'image caching: two machines sharing a cache repository',
  () => {
    beforeAll(async () => {
      const started = spawnSync('bash', [path.join(ROOT, 'scripts/start-second-daemon.sh')], { encoding: 'utf8', timeout: 180_000 });
      if (started.status !== 0) throw new Error(`scripts/start-second-daemon.sh failed:\n${started.stdout}${started.stderr}`);
      await dockerChecked(['builder', 'prune', '-af'], onB);
    });

    afterAll(async () => {
      if (imagesOnB.length > 0) await docker(['image', 'rm', '--force', ...imagesOnB], onB);
      if (tagsOnA.length > 0) await docker(['image', 'rm', ...tagsOnA]);
    });

    test("starting B leaves A's default bridge network working", async () => {
      expect((await docker(['run', '--rm', BUSYBOX_IMAGE, 'echo', 'bridge-ok'])).stdout.trim()).toBe('bridge-ok');
    });

    test('B takes the stored sub-images and rebuilds only those reading a changed file', async () => {
      const context = makeContext({ 'a.txt': 'a, first\n', 'b.txt': 'b\n' });
      writeContextFile(context, 'Modusfile', modusfile(randomBytes(8).toString('hex')));

      const onA = await modusBuild(context, ['--cache-repo', REPO, '--push-cache']);
      tagsOnA.push(...[...onA.stderr.matchAll(/^modus build: pushed \S+ as (\S+)$/gm)].map((m) => m[1]!));
      for (const literal of ['heavy', 'withA', 'withB', 'app']) expect(onA.stderr).toMatch(new RegExp(`pushed ${literal} as ${REPO.replace(/[./]/g, '\\$&')}:mk1-`));
      expect(stepsOf(onA.stderr, 'heavy')).not.toEqual([]);
      const sumsA = await fileSums(onA.imageId);

      const first = await modusBuild(context, ['--cache-repo', REPO], B_HOST);
      imagesOnB.push(first.imageId);
      expect(first.stderr).toContain(`[modus] substitute app from ${REPO}:mk1-`);
      for (const predicate of ['heavy', 'withA', 'withB', 'app']) expect(stepsOf(first.stderr, predicate)).toEqual([]);
      expect(await fileSums(first.imageId, B_HOST)).toBe(sumsA);

      writeContextFile(context, 'a.txt', 'a, changed\n');
      const changed = await modusBuild(context, ['--cache-repo', REPO], B_HOST);
      imagesOnB.push(changed.imageId);
      expect(changed.stderr).toContain(`[modus] substitute heavy from ${REPO}:mk1-`);
      expect(changed.stderr).toContain(`[modus] substitute withB from ${REPO}:mk1-`);
      expect(changed.stderr).toMatch(/cache repo: building withA \(/);
      expect(changed.stderr).toMatch(/cache repo: building app \(/);
      expect(stepsOf(changed.stderr, 'heavy')).toEqual([]);
      expect(stepsOf(changed.stderr, 'withB')).toEqual([]);
      expect(stepsOf(changed.stderr, 'withA').join('\n')).toMatch(/withA › run\("sha256sum/);
      expect(stepsOf(changed.stderr, 'app').join('\n')).toMatch(/app › run\("cat \/sums/);

      // The same heavy and withB files as on A; a.txt (and what was computed from it) is new.
      const sumsChanged = await fileSums(changed.imageId, B_HOST);
      const line = (sums: string, file: string) => sums.split('\n').find((l) => l.endsWith(` ${file}`));
      for (const file of ['/heavy', '/rb']) expect(line(sumsChanged, file)).toBe(line(sumsA, file));
      for (const file of ['/a.txt', '/sums', '/app']) expect(line(sumsChanged, file)).not.toBe(line(sumsA, file));
      const app = await dockerChecked(['run', '--rm', '--network=none', '--entrypoint', 'cat', changed.imageId, '/app'], onB);
      expect(app.stdout).toContain(line(sumsA, '/heavy')!.split(' ')[0]);
    });
  },
  FRONTEND_SUITE,
);
