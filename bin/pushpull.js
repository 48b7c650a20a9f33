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
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
