import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { walkSchema } from './walk.ts';

const Point = Type.Object(
  {
    version: Type.Literal(1),
    value: Type.Union([Type.Number(), Type.Null()]),
    at: Type.Tuple([Type.Number(), Type.Number()]),
    label: Type.Optional(Type.String({ default: 'none' })),
  },
  { additionalProperties: false },
);

const messages = (value: unknown) =>
  walkSchema(Point, value, { applyDefaults: false }).errors.map((e) => e.message);

describe('walkSchema', () => {
  test('accepts null where the schema allows it, and checks the value otherwise', () => {
    assert.deepEqual(messages({ version: 1, value: null, at: [1, 2], label: 'x' }), []);
    assert.deepEqual(messages({ version: 1, value: 'x', at: [1, 2], label: 'x' }), [
      'value: "x" is a string; expected a number (or null)',
    ]);
  });

  test('checks a tuple item by item and its length', () => {
    assert.deepEqual(messages({ version: 1, value: 1, at: [1, 'b'], label: 'x' }), [
      'at[1]: "b" is a string; expected a number',
    ]);
    assert.deepEqual(messages({ version: 1, value: 1, at: [1, 2, 3], label: 'x' }), [
      'at: a list of 3 items is not allowed; expected a list of 2 items: a number; a number',
    ]);
  });

  test('rejects a number that is not the literal', () => {
    assert.deepEqual(messages({ version: 2, value: 1, at: [1, 2], label: 'x' }), [
      'version: 2 is not allowed; expected exactly 1',
    ]);
  });

  test('fills in defaults only when asked to', () => {
    const input = { version: 1, value: 1, at: [0, 0] };
    assert.deepEqual(messages(input), []);
    assert.equal(
      (walkSchema(Point, input, { applyDefaults: false }).value as { label?: string }).label,
      undefined,
    );
    assert.equal(
      (walkSchema(Point, input, { applyDefaults: true }).value as { label: string }).label,
      'none',
    );
  });
});
