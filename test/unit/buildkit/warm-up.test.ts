import { warmUp } from '../../../frontend/buildkit/warm-up';

describe('the start-up snapshot warm-up', () => {
  it('runs its sample build through every stage to Return against the in-memory gateway', async () => {
    await expect(warmUp()).resolves.toBeUndefined();
  });
});
