// Checks a Prisma schema file with Prisma's own schema engine, built to WebAssembly
// (@prisma/prisma-schema-wasm, pinned in package-lock.json): no download, works offline.
// Usage: node check-schema.mjs FILE
// Prints one JSON line: {"valid": bool, "error": "...", "formatted": bool, "config": {...}}
// where `formatted` says whether `prisma format` would leave the file as it is and `config` is
// what the engine reads from it (get_config). Exit code 0 when the line was printed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const engine = require("@prisma/prisma-schema-wasm");

const file = process.argv[2];
const schema = readFileSync(file, "utf8");
const files = JSON.stringify({ prismaSchema: [["schema.prisma", schema]], noColor: true });
const out = { valid: true, error: "", formatted: false, config: null };
try {
  engine.validate(files);
} catch (e) {
  out.valid = false;
  out.error = JSON.parse(String(e.message ?? e)).message ?? String(e);
}
if (out.valid) {
  const params = JSON.stringify({ textDocument: { uri: "file:/schema.prisma" }, options: { tabSize: 2, insertSpaces: true } });
  out.formatted = engine.format(schema, params) === schema;
  out.config = JSON.parse(
    engine.get_config(
      JSON.stringify({ prismaSchema: [["schema.prisma", schema]], datasourceOverrides: {}, ignoreEnvVarErrors: true, env: {} }),
    ),
  ).config;
}
console.log(JSON.stringify(out));
