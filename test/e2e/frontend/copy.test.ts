// copy(...) from the build context and ::copy(...) out of other images, with Docker COPY
// semantics, on the busybox base image.
import { describeE2e, makeContext } from '../support';
import { FROM_BUSYBOX, FRONTEND_SUITE, buildFails, buildTargets, cat, catAll, exists, removeBuiltImages, sh } from './support';

/** `src` writes /tmp/file (and /tmp/dir/sub/deep with a hidden file); `srcwd` has workdir /tmp. */
const SOURCES = [
  `src :- ${FROM_BUSYBOX}, run("echo content > /tmp/file && mkdir -p /tmp/dir/sub && echo deep > /tmp/dir/sub/deep && echo hidden > /tmp/dir/.hidden").`,
  `srcwd :- ${FROM_BUSYBOX}::set_workdir("/tmp"), run("echo relative > file && mkdir -p dir/sub && echo deep > dir/sub/deep").`,
];

describeE2e(
  'frontend: copies within images',
  () => {
    afterAll(removeBuiltImages);

    test('absolute and relative sources and destinations', async () => {
      const modusfile = [
        ...SOURCES,
        `abs :- ${FROM_BUSYBOX}, src::copy("/tmp/file", "/tmp/copied").`,
        `reldst :- ${FROM_BUSYBOX}::set_workdir("/tmp"), src::copy("/tmp/file", "copied").`,
        `relsrc :- ${FROM_BUSYBOX}, srcwd::copy("file", "/tmp/copied").`,
        `both :- ${FROM_BUSYBOX}::set_workdir("/opt"), srcwd::copy("file", "copied").`,
        `intodir :- ${FROM_BUSYBOX}, src::copy("/tmp/file", "/opt/").`,
        '',
      ].join('\n');
      const [abs, reldst, relsrc, both, intodir] = await buildTargets(makeContext(), modusfile, ['abs', 'reldst', 'relsrc', 'both', 'intodir']);
      expect(await cat(abs!, '/tmp/copied')).toBe('content\n');
      expect(await cat(reldst!, '/tmp/copied')).toBe('content\n');
      expect(await cat(relsrc!, '/tmp/copied')).toBe('relative\n');
      expect(await cat(both!, '/opt/copied')).toBe('relative\n');
      expect(await cat(intodir!, '/opt/file')).toBe('content\n');
    });

    test('a directory source copies its contents, hidden files included', async () => {
      const modusfile = [
        ...SOURCES,
        `absdir :- ${FROM_BUSYBOX}, src::copy("/tmp/dir", "/tmp/copied").`,
        `reldir :- ${FROM_BUSYBOX}, srcwd::copy("dir", "/tmp/copied").`,
        `contents :- ${FROM_BUSYBOX}, src::copy("/tmp/dir", "/tmp").`,
        '',
      ].join('\n');
      const [absdir, reldir, contents] = await buildTargets(makeContext(), modusfile, ['absdir', 'reldir', 'contents']);
      expect(await catAll(absdir!, '/tmp/copied/sub/deep', '/tmp/copied/.hidden')).toBe('deep\nhidden\n');
      expect(await cat(reldir!, '/tmp/copied/sub/deep')).toBe('deep\n');
      expect(await sh(contents!, 'cat /tmp/sub/deep /tmp/.hidden; test -e /tmp/dir && echo dir-too || echo contents-only')).toBe(
        'deep\nhidden\ncontents-only\n',
      );
    });

    test('chains of images, inline image operands and in_workdir destinations', async () => {
      const modusfile = [
        ...SOURCES,
        `second :- ${FROM_BUSYBOX}, src::copy("/tmp/file", "/tmp/second").`,
        'third :- second, run("cp /tmp/second /tmp/third").',
        'final :-',
        `  ${FROM_BUSYBOX},`,
        '  (',
        '    # an inline image as the operand, with a comment',
        `    ${FROM_BUSYBOX}, third::copy("/tmp/third", "/tmp/fourth")`,
        '  )::copy("/tmp/fourth", "/tmp/fifth").',
        `inwd :- ${FROM_BUSYBOX}::set_workdir("/"), (src::copy("/tmp/file", "here"))::in_workdir("/srv").`,
        `several :- ${FROM_BUSYBOX}, src::copy("/tmp/file", "/a"), srcwd::copy("file", "/b"), src::copy("/tmp/dir/sub/deep", "/c").`,
        '',
      ].join('\n');
      const [final, inwd, several] = await buildTargets(makeContext(), modusfile, ['final', 'inwd', 'several']);
      expect(await cat(final!, '/tmp/fifth')).toBe('content\n');
      expect(await exists(final!, '/tmp/fourth')).toBe('no');
      expect(await cat(inwd!, '/srv/here')).toBe('content\n');
      expect(await catAll(several!, '/a', '/b', '/c')).toBe('content\nrelative\ndeep\n');
    });

    test('later copies overwrite earlier ones', async () => {
      const modusfile = [
        `num(n) :- ${FROM_BUSYBOX}, run(f"mkdir -p /tmp/d && echo \${n} > /tmp/d/file").`,
        `file :- ${FROM_BUSYBOX}::set_workdir("/tmp"), num("1")::copy("/tmp/d/file", "file"), num("2")::copy("/tmp/d/file", "file").`,
        `dir :- ${FROM_BUSYBOX}::set_workdir("/tmp"), num("1")::copy("/tmp/d", "."), num("2")::copy("/tmp/d", ".").`,
        '',
      ].join('\n');
      const [file, dir] = await buildTargets(makeContext(), modusfile, ['file', 'dir']);
      expect(await cat(file!, '/tmp/file')).toBe('2\n');
      expect(await cat(dir!, '/tmp/file')).toBe('2\n');
    });

    test('a top-level symlink source is followed, like Docker COPY', async () => {
      const modusfile = [
        `linked :- ${FROM_BUSYBOX}, run("echo target > /real && ln -s /real /link").`,
        `copied :- ${FROM_BUSYBOX}, linked::copy("/link", "/copied").`,
        '',
      ].join('\n');
      const [copied] = await buildTargets(makeContext(), modusfile, ['copied']);
      expect(await sh(copied!, 'test -L /copied && echo link || cat /copied')).toBe('target\n');
    });

    test('a missing source fails the build, absolute or relative', async () => {
      const context = makeContext();
      const modusfile = [
        `empty :- ${FROM_BUSYBOX}::set_workdir("/tmp").`,
        `abs :- ${FROM_BUSYBOX}, empty::copy("/tmp/nothing", "/x").`,
        `rel :- ${FROM_BUSYBOX}, empty::copy("nothing", "/x").`,
        '',
      ].join('\n');
      // The step and its position, then BuildKit's reason naming the path (a relative source is
      // looked up in the source image's working directory).
      expect(await buildFails({ context, modusfile, target: 'abs' })).toMatch(/Modusfile:2:\d+: error: step `abs › ::copy\("\/tmp\/nothing", "\/x"\)` failed: [^\n]*\/tmp\/nothing/);
      expect(await buildFails({ context, target: 'rel' })).toMatch(/Modusfile:3:\d+: error: step `rel › ::copy\("nothing", "\/x"\)` failed: [^\n]*\/tmp\/nothing/);
    });
  },
  FRONTEND_SUITE,
);

describeE2e(
  'frontend: copies from the build context',
  () => {
    afterAll(removeBuiltImages);
    const files = { file: 'content\n', 'dir/file': 'in dir\n', 'dir/.hidden': 'hidden\n', 'dir/sub/deep': 'deep\n' };

    test('files and directories, relative destinations, into a directory', async () => {
      const modusfile = [
        `abs :- ${FROM_BUSYBOX}, copy("file", "/tmp/file").`,
        `wd :- ${FROM_BUSYBOX}::set_workdir("/tmp"), copy("file", "file").`,
        `inwd :- ${FROM_BUSYBOX}::set_workdir("/"), copy("file", "file")::in_workdir("/tmp").`,
        `intodir :- ${FROM_BUSYBOX}, copy("file", "/tmp/").`,
        `dir :- ${FROM_BUSYBOX}, copy("dir", "/tmp/dir").`,
        `wddir :- ${FROM_BUSYBOX}::set_workdir("/tmp"), copy("dir", "dir").`,
        `contents :- ${FROM_BUSYBOX}, copy("dir", "/tmp/").`,
        `dotted :- ${FROM_BUSYBOX}, copy("./dir/../file", "/srv/./f").`,
        '',
      ].join('\n');
      const targets = ['abs', 'wd', 'inwd', 'intodir', 'dir', 'wddir', 'contents', 'dotted'];
      const [abs, wd, inwd, intodir, dir, wddir, contents, dotted] = await buildTargets(makeContext(files), modusfile, targets);
      for (const image of [abs, wd, inwd, intodir]) expect(await cat(image!, '/tmp/file')).toBe('content\n');
      expect(await catAll(dir!, '/tmp/dir/file', '/tmp/dir/.hidden', '/tmp/dir/sub/deep')).toBe('in dir\nhidden\ndeep\n');
      expect(await cat(wddir!, '/tmp/dir/sub/deep')).toBe('deep\n');
      expect(await catAll(contents!, '/tmp/file', '/tmp/.hidden', '/tmp/sub/deep')).toBe('in dir\nhidden\ndeep\n');
      expect(await cat(dotted!, '/srv/f')).toBe('content\n');
    });

    test('copied files keep their content and mode; .dockerignore excludes files', async () => {
      const context = makeContext({ ...files, 'run.sh': '#!/bin/sh\necho ran\n', '.dockerignore': 'dir/sub\n*.log\n', 'x.log': 'log\n' });
      require('fs').chmodSync(`${context}/run.sh`, 0o755);
      const modusfile = `ctx :- ${FROM_BUSYBOX}, copy(".", "/ctx"), run("/ctx/run.sh > /ran").\n`;
      const [ctx] = await buildTargets(context, modusfile, ['ctx']);
      expect(await cat(ctx!, '/ran')).toBe('ran\n');
      expect(await sh(ctx!, 'cd /ctx && find . -type f | sort')).toBe('./.dockerignore\n./Modusfile\n./dir/.hidden\n./dir/file\n./file\n./run.sh\n');
    });

    test('a missing context file fails the build', async () => {
      const output = await buildFails({ context: makeContext(files), modusfile: `a :- ${FROM_BUSYBOX}, copy("missing", "/x").\n`, target: 'a' });
      expect(output).toMatch(/Modusfile:1:\d+: error: step `a › copy\("missing", "\/x"\)` failed: [^\n]*missing[^\n]*not found/);
    });
  },
  FRONTEND_SUITE,
);
