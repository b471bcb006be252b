// Validates what llmux answers against OpenAI's published OpenAPI schemas (the subset kept in
// tests/golden/openai-openapi-schemas.json, MIT, with its source commit inside; or $OPENAI_SCHEMAS): a translated answer that
// lacks a field the schema requires (message.refusal, choices[].logprobs, …) fails here, as it
// would in a strictly typed client.
//
//   import { assertOpenAiShape } from '../lib/openai_schema.mjs';
//   assertOpenAiShape('CreateChatCompletionResponse', body);
//   assertOpenAiShape('CreateChatCompletionStreamResponse', chunk);
//   assertOpenAiShape('Response', responseObject);   // the Responses API
//
// Any schema name in the file works (schemaNames() lists them). The file is OpenAPI 3.1 (JSON
// Schema 2020-12) with a few leftovers this adapts before compiling: OpenAPI's `discriminator`
// and `x-*` annotations are dropped (they add no constraint the `oneOf`/`anyOf` lacks), 3.0's
// `nullable: true` becomes a `null` type (beside a `$ref`: an anyOf with null), and the one
// `$recursiveRef` (compound filters nest
// themselves) points at its own schema.

import Ajv2020 from 'ajv/dist/2020.js';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './harness.mjs';

function schemasPath() {
  if (process.env.OPENAI_SCHEMAS) return process.env.OPENAI_SCHEMAS;
  for (const candidate of [
    join(repoRoot, 'tests', 'golden', 'openai-openapi-schemas.json'),
    join(repoRoot, '..', 'shared', 'reference', 'openai-openapi-schemas.json'),
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('openai-openapi-schemas.json not found (set OPENAI_SCHEMAS)');
}

// A copy of `node` with what Ajv cannot take rewritten; `owner` names the schema being copied,
// for the recursive reference.
function adapt(node, owner) {
  if (Array.isArray(node)) return node.map((item) => adapt(item, owner));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'discriminator' || key === 'nullable' || key === '$recursiveAnchor' || key.startsWith('x-')) continue;
    if (key === '$recursiveRef') {
      out.$ref = `#/components/schemas/${owner}`;
      continue;
    }
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, adapt(sub, owner)]));
      continue;
    }
    out[key] = adapt(value, owner);
  }
  if (node.nullable === true && out.$ref !== undefined && out.type === undefined) {
    // `nullable` beside a `$ref` (a stream chunk's `usage`, null in every chunk but the last):
    // the reference or null.
    const { $ref, ...rest } = out;
    return { ...rest, anyOf: [{ $ref }, { type: 'null' }] };
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

let compiled = null;
function load() {
  if (compiled) return compiled;
  const file = JSON.parse(readFileSync(schemasPath(), 'utf8'));
  const schemas = Object.fromEntries(Object.entries(file.schemas).map(([name, schema]) => [name, adapt(schema, name)]));
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'openai', components: { schemas } });
  compiled = { ajv, names: Object.keys(schemas), validators: new Map() };
  return compiled;
}

export function schemaNames() {
  return load().names;
}

function validatorFor(name) {
  const { ajv, names, validators } = load();
  if (!names.includes(name)) throw new Error(`no schema named ${name} in the OpenAI schemas`);
  if (!validators.has(name)) validators.set(name, ajv.compile({ $ref: `openai#/components/schemas/${name}` }));
  return validators.get(name);
}

// The schema's complaints about `value` (empty when it conforms), each "path: message".
export function openAiShapeErrors(name, value) {
  const validate = validatorFor(name);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`);
}

export function assertOpenAiShape(name, value, context = '') {
  const errors = openAiShapeErrors(name, value);
  assert.deepEqual(errors, [], `${context ? context + ': ' : ''}not a valid ${name}:\n${errors.slice(0, 12).join('\n')}\n` +
    `value: ${JSON.stringify(value).slice(0, 1500)}`);
}
