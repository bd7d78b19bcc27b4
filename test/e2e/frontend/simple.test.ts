// Simple images and working directories through docker build, on the busybox base image.
import { describeE2e, makeContext } from '../support';
import { FROM_BUSYBOX, FRONTEND_SUITE, buildFails, buildOk, buildTargets, cat, catAll, exists, inspect, removeBuiltImages } from './support';

describeE2e(
  'frontend: simple images and working directories',
  () => {
    afterAll(removeBuiltImages);

    test('a run adds a file on top of its base; the base image alone lacks it', async () => {
      const modusfile = [`base :- ${FROM_BUSYBOX}.`, 'top :- base, run("echo written > /tmp/out").', ''].join('\n');
      const [top, base] = await buildTargets(makeContext(), modusfile, ['top', 'base']);
      expect(await cat(top!, '/tmp/out')).toBe('written\n');
      expect(await exists(base!, '/tmp/out')).toBe('no');
      expect((await inspect(top!)).Config.Labels?.['com.modus-continens.literal']).toBe('top');
      expect((await inspect(base!)).Config.Labels?.['com.modus-continens.literal']).toBe('base');
    });

    test('indented clauses and comments between them parse like any others', async () => {
      const modusfile = [
        '    # a comment before the first clause',
        `    base :- ${FROM_BUSYBOX}.`,
        '\t\ttop :-',
        '\t\t\tbase, # a comment inside the body',
        '\t\t\trun("echo indented > /tmp/out").',
        '',
      ].join('\n');
      const image = await buildOk({ context: makeContext(), modusfile, target: 'top' });
      expect(await cat(image, '/tmp/out')).toBe('indented\n');
    });

    test('set_workdir creates the directory and later runs use it; in_workdir nests inside it', async () => {
      const modusfile = [
        `plain :- ${FROM_BUSYBOX}::set_workdir("/srv/new"), run("echo one > here").`,
        `nested :- ${FROM_BUSYBOX}::set_workdir("/srv/new"), (run("echo two > here"))::in_workdir("deeper").`,
        '',
      ].join('\n');
      const [plain, nested] = await buildTargets(makeContext(), modusfile, ['plain', 'nested']);
      expect(await cat(plain!, '/srv/new/here')).toBe('one\n');
      expect(await cat(nested!, '/srv/new/deeper/here')).toBe('two\n');
      expect((await inspect(plain!)).Config.WorkingDir).toBe('/srv/new');
      expect((await inspect(nested!)).Config.WorkingDir).toBe('/srv/new');
    });

    test('strings keep escaped newlines, quotes and # characters', async () => {
      const modusfile = [
        `newline :- ${FROM_BUSYBOX}::set_workdir("/tmp/\\n"), run("echo nl > f").`,
        `quoted :- ${FROM_BUSYBOX}::set_workdir("/tmp/"), run("echo \\"# not a comment\\" > f").`,
        '',
      ].join('\n');
      const [newline, quoted] = await buildTargets(makeContext(), modusfile, ['newline', 'quoted']);
      expect(await cat(newline!, '/tmp/\n/f')).toBe('nl\n');
      expect(await cat(quoted!, '/tmp/f')).toBe('# not a comment\n');
    });

    test('in_workdir paths accumulate, absolute ones reset, and the image workdir is the start', async () => {
      const modusfile = [
        'log :-',
        `  ${FROM_BUSYBOX}::set_workdir("/tmp"),`,
        '  run("pwd >> /log"),',
        '  run("pwd >> /log")::in_workdir("a"),',
        '  (',
        '    run("pwd >> /log"),',
        '    run("pwd >> /log")::in_workdir("c"),',
        '    run("pwd >> /log")::in_workdir("/")',
        '  )::in_workdir("b").',
        '',
      ].join('\n');
      const image = await buildOk({ context: makeContext(), modusfile, target: 'log' });
      expect(await cat(image, '/log')).toBe('/tmp\n/tmp/a\n/tmp/b\n/tmp/b/c\n/\n');
    });

    test('relative set_workdir resolves against the operand image workdir', async () => {
      const modusfile = [
        `rel :- ${FROM_BUSYBOX}::set_workdir("relative"), run("pwd > /where").`,
        `chain :- (${FROM_BUSYBOX}::set_workdir("/srv"))::set_workdir("app/../lib"), run("pwd > /where").`,
        '',
      ].join('\n');
      const [rel, chain] = await buildTargets(makeContext(), modusfile, ['rel', 'chain']);
      expect(await cat(rel!, '/where')).toBe('/relative\n');
      expect((await inspect(rel!)).Config.WorkingDir).toBe('/relative');
      expect(await cat(chain!, '/where')).toBe('/srv/lib\n');
      expect((await inspect(chain!)).Config.WorkingDir).toBe('/srv/lib');
    });

    test('runs execute as root with the base image environment and default PATH', async () => {
      const modusfile = `env :- ${FROM_BUSYBOX}, run("id -u > /uid; echo \\"$PATH\\" > /path; pwd > /cwd").\n`;
      const image = await buildOk({ context: makeContext(), modusfile, target: 'env' });
      expect(await catAll(image, '/uid', '/path', '/cwd')).toBe('0\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n/\n');
      const config = (await inspect(image)).Config;
      expect(config.User ?? '').toBe('');
      expect(config.Env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
      expect(config.Cmd).toEqual(['/bin/sh']);
    });

    test('a parameterised image: the goal picks one of many solutions', async () => {
      const facts = ['1', '2', '3', '4', '5'].map((n) => `version("${n}").`);
      const modusfile = [...facts, `app(v) :- version(v), ${FROM_BUSYBOX}, run(f"echo \${v} > /version").`, ''].join('\n');
      const [three, five] = await buildTargets(makeContext(), modusfile, ['app("3")', 'app("5")']);
      expect(await cat(three!, '/version')).toBe('3\n');
      expect(await cat(five!, '/version')).toBe('5\n');
      expect((await inspect(five!)).Config.Labels?.['com.modus-continens.literal']).toBe('app("5")');
    });

    test('a failing run fails the build', async () => {
      const output = await buildFails({ context: makeContext(), modusfile: `bad :- ${FROM_BUSYBOX}, run("exit 1").\n`, target: 'bad' });
      expect(output).toContain('exit code: 1');
    });
  },
  FRONTEND_SUITE,
);
