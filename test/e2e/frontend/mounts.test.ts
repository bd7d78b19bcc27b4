// Build-time mounts through the real daemon: a secret read by a step and found nowhere else, a
// secret the build was not given, a cache mount that accumulates across builds (also under
// ::no_cache, which runs the step again with the same cache), a tmpfs, and SSH forwarding from a real ssh-agent.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCKER, NODE_BASE_IMAGE, describeE2e, docker, makeContext, makeTempDirectory } from '../support';
import { imageFilesystem } from './image-files';
import { FROM_BUSYBOX, FRONTEND_SUITE, buildFails, buildWithOutput, cat, inspect, listFiles, removeBuiltImages } from './support';

describeE2e(
  'frontend: build-time mounts',
  () => {
    afterAll(removeBuiltImages);

    test('a secret is read by its step and appears in no layer, config, history, label, step name or progress line', async () => {
      const secret = `modus-secret-${randomBytes(12).toString('hex')}`;
      const secretFile = path.join(makeTempDirectory('modus-e2e-secret-'), 'token');
      fs.writeFileSync(secretFile, secret);
      const context = makeContext();
      const modusfile = [
        'app :-',
        `  ${FROM_BUSYBOX},`,
        '  run("wc -c < /run/secrets/token > /len && test \\"$(cat /run/secrets/token)\\" = \\"$(cat /etc/tok)\\" && echo same > /same")',
        '    ::mount_secret("token")::mount_secret("token", "/etc/tok"),',
        '  run("ls /run/secrets > /listed 2>&1 || true").',
        '',
      ].join('\n');
      const { imageId, output } = await buildWithOutput({ context, modusfile, target: 'app', extraArgs: ['--secret', `id=token,src=${secretFile}`] });
      expect((await cat(imageId, 'len')).trim()).toBe(String(secret.length));
      expect((await cat(imageId, 'same')).trim()).toBe('same');
      // The mount point is not kept in the layer either.
      expect(await listFiles(imageId)).not.toContain('run/secrets/token');

      const files = await imageFilesystem(imageId);
      for (const [name, entry] of files) {
        expect(`${name}: ${entry.content.toString('latin1')}`).not.toContain(secret);
      }
      const saved = spawnSync(DOCKER, ['save', imageId], { maxBuffer: 1 << 30 });
      expect(saved.status).toBe(0);
      expect(saved.stdout.includes(Buffer.from(secret))).toBe(false);
      expect(JSON.stringify(await inspect(imageId))).not.toContain(secret);
      const history = await docker(['history', '--no-trunc', '--format', '{{.CreatedBy}} {{.Comment}}', imageId]);
      expect(history.output).not.toContain(secret);
      expect(output).not.toContain(secret);
      expect(output).toContain('app › run("wc -c < /run/secrets/token');
    });

    test('a secret the build was not given: an error at the operator', async () => {
      const context = makeContext();
      const modusfile = `app :- ${FROM_BUSYBOX}, run("cat /run/secrets/npmrc")::mount_secret("npmrc").\n`;
      const output = await buildFails({ context, modusfile, target: 'app' });
      const column = modusfile.indexOf('::mount_secret') + 1;
      expect(output).toContain(`Modusfile:1:${column}: error: secret \`npmrc\` was not given to the build`);
    });

    test('a cache mount accumulates across builds when the step runs again, and is not in the image', async () => {
      const id = `modus-e2e-${randomBytes(6).toString('hex')}`;
      const context = makeContext();
      const step = `run("echo x >> /cache/log && wc -l < /cache/log > /count")::mount_cache("/cache", "${id}")`;
      const first = await buildWithOutput({ context, modusfile: `app :- ${FROM_BUSYBOX}, ${step}.\n`, target: 'app' });
      expect((await cat(first.imageId, 'count')).trim()).toBe('1');
      expect((await listFiles(first.imageId)).filter((f) => f.startsWith('cache/'))).toEqual([]);
      const second = await buildWithOutput({ context, modusfile: `app :- ${FROM_BUSYBOX}, (${step})::cache_key("2").\n`, target: 'app' });
      expect((await cat(second.imageId, 'count')).trim()).toBe('2');
    });

    test('::no_cache with a cache mount: the step runs in every build and sees what the earlier runs left in the cache', async () => {
      const id = `modus-e2e-${randomBytes(6).toString('hex')}`;
      const context = makeContext();
      const modusfile = `app :- ${FROM_BUSYBOX}, run("echo x >> /cache/log && wc -l < /cache/log > /count")::mount_cache("/cache", "${id}")::no_cache.\n`;
      const first = await buildWithOutput({ context, modusfile, target: 'app' });
      expect((await cat(first.imageId, 'count')).trim()).toBe('1');
      // A nonce of our own (each build needs another), to look for it in the image.
      const nonce = `modus-nonce-${randomBytes(8).toString('hex')}`;
      const second = await buildWithOutput({ context, modusfile, target: 'app', extraArgs: ['--build-arg', `MODUS_BUILD_NONCE=${nonce}`] });
      expect((await cat(second.imageId, 'count')).trim()).toBe('2');
      expect(second.output).toMatch(/app › run\("echo x >> \/cache\/log.*\[no-cache\]/);
      const files = await imageFilesystem(second.imageId);
      expect([...files.keys()].filter((f) => f.includes('modus-cache-key'))).toEqual([]);
      for (const [name, entry] of files) expect(`${name}: ${entry.content.toString('latin1')}`).not.toContain(nonce);
      expect(JSON.stringify(await inspect(second.imageId))).not.toContain(nonce);
      const history = await docker(['history', '--no-trunc', '--format', '{{.CreatedBy}} {{.Comment}}', second.imageId]);
      expect(history.output).not.toContain(nonce);
    });

    test('a tmpfs is there for the step and gone from the layer', async () => {
      const context = makeContext();
      const modusfile = `app :- ${FROM_BUSYBOX}, run("echo hi > /scratch/x && cat /scratch/x > /seen && grep -q ' /scratch tmpfs ' /proc/mounts && echo tmpfs > /kind")::mount_tmpfs("/scratch").\n`;
      const { imageId } = await buildWithOutput({ context, modusfile, target: 'app' });
      expect((await cat(imageId, 'seen')).trim()).toBe('hi');
      expect((await cat(imageId, 'kind')).trim()).toBe('tmpfs');
      expect(await listFiles(imageId)).not.toContain('scratch/x');
    });

    test('SSH forwarding: the step reaches the agent of the build through SSH_AUTH_SOCK', async () => {
      const dir = makeTempDirectory('modus-e2e-ssh-');
      const comment = `modus-e2e-${randomBytes(6).toString('hex')}`;
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path.join(dir, 'key')]);
      const socket = path.join(dir, 'agent.sock');
      const agent = execFileSync('ssh-agent', ['-a', socket, '-s'], { encoding: 'utf8' });
      const pid = /SSH_AGENT_PID=(\d+)/.exec(agent)![1]!;
      try {
        execFileSync('ssh-add', [path.join(dir, 'key')], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
        // The key's comment is also in the command, so a step cached from an earlier agent never answers.
        // Asks the agent for its identities (SSH2_AGENTC_REQUEST_IDENTITIES) and keeps the answer.
        const client = [
          "const s = require('net').connect(process.env.SSH_AUTH_SOCK);",
          "const parts = []; s.on('data', (d) => parts.push(d)); s.on('end', () => require('fs').writeFileSync('/identities', Buffer.concat(parts)));",
          's.write(Buffer.from([0, 0, 0, 1, 11])); setTimeout(() => s.end(), 1000);',
        ].join(' ');
        const context = makeContext({ 'agent.js': client });
        const modusfile = `app :- from("${NODE_BASE_IMAGE}"), copy("agent.js", "/agent.js"), run("node /agent.js && echo $SSH_AUTH_SOCK > /sock # ${comment}")::mount_ssh.\n`;
        const { imageId } = await buildWithOutput({ context, modusfile, target: 'app', extraArgs: ['--ssh', `default=${socket}`] });
        expect((await cat(imageId, 'sock')).trim()).toBe('/run/buildkit/ssh_agent.0');
        expect(await cat(imageId, 'identities')).toContain(comment);
        expect(await listFiles(imageId)).not.toContain('run/buildkit/ssh_agent.0');
      } finally {
        process.kill(Number(pid));
      }
    });

    test('an SSH agent the build was not given: an error at the operator', async () => {
      const context = makeContext();
      const modusfile = `app :- ${FROM_BUSYBOX}, run("true")::mount_ssh("github").\n`;
      const output = await buildFails({ context, modusfile, target: 'app' });
      expect(output).toContain(`Modusfile:1:${modusfile.indexOf('::mount_ssh') + 1}: error: SSH agent \`github\` was not given to the build`);
    });
  },
  { ...FRONTEND_SUITE, images: [...FRONTEND_SUITE.images, NODE_BASE_IMAGE] },
);
