// `modus transpile`: the Dockerfile it prints, built with Docker's built-in frontend, gives the
// same files and the same image configuration as `modus build` of the Modusfile.
import * as fs from 'fs';
import * as path from 'path';
import { BUSYBOX_IMAGE, FRONTEND_IMAGE, describeE2e, dockerBuild, dockerRun, inspectImage, makeContext, removeImages } from '../support';
import { buildImages, modus, nonce } from './cli';

const BB = BUSYBOX_IMAGE;

const MODUSFILE = (run: string) =>
  [
    `src :- from("${BB}")::set_workdir("/src"), run("echo ${run} && mkdir -p d/sub && echo deep > d/sub/f && echo top > t.txt").`,
    'app :-',
    `  from("${BB}")::set_workdir("/w")::set_env("GREETING", "hello $USER 'q' \\"d\\" \\\\")::append_path("/opt/bin")`,
    '    ::set_label("org.example.k", "v $x")::set_entrypoint(["/bin/sh", "-c"])::set_cmd(["echo hi"]),',
    '  copy("ctx.txt", "from-ctx.txt"),',
    '  copy("dir", "ctxdir"),',
    '  src::copy("t.txt", "rel-src.txt"),',
    '  src::copy("d", "/abs-d"),',
    '  run("pwd > cwd.log")::in_workdir("sub"),',
    '  run("echo \\"$V\\" > env.log")::in_env("V", "in \'env\'"),',
    '  (run("echo merged > m1"), copy("ctx.txt", "m2"), src::copy("t.txt", "m3"))::merge,',
    '  (copy("ctx.txt", "c1"), src::copy("d", "c2"))::merge,',
    '  run("adduser -D dev").',
    'final(V) :- version(V), app::set_user("dev")::set_label("version", V).',
    'version("1.0"). version("2.0").',
    '',
  ].join('\n');

const LISTING = 'cd / && find w abs-d -type f | sort | xargs md5sum && find w abs-d | sort && cat w/sub/cwd.log w/env.log';

describeE2e(
  'modus transpile',
  () => {
    const created: string[] = [];
    afterAll(() => removeImages(...created));

    test('the transpiled Dockerfile builds the same images as the Modusfile', async () => {
      const context = makeContext({ Modusfile: MODUSFILE(nonce()), 'ctx.txt': 'from the context\n', 'dir/inner.txt': 'inner\n' });
      const transpiled = await modus(['transpile', context, 'final(V)'], context);
      expect(transpiled.stderr).toBe('');
      expect(transpiled.code).toBe(0);
      fs.writeFileSync(path.join(context, 'transpiled.Dockerfile'), transpiled.stdout);
      expect(transpiled.stdout).toContain('["/src/t.txt","rel-src.txt"]');

      const modusImages = await buildImages(context, 'final(V)');
      for (const [literal, stage] of [['final("1.0")', 'final-1.0'], ['final("2.0")', 'final-2.0']] as const) {
        const fromModus = modusImages.get(literal)!.image_id!;
        const built = await dockerBuild({ context, file: 'transpiled.Dockerfile', syntax: 'none', target: stage });
        if (built.code !== 0) throw new Error(built.output);
        created.push(fromModus, built.imageId!);

        const [a, b] = await Promise.all([fromModus, built.imageId!].map((id) => dockerRun(id, ['-c', LISTING], { entrypoint: '/bin/sh', user: '0' })));
        expect(b).toBe(a);
        expect(a).toContain('/w/sub\n');
        expect(a).toContain("in 'env'\n");

        const [x, y] = await Promise.all([fromModus, built.imageId!].map(inspectImage));
        const config = (c: typeof x.Config) => ({ Env: c.Env, WorkingDir: c.WorkingDir, User: c.User, Entrypoint: c.Entrypoint, Cmd: c.Cmd, Labels: c.Labels });
        expect(config(y.Config)).toEqual(config(x.Config));
        expect(x.Config.Labels?.['com.modus-continens.literal']).toBe(literal);
        expect(x.Config.Env).toContain(`GREETING=hello $USER 'q' "d" \\`);
      }
    });
  },
  { images: [FRONTEND_IMAGE, BUSYBOX_IMAGE] },
);
