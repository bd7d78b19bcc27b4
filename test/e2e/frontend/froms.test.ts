// Different base images, the base configuration carried through, and scratch images, on busybox.
import { describeE2e, dockerBuild, makeContext, removeImages, testImageName } from '../support';
import { FROM_BUSYBOX, FRONTEND_SUITE, buildTargets, cat, catAll, inspect, removeBuiltImages, sh } from './support';

const OTHER_BASE = testImageName('other-base');

/** A second base image made with a Dockerfile: a marker file and a config with every kind of field. */
const OTHER_BASE_DOCKERFILE = [
  'FROM modus-test/busybox:1',
  'RUN echo other > /etc/other-release && adduser -D worker',
  'ENV ZED=last ALPHA=first',
  'WORKDIR /work',
  'USER worker',
  'EXPOSE 8080',
  'VOLUME /data',
  'STOPSIGNAL SIGINT',
  'LABEL base.label=kept',
  'HEALTHCHECK --interval=30s CMD true',
  'SHELL ["/bin/sh", "-ec"]',
  'ENTRYPOINT ["/bin/echo"]',
  'CMD ["hello"]',
  '',
].join('\n');

/** Busybox as a binary of its own name: copying /bin/busybox to /bin/sh gives a working sh. */
const BOX = `box :- ${FROM_BUSYBOX}.`;

describeE2e(
  'frontend: different bases and scratch',
  () => {
    beforeAll(async () => {
      const result = await dockerBuild({ context: makeContext(), file: 'Dockerfile', modusfile: OTHER_BASE_DOCKERFILE, syntax: 'none', tag: OTHER_BASE });
      if (result.code !== 0) throw new Error(`cannot build ${OTHER_BASE}:\n${result.output}`);
    });
    afterAll(async () => {
      await removeBuiltImages();
      await removeImages(OTHER_BASE);
    });

    test('one goal, two bases: each image has its own base underneath', async () => {
      const modusfile = [
        `plain :- ${FROM_BUSYBOX}, run("echo built > /marker").`,
        `other :- from("${OTHER_BASE}"), run("echo built > /tmp/marker").`,
        'r("plain") :- plain.',
        'r("other") :- other.',
        '',
      ].join('\n');
      const [plain, other] = await buildTargets(makeContext(), modusfile, ['r("plain")', 'r("other")']);
      const check = 'cat /etc/other-release 2>/dev/null || echo none; cat /marker /tmp/marker 2>/dev/null; id -un';
      expect(await sh(plain!, check)).toBe('none\nbuilt\nroot\n');
      // The other base's USER runs the step (its /tmp is writable) and stays the image's user.
      expect(await sh(other!, check)).toBe('other\nbuilt\nworker\n');
      expect((await inspect(other!)).Config.Labels).toMatchObject({ 'base.label': 'kept', 'com.modus-continens.literal': 'r("other")' });
    });

    test('the base configuration is kept except the edited fields, env order included', async () => {
      const modusfile = [
        `edited :- from("${OTHER_BASE}")::set_env("ALPHA", "changed")::set_env("NEW", "added")::set_cmd(["bye"]),`,
        '  run("echo \\"$ZED $ALPHA $NEW\\" > /tmp/env; pwd >> /tmp/env").',
        '',
      ].join('\n');
      const [edited] = await buildTargets(makeContext(), modusfile, ['edited']);
      const config = (await inspect(edited!)).Config;
      expect(config.Env).toEqual([
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'ZED=last',
        'ALPHA=changed',
        'NEW=added',
      ]);
      expect(config.WorkingDir).toBe('/work');
      expect(config.User).toBe('worker');
      expect(config.ExposedPorts).toEqual({ '8080/tcp': {} });
      expect(config.Volumes).toEqual({ '/data': {} });
      expect(config.StopSignal).toBe('SIGINT');
      expect(config.Healthcheck).toEqual({ Test: ['CMD-SHELL', 'true'], Interval: 30_000_000_000 });
      expect(config.Shell).toEqual(['/bin/sh', '-ec']);
      expect(config.Entrypoint).toEqual(['/bin/echo']);
      expect(config.Cmd).toEqual(['bye']);
      expect(await cat(edited!, '/tmp/env')).toBe('last changed added\n/work\n');
    });

    test('scratch: empty, with copies, with a workdir', async () => {
      const modusfile = [
        'empty :- from("scratch").',
        `files :- from("scratch"), (${FROM_BUSYBOX}, run("echo content > /aa"))::copy("/aa", "/aa").`,
        `wd :- from("scratch")::set_workdir("/tmp"), (${FROM_BUSYBOX}, run("echo content > /aa"))::copy("/aa", "aa").`,
        `user :- ${FROM_BUSYBOX}, files::copy("/aa", "/from-files"), wd::copy("/tmp/aa", "/from-wd").`,
        '',
      ].join('\n');
      const [empty, user, wd] = await buildTargets(makeContext(), modusfile, ['empty', 'user', 'wd']);
      const emptyImage = await inspect(empty!);
      expect(emptyImage.RootFS.Layers ?? []).toEqual([]);
      expect(emptyImage.Config.Labels).toEqual({ 'com.modus-continens.literal': 'empty' });
      expect(await catAll(user!, '/from-files', '/from-wd')).toBe('content\ncontent\n');
      const wdImage = await inspect(wd!);
      expect(wdImage.Config.WorkingDir).toBe('/tmp');
      expect(wdImage.RootFS.Layers).toHaveLength(1);
    });

    test('scratch with a shell copied in runs steps: no user to look up, PATH from append_path', async () => {
      const modusfile = [
        BOX,
        'shell :-',
        '  (',
        '    from("scratch"),',
        '    (box::copy("/bin/busybox", "sh"), box::copy("/bin/busybox", "cat"))::in_workdir("/bin")',
        '  )::append_path("/bin").',
        'ran :- shell, run("echo \\"$PATH\\" > /path && echo hello > /aa").',
        'merged :-',
        '  (',
        '    from("scratch"),',
        '    box::copy("/bin/busybox", "/bin/sh"), box::copy("/bin/busybox", "/bin/cp"),',
        '    (box::copy("/bin/busybox", "/bin/cat"), run("echo merged > /aa"))::merge',
        '  )::append_path("/bin").',
        `check :- ${FROM_BUSYBOX}, ran::copy("/", "/ran"), merged::copy("/", "/merged").`,
        '',
      ].join('\n');
      const [check, ran] = await buildTargets(makeContext(), modusfile, ['check', 'ran']);
      expect(await sh(check!, 'cat /ran/path /ran/aa /merged/aa; ls /merged/bin | tr "\\n" " "')).toBe(':/bin\nhello\nmerged\ncat cp sh ');
      const config = (await inspect(ran!)).Config;
      expect(config.Env).toEqual(['PATH=:/bin']);
      expect(config.User ?? '').toBe('');
    });
  },
  FRONTEND_SUITE,
);
