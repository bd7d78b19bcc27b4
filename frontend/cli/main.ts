// The `modus` program. Placeholder until the commands are wired together.
process.stderr.write('modus: not implemented yet\n');
process.exit(1);
