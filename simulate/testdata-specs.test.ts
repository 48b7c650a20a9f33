/** The specs simulate's benchmark and recorded runs come from validate, so they can be rerun as they are. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadSpecFile } from '../api/v1alpha1/load.ts';

describe("simulate's testdata specs", () => {
  for (const name of ['bench-60s.yaml', 'aggregated-burst.yaml']) {
    it(`${name} is a valid experiment`, async () => {
      const loaded = await loadSpecFile(fileURLToPath(new URL(`./testdata/${name}`, import.meta.url)));
      assert.ok(loaded.ok, loaded.ok ? '' : JSON.stringify(loaded.errors));
    });
  }
});
