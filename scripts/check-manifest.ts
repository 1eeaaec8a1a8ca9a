// Validates manifest.yml against Slack's published app-manifest schema (v1).
// Usage: npm run check:manifest [-- <schema.json> [<manifest.yml>]]; the default schema is the copy kept beside this
// script (MIT, Slack Technologies), so a clone of this repository alone can check it.
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

const root = path.resolve(import.meta.dirname, '..');
const schemaPath = path.resolve(process.argv[2] ?? path.join(root, 'scripts/slack-manifest-schema/manifest.schema.1.0.0.json'));
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
delete schema.$schema;
const manifestPath = path.resolve(process.argv[3] ?? path.join(root, 'manifest.yml'));
const manifest = YAML.parse(fs.readFileSync(manifestPath, 'utf8'));

const ajv = new Ajv.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);
if (!validate(manifest)) {
  for (const e of validate.errors ?? []) console.error(`${path.basename(manifestPath)}${e.instancePath || ''}: ${e.message}`);
  process.exit(1);
}
console.log(`${path.basename(manifestPath)} is valid against ${path.basename(schemaPath)}`);
