/**
 * A case-study-like matrix (OpenJDK-style): VERSIONS × VARIANTS images that share a common base
 * step and, per version, a "JDK" step; each image adds its own small step. A salt in the first
 * step makes every run cold without pruning anybody's build cache. Pure.
 */
export interface MatrixOptions {
  base: string;
  salt: string;
  versions: number;
  variants: number;
  /** Seconds of work in the shared base step, in each version step and in each image's own step. */
  baseSeconds: number;
  versionSeconds: number;
  imageSeconds: number;
}

export const DEFAULT_MATRIX: Omit<MatrixOptions, 'base' | 'salt'> = {
  versions: 5,
  variants: 4,
  baseSeconds: 8,
  versionSeconds: 5,
  imageSeconds: 2,
};

export const GOAL = 'image(V, T)';

export function matrixModusfile(o: MatrixOptions): string {
  const versions = Array.from({ length: o.versions }, (_, i) => `version("${i + 11}").`);
  const variants = Array.from({ length: o.variants }, (_, i) => `variant("v${i + 1}").`);
  return [
    `common :- from("${o.base}"), run("echo ${o.salt} && mkdir -p /opt && sleep ${o.baseSeconds} && head -c 8000000 /dev/urandom > /opt/common").`,
    `jdk(V) :- version(V), common, run(f"sleep ${o.versionSeconds} && head -c 2000000 /dev/urandom > /opt/jdk-\${V}").`,
    `image(V, T) :- jdk(V), variant(T), run(f"sleep ${o.imageSeconds} && echo \${V}-\${T} > id")::in_workdir("/opt").`,
    ...versions,
    ...variants,
    '',
  ].join('\n');
}
