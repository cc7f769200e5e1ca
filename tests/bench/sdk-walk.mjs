// sdk-walk.mjs: lists a whole account with the official TypeScript SDK (@prisma/management-api-sdk,
// from tests/contract/node_modules) the way a user script would, for tests/bench (bench_console).
//
//   node sdk-walk.mjs --base-url http://127.0.0.1:N [--strategy per-project|bulk] [--concurrency C]
//   token: PPG_BENCH_TOKEN (environment, never a flag, so it stays out of process lists)
//
// per-project (default): GET /v1/workspaces, GET /v1/projects, then for every project
//   GET /v1/projects/{id}/databases (each database embeds its connections), following
//   pagination.nextCursor everywhere; C projects at a time (default 1: a plain for-await loop).
// bulk: GET /v1/workspaces, GET /v1/projects, GET /v1/databases, page by page (the console's routes).
// Prints one line of JSON: {"ms": wall time, "requests": HTTP requests sent, "workspaces", "projects",
// "databases", "connections", "nodes"}. Exits 1 on any API error.
import { createRequire } from 'node:module';

// The SDK installed for the contract tests (npm ci --prefix tests/contract), pinned there.
const require = createRequire(new URL('../contract/package.json', import.meta.url));
const { createManagementApiClient } = require('@prisma/management-api-sdk');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const baseUrl = opt('base-url', '');
const strategy = opt('strategy', 'per-project');
const concurrency = Math.max(1, Number(opt('concurrency', '1')));
const token = process.env.PPG_BENCH_TOKEN ?? '';
if (!baseUrl || !token || !['per-project', 'bulk'].includes(strategy)) {
  console.error('usage: PPG_BENCH_TOKEN=… node sdk-walk.mjs --base-url URL [--strategy per-project|bulk] [--concurrency C]');
  process.exit(2);
}

let requests = 0;
const countingFetch = (input, init) => {
  ++requests;
  return globalThis.fetch(input, init);
};
const client = createManagementApiClient({ baseUrl, token, fetch: countingFetch });

// Every page of one list route.
async function listAll(path, params = {}) {
  const items = [];
  let cursor;
  for (;;) {
    const query = cursor ? { ...(params.query ?? {}), cursor } : params.query;
    const { data, error, response } = await client.GET(path, { params: { ...params, query } });
    if (error) throw new Error(`${path}: ${response.status} ${error.error?.code}: ${error.error?.message}`);
    items.push(...data.data);
    if (!data.pagination?.hasMore) return items;
    cursor = data.pagination.nextCursor;
  }
}

const started = performance.now();
const workspaces = await listAll('/v1/workspaces');
const projects = await listAll('/v1/projects');
let databases = [];
if (strategy === 'bulk') {
  databases = await listAll('/v1/databases');
} else {
  let next = 0;
  const worker = async () => {
    while (next < projects.length) {
      const project = projects[next++];
      databases.push(...(await listAll('/v1/projects/{projectId}/databases', { path: { projectId: project.id } })));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
const ms = performance.now() - started;
const connections = databases.reduce((n, d) => n + (d.connections?.length ?? 0), 0);
console.log(JSON.stringify({
  ms: Math.round(ms * 10) / 10,
  requests,
  workspaces: workspaces.length,
  projects: projects.length,
  databases: databases.length,
  connections,
  nodes: workspaces.length + projects.length + databases.length + connections,
}));
