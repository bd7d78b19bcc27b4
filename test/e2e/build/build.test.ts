// `modus build` through the real daemon and the frontend image: many images from one goal, tags,
// the JSON report, a failing image among good ones, Ctrl-C. On current Docker (buildx) it bakes.
import { spawnSync } from 'child_process';
import { BUSYBOX_IMAGE, FRONTEND_IMAGE, ON_CURRENT_DOCKER, describeE2e, docker, dockerRun, imageExists, inspectImage, makeContext, removeImages } from '../support';
import { buildImages, collect, modus, nonce, spawnModus } from './cli';

const BB = BUSYBOX_IMAGE;
const RANDOM = 'head -c 32 /dev/urandom | od -x';

/** The layer diff IDs of each image, in one `docker image inspect`. */
async function imageLayers(ids: readonly string[]): Promise<string[][]> {
  const result = await docker(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', ...ids]);
  expect(result.code).toBe(0);
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as string[]);
}

describeE2e(
  'modus build',
  () => {
    const created: string[] = [];
    afterAll(() => removeImages(...created));

    test('20 images from one goal, tagged, with the JSON report; the step they share ran once', async () => {
      const run = nonce();
      const facts = Array.from({ length: 20 }, (_, i) => `aa("${i + 1}").`).join('\n');
      const context = makeContext({
        Modusfile: `a(X) :- aa(X), from("${BB}"), run("echo ${run}; ${RANDOM} > /shared"), run(f"echo \${X} > /x").\n${facts}\n`,
      });
      const repo = `modus-e2e/many-${process.pid}`;
      const images = await buildImages(context, 'a(X)', ['--tag', `${repo}:{0}`]);
      expect(images.size).toBe(20);
      const ids = [...images.values()].map((i) => i.image_id!);
      expect(new Set(ids).size).toBe(20);
      for (const image of images.values()) created.push(...image.tags, image.image_id!);
      const seven = images.get('a("7")')!;
      expect(seven).toEqual({ literal: 'a("7")', predicate: 'a', args: ['7'], image_id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), tags: [`${repo}:7`] });
      expect((await inspectImage(`${repo}:7`)).Id).toBe(seven.image_id);
      expect(await dockerRun(`${repo}:13`, ['cat', '/x'])).toBe('13\n');
      const inspected = await inspectImage(seven.image_id!);
      expect(inspected.Config.Labels?.['com.modus-continens.literal']).toBe('a("7")');
      // The work, not the time: the shared step wrote random bytes, so one layer in all twenty
      // images means it ran once; each image's own step is a layer of its own.
      const layers = await imageLayers(ids);
      const [baseLayers] = await imageLayers([BB]);
      expect(layers.every((l) => l.length === baseLayers!.length + 2)).toBe(true);
      expect(new Set(layers.map((l) => l[l.length - 2])).size).toBe(1);
      expect(new Set(layers.map((l) => l[l.length - 1])).size).toBe(20);
      expect(await dockerRun(`${repo}:1`, ['cat', '/shared'])).toBe(await dockerRun(`${repo}:20`, ['cat', '/shared']));
    });

    test('a failing image among good ones: exit 1, its log and literal, nothing tagged', async () => {
      const run = nonce();
      const context = makeContext({
        Modusfile: `b(X) :- bb(X), from("${BB}"), run("echo ${run}"), run(f"echo checking \${X}; test \${X} != 2").\nbb("1"). bb("2"). bb("3").\n`,
      });
      const repo = `modus-e2e/failing-${process.pid}`;
      const result = await modus(['build', '--json', '--network', 'none', '--tag', `${repo}:{0}`, context, 'b(X)'], context);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/\[2\/3\] b\("2"\)\s+failed after/);
      if (ON_CURRENT_DOCKER) {
        // One bake: it stops the other images at the first failing one and names it in one line.
        expect(result.stderr).toMatch(/\nmodus build: b\("2"\) failed: Modusfile:1:\d+: error: step `b\("2"\) › run\(/);
        expect(result.stderr).toMatch(/1 of 3 images failed after [0-9.]+ s; the bake stopped the others, nothing was tagged\n$/);
        const report = JSON.parse(result.stdout) as { image_id: string | null; tags: string[] }[];
        expect(report.every((r) => r.image_id === null && r.tags.length === 0)).toBe(true);
        for (const n of ['1', '2', '3']) expect(await imageExists(`${repo}:${n}`)).toBe(false);
        return;
      }
      expect(result.stderr).toContain('--- b("2"): BuildKit log');
      expect(result.stderr).toContain('checking 2');
      // The one solve's failure, with the frontend's positioned message.
      expect(result.stderr).toMatch(/the one-solve build failed after [0-9.]+ s: Modusfile:1:\d+: error: step `b\("2"\) › run/);
      expect(result.stderr).toMatch(/1 of 3 images failed after [0-9.]+ s \(2 built, not tagged\):\n  b\("2"\)\n/);
      const report = JSON.parse(result.stdout) as { literal: string; image_id: string | null }[];
      expect(report.map((r) => [r.literal, r.image_id === null])).toEqual([
        ['b("1")', false],
        ['b("2")', true],
        ['b("3")', false],
      ]);
      created.push(...report.map((r) => r.image_id ?? undefined).filter((x): x is string => x !== undefined));
      for (const n of ['1', '2', '3']) expect(await imageExists(`${repo}:${n}`)).toBe(false);
    });

    test('Ctrl-C stops every build, tags nothing and leaves no docker client running', async () => {
      const run = nonce();
      const context = makeContext({
        Modusfile: `c(X) :- cc(X), from("${BB}"), run("echo ${run} && sleep 60").\ncc("1"). cc("2"). cc("3").\n`,
      });
      const repo = `modus-e2e/interrupted-${process.pid}`;
      const child = spawnModus(['build', '--network', 'none', '--tag', `${repo}:{0}`, context, 'c(X)'], context);
      const result = collect(child);
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      const deadline = Date.now() + 60_000;
      while ((stderr.match(/building/g) ?? []).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 3000));
      const began = Date.now();
      child.kill('SIGINT');
      const done = await result;
      expect(done.code).toBe(130);
      expect(Date.now() - began).toBeLessThan(20_000);
      expect(done.stderr).toMatch(ON_CURRENT_DOCKER ? /interrupted; the bake was stopped, nothing was tagged/ : /interrupted; 3 builds stopped, nothing was tagged/);
      for (const n of ['1', '2', '3']) expect(await imageExists(`${repo}:${n}`)).toBe(false);
      const lingering = spawnSync('pgrep', ['-f', context], { encoding: 'utf8' }).stdout.trim();
      expect(lingering).toBe('');
    });

    test('--no-cache runs shared steps again; a plain rebuild reuses them', async () => {
      const run = nonce();
      const context = makeContext({
        Modusfile: `d(X) :- dd(X), from("${BB}"), run("echo ${run} && head -c 8 /dev/urandom | od -x > /r").\ndd("1"). dd("2").\n`,
      });
      const first = await buildImages(context, 'd(X)');
      const again = await buildImages(context, 'd(X)');
      const fresh = await buildImages(context, 'd(X)', ['--no-cache']);
      created.push(...[first, again, fresh].flatMap((m) => [...m.values()].map((i) => i.image_id!)));
      expect(again.get('d("1")')!.image_id).toBe(first.get('d("1")')!.image_id);
      const rand = async (m: Map<string, { image_id: string | null }>, k: string) => dockerRun(m.get(k)!.image_id!, ['cat', '/r']);
      expect(await rand(fresh, 'd("1")')).not.toBe(await rand(first, 'd("1")'));
      expect(await rand(fresh, 'd("1")')).toBe(await rand(fresh, 'd("2")'));
    });

    test('the docker client is selectable: a missing one is a clear failure', async () => {
      const context = makeContext({ Modusfile: `e :- from("${BB}").\n` });
      const result = await modus(['build', '--docker', '/nonexistent/docker', context, 'e'], context);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('cannot run /nonexistent/docker');
      const ok = await docker(['version', '--format', '{{.Server.Version}}']);
      expect(ok.code).toBe(0);
    });
  },
  { images: [FRONTEND_IMAGE, BUSYBOX_IMAGE] },
);
