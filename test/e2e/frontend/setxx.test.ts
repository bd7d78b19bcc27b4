// The image operators ::set_env, ::in_env, ::append_path, ::set_label, ::set_entrypoint,
// ::set_cmd, ::set_user, on busybox.
import { ON_CURRENT_DOCKER, describeE2e, makeContext } from '../support';
import { FROM_BUSYBOX, FRONTEND_SUITE, buildFails, buildTargets, cat, inspect, removeBuiltImages } from './support';

describeE2e(
  'frontend: set_* operators',
  () => {
    afterAll(removeBuiltImages);

    test('set_env applies to later runs and the image; in_env only to the runs inside', async () => {
      const modusfile = [
        `after :- ${FROM_BUSYBOX}::set_env("A", "1"), run("echo \\"[$A]\\" > /result").`,
        `around :- (${FROM_BUSYBOX}, run("echo \\"[$A]\\" > /result"))::set_env("A", "1").`,
        `inside :- ${FROM_BUSYBOX}, run("echo \\"[$A][$B]\\" > /result")::in_env("A", "1")::in_env("B", "two words").`,
        `scoped :- ${FROM_BUSYBOX}, run("true")::in_env("A", "aaa"), run("echo \\"[$A]\\" > /result").`,
        `override :- ${FROM_BUSYBOX}::set_env("A", "image"), run("echo \\"[$A]\\" > /result")::in_env("A", "step").`,
        '',
      ].join('\n');
      const targets = ['after', 'around', 'inside', 'scoped', 'override'];
      const images = await buildTargets(makeContext(), modusfile, targets);
      const results = await Promise.all(images.map((image) => cat(image, '/result')));
      expect(results).toEqual(['[1]\n', '[]\n', '[1][two words]\n', '[]\n', '[step]\n']);
      const envs = await Promise.all(images.map(async (image) => (await inspect(image)).Config.Env));
      const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
      expect(envs).toEqual([[PATH, 'A=1'], [PATH, 'A=1'], [PATH], [PATH], [PATH, 'A=image']]);
    });

    test('append_path extends PATH for later runs and the image only', async () => {
      const modusfile = [
        `after :- ${FROM_BUSYBOX}::append_path("/appended"), run("echo $PATH > /result").`,
        `around :- (${FROM_BUSYBOX}, run("echo $PATH > /result"))::append_path("/appended").`,
        `found :- (${FROM_BUSYBOX}, run("mkdir /tools && printf '#!/bin/sh\\\\necho tool ran\\\\n' > /tools/tool && chmod +x /tools/tool"))::append_path("/tools"), run("tool > /result").`,
        '',
      ].join('\n');
      const [after, around, found] = await buildTargets(makeContext(), modusfile, ['after', 'around', 'found']);
      expect(await cat(after!, '/result')).toBe('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/appended\n');
      expect(await cat(around!, '/result')).toBe('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n');
      expect((await inspect(around!)).Config.Env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/appended']);
      expect(await cat(found!, '/result')).toBe('tool ran\n');
    });

    test('set_label adds labels next to the literal label', async () => {
      const modusfile = `labelled(v) :- ${FROM_BUSYBOX}::set_label("com.example.test", "hello")::set_label("com.example.version", v).\n`;
      const [image] = await buildTargets(makeContext(), modusfile, ['labelled("1.2")']);
      expect((await inspect(image!)).Config.Labels).toMatchObject({
        'com.example.test': 'hello',
        'com.example.version': '1.2',
        'com.modus-continens.literal': 'labelled("1.2")',
      });
    });

    test('set_entrypoint takes a string or a list and clears cmd; set_cmd keeps the entrypoint', async () => {
      const modusfile = [
        `a :- ${FROM_BUSYBOX}::set_entrypoint("/bin/echo").`,
        `b :- ${FROM_BUSYBOX}::set_entrypoint(["/bin/echo", "hello"]).`,
        `c(x) :- ${FROM_BUSYBOX}::set_entrypoint(["/bin/echo", x]).`,
        `d(x) :- ${FROM_BUSYBOX}::set_entrypoint(x).`,
        `base :- ${FROM_BUSYBOX}::set_entrypoint("/bin/echo").`,
        'e :- base::set_cmd([]).',
        'f :- base::set_cmd(["hello"]).',
        'g(x) :- base::set_cmd([x, "and more"]).',
        'h(x) :- base::set_cmd(x).',
        '',
      ].join('\n');
      const targets = ['a', 'b', 'c("aaa")', 'd("aaa")', 'e', 'f', 'g("x")', 'h("aaa")'];
      const images = await buildTargets(makeContext(), modusfile, targets);
      const configs = await Promise.all(images.map(async (image) => (await inspect(image)).Config));
      // The containerd image store shows an empty Cmd as null (Docker 28) or [] (Docker 26).
      const cmdOf = (cmd: string[] | null) => (ON_CURRENT_DOCKER && cmd !== null && cmd.length === 0 ? null : cmd);
      expect(configs.map((c) => [c.Entrypoint, cmdOf(c.Cmd as string[] | null)])).toEqual([
        [['/bin/echo'], null],
        [['/bin/echo', 'hello'], null],
        [['/bin/echo', 'aaa'], null],
        [['aaa'], null],
        [['/bin/echo'], ON_CURRENT_DOCKER ? null : []],
        [['/bin/echo'], ['hello']],
        [['/bin/echo'], ['x', 'and more']],
        [['/bin/echo'], ['aaa']],
      ]);
    });

    test('a list is no goal argument', async () => {
      const context = makeContext();
      const modusfile = `d(x) :- ${FROM_BUSYBOX}::set_entrypoint(x).\n`;
      const output = await buildFails({ context, modusfile, target: 'd(["/bin/echo", "aaa"])' });
      expect(output).toMatch(/goal:1:3: error: .*list/i);
    });

    test('set_user: the image user, and the user later runs execute as', async () => {
      const modusfile = `a :- (${FROM_BUSYBOX}, run("adduser -D dev"))::set_user("dev"), run("id > ~/out; pwd >> ~/out").\n`;
      const [image] = await buildTargets(makeContext(), modusfile, ['a']);
      expect((await inspect(image!)).Config.User).toBe('dev');
      // (BuildKit 0.8 sets no supplementary groups for a named user; newer versions do.)
      expect(await cat(image!, '/home/dev/out')).toMatch(/^uid=1000\(dev\) gid=1000\(dev\)( groups=1000\(dev\))?\n\/\n$/);
    });
  },
  FRONTEND_SUITE,
);
