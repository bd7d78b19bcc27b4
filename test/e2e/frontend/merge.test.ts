// ::merge — everything inside becomes one layer, on the busybox base image.
import { describeE2e, makeContext } from '../support';
import { FROM_BUSYBOX, FRONTEND_SUITE, buildFails, buildTargets, cat, catAll, inspect, listFiles, removeBuiltImages, sh } from './support';

const CONTEXT_FILES = { file: 'content\n', 'dir/file': 'in dir\n', 'dir/.hidden': 'hidden\n', 'empty/.keep': '' };

/** Layers of the busybox base image (merges add exactly one on top). */
async function baseLayers(): Promise<number> {
  const [image] = await buildTargets(makeContext(), `base :- ${FROM_BUSYBOX}.\n`, ['base']);
  return (await inspect(image!)).RootFS.Layers!.length;
}

describeE2e(
  'frontend: ::merge',
  () => {
    afterAll(removeBuiltImages);

    test('runs, local copies and in_workdir inside one merge make one layer', async () => {
      const modusfile = [
        'runs :-',
        `  ${FROM_BUSYBOX}::set_workdir("/tmp"),`,
        '  (run("echo aaa > file"), run("echo bbb > file"), run("echo ccc > file2"))::merge.',
        'local :-',
        `  ${FROM_BUSYBOX},`,
        '  (copy("file", "/tmp/file"), run("echo newline >> /tmp/file"),',
        '   (copy("file", "file"), run("echo more >> file"))::in_workdir("/srv"))::merge.',
        'log :-',
        `  ${FROM_BUSYBOX}::set_workdir("/tmp"),`,
        '  (',
        '    run("pwd >> /log"),',
        '    run("pwd >> /log")::in_workdir("a"),',
        '    (run("pwd >> /log"), run("pwd >> /log")::in_workdir("c"), run("pwd >> /log")::in_workdir("/"))::in_workdir("b")',
        '  )::merge.',
        'logic :- ' + FROM_BUSYBOX + ', (run("echo ok > /ok"), "a" = "a", string_concat("a", "b", "ab"))::merge.',
        'nested :-',
        `  ${FROM_BUSYBOX}::set_workdir("/tmp"),`,
        '  (run("echo aaa > file"), (run("echo bbb > file"), run("echo ccc > file2"))::merge, run("echo ddd > file"))::merge.',
        '',
      ].join('\n');
      const targets = ['runs', 'local', 'log', 'logic', 'nested'];
      const [base, [runs, local, log, logic, nested]] = await Promise.all([baseLayers(), buildTargets(makeContext(CONTEXT_FILES), modusfile, targets)]);
      expect(await catAll(runs!, '/tmp/file', '/tmp/file2')).toBe('bbb\nccc\n');
      expect(await catAll(local!, '/tmp/file', '/srv/file')).toBe('content\nnewline\ncontent\nmore\n');
      expect(await cat(log!, '/log')).toBe('/tmp\n/tmp/a\n/tmp/b\n/tmp/b/c\n/\n');
      expect(await cat(logic!, '/ok')).toBe('ok\n');
      expect(await catAll(nested!, '/tmp/file', '/tmp/file2')).toBe('ddd\nccc\n');
      for (const image of [runs, local, log, logic, nested]) {
        expect((await inspect(image!)).RootFS.Layers).toHaveLength(base + 1);
      }
    });

    test('a file made and removed inside one merge never reaches a layer', async () => {
      const steps = 'run("head -c 3000000 /dev/urandom > /big"), run("sha1sum /big > /big.sha1"), run("rm /big")';
      const modusfile = [`merged :- ${FROM_BUSYBOX}, (${steps})::merge.`, `unmerged :- ${FROM_BUSYBOX}, ${steps}.`, ''].join('\n');
      const [merged, unmerged] = await buildTargets(makeContext(), modusfile, ['merged', 'unmerged']);
      const [mergedImage, unmergedImage] = await Promise.all([inspect(merged!), inspect(unmerged!)]);
      expect(unmergedImage.Size - mergedImage.Size).toBeGreaterThan(2_500_000);
      expect(await sh(merged!, 'test -e /big || wc -c < /big.sha1')).toMatch(/^\s*\d+\n$/);
    });

    test('::copy inside a merge: relative sources, in_workdir and set_workdir destinations, several sources', async () => {
      const modusfile = [
        `src :- ${FROM_BUSYBOX}::set_workdir("/tmp/aaa"), run("echo aaaaa > /tmp/aaa/file && mkdir -p d/sub && echo x > d/sub/x && echo h > d/.h && mkdir d/empty").`,
        `inwd :- ${FROM_BUSYBOX}, (src::copy("file", "aaa"), run("echo bbbbb >> aaa"))::in_workdir("/tmp")::merge.`,
        `setwd :- ${FROM_BUSYBOX}::set_workdir("/tmp"), (src::copy("file", "aaa"), run("echo bbbbb >> aaa"))::merge.`,
        'multi :-',
        `  ${FROM_BUSYBOX},`,
        '  (',
        `    (${FROM_BUSYBOX}, run("echo one > /one"))::copy("/one", "/tmp/file1"),`,
        `    (${FROM_BUSYBOX}, run("echo two > /two"))::copy("/two", "/tmp/file2"),`,
        '    run("cat /tmp/file1 /tmp/file2 > /tmp/both")',
        '  )::merge.',
        'dirs :-',
        `  ${FROM_BUSYBOX},`,
        '  (src::copy("d", "/tmp"), copy("dir", "/srv"), copy("empty", "/vacant"), run("ls -A /vacant > /vacant.list"),',
        '   src::copy("file", "deep/er/file")::in_workdir("/mk"), copy("file", "x/y/z"))::merge.',
        '',
      ].join('\n');
      const [inwd, setwd, multi, dirs] = await buildTargets(makeContext(CONTEXT_FILES), modusfile, ['inwd', 'setwd', 'multi', 'dirs']);
      expect(await cat(inwd!, '/tmp/aaa')).toBe('aaaaa\nbbbbb\n');
      expect(await cat(setwd!, '/tmp/aaa')).toBe('aaaaa\nbbbbb\n');
      expect(await cat(multi!, '/tmp/both')).toBe('one\ntwo\n');
      const listing = 'cat /tmp/sub/x /tmp/.h /srv/file /srv/.hidden /mk/deep/er/file /x/y/z; test -d /tmp/empty && echo empty-dir; cat /vacant.list; echo end';
      expect(await sh(dirs!, listing)).toBe('x\nh\nin dir\nhidden\naaaaa\ncontent\nempty-dir\n.keep\nend\n');
    });

    test('later copies in a merge overwrite earlier ones; copy sources leave nothing in the layer', async () => {
      const modusfile = [
        `num(n) :- ${FROM_BUSYBOX}, run(f"mkdir -p /tmp/d && echo \${n} > /tmp/d/file").`,
        `files :- ${FROM_BUSYBOX}::set_workdir("/tmp"), (num("1")::copy("/tmp/d/file", "file"), num("2")::copy("/tmp/d/file", "file"), run("true"))::merge.`,
        `dirs :- ${FROM_BUSYBOX}::set_workdir("/tmp"), (num("1")::copy("/tmp/d", "."), num("2")::copy("/tmp/d", "."))::merge.`,
        '',
      ].join('\n');
      const [files, dirs] = await buildTargets(makeContext(), modusfile, ['files', 'dirs']);
      expect(await Promise.all([cat(files!, '/tmp/file'), cat(dirs!, '/tmp/file')])).toEqual(['2\n', '2\n']);
      // The merge of `files` runs a shell with the sources mounted under /dev/.modus-merge (a
      // tmpfs of the container); /dev itself is a mount point any run step leaves behind.
      expect((await listFiles(files!)).filter((path) => path.startsWith('/dev/') || path.includes('modus-merge'))).toEqual([]);
    });

    test('a merge of copies only needs no binary in the image', async () => {
      const modusfile = [
        `box :- ${FROM_BUSYBOX}, run("echo data > /data").`,
        'bare :- from("scratch"), (box::copy("/data", "/srv/data"), copy("dir", "/srv/dir"), box::copy("/bin/busybox", "/bin/busybox"))::merge.',
        '',
      ].join('\n');
      const [bare] = await buildTargets(makeContext(CONTEXT_FILES), modusfile, ['bare']);
      expect((await inspect(bare!)).RootFS.Layers).toHaveLength(1);
      expect(await listFiles(bare!)).toEqual(['/', '/bin', '/bin/busybox', '/srv', '/srv/data', '/srv/dir', '/srv/dir/.hidden', '/srv/dir/file']);
    });

    test('failures inside a merge fail the build: a run, a missing image or context source', async () => {
      const context = makeContext(CONTEXT_FILES);
      const modusfile = [
        `run1 :- ${FROM_BUSYBOX}, run("exit 1")::merge.`,
        `run2 :- ${FROM_BUSYBOX}, (run("true"), run("exit 1"), run("true"))::merge.`,
        `img1 :- ${FROM_BUSYBOX}, ${FROM_BUSYBOX}::copy("/nothing", "/x")::merge.`,
        `img2 :- ${FROM_BUSYBOX}, (run("true"), ${FROM_BUSYBOX}::copy("/nothing", "/x"), run("true"))::merge.`,
        `loc1 :- ${FROM_BUSYBOX}, copy("nothing", "/x")::merge.`,
        `loc2 :- ${FROM_BUSYBOX}, (run("true"), copy("nothing", "/x"), run("true"))::merge.`,
        '',
      ].join('\n');
      const outputs = await Promise.all(
        ['run1', 'run2', 'img1', 'img2', 'loc1', 'loc2'].map((target, i) =>
          buildFails(i === 0 ? { context, modusfile, target } : { context, target }),
        ),
      );
      expect(outputs[1]).toContain('exit code: 1');
      expect(outputs[3]).toContain('/nothing');
      expect(outputs[5]).toContain('nothing');
    });
  },
  FRONTEND_SUITE,
);
