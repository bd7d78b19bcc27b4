// ::merge has two forms: one shell script on BuildKit v0.8, its steps with a DiffOp and a MergeOp
// where BuildKit has mergeop and diffop (current Docker). Either way the image must hold the same
// files as the same steps without the merge, in one layer: this suite runs on both daemons, and
// the files it expects are written out here, so the two daemons agree with each other too.
import { createHash } from 'crypto';
import { ON_CURRENT_DOCKER, describeE2e, dockerBuild, makeContext } from '../support';
import { FROM_BUSYBOX, FRONTEND_SUITE, buildTargets, inspect, removeBuiltImages, sh } from './support';

const STEPS = [
  'run("mkdir -p /srv/a && echo made > /srv/a/made && echo gone > /srv/gone && ln -s a/made /srv/link")',
  'copy("file", "/srv/file")',
  'src::copy("/opt/d", "/srv/d")',
  'run("rm /srv/gone && cat file d/one > both && chmod 600 both")::in_workdir("/srv")',
  'run("echo env=$K > /srv/env")::in_env("K", "v")',
  'copy("dir", "/srv/dir")',
].join(', ');

const MODUSFILE = [
  `src :- ${FROM_BUSYBOX}, run("mkdir -p /opt/d && echo one > /opt/d/one && echo two > /opt/d/two").`,
  `merged :- ${FROM_BUSYBOX}, (${STEPS})::merge.`,
  `steps :- ${FROM_BUSYBOX}, ${STEPS}.`,
  `base :- ${FROM_BUSYBOX}.`,
  '',
].join('\n');

/** Every path of the image's own filesystem with its type, mode, owner and, for files, a SHA-256. */
const MANIFEST = [
  'cd / && find . -xdev ! -path ./etc/hosts ! -path ./etc/hostname ! -path ./etc/resolv.conf | sort | while read -r p; do',
  '  if [ -L "$p" ]; then echo "$p link $(readlink "$p")";',
  '  elif [ -f "$p" ]; then echo "$p $(stat -c "%a %u:%g" "$p") $(sha256sum < "$p" | cut -c1-64)";',
  '  else echo "$p $(stat -c "%F %a %u:%g" "$p")"; fi',
  'done',
].join('\n');

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describeE2e(
  'frontend: ::merge has the files of its steps on either daemon',
  () => {
    afterAll(removeBuiltImages);

    test('the merged image equals the unmerged one file for file, in one layer over the base', async () => {
      const context = makeContext({ file: 'content\n', 'dir/x': 'x\n', 'dir/sub/y': 'y\n' });
      const [merged, steps, base] = await buildTargets(context, MODUSFILE, ['merged', 'steps', 'base']);
      const [mergedFiles, stepFiles] = await Promise.all([sh(merged!, MANIFEST), sh(steps!, MANIFEST)]);
      expect(mergedFiles).toBe(stepFiles);
      const srv = mergedFiles.split('\n').filter((line) => line.startsWith('./srv'));
      expect(srv).toEqual([
        './srv directory 755 0:0',
        './srv/a directory 755 0:0',
        `./srv/a/made 644 0:0 ${sha('made\n')}`,
        `./srv/both 600 0:0 ${sha('content\none\n')}`,
        './srv/d directory 755 0:0',
        `./srv/d/one 644 0:0 ${sha('one\n')}`,
        `./srv/d/two 644 0:0 ${sha('two\n')}`,
        './srv/dir directory 755 0:0',
        './srv/dir/sub directory 755 0:0',
        `./srv/dir/sub/y 644 0:0 ${sha('y\n')}`,
        `./srv/dir/x 644 0:0 ${sha('x\n')}`,
        `./srv/env 644 0:0 ${sha('env=v\n')}`,
        `./srv/file 644 0:0 ${sha('content\n')}`,
        './srv/link link a/made',
      ]);
      const [mergedLayers, baseLayers] = await Promise.all([inspect(merged!), inspect(base!)]);
      expect(mergedLayers.RootFS.Layers).toHaveLength(baseLayers.RootFS.Layers!.length + 1);
    });

    test('the form follows the daemon: a diff and a MergeOp on current BuildKit, one script on v0.8', async () => {
      const context = makeContext({ file: 'content\n', 'dir/x': 'x\n', 'dir/sub/y': 'y\n' });
      const result = await dockerBuild({ context, modusfile: MODUSFILE, target: 'merged' });
      expect(result.code).toBe(0);
      expect(result.output.includes('::merge Modusfile:2:')).toBe(true);
      expect(result.output.includes('[merge diff]')).toBe(ON_CURRENT_DOCKER);
    });
  },
  FRONTEND_SUITE,
);
