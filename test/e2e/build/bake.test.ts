// `modus bake` built by `docker buildx bake` as it is, and `modus build` through one bake on
// current Docker (its builder, --push to the local registry, a daemon reached over TCP, faults);
// on Docker 20.10's client, which has no buildx, the buildx options are a clear error.
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { BUSYBOX_IMAGE, DOCKER, FRONTEND_IMAGE, ON_CURRENT_DOCKER, describeE2e, docker, dockerRun, imageExists, inspectImage, makeContext, removeImages } from '../support';
import { modus, nonce } from './cli';

const BB = BUSYBOX_IMAGE;
const REGISTRY = 'localhost:5000';
/** The current daemon also listens here: a daemon "on another machine" as far as the client knows. */
const CURRENT_TCP = 'tcp://127.0.0.1:2385';

/** Three images sharing a step that writes random bytes: the same bytes in all of them iff it ran once. */
function sharedRandomContext(run: string): string {
  return makeContext({
    Modusfile: [
      `base :- from("${BB}"), run("echo ${run} && head -c 32 /dev/urandom | od -An -tx1 > /rand && sleep 1").`,
      'a(X) :- aa(X), base, run(f"echo ${X} > /x").',
      'aa("1"). aa("2"). aa("x y").',
      '',
    ].join('\n'),
  });
}

describeE2e(
  'modus bake and modus build on buildx',
  () => {
    const created: string[] = [];
    afterAll(() => removeImages(...created));

    if (!ON_CURRENT_DOCKER) {
      test('a docker client without buildx: the buildx options are one error naming the client, nothing is built', async () => {
        const context = sharedRandomContext(nonce());
        for (const options of [['--push', '-t', `${REGISTRY}/modus-e2e/nobuildx:{0}`], ['--builder', 'default'], ['--platform', 'linux/amd64'], ['--load']]) {
          const result = await modus(['build', ...options, context, 'a(X)'], context);
          expect(result.code).toBe(1);
          expect(result.stderr).toBe(`modus build: ${options[0]} needs docker buildx, and the docker client ${DOCKER} has no buildx plugin\n`);
        }
      });

      test('modus bake needs no daemon: the same goal gives the same bytes', async () => {
        const context = sharedRandomContext('fixed');
        const first = await modus(['bake', '--frontend', `${REGISTRY}/modus-frontend:dev`, '-t', 'app:{0}', context, 'a(X)'], context);
        const second = await modus(['bake', '--frontend', `${REGISTRY}/modus-frontend:dev`, '-t', 'app:{0}', context, 'a(X)'], context);
        expect(first.code).toBe(0);
        expect(second.stdout).toBe(first.stdout);
        expect(Object.keys(JSON.parse(first.stdout).target)).toEqual(['a-1', 'a-2', 'a-x_y']);
      });
      return;
    }

    test('modus bake: docker buildx bake builds its file unchanged, the shared step once', async () => {
      const context = sharedRandomContext(nonce());
      const repo = `modus-e2e/bake-${process.pid}`;
      // As a user would: in the project folder, the context `.`.
      const printed = await modus(['bake', '--frontend', FRONTEND_IMAGE, '-t', `${repo}:{0}`, '.', 'a(X)'], context);
      expect(printed.stderr).toBe('');
      expect(printed.code).toBe(0);
      const file = path.join(context, 'modus-bake.json');
      fs.writeFileSync(file, printed.stdout);
      created.push(`${repo}:1`, `${repo}:2`, `${repo}:x-y`);
      const baked = await docker(['buildx', 'bake', '-f', 'modus-bake.json', '--progress=plain'], { cwd: context });
      expect(baked.stderr).not.toContain('ERROR');
      expect(baked.code).toBe(0);
      const random = await Promise.all(['1', '2', 'x-y'].map((tag) => dockerRun(`${repo}:${tag}`, ['cat', '/rand'])));
      expect(random[0]).toMatch(/^( [0-9a-f]{2}){16}\n( [0-9a-f]{2}){16}\n$/);
      expect(new Set(random).size).toBe(1);
      expect(await dockerRun(`${repo}:x-y`, ['cat', '/x'])).toBe('x y\n');
      expect((await inspectImage(`${repo}:2`)).Config.Labels?.['com.modus-continens.literal']).toBe('a("2")');
    });

    test('modus build: one bake, the shared step once, tagged after all were built, IDs as the store has them', async () => {
      const context = sharedRandomContext(nonce());
      const repo = `modus-e2e/bakebuild-${process.pid}`;
      const result = await modus(['build', '--json', '--network', 'none', '-t', `${repo}:{0}`, context, 'a(X)'], context);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^modus build: 3 images in one .* buildx bake on builder \S+ \(driver docker\)/);
      const report = JSON.parse(result.stdout) as { literal: string; image_id: string; tags: string[] }[];
      created.push(...report.flatMap((r) => [...r.tags, r.image_id]));
      expect(report.map((r) => r.tags)).toEqual([[`${repo}:1`], [`${repo}:2`], [`${repo}:x-y`]]);
      for (const image of report) expect((await inspectImage(image.tags[0]!)).Id).toBe(image.image_id);
      const random = await Promise.all(report.map((r) => dockerRun(r.tags[0]!, ['cat', '/rand'])));
      expect(new Set(random).size).toBe(1);
    });

    test('--push: pushed under the tags to the registry; the images come back from it', async () => {
      const run = nonce();
      const context = sharedRandomContext(run);
      const repo = `${REGISTRY}/modus-e2e/pushed-${process.pid}`;
      const result = await modus(['build', '--push', '--json', '-t', `${repo}:{0}`, context, 'a(X)'], context);
      expect(result.stderr).toContain('3 images built and pushed');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { image_id: string; tags: string[] }[];
      for (const image of report) {
        const remote = await docker(['buildx', 'imagetools', 'inspect', '--format', '{{json .Manifest}}', image.tags[0]!]);
        expect(remote.code).toBe(0);
        expect((JSON.parse(remote.stdout) as { digest: string }).digest).toBe(image.image_id);
      }
    });

    test('--push --load --no-cache: the pushed images have the bytes of the loaded ones (the no-cache step ran once)', async () => {
      const context = sharedRandomContext(nonce());
      const repo = `${REGISTRY}/modus-e2e/pushed-no-cache-${process.pid}`;
      const result = await modus(['build', '--push', '--load', '--no-cache', '--json', '-t', `${repo}:{0}`, context, 'a(X)'], context);
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { tags: string[] }[];
      for (const image of report) {
        const tag = image.tags[0]!;
        created.push(tag);
        const local = (await inspectImage(tag)).RootFS.Layers;
        const remote = await docker(['buildx', 'imagetools', 'inspect', '--format', '{{json .Image.RootFS}}', tag]);
        expect(remote.code).toBe(0);
        expect((JSON.parse(remote.stdout) as { diff_ids: string[] }).diff_ids).toEqual(local);
      }
    });

    test('a daemon on another machine through DOCKER_HOST: built there, tagged there', async () => {
      const context = sharedRandomContext(nonce());
      const repo = `modus-e2e/tcp-${process.pid}`;
      const result = await modus(['build', '--json', '-t', `${repo}:{0}`, context, 'a("1")'], context, { DOCKER_HOST: CURRENT_TCP });
      expect(result.stderr).toContain('1 image built');
      expect(result.code).toBe(0);
      created.push(`${repo}:1`);
      expect(await imageExists(`${repo}:1`)).toBe(true);
      expect(await dockerRun(`${repo}:1`, ['cat', '/x'])).toBe('1\n');
    });

    test('faults: an unreachable builder, an unknown one, a failing target, a refusing registry: one line each, exit 1, nothing tagged', async () => {
      const run = nonce();
      const context = makeContext({
        Modusfile: `b(X) :- bb(X), from("${BB}"), run("echo ${run}"), run(f"echo checking \${X}; test \${X} != 2").\nbb("1"). bb("2"). bb("3").\n`,
      });
      const repo = `modus-e2e/faults-${process.pid}`;
      const unreachable = await modus(['build', '-t', `${repo}:{0}`, context, 'b(X)'], context, { DOCKER_HOST: 'tcp://127.0.0.1:1' });
      expect(unreachable.code).toBe(1);
      expect(unreachable.stderr).toMatch(/^modus build: builder \S+ \(the current one\) is unreachable: .*tcp:\/\/127\.0\.0\.1:1.*\n$/);
      const unknown = await modus(['build', '--builder', 'no-such-builder', context, 'b(X)'], context);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe('modus build: builder no-such-builder cannot be used: no builder "no-such-builder" found\n');

      const failing = await modus(['build', '--json', '-t', `${repo}:{0}`, context, 'b(X)'], context);
      expect(failing.code).toBe(1);
      expect(failing.stderr).toMatch(/\nmodus build: b\("2"\) failed: Modusfile:1:\d+: error: step `b\("2"\) › run\(.*exit code: 1\n/);
      expect(failing.stderr).toMatch(/1 of 3 images failed after [0-9.]+ s; the bake stopped the others, nothing was tagged\n$/);
      for (const n of ['1', '2', '3']) expect(await imageExists(`${repo}:${n}`)).toBe(false);

      const refusing = http.createServer((_, res) => {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end('{"errors":[{"code":"DENIED","message":"pushes are not allowed here"}]}');
      });
      await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
      const port = (refusing.address() as { port: number }).port;
      try {
        const good = makeContext({ Modusfile: `c(X) :- cc(X), from("${BB}"), run("echo ${run}"), run(f"echo \${X}").\ncc("1"). cc("2").\n` });
        const pushed = await modus(['build', '--push', '-t', `127.0.0.1:${port}/modus-e2e/refused:{0}`, good, 'c(X)'], good);
        expect(pushed.code).toBe(1);
        const last = pushed.stderr.trimEnd().split('\n').pop()!;
        expect(last).toMatch(new RegExp(`^modus build: pushing 127\\.0\\.0\\.1:${port}/modus-e2e/refused:[12] \\(c\\("[12]"\\)\\) failed: .+`));
        expect(await imageExists(`127.0.0.1:${port}/modus-e2e/refused:1`)).toBe(false);
      } finally {
        refusing.close();
      }
    });
  },
  { images: [BUSYBOX_IMAGE, FRONTEND_IMAGE] },
);
