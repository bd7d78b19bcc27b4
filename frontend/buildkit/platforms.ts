/**
 * Building for platforms: which platforms a build makes, whether this builder runs steps for
 * them, and a multi-platform result (one ref per platform with BuildKit's `refs.platforms`
 * metadata and a configuration per platform).
 */
import { FrontendError, type ReturnResult, type WorkerInfo } from '../gateway';
import type { Platform } from '../llb/types';
import { formatPlatform } from '../llb/platform';

/** The requested platforms, or the worker's default; each with whether this builder can run steps for it. */
export function buildPlatforms(requested: readonly Platform[], workers: readonly WorkerInfo[]): Platform[] {
  const supported = workers.flatMap((w) => w.platforms);
  if (requested.length > 0) return [...requested];
  return [supported[0] ?? { os: 'linux', architecture: 'amd64' }];
}

/** Whether this builder runs steps for the platform (natively or through an emulator it announces). */
export function canRun(platform: Platform, workers: readonly WorkerInfo[]): boolean {
  const supported = workers.flatMap((w) => w.platforms);
  if (supported.length === 0) return true;
  return supported.some((p) => p.os === platform.os && p.architecture === platform.architecture && (!platform.variant || !p.variant || p.variant === platform.variant));
}

export function cannotRunError(platform: Platform, workers: readonly WorkerInfo[]): FrontendError {
  const supported = [...new Set(workers.flatMap((w) => w.platforms).map(formatPlatform))];
  return new FrontendError(
    `platform ${formatPlatform(platform)} cannot run \`run\` steps on this builder; it runs ${supported.join(', ')}. ` +
      'Register an emulator for it (binfmt_misc, e.g. qemu-user-static) or build images without `run` for it (copy-only, on scratch)',
  );
}

interface PlatformImage {
  platform: Platform;
  ref: string;
  config: string;
}

/** One image per platform, as BuildKit's exporters read a multi-platform result. */
export function multiPlatformResult(images: readonly PlatformImage[]): ReturnResult {
  const refs: Record<string, string> = {};
  const metadata: Record<string, string> = {};
  const platforms = images.map(({ platform, ref, config }) => {
    const id = formatPlatform(platform);
    refs[id] = ref;
    metadata[`containerimage.config/${id}`] = config;
    return { ID: id, Platform: { architecture: platform.architecture, os: platform.os, ...(platform.variant ? { variant: platform.variant } : {}) } };
  });
  metadata['refs.platforms'] = JSON.stringify({ Platforms: platforms });
  return { refs, metadata };
}
