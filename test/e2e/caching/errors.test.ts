// User errors of the cache operators reach the docker user with the Modusfile position.
import { describeE2e, dockerBuild, makeContext, removeImages } from '../support';
import { CACHING_SUITE, FROM_BUSYBOX, RUN_ID } from './support';

describeE2e(
  'caching: errors of the cache operators',
  () => {
    const modusfile = [
      'failing :-',
      `  ${FROM_BUSYBOX},`,
      `  run("echo ${RUN_ID} > /never")::cache_probe("echo probe-says-no >&2; exit 3").`,
      'nonground(X) :-',
      `  ${FROM_BUSYBOX},`,
      '  run("echo x > /n")::cache_probe(X).',
      `soon :- ${FROM_BUSYBOX}, run("echo x > /n")::cache_ttl("soon").`,
      '',
    ].join('\n');
    const context = makeContext({ Modusfile: modusfile });

    async function failure(target: string): Promise<string> {
      const result = await dockerBuild({ context, target });
      await removeImages(result.imageId);
      expect(result.code).not.toBe(0);
      return result.output;
    }

    test("a failing probe fails the build with its exit code, its own error output and the operator's position", async () => {
      const output = await failure('failing');
      expect(output).toContain('Modusfile:3:3: error: cache probe `echo probe-says-no >&2; exit 3` failed with exit code 3');
      expect(output).toMatch(/its error output:\nprobe-says-no\n/);
      // The probed step itself never starts.
      expect(output).not.toContain('> /never") Modusfile:3:3');
    });

    test('a probe whose command is not ground is an error at its position', async () => {
      const output = await failure('nonground(X)');
      expect(output).toContain('Modusfile:6:3: error: insufficient groundness');
      expect(output).toContain('cache_probe');
    });

    test('cache_ttl("soon") is an invalid duration at its position', async () => {
      const output = await failure('soon');
      expect(output).toContain('Modusfile:7:');
      expect(output).toContain('invalid duration `soon`: expected a number followed by s, m, h or d');
    });
  },
  CACHING_SUITE,
);
