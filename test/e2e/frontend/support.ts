// Shared helpers of the frontend e2e suites: build a Modusfile through `docker build` with our
// frontend, expect success or failure, read files of the result, and clean up the images built.
import {
  BUSYBOX_IMAGE,
  writeContextFile,
  FRONTEND_IMAGE,
  dockerBuild,
  dockerRun,
  inspectImage,
  removeImages,
  type BuildOptions,
  type BuildResult,
  type ImageInspect,
} from '../support';
import { imageFilesystem, imagePathExists, readImageFile } from './image-files';

/** `from(...)` of the test base image, to splice into Modusfiles. */
export const FROM_BUSYBOX = `from("${BUSYBOX_IMAGE}")`;

/** What each frontend suite needs present before it can run. */
export const FRONTEND_SUITE = { images: [FRONTEND_IMAGE, BUSYBOX_IMAGE] };

const builtImages: string[] = [];

/** Builds and expects success; the image is removed by `removeBuiltImages`. */
export async function buildOk(options: BuildOptions): Promise<string> {
  const result = await dockerBuild(options);
  if (result.code !== 0 || !result.imageId) {
    throw new Error(`build of ${options.target ?? '(no target)'} failed with ${result.code}:\n${result.output}`);
  }
  builtImages.push(result.imageId);
  return result.imageId;
}

/** Builds and expects success, keeping the progress output too. */
export async function buildWithOutput(options: BuildOptions): Promise<BuildResult & { imageId: string }> {
  const result = await dockerBuild(options);
  if (result.code !== 0 || !result.imageId) {
    throw new Error(`build of ${options.target ?? '(no target)'} failed with ${result.code}:\n${result.output}`);
  }
  builtImages.push(result.imageId);
  return result as BuildResult & { imageId: string };
}

/** Builds and expects failure; returns everything docker printed. */
export async function buildFails(options: BuildOptions): Promise<string> {
  const result = await dockerBuild(options);
  if (result.imageId) builtImages.push(result.imageId);
  if (result.code === 0) throw new Error(`build of ${options.target ?? '(no target)'} succeeded but should fail:\n${result.output}`);
  return result.output;
}

/** Builds every target of one Modusfile (written once), in parallel; image ids in target order. */
export async function buildTargets(context: string, modusfile: string, targets: string[], extra: Partial<BuildOptions> = {}): Promise<string[]> {
  writeContextFile(context, extra.file ?? 'Modusfile', modusfile);
  return Promise.all(targets.map((target) => buildOk({ ...extra, context, target })));
}

/** The output of `sh -c script` in a container of `image` (whatever its entrypoint). */
export function sh(image: string, script: string): Promise<string> {
  return dockerRun(image, ['-c', script], { entrypoint: 'sh' });
}

/** The content of a file in `image` (read from its layers, no container started). */
export async function cat(image: string, path: string): Promise<string> {
  const content = await readImageFile(image, path);
  if (content === undefined) throw new Error(`${image} has no file ${path}`);
  return content;
}

/** The contents of several files of `image`, concatenated (like `cat A B ...`). */
export async function catAll(image: string, ...paths: string[]): Promise<string> {
  const contents = await Promise.all(paths.map((path) => cat(image, path)));
  return contents.join('');
}

/** Every path in `image` (from its layers), sorted. */
export async function listFiles(image: string): Promise<string[]> {
  return [...(await imageFilesystem(image)).keys()].sort();
}

/** `yes`/`no`: whether `path` exists in `image`. */
export async function exists(image: string, path: string): Promise<string> {
  return (await imagePathExists(image, path)) ? 'yes' : 'no';
}

export function inspect(image: string): Promise<ImageInspect> {
  return inspectImage(image);
}

/** The progress lines that name steps (`#N <name>`), in order, without the BuildKit internals. */
export function stepNames(output: string): string[] {
  const names: string[] = [];
  for (const match of output.matchAll(/^#\d+ (?!sha256:)(\S.*)$/gm)) {
    const line = match[1]!;
    if (/^\d+(\.\d+)? /.test(line) || /^(DONE|CACHED|ERROR|CANCELED)\b/.test(line)) continue;
    if (!names.includes(line)) names.push(line);
  }
  return names;
}

export async function removeBuiltImages(): Promise<void> {
  await removeImages(...builtImages.splice(0));
}
