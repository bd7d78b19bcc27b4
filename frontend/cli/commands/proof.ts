import type { Command } from '../io';

export const proofCommand: Command = {
  name: 'proof',
  summary: 'not implemented yet',
  usage: 'modus proof',
  async run(_argv, io) {
    io.stderr('modus proof: not implemented yet\n');
    return 1;
  },
};
