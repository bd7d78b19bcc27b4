/**
 * The fixed graphs whose digests were computed by Go client/llb of BuildKit v0.8.3 (see
 * docs/gateway.md, "How the expected digests were obtained"). Each state here mirrors one in
 * that throwaway Go program op for op.
 */
import { FileAction, image, local, scratch, SourceMapFile, type State } from '../../../frontend/llb';

export function goFixtures(): Record<string, State> {
  const busybox = image('busybox');
  const pinned = image('modus-test/busybox:1', { resolveMode: 'pull', customName: '[internal] load busybox' });
  const ctx = local('context', {
    sessionId: 'sess-123',
    includePatterns: ['src/', 'go.mod'],
    excludePatterns: ['*.md', '<tmp>&'],
    followPaths: ['Modusfile'],
    sharedKeyHint: 'context',
    customName: 'load build context',
  });
  const run = busybox
    .withEnv('A', '1')
    .withEnv('PATH', '/bin')
    .withEnv('A', '2')
    .withDir('/app')
    .withDir('sub')
    .withUser('1000:1000')
    .run({
      args: ['/bin/sh', '-c', 'make && make install'],
      mounts: [
        { dest: '/ctx', from: ctx, readonly: true, selector: '/src' },
        { dest: '/out', from: scratch() },
        { type: 'cache', dest: '/cache', id: 'go-build', sharing: 'locked' },
        { type: 'tmpfs', dest: '/tmp' },
      ],
      network: 'none',
      customName: 'RUN make',
      ignoreCache: true,
    });
  const ts = 1700000000n * 1_000_000_000n + 5n;
  const file = run.file(
    FileAction.copy(ctx, 'app/*.go', 'dst/', {
      createDestPath: true,
      allowWildcard: true,
      allowEmptyWildcard: true,
      copyDirContentsOnly: true,
      followSymlinks: true,
    })
      .mkfile('/etc/motd', 0o644, 'hello\n', { owner: '1000:staff' })
      .mkdir('var/lib/x', 0o755, { makeParents: true, createdTime: ts })
      .rm('/tmp/junk', { allowNotFound: true }),
    { customName: 'COPY and friends' },
  );
  const copyMode = pinned.file(FileAction.copy(run.getMount('/out'), '/result', '/usr/bin/result', { mode: 0o600 }));
  const scratchFile = scratch().file(FileAction.mkfile('/hello', 0o644, 'hi'));
  const modusfile = new SourceMapFile('Modusfile', new TextEncoder().encode('app :- from("busybox"), run("make").\n'));
  const mapped = busybox.run({
    args: ['make'],
    locations: [modusfile.location([{ start: { line: 1, character: 7 }, end: { line: 1, character: 22 } }])],
  });
  const readonlyRoot = busybox.run({
    args: ['cat', '/etc/passwd'],
    readonlyRootfs: true,
    mounts: [{ dest: '/out', from: scratch() }],
  });
  return {
    image: busybox,
    imagePull: pinned,
    local: ctx,
    exec: run,
    execOut: run.getMount('/out'),
    file,
    copyMode,
    scratchFile,
    sourceMap: mapped,
    readonlyRoot: readonlyRoot.getMount('/out'),
  };
}
