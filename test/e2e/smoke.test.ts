// Smoke tests of the machine set-up and of the e2e helpers themselves (no Modus program involved):
// the base images run, and dockerBuild/dockerRun/inspectImage work through the daemon's BuildKit.
import {
  BUSYBOX_IMAGE,
  FRONTEND_IMAGE,
  NODE_BASE_IMAGE,
  ON_CURRENT_DOCKER,
  describeE2e,
  dockerBuild,
  dockerChecked,
  dockerRun,
  inspectImage,
  makeContext,
  removeImages,
  testImageName,
  type ImageInspect,
} from './support';

describeE2e(
  'base images',
  () => {
    test('the busybox image runs a shell', async () => {
      expect(await dockerRun(BUSYBOX_IMAGE, ['sh', '-c', 'echo ok'])).toBe('ok\n');
    });

    test('the busybox image has users, a home directory and a sticky /tmp', async () => {
      const script = 'adduser -D dev && su dev -c "id -un; echo ~; touch ~/f /tmp/g" && stat -c %a /tmp';
      expect(await dockerRun(BUSYBOX_IMAGE, ['sh', '-c', script])).toBe('dev\n/home/dev\n1777\n');
    });

    test('the busybox image adds groups and members like busybox does', async () => {
      const script = [
        'addgroup -g 1500 devs',
        'adduser -D -u 2000 -G devs -h /srv/app -H app',
        'adduser -D bob && adduser bob devs',
        'id app; id bob; test ! -e /srv/app && echo no-home',
        'adduser bob 2>/dev/null || echo refused',
      ].join(' && ');
      expect(await dockerRun(BUSYBOX_IMAGE, ['sh', '-c', script])).toBe(
        'uid=2000(app) gid=1500(devs) groups=1500(devs)\n' +
          'uid=1000(bob) gid=1000(bob) groups=1000(bob),1500(devs)\nno-home\nrefused\n',
      );
    });

    test('the node base image runs node', async () => {
      expect(await dockerRun(NODE_BASE_IMAGE, ['node', '-e', 'console.log(6 * 7)'])).toBe('42\n');
    });
  },
  { images: [BUSYBOX_IMAGE, NODE_BASE_IMAGE] },
);

describeE2e(
  'e2e helpers',
  () => {
    const tag = testImageName('smoke');
    afterAll(() => removeImages(tag));

    test('dockerBuild builds through BuildKit with options, labels and tags', async () => {
      const context = makeContext({ 'greeting.txt': 'hello\n' });
      const dockerfile = [
        `FROM ${BUSYBOX_IMAGE} AS base`,
        'RUN adduser -D dev',
        'FROM base AS final',
        'ARG WHO',
        'COPY greeting.txt /srv/greeting.txt',
        'USER dev',
        'RUN id -un > ~/out && echo "$WHO" >> ~/out',
        'FROM base AS unused',
        'RUN false',
      ].join('\n');
      const result = await dockerBuild({
        context,
        file: 'Dockerfile',
        modusfile: dockerfile,
        syntax: 'none',
        target: 'final',
        buildArgs: { WHO: 'tester' },
        labels: { 'dev.modus.test': 'smoke' },
        tag,
      });
      expect(result.output).toContain('COPY greeting.txt');
      expect(result.code).toBe(0);
      expect(result.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);

      const image = await inspectImage(tag);
      expect(image.Id).toBe(result.imageId);
      expect(image.Config.User).toBe('dev');
      expect(image.Config.Labels?.['dev.modus.test']).toBe('smoke');
      expect(await dockerRun(tag, ['cat', '/home/dev/out', '/srv/greeting.txt'])).toBe('dev\ntester\nhello\n');
    });

    test('a failing build reports its exit code and error, and no image', async () => {
      const context = makeContext();
      const result = await dockerBuild({
        context,
        file: 'Dockerfile',
        modusfile: `FROM ${BUSYBOX_IMAGE}\nRUN echo broken-step && exit 3\n`,
        syntax: 'none',
      });
      expect(result.code).not.toBe(0);
      expect(result.imageId).toBeUndefined();
      expect(result.output).toContain('broken-step');
      expect(result.output).toMatch(/exit code: 3/);
    });

    test('builds have no network by default', async () => {
      const context = makeContext();
      const result = await dockerBuild({
        context,
        file: 'Dockerfile',
        modusfile: `FROM ${BUSYBOX_IMAGE}\nRUN ip -o link | grep -v ' lo:' | wc -l > /links\n`,
        syntax: 'none',
        noCache: true,
      });
      expect(result.code).toBe(0);
      expect((await dockerRun(result.imageId!, ['cat', '/links'])).trim()).toBe('0');
      await removeImages(result.imageId);
    });
  },
  { images: [BUSYBOX_IMAGE] },
);

/**
 * The frontend image's configuration as BuildKit reads it: from the local store on 20.10; on
 * current Docker from the registry, where it takes the image from. (Its containerd store can show
 * a pulled image without a configuration when the image's layers were already there from a
 * `docker load`: it skips fetching them, and `image inspect` then finds no platform.)
 */
async function frontendConfig(): Promise<ImageInspect['Config']> {
  if (!ON_CURRENT_DOCKER) return (await inspectImage(FRONTEND_IMAGE)).Config;
  await dockerChecked(['pull', '-q', FRONTEND_IMAGE]);
  const registry = await dockerChecked(['buildx', 'imagetools', 'inspect', '--format', '{{json .Image.Config}}', FRONTEND_IMAGE]);
  return JSON.parse(registry.stdout) as ImageInspect['Config'];
}

describeE2e(
  'frontend image',
  () => {
    test('carries the gateway labels and starts node from the snapshot of the bundle, after the HTTP/2 greeting', async () => {
      const config = await frontendConfig();
      expect(config.Labels?.['moby.buildkit.frontend.network.none']).toBe('true');
      expect(config.Labels?.['moby.buildkit.frontend.caps']).toContain('moby.buildkit.frontend.inputs');
      expect(config.Entrypoint?.slice(0, 2)).toEqual(['/bin/sh', '-c']);
      expect(config.Entrypoint?.[2]).toMatch(/^printf 'PRI \* HTTP\/2\.0.* && MODUS_GREETING_SENT=1 exec \/usr\/local\/bin\/node --snapshot-blob \/modus\/frontend\.blob$/);
      expect(await dockerRun(FRONTEND_IMAGE, ['-e', 'console.log(typeof require)'], { entrypoint: 'node' })).toBe(
        'function\n',
      );
    });
  },
  { images: [FRONTEND_IMAGE] },
);
