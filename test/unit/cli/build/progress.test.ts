import { BuildProgress, failureLog } from '../../../../frontend/cli/build/progress';

function recorder() {
  let text = '';
  return { write: (t: string) => (text += t), text: () => text };
}

test('plain: a line per change, waiting lines only when some images must wait', () => {
  const out = recorder();
  const progress = new BuildProgress(['a("1")', 'a("22")'], { write: out.write, live: false, verbose: false });
  progress.begin(2);
  progress.onEvent({ kind: 'start', index: 0 });
  progress.onEvent({ kind: 'output', index: 0, line: '#1 hidden' });
  progress.onEvent({ kind: 'end', index: 0, result: { state: 'done', imageId: 'sha256:0123456789abcdef', seconds: 2.04, log: '' } });
  progress.onEvent({ kind: 'start', index: 1 });
  progress.onEvent({ kind: 'end', index: 1, result: { state: 'failed', seconds: 1, log: '', exitCode: 1 } });
  progress.end();
  expect(out.text()).toBe(
    ['[1/2] a("1")   building', '[1/2] a("1")   done in 2.0 s  0123456789ab', '[2/2] a("22")  building', '[2/2] a("22")  failed after 1.0 s', ''].join('\n'),
  );
  const waiting = recorder();
  new BuildProgress(['x', 'y'], { write: waiting.write, live: false, verbose: false }).begin(1);
  expect(waiting.text()).toBe('[1/2] x  waiting\n[2/2] y  waiting\n');
});

test('live: the block of lines is redrawn in place with a clock', () => {
  const out = recorder();
  let now = 10;
  const progress = new BuildProgress(['x', 'y'], { write: out.write, live: true, verbose: false, now: () => now });
  progress.begin(2);
  progress.onEvent({ kind: 'start', index: 0 });
  now = 13.5;
  progress.end();
  const frames = out.text().split('\u001b[2F');
  expect(frames.length).toBe(3);
  expect(frames[frames.length - 1]).toBe('\u001b[2K[1/2] x  building 3.5 s\n\u001b[2K[2/2] y  waiting\n');
});

test('verbose: BuildKit lines prefixed by the image, never live', () => {
  const out = recorder();
  const progress = new BuildProgress(['x'], { write: out.write, live: true, verbose: true });
  progress.begin(1);
  progress.onEvent({ kind: 'output', index: 0, line: '#3 RUN make' });
  expect(out.text()).toBe('[1/1] x | #3 RUN make\n');
});

test('failureLog: the end of the log, framed, with the reason', () => {
  const log = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n') + '\n';
  const text = failureLog('a("1")', { state: 'failed', seconds: 1, log, reason: 'the build wrote no image ID' }, 3);
  expect(text).toBe(
    ['--- a("1"): BuildKit log (last 3 of 100 lines) ---', 'line 97', 'line 98', 'line 99', 'modus: the build wrote no image ID', '-'.repeat(50), ''].join('\n'),
  );
});

test('an image already building (the one solve started it) is not started again: one line, its time from the first start', () => {
  const out = recorder();
  let now = 0;
  const progress = new BuildProgress(['a'], { write: out.write, live: false, verbose: false, now: () => now });
  progress.begin(1);
  progress.onEvent({ kind: 'start', index: 0 });
  now = 1;
  progress.onEvent({ kind: 'start', index: 0 });
  now = 3;
  progress.onEvent({ kind: 'end', index: 0, result: { state: 'done', imageId: 'sha256:0123456789abcdef', seconds: 2, log: '' } });
  expect(out.text()).toBe('[1/1] a  building\n[1/1] a  done in 2.0 s  0123456789ab\n');
});
