#!/usr/bin/env node
// Entry point of the `pushpull` CLI. The project runs its TypeScript directly on Node >= 24
// (type stripping), so there is no build step: this file only checks the Node version and hands over.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `pushpull needs Node.js 24 or newer (this is ${process.version}).\n` +
      "Run it through npm so the project's own Node 24 is used: `npm run pushpull -- --help` or `npx --no-install pushpull --help`.\n",
  );
  process.exit(2);
}
// A reader that stops early (`pushpull validate ... | head`) closes the pipe: that is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
