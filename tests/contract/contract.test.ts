// Contract test: ppg-sandbox driven through every route of docs/MANAGEMENT-API.md by a client nobody
// here wrote, the official @prisma/management-api-sdk (pinned), compiled with tsc --strict
// against the SDK's own `paths`/`operations` types.
//
// Compile time: request bodies and parameters must satisfy the SDK types; every status this test
// expects must be one the SDK documents for that operation; every run-time checker is tied to
// the exact SDK response type (check.ts), so it names every required field and no other.
// Run time: status codes, response bodies (required fields present, JS types, enum values, no
// undeclared fields, e.g. no connection string in a list), error envelopes
// {error:{code,message,hint?}} for 400/401/403/404/409/422, and that every route was called.
// Errors are only asserted with statuses the SDK documents for the operation (fails() type).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { createManagementApiClient, type operations, type paths } from '@prisma/management-api-sdk';

import {
  arr, bool, expectShape, strIn, isoDate, lit, nonEmpty, nullable, num, obj, opt, port, prefixed, str, tagged, url, where,
  type V,
} from './check.js';
import { Sandbox } from './sandbox.js';

// ---- types from the SDK ------------------------------------------------------------------------

type Ops = operations;
type Status<O extends keyof Ops> = keyof Ops[O]['responses'] & number;
type Json<O extends keyof Ops, S extends Status<O>> = Ops[O]['responses'][S] extends {
  content: { 'application/json': infer B };
}
  ? B
  : never;

type Me = Json<'getV1Me', 200>;
type Workspace = Json<'getV1WorkspacesById', 200>['data'];
type Region = Json<'getV1RegionsPostgres', 200>['data'][number];
type Project = Json<'getV1ProjectsById', 200>['data'];
type Pagination = Json<'getV1Projects', 200>['pagination'];
type Database = Json<'getV1DatabasesByDatabaseId', 200>['data'];
type Connection = Json<'getV1ConnectionsById', 200>['data'];
type Endpoint = NonNullable<Connection['endpoints']['direct']>;
type DirectConnection = NonNullable<Connection['directConnection']>;
type Source = NonNullable<Database['source']>;
type IssuedConnection = Json<'postV1DatabasesByDatabaseIdConnections', 200>['data'];
type IssuedEndpoint = NonNullable<IssuedConnection['endpoints']['direct']>;
type CreatedProject = Json<'postV1Projects', 201>['data'];
type CreatedProjectDatabase = NonNullable<CreatedProject['database']>;
type CreatedDatabase = Json<'postV1ProjectsByProjectIdDatabases', 201>['data'];
type CreatedDatabaseConnection = CreatedDatabase['connections'][number];
type CreatedEndpoint = NonNullable<CreatedDatabaseConnection['endpoints']['direct']>;
type ApiKey = CreatedDatabase['apiKeys'][number];
type CreatedDatabaseTop = Json<'postV1Databases', 201>['data'];
type Usage = Json<'getV1DatabasesByDatabaseIdUsage', 200>;
type Backups = Json<'getV1DatabasesByDatabaseIdBackups', 200>;
type Backup = Backups['data'][number];
type Restored = Json<'postV1DatabasesByTargetDatabaseIdRestore', 200>['data'];
type ErrorBody = Json<'getV1Me', 401>;
type Subscription = Json<'getV1WorkspacesByIdSubscription', 200>['data'];
type ServiceTokens = Json<'getV1WorkspacesByWorkspaceIdService-tokens', 200>;
type ServiceToken = ServiceTokens['data'][number];
type CreatedServiceToken = Json<'postV1WorkspacesByWorkspaceIdService-tokens', 201>['data'];

// Every route of docs/MANAGEMENT-API.md, plus the two top-level creates the sandbox also serves. The type
// only admits "METHOD /path" pairs that the SDK's `paths` declares.
type Method = 'get' | 'post' | 'patch' | 'delete';
type RouteKey = {
  [P in keyof paths]: {
    [M in Method]: [NonNullable<paths[P][M]>] extends [never] ? never : `${Uppercase<M>} ${P & string}`;
  }[Method];
}[keyof paths];
const ROUTES: readonly RouteKey[] = [
  'GET /v1/me',
  'GET /v1/workspaces',
  'GET /v1/workspaces/{id}',
  'GET /v1/regions/postgres',
  'GET /v1/projects',
  'POST /v1/projects',
  'GET /v1/projects/{id}',
  'PATCH /v1/projects/{id}',
  'DELETE /v1/projects/{id}',
  'GET /v1/projects/{projectId}/databases',
  'POST /v1/projects/{projectId}/databases',
  'GET /v1/databases',
  'POST /v1/databases',
  'GET /v1/databases/{databaseId}',
  'PATCH /v1/databases/{databaseId}',
  'DELETE /v1/databases/{databaseId}',
  'GET /v1/databases/{databaseId}/connections',
  'POST /v1/databases/{databaseId}/connections',
  'GET /v1/connections',
  'POST /v1/connections',
  'GET /v1/connections/{id}',
  'DELETE /v1/connections/{id}',
  'POST /v1/connections/{id}/rotate',
  'GET /v1/databases/{databaseId}/usage',
  'GET /v1/databases/{databaseId}/backups',
  'POST /v1/databases/{targetDatabaseId}/restore',
  'GET /v1/workspaces/{id}/subscription',
  'GET /v1/workspaces/{workspaceId}/service-tokens',
  'POST /v1/workspaces/{workspaceId}/service-tokens',
  'DELETE /v1/workspaces/{workspaceId}/service-tokens/{serviceTokenId}',
  'POST /v1/projects/{id}/transfer',
];

// ---- run-time checkers, each tied to its SDK type ----------------------------------------------

const REGIONS = ['us-east-1', 'us-west-1', 'eu-west-3', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-1'] as const;

const postgresUrl = where(str, 'a postgres:// URL with user, password, database and sslmode=require', (s) =>
  /^postgres(ql)?:\/\/[^:/@]+:[^@]+@[^/]+:\d+\/[^?]+\?(.*&)?sslmode=require/.test(s),
);

const errorBody = obj<ErrorBody>({
  error: obj<ErrorBody['error']>({ code: nonEmpty, message: nonEmpty, hint: opt(nonEmpty) }),
});

const pagination = obj<Pagination>({ nextCursor: nullable(nonEmpty), hasMore: bool });

const workspace = obj<Workspace>({
  id: prefixed('wksp_'),
  type: lit('workspace'),
  url: url('/v1/workspaces/wksp_'),
  name: nonEmpty,
  createdAt: isoDate,
});

const region = obj<Region>({ id: strIn(...REGIONS), type: lit('region'), name: nonEmpty, status: lit('available', 'unavailable') });

const projectFields = {
  id: prefixed('proj_'),
  type: lit('project'),
  url: url('/v1/projects/proj_'),
  name: nonEmpty,
  logicalId: nullable(nonEmpty),
  createdAt: isoDate,
  defaultRegion: nullable(strIn(...REGIONS)),
  workspace: obj<Project['workspace']>({ id: prefixed('wksp_'), url: url('/v1/workspaces/wksp_'), name: nonEmpty }),
};
const project = obj<Project>(projectFields);

const endpoint = obj<Endpoint>({ host: nonEmpty, port });
const endpoints = obj<Connection['endpoints']>({ direct: opt(endpoint), pooled: opt(endpoint), accelerate: opt(endpoint) });
const directConnection = obj<DirectConnection>({ host: nonEmpty, pass: nonEmpty, user: nonEmpty });
const connectionDatabase = obj<Connection['database']>({ id: prefixed('db_'), url: url('/v1/databases/db_'), name: nonEmpty });
const connectionFields = {
  id: prefixed('con_'),
  type: lit('connection'),
  url: url('/v1/connections/con_'),
  name: nonEmpty,
  createdAt: isoDate,
  kind: lit('postgres', 'accelerate'),
};
// Lists and gets: host and port only, never a secret (an undeclared field fails the check).
const connection = obj<Connection>({
  ...connectionFields,
  endpoints,
  directConnection: opt(nullable(directConnection)),
  database: connectionDatabase,
});

const issuedEndpoint = obj<IssuedEndpoint>({ host: nonEmpty, port, connectionString: postgresUrl });
const issuedConnection = obj<IssuedConnection>({
  ...connectionFields,
  endpoints: obj<IssuedConnection['endpoints']>({
    direct: opt(issuedEndpoint),
    pooled: opt(issuedEndpoint),
    accelerate: opt(issuedEndpoint),
  }),
  connectionString: postgresUrl,
  directConnection: opt(nullable(directConnection)),
  database: connectionDatabase,
  host: nullable(nonEmpty),
  pass: nullable(nonEmpty),
  user: nullable(nonEmpty),
});

const createdEndpoint = obj<CreatedEndpoint>({ host: nonEmpty, port, connectionString: opt(postgresUrl) });
const createdDatabaseConnection = obj<CreatedDatabaseConnection>({
  ...connectionFields,
  endpoints: obj<CreatedDatabaseConnection['endpoints']>({
    direct: opt(createdEndpoint),
    pooled: opt(createdEndpoint),
    accelerate: opt(createdEndpoint),
  }),
  directConnection: opt(nullable(directConnection)),
  database: connectionDatabase,
});
const apiKey = obj<ApiKey>({
  ...connectionFields,
  endpoints,
  connectionString: postgresUrl,
  directConnection: opt(nullable(directConnection)),
});

const source = tagged<Source>({
  empty: obj<Extract<Source, { type: 'empty' }>>({ type: lit('empty') }),
  backup: obj<Extract<Source, { type: 'backup' }>>({ type: lit('backup'), databaseId: prefixed('db_'), backupId: nonEmpty }),
  database: obj<Extract<Source, { type: 'database' }>>({ type: lit('database'), databaseId: prefixed('db_') }),
});
const regionRef = obj<NonNullable<Database['region']>>({ id: strIn(...REGIONS), name: nonEmpty });
const databaseFields = {
  id: prefixed('db_'),
  type: lit('database'),
  url: url('/v1/databases/db_'),
  name: nonEmpty,
  createdAt: isoDate,
  isDefault: bool,
  defaultConnectionId: nullable(prefixed('con_')),
  project: obj<Database['project']>({ id: prefixed('proj_'), url: url('/v1/projects/proj_'), name: nonEmpty }),
  source: nullable(source),
  branchId: nullable(nonEmpty),
  logicalId: nullable(nonEmpty),
};
const anyStatus = lit('failure', 'provisioning', 'ready', 'recovering');
const database = obj<Database>({ ...databaseFields, status: anyStatus, connections: arr(connection), region: nullable(regionRef) });
const createdDatabase = obj<CreatedDatabase>({
  ...databaseFields,
  status: lit('provisioning', 'ready'),
  connections: arr(createdDatabaseConnection),
  region: regionRef,
  apiKeys: arr(apiKey),
  connectionString: nullable(postgresUrl),
  directConnection: nullable(directConnection),
});
const createdProjectDatabase = obj<CreatedProjectDatabase>({
  ...databaseFields,
  status: lit('provisioning', 'ready'),
  connections: arr(createdDatabaseConnection),
  region: regionRef,
  apiKeys: arr(apiKey),
  connectionString: nullable(postgresUrl),
  directConnection: nullable(directConnection),
});
const createdDatabaseTop = obj<CreatedDatabaseTop>({
  ...databaseFields,
  status: anyStatus,
  connections: arr(createdDatabaseConnection),
  region: nullable(regionRef),
});

const restoredDatabase = obj<Restored>({
  ...databaseFields,
  status: anyStatus,
  connections: arr(connection),
  region: nullable(regionRef),
  source: obj<Restored['source']>({ type: lit('backup'), databaseId: prefixed('db_'), backupId: nonEmpty }),
});

const subscription = obj<Subscription>({
  planName: nonEmpty,
  usageBlocked: bool,
  upgradeUrl: where(str, 'an https URL', (s) => {
    try {
      return new URL(s).protocol === 'https:';
    } catch {
      return false;
    }
  }),
});

// The sandbox's token values: a recognisable prefix and 32 random bytes in base64url.
const TOKEN_VALUE = /^ppg_sandbox_st_[A-Za-z0-9_-]{43}$/;
const serviceTokenFields = {
  id: nonEmpty,
  type: lit('serviceToken'),
  name: nonEmpty,
  valueHint: nonEmpty,
  createdAt: isoDate,
  expiresAt: opt(nullable(isoDate)),
};
// Listed: never the value (an undeclared field fails the check).
const serviceToken = obj<ServiceToken>(serviceTokenFields);

const bodies = {
  me: obj<Me>({
    data: obj<Me['data']>({
      user: nullable(obj<NonNullable<Me['data']['user']>>({ id: nonEmpty, email: nonEmpty, name: nullable(str) })),
      workspace: nullable(obj<NonNullable<Me['data']['workspace']>>({ id: prefixed('wksp_'), name: nonEmpty })),
      credential: obj<Me['data']['credential']>({
        type: lit('oauth', 'service_token', 'management_token', 'agent_token'),
        id: nullable(nonEmpty),
        name: nullable(nonEmpty),
      }),
    }),
  }),
  workspaces: obj<Json<'getV1Workspaces', 200>>({ data: arr(workspace), pagination }),
  workspace: obj<Json<'getV1WorkspacesById', 200>>({ data: workspace }),
  regions: obj<Json<'getV1RegionsPostgres', 200>>({ data: arr(region) }),
  projects: obj<Json<'getV1Projects', 200>>({ data: arr(project), pagination }),
  createdProject: obj<Json<'postV1Projects', 201>>({
    data: obj<CreatedProject>({ ...projectFields, database: nullable(createdProjectDatabase) }),
  }),
  project: obj<Json<'getV1ProjectsById', 200>>({ data: project }),
  patchedProject: obj<Json<'patchV1ProjectsById', 200>>({ data: project }),
  projectDatabases: obj<Json<'getV1ProjectsByProjectIdDatabases', 200>>({ data: arr(database), pagination }),
  createdDatabase: obj<Json<'postV1ProjectsByProjectIdDatabases', 201>>({ data: createdDatabase }),
  databases: obj<Json<'getV1Databases', 200>>({ data: arr(database), pagination }),
  createdDatabaseTop: obj<Json<'postV1Databases', 201>>({ data: createdDatabaseTop }),
  database: obj<Json<'getV1DatabasesByDatabaseId', 200>>({ data: database }),
  patchedDatabase: obj<Json<'patchV1DatabasesByDatabaseId', 200>>({ data: database }),
  databaseConnections: obj<Json<'getV1DatabasesByDatabaseIdConnections', 200>>({ data: arr(connection), pagination }),
  issuedConnection: obj<Json<'postV1DatabasesByDatabaseIdConnections', 200>>({ data: issuedConnection }),
  issuedConnectionTop: obj<Json<'postV1Connections', 201>>({ data: issuedConnection }),
  rotatedConnection: obj<Json<'postV1ConnectionsByIdRotate', 200>>({ data: issuedConnection }),
  connections: obj<Json<'getV1Connections', 200>>({ data: arr(connection), pagination }),
  connection: obj<Json<'getV1ConnectionsById', 200>>({ data: connection }),
  usage: obj<Usage>({
    period: obj<Usage['period']>({ start: isoDate, end: isoDate }),
    metrics: obj<Usage['metrics']>({
      operations: obj<Usage['metrics']['operations']>({ used: num, unit: lit('ops') }),
      storage: obj<Usage['metrics']['storage']>({ used: num, unit: lit('GiB') }),
    }),
    generatedAt: isoDate,
  }),
  restored: obj<Json<'postV1DatabasesByTargetDatabaseIdRestore', 200>>({ data: restoredDatabase }),
  backup: obj<Backup>({
    id: nonEmpty,
    backupType: lit('full', 'incremental', 'differential'),
    createdAt: isoDate,
    size: opt(num),
    status: lit('running', 'completed', 'failed', 'unknown'),
    type: opt(lit('backup')),
  }),
  subscription: obj<Json<'getV1WorkspacesByIdSubscription', 200>>({ data: subscription }),
  serviceTokens: obj<ServiceTokens>({ data: arr(serviceToken), pagination }),
  createdServiceToken: obj<Json<'postV1WorkspacesByWorkspaceIdService-tokens', 201>>({
    data: obj<CreatedServiceToken>({ ...serviceTokenFields, value: where(nonEmpty, 'a sandbox token value', (v) => TOKEN_VALUE.test(v)) }),
  }),
  backups: obj<Backups>({
    data: arr(
      obj<Backup>({
        id: nonEmpty,
        backupType: lit('full', 'incremental', 'differential'),
        createdAt: isoDate,
        size: opt(num),
        status: lit('running', 'completed', 'failed', 'unknown'),
        type: opt(lit('backup')),
      }),
    ),
    meta: obj<Backups['meta']>({ backupRetentionDays: num }),
    pagination: obj<Backups['pagination']>({ hasMore: bool, limit: nullable(num) }),
  }),
};

// ---- helpers -----------------------------------------------------------------------------------

interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

function redact(text: string): string {
  return text.replace(/(:\/\/[^:/@"]+:)[^@"]*@/g, '$1***@').replace(/("pass":\s*")[^"]*"/g, '$1***"');
}

function describeResult(r: FetchResult): string {
  return redact(`${r.response.status} ${JSON.stringify(r.data ?? r.error ?? null)}`);
}

// A success: the status (one the SDK documents for the operation) and the body's shape.
function ok<O extends keyof Ops, S extends Status<O>>(_op: O, r: FetchResult, status: S, checker: V<Json<O, S>>): Json<O, S> {
  assert.equal(r.response.status, status, `${r.response.url}: expected ${status}, got ${describeResult(r)}`);
  try {
    return expectShape(checker, r.data, `${r.response.url} (${status})`);
  } catch (e) {
    throw new Error(redact((e as Error).message));
  }
}

// 204 No Content with an empty body.
async function noContent<O extends keyof Ops>(_op: O, r: FetchResult, status: Status<O> & 204): Promise<void> {
  assert.equal(r.response.status, status, `${r.response.url}: expected ${status}, got ${describeResult(r)}`);
  assert.equal(r.data, undefined);
  assert.equal(await r.response.clone().text(), '');
}

// An error the SDK documents for the operation, with the API's error envelope.
function fails<O extends keyof Ops, S extends Exclude<Status<O>, 200 | 201 | 204>>(
  _op: O,
  r: FetchResult,
  status: S,
  code?: string,
): ErrorBody['error'] {
  assert.equal(r.response.status, status, `${r.response.url}: expected ${status}, got ${describeResult(r)}`);
  assert.match(r.response.headers.get('content-type') ?? '', /application\/json/);
  const body = expectShape(errorBody, r.error, `${r.response.url} (${status})`);
  if (code) assert.equal(body.error.code, code);
  return body.error;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// POST /_sandbox/workspaces/{id}/subscription (no auth): the status and the JSON answer.
async function setSubscription(baseUrl: string, workspaceId: string, body: string): Promise<{ status: number; json: unknown }> {
  const r = await fetch(`${baseUrl}/_sandbox/workspaces/${workspaceId}/subscription`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
  return { status: r.status, json: await r.json() };
}

// ---- the test ----------------------------------------------------------------------------------

const TOKEN_A = 'contract-token-acme';
const TOKEN_B = 'contract-token-other';
const TOKEN_OAUTH = 'contract-token-oauth';

const sandbox = new Sandbox();
const called = new Set<string>();
let a: ReturnType<typeof createManagementApiClient>;
let b: ReturnType<typeof createManagementApiClient>;

function client(token: string | undefined) {
  const c = createManagementApiClient({ baseUrl: sandbox.baseUrl, ...(token === undefined ? {} : { token }) });
  c.use({
    onRequest({ request, schemaPath }) {
      called.add(`${request.method} ${schemaPath}`);
      return undefined;
    },
  });
  return c;
}

describe('ppg-sandbox against @prisma/management-api-sdk 1.80.0', { timeout: 120_000 }, () => {
  // Shared by the steps below, which run in order.
  let acme: Workspace;
  let other: Workspace;
  let proj: CreatedProject;
  let defaultDb: CreatedProjectDatabase;
  let extraDb: CreatedDatabase;
  let topDb: CreatedDatabaseTop;
  let issued: IssuedConnection;
  let issuedTop: IssuedConnection;
  const logicalId = `contract-${process.pid}`;

  before(async () => {
    await sandbox.start([
      '--token', `${TOKEN_A}=Acme`,
      '--token', `${TOKEN_B}=Other`,
      '--oauth-token', `${TOKEN_OAUTH}=Acme,Other`,
      '--provisioning-ms', '300',
    ]);
    a = client(TOKEN_A);
    b = client(TOKEN_B);
  });

  after(async () => {
    await sandbox.stop();
  });

  it('GET /v1/me for a service token and an OAuth token', async () => {
    const me = ok('getV1Me', await a.GET('/v1/me'), 200, bodies.me);
    assert.equal(me.data.credential.type, 'service_token');
    assert.equal(me.data.workspace?.name, 'Acme');
    const oauth = ok('getV1Me', await client(TOKEN_OAUTH).GET('/v1/me'), 200, bodies.me);
    assert.equal(oauth.data.credential.type, 'oauth');
    assert.notEqual(oauth.data.user, null);
  });

  it('401 with the error envelope for a missing or wrong token', async () => {
    fails('getV1Me', await client(undefined).GET('/v1/me'), 401, 'unauthorized');
    fails('getV1Projects', await client('not-a-token').GET('/v1/projects'), 401, 'unauthorized');
    fails('getV1Workspaces', await client('not-a-token').GET('/v1/workspaces'), 401, 'unauthorized');
  });

  it('GET /v1/workspaces and /v1/workspaces/{id}', async () => {
    const list = ok('getV1Workspaces', await a.GET('/v1/workspaces'), 200, bodies.workspaces);
    assert.equal(list.data.length, 1, 'a service token sees its own workspace only');
    acme = list.data[0]!;
    assert.equal(acme.name, 'Acme');
    const one = ok('getV1WorkspacesById', await a.GET('/v1/workspaces/{id}', { params: { path: { id: acme.id } } }), 200, bodies.workspace);
    assert.deepEqual(one.data, acme);
    const both = ok('getV1Workspaces', await client(TOKEN_OAUTH).GET('/v1/workspaces', { params: { query: { limit: 1 } } }), 200, bodies.workspaces);
    assert.equal(both.data.length, 1);
    assert.equal(both.pagination.hasMore, true);
    const rest = ok('getV1Workspaces', await client(TOKEN_OAUTH).GET('/v1/workspaces', { params: { query: { limit: 1, cursor: both.pagination.nextCursor } } }), 200, bodies.workspaces);
    assert.equal(rest.data.length, 1);
    assert.notEqual(rest.data[0]!.id, both.data[0]!.id);
    // Another workspace's id is not found for this token.
    const other = rest.data[0]!.id === acme.id ? both.data[0]! : rest.data[0]!;
    fails('getV1WorkspacesById', await a.GET('/v1/workspaces/{id}', { params: { path: { id: other.id } } }), 404, 'not_found');
  });

  it('GET /v1/regions/postgres', async () => {
    const regions = ok('getV1RegionsPostgres', await a.GET('/v1/regions/postgres'), 200, bodies.regions);
    assert.deepEqual(regions.data.map((r) => r.id).sort(), [...REGIONS].sort());
  });

  it('GET /v1/workspaces/{id}/subscription; POST /_sandbox/workspaces/{id}/subscription sets it', async () => {
    other = ok('getV1Workspaces', await b.GET('/v1/workspaces'), 200, bodies.workspaces).data[0]!;
    const get = (c: typeof a, id: string) => c.GET('/v1/workspaces/{id}/subscription', { params: { path: { id } } });
    const billing = (id: string) => `https://console.prisma.io/${id}/settings/billing`;
    const free = ok('getV1WorkspacesByIdSubscription', await get(a, acme.id), 200, bodies.subscription);
    assert.deepEqual(free.data, { planName: 'Free', usageBlocked: false, upgradeUrl: billing(acme.id) });
    fails('getV1WorkspacesByIdSubscription', await get(a, other.id), 404, 'not_found');
    fails('getV1WorkspacesByIdSubscription', await get(a, 'wksp_doesnotexist'), 404, 'not_found');
    fails('getV1WorkspacesByIdSubscription', await get(client('not-a-token'), acme.id), 401, 'unauthorized');

    // The control route answers the subscription as the GET shows it; what it is not sent stays.
    const control = bodies.subscription;
    const blocked = await setSubscription(sandbox.baseUrl, other.id, JSON.stringify({ planName: 'Pro', usageBlocked: true }));
    assert.equal(blocked.status, 200);
    assert.deepEqual(expectShape(control, blocked.json, 'POST /_sandbox/workspaces/{id}/subscription').data, { planName: 'Pro', usageBlocked: true, upgradeUrl: billing(other.id) });
    assert.deepEqual(ok('getV1WorkspacesByIdSubscription', await get(b, other.id), 200, bodies.subscription).data, { planName: 'Pro', usageBlocked: true, upgradeUrl: billing(other.id) });
    const renamed = await setSubscription(sandbox.baseUrl, other.id, JSON.stringify({ planName: 'Business' }));
    assert.deepEqual(expectShape(control, renamed.json, 'rename').data, { planName: 'Business', usageBlocked: true, upgradeUrl: billing(other.id) });
    const unblocked = await setSubscription(sandbox.baseUrl, other.id, JSON.stringify({ usageBlocked: false }));
    assert.deepEqual(expectShape(control, unblocked.json, 'unblock').data, { planName: 'Business', usageBlocked: false, upgradeUrl: billing(other.id) });
    assert.equal((await setSubscription(sandbox.baseUrl, 'wksp_doesnotexist', '{}')).status, 404);
    for (const bad of ['{"usageBlocked": "yes"}', '{"planName": ""}', '{"plan": "Pro"}', 'not json'])
      assert.equal((await setSubscription(sandbox.baseUrl, other.id, bad)).status, 422, bad);
    assert.deepEqual(ok('getV1WorkspacesByIdSubscription', await get(b, other.id), 200, bodies.subscription).data.usageBlocked, false);
  });

  it('service tokens: list, create (201, the value once), use at once, revoke (401 after)', async () => {
    const list = (c: typeof a, workspaceId: string, query: { limit?: number; cursor?: string | null } = {}) =>
      c.GET('/v1/workspaces/{workspaceId}/service-tokens', { params: { path: { workspaceId }, query } });
    const create = (c: typeof a, workspaceId: string, body: { name: string }) => c.POST('/v1/workspaces/{workspaceId}/service-tokens', { params: { path: { workspaceId } }, body });
    const revoke = (c: typeof a, workspaceId: string, serviceTokenId: string) =>
      c.DELETE('/v1/workspaces/{workspaceId}/service-tokens/{serviceTokenId}', { params: { path: { workspaceId, serviceTokenId } } });

    // The token the sandbox was started with is listed, under the id /v1/me names.
    const me = ok('getV1Me', await a.GET('/v1/me'), 200, bodies.me);
    const initial = ok('getV1WorkspacesByWorkspaceIdService-tokens', await list(a, acme.id), 200, bodies.serviceTokens);
    assert.deepEqual(initial.data.map((t) => [t.id, t.name, t.valueHint]), [[me.data.credential.id, 'Sandbox service token', `…${TOKEN_A.slice(-4)}`]]);

    const created = ok('postV1WorkspacesByWorkspaceIdService-tokens', await create(a, acme.id, { name: 'contract ci' }), 201, bodies.createdServiceToken).data;
    assert.equal(created.name, 'contract ci');
    assert.equal(created.valueHint, `…${created.value.slice(-4)}`);
    assert.equal(created.expiresAt, null);
    // It works at once, and /v1/me names it with the id the list shows.
    const holder = client(created.value);
    const holderMe = ok('getV1Me', await holder.GET('/v1/me'), 200, bodies.me);
    assert.deepEqual(holderMe.data.credential, { type: 'service_token', id: created.id, name: 'contract ci' });
    assert.equal(holderMe.data.workspace?.id, acme.id);
    const second = ok('postV1WorkspacesByWorkspaceIdService-tokens', await create(holder, acme.id, { name: 'contract second' }), 201, bodies.createdServiceToken).data;
    assert.notEqual(second.value, created.value);

    // Newest first, no value, paged.
    const all = ok('getV1WorkspacesByWorkspaceIdService-tokens', await list(a, acme.id), 200, bodies.serviceTokens);
    assert.deepEqual(all.data.map((t) => t.id), [second.id, created.id, me.data.credential.id]);
    assert.deepEqual(all.pagination, { hasMore: false, nextCursor: null });
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ServiceTokens = ok('getV1WorkspacesByWorkspaceIdService-tokens', await list(a, acme.id, { limit: 1, cursor }), 200, bodies.serviceTokens);
      assert.equal(page.data.length, 1);
      paged.push(page.data[0]!.id);
      cursor = page.pagination.hasMore ? page.pagination.nextCursor : null;
    } while (cursor);
    assert.deepEqual(paged, all.data.map((t) => t.id));
    // Not a member, or no such workspace: an empty list, as the SDK says.
    assert.deepEqual(ok('getV1WorkspacesByWorkspaceIdService-tokens', await list(b, acme.id), 200, bodies.serviceTokens).data, []);
    assert.deepEqual(ok('getV1WorkspacesByWorkspaceIdService-tokens', await list(a, 'wksp_doesnotexist'), 200, bodies.serviceTokens).data, []);
    fails('getV1WorkspacesByWorkspaceIdService-tokens', await list(client('not-a-token'), acme.id), 401, 'unauthorized');

    fails('postV1WorkspacesByWorkspaceIdService-tokens', await create(a, other.id, { name: 'x' }), 404, 'not_found');
    fails('postV1WorkspacesByWorkspaceIdService-tokens', await create(a, 'wksp_doesnotexist', { name: 'x' }), 404, 'not_found');
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(256) }, { name: 7 }])
      fails('postV1WorkspacesByWorkspaceIdService-tokens', await create(a, acme.id, body as never), 422, 'validation_error');
    fails('postV1WorkspacesByWorkspaceIdService-tokens', await create(client('not-a-token'), acme.id, { name: 'x' }), 401, 'unauthorized');

    // Revoked: 204, then its next request is refused.
    await noContent('deleteV1WorkspacesByWorkspaceIdService-tokensByServiceTokenId', await revoke(a, acme.id, created.id), 204);
    fails('getV1Me', await holder.GET('/v1/me'), 401, 'unauthorized');
    assert.deepEqual(ok('getV1WorkspacesByWorkspaceIdService-tokens', await list(a, acme.id), 200, bodies.serviceTokens).data.map((t) => t.id), [second.id, me.data.credential.id]);
    fails('deleteV1WorkspacesByWorkspaceIdService-tokensByServiceTokenId', await revoke(a, acme.id, created.id), 404, 'not_found');
    fails('deleteV1WorkspacesByWorkspaceIdService-tokensByServiceTokenId', await revoke(b, acme.id, second.id), 404, 'not_found');
    fails('deleteV1WorkspacesByWorkspaceIdService-tokensByServiceTokenId', await revoke(b, other.id, second.id), 404, 'not_found');
    fails('deleteV1WorkspacesByWorkspaceIdService-tokensByServiceTokenId', await revoke(client('not-a-token'), acme.id, second.id), 401, 'unauthorized');
    await noContent('deleteV1WorkspacesByWorkspaceIdService-tokensByServiceTokenId', await revoke(a, acme.id, second.id), 204);
    ok('getV1Me', await a.GET('/v1/me'), 200, bodies.me);
  });

  it('POST /v1/projects: 201 with the default database and its connection string; 409 for a duplicate logicalId', async () => {
    const created = ok('postV1Projects', await a.POST('/v1/projects', { body: { name: 'Contract', region: 'eu-central-1', logicalId } }), 201, bodies.createdProject);
    proj = created.data;
    assert.equal(proj.logicalId, logicalId);
    assert.equal(proj.defaultRegion, 'eu-central-1');
    assert.equal(proj.workspace.id, acme.id);
    assert.ok(proj.database, 'createDatabase defaults to true');
    defaultDb = proj.database;
    assert.equal(defaultDb.isDefault, true);
    assert.equal(defaultDb.region.id, 'eu-central-1');
    assert.equal(defaultDb.connections.length, 1);
    assert.equal(defaultDb.defaultConnectionId, defaultDb.connections[0]!.id);
    assert.ok(defaultDb.connections[0]!.endpoints.direct?.connectionString, 'the create response carries the connection string');
    // Deprecated fields still arrive.
    assert.equal(defaultDb.apiKeys.length, 1);
    assert.equal(defaultDb.connectionString, defaultDb.connections[0]!.endpoints.direct?.connectionString);

    const dup = fails('postV1Projects', await a.POST('/v1/projects', { body: { name: 'Again', logicalId } }), 409, 'conflict');
    assert.ok(dup.message.length > 0);

    const tooLarge = await a.POST('/v1/projects', { body: { name: 'x'.repeat(1100 * 1024) } });
    fails('postV1Projects', tooLarge, 413, 'payload_too_large');

    const bare = ok('postV1Projects', await a.POST('/v1/projects', { body: { name: 'No database', createDatabase: false } }), 201, bodies.createdProject);
    assert.equal(bare.data.database, null);
    assert.equal(bare.data.defaultRegion, 'us-east-1');
    await noContent('deleteV1ProjectsById', await a.DELETE('/v1/projects/{id}', { params: { path: { id: bare.data.id } } }), 204);
  });

  it('GET /v1/projects: pages, logicalId filter, workspace isolation', async () => {
    for (let i = 0; i < 2; i++)
      ok('postV1Projects', await a.POST('/v1/projects', { body: { name: `Filler ${i}`, createDatabase: false } }), 201, bodies.createdProject);
    const all = ok('getV1Projects', await a.GET('/v1/projects'), 200, bodies.projects);
    assert.equal(all.pagination.hasMore, false);
    assert.equal(all.pagination.nextCursor, null);
    assert.ok(all.data.some((p) => p.id === proj.id));
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Json<'getV1Projects', 200> = ok('getV1Projects', await a.GET('/v1/projects', { params: { query: { limit: 1, cursor } } }), 200, bodies.projects);
      assert.ok(page.data.length <= 1);
      paged.push(...page.data.map((p) => p.id));
      cursor = page.pagination.hasMore ? page.pagination.nextCursor : null;
      if (page.pagination.hasMore) assert.notEqual(cursor, null);
    } while (cursor);
    assert.deepEqual(paged, all.data.map((p) => p.id));
    const byLogical = ok('getV1Projects', await a.GET('/v1/projects', { params: { query: { logicalId } } }), 200, bodies.projects);
    assert.deepEqual(byLogical.data.map((p) => p.id), [proj.id]);
    const other = ok('getV1Projects', await b.GET('/v1/projects'), 200, bodies.projects);
    assert.ok(!other.data.some((p) => p.id === proj.id), 'another workspace does not see the project');
    fails('getV1ProjectsById', await b.GET('/v1/projects/{id}', { params: { path: { id: proj.id } } }), 404, 'not_found');
  });

  it('GET and PATCH /v1/projects/{id}', async () => {
    const got = ok('getV1ProjectsById', await a.GET('/v1/projects/{id}', { params: { path: { id: proj.id } } }), 200, bodies.project);
    assert.equal(got.data.name, 'Contract');
    const patched = ok('patchV1ProjectsById', await a.PATCH('/v1/projects/{id}', { params: { path: { id: proj.id } }, body: { name: 'Contract renamed' } }), 200, bodies.patchedProject);
    assert.equal(patched.data.name, 'Contract renamed');
    fails('patchV1ProjectsById', await a.PATCH('/v1/projects/{id}', { params: { path: { id: proj.id } }, body: { name: '' } }), 422, 'validation_error');
    fails('getV1ProjectsById', await a.GET('/v1/projects/{id}', { params: { path: { id: 'proj_doesnotexist' } } }), 404, 'not_found');
    fails('patchV1ProjectsById', await a.PATCH('/v1/projects/{id}', { params: { path: { id: 'proj_doesnotexist' } }, body: { name: 'x' } }), 404);
  });

  it('GET and POST /v1/projects/{projectId}/databases', async () => {
    const list = ok('getV1ProjectsByProjectIdDatabases', await a.GET('/v1/projects/{projectId}/databases', { params: { path: { projectId: proj.id } } }), 200, bodies.projectDatabases);
    assert.deepEqual(list.data.map((d) => d.id), [defaultDb.id]);
    for (const c of list.data[0]!.connections) assert.equal('connectionString' in (c.endpoints.direct ?? {}), false);

    const created = ok('postV1ProjectsByProjectIdDatabases', await a.POST('/v1/projects/{projectId}/databases', { params: { path: { projectId: proj.id } }, body: { name: 'extra', region: 'inherit' } }), 201, bodies.createdDatabase);
    extraDb = created.data;
    assert.equal(extraDb.isDefault, false, 'isDefault defaults to false');
    assert.equal(extraDb.region.id, 'eu-central-1', '"inherit" takes the project region');
    assert.equal(extraDb.project.id, proj.id);
    assert.equal(extraDb.connections.length, 1);
    assert.ok(extraDb.connectionString);

    fails('postV1ProjectsByProjectIdDatabases', await a.POST('/v1/projects/{projectId}/databases', { params: { path: { projectId: proj.id } }, body: { source: { type: 'backup', databaseId: defaultDb.id } } as never }), 400);
    fails('postV1ProjectsByProjectIdDatabases', await a.POST('/v1/projects/{projectId}/databases', { params: { path: { projectId: 'proj_doesnotexist' } }, body: {} }), 404, 'not_found');
    fails('getV1ProjectsByProjectIdDatabases', await a.GET('/v1/projects/{projectId}/databases', { params: { path: { projectId: 'proj_doesnotexist' } } }), 404, 'not_found');
  });

  it('GET and POST /v1/databases', async () => {
    const created = ok('postV1Databases', await a.POST('/v1/databases', { body: { projectId: proj.id, name: 'top-level', region: 'us-west-1' } }), 201, bodies.createdDatabaseTop);
    topDb = created.data;
    assert.equal(topDb.region?.id, 'us-west-1');
    assert.ok(topDb.connections[0]?.endpoints.direct?.connectionString);
    fails('postV1Databases', await a.POST('/v1/databases', { body: { projectId: 'proj_doesnotexist' } }), 404, 'not_found');

    const all = ok('getV1Databases', await a.GET('/v1/databases'), 200, bodies.databases);
    for (const id of [defaultDb.id, extraDb.id, topDb.id]) assert.ok(all.data.some((d) => d.id === id), `${id} listed`);
    for (const d of all.data) assert.ok(d.connections.length >= 1);
    const filtered = ok('getV1Databases', await a.GET('/v1/databases', { params: { query: { projectId: proj.id, limit: 2 } } }), 200, bodies.databases);
    assert.equal(filtered.data.length, 2);
    assert.equal(filtered.pagination.hasMore, true);
    const next = ok('getV1Databases', await a.GET('/v1/databases', { params: { query: { projectId: proj.id, limit: 2, cursor: filtered.pagination.nextCursor } } }), 200, bodies.databases);
    assert.deepEqual([...filtered.data, ...next.data].map((d) => d.id), [defaultDb.id, extraDb.id, topDb.id]);
    // No sandbox database has a logicalId or a branch.
    const byLogical = ok('getV1Databases', await a.GET('/v1/databases', { params: { query: { logicalId: 'none' } } }), 200, bodies.databases);
    assert.deepEqual(byLogical.data, []);
    const unassigned = ok('getV1Databases', await a.GET('/v1/databases', { params: { query: { projectId: proj.id, branchId: 'unassigned' } } }), 200, bodies.databases);
    assert.equal(unassigned.data.length, 3);
    const others = ok('getV1Databases', await b.GET('/v1/databases'), 200, bodies.databases);
    assert.ok(!others.data.some((d) => d.project.id === proj.id));
  });

  it('GET, PATCH and DELETE /v1/databases/{databaseId}; 403 for the default database', async () => {
    let status = '';
    for (let i = 0; i < 100 && status !== 'ready'; i++) {
      const got = ok('getV1DatabasesByDatabaseId', await a.GET('/v1/databases/{databaseId}', { params: { path: { databaseId: extraDb.id } } }), 200, bodies.database);
      status = got.data.status;
      if (status !== 'ready') {
        assert.equal(status, 'provisioning');
        await sleep(100);
      }
    }
    assert.equal(status, 'ready', 'a new database becomes ready');
    const patched = ok('patchV1DatabasesByDatabaseId', await a.PATCH('/v1/databases/{databaseId}', { params: { path: { databaseId: extraDb.id } }, body: { name: 'extra renamed' } }), 200, bodies.patchedDatabase);
    assert.equal(patched.data.name, 'extra renamed');
    const forbidden = fails('deleteV1DatabasesByDatabaseId', await a.DELETE('/v1/databases/{databaseId}', { params: { path: { databaseId: defaultDb.id } } }), 403, 'forbidden');
    assert.ok(forbidden.message.length > 0);
    fails('getV1DatabasesByDatabaseId', await b.GET('/v1/databases/{databaseId}', { params: { path: { databaseId: extraDb.id } } }), 404, 'not_found');
    fails('patchV1DatabasesByDatabaseId', await a.PATCH('/v1/databases/{databaseId}', { params: { path: { databaseId: 'db_doesnotexist' } }, body: { name: 'x' } }), 404);
    fails('deleteV1DatabasesByDatabaseId', await a.DELETE('/v1/databases/{databaseId}', { params: { path: { databaseId: 'db_doesnotexist' } } }), 404);
  });

  it('GET and POST /v1/databases/{databaseId}/connections (200), POST /v1/connections (201)', async () => {
    const r = await a.POST('/v1/databases/{databaseId}/connections', { params: { path: { databaseId: extraDb.id } }, body: { name: 'app' } });
    issued = ok('postV1DatabasesByDatabaseIdConnections', r, 200, bodies.issuedConnection).data;
    assert.equal(issued.name, 'app');
    assert.equal(issued.database.id, extraDb.id);
    assert.equal(issued.connectionString, issued.endpoints.direct?.connectionString);
    fails('postV1DatabasesByDatabaseIdConnections', await a.POST('/v1/databases/{databaseId}/connections', { params: { path: { databaseId: 'db_doesnotexist' } }, body: { name: 'x' } }), 404, 'not_found');

    issuedTop = ok('postV1Connections', await a.POST('/v1/connections', { body: { databaseId: extraDb.id, name: 'worker' } }), 201, bodies.issuedConnectionTop).data;
    assert.notEqual(issuedTop.connectionString, issued.connectionString);
    fails('postV1Connections', await a.POST('/v1/connections', { body: { databaseId: 'db_doesnotexist', name: 'x' } }), 404, 'not_found');

    const list = ok('getV1DatabasesByDatabaseIdConnections', await a.GET('/v1/databases/{databaseId}/connections', { params: { path: { databaseId: extraDb.id } } }), 200, bodies.databaseConnections);
    assert.deepEqual(list.data.map((c) => c.id), [extraDb.connections[0]!.id, issued.id, issuedTop.id]);
    const page = ok('getV1DatabasesByDatabaseIdConnections', await a.GET('/v1/databases/{databaseId}/connections', { params: { path: { databaseId: extraDb.id }, query: { limit: 2 } } }), 200, bodies.databaseConnections);
    assert.equal(page.data.length, 2);
    assert.equal(page.pagination.hasMore, true);
  });

  it('GET /v1/connections and /v1/connections/{id}, rotate, DELETE', async () => {
    const all = ok('getV1Connections', await a.GET('/v1/connections'), 200, bodies.connections);
    assert.ok(all.data.some((c) => c.id === issued.id));
    const filtered = ok('getV1Connections', await a.GET('/v1/connections', { params: { query: { databaseId: extraDb.id } } }), 200, bodies.connections);
    assert.deepEqual(filtered.data.map((c) => c.id), [extraDb.connections[0]!.id, issued.id, issuedTop.id]);
    const one = ok('getV1ConnectionsById', await a.GET('/v1/connections/{id}', { params: { path: { id: issued.id } } }), 200, bodies.connection);
    assert.equal(one.data.name, 'app');
    fails('getV1ConnectionsById', await b.GET('/v1/connections/{id}', { params: { path: { id: issued.id } } }), 404, 'not_found');

    const rotated = ok('postV1ConnectionsByIdRotate', await a.POST('/v1/connections/{id}/rotate', { params: { path: { id: issued.id } } }), 200, bodies.rotatedConnection);
    assert.equal(rotated.data.id, issued.id);
    assert.notEqual(rotated.data.connectionString, issued.connectionString, 'rotation issues new credentials');
    fails('postV1ConnectionsByIdRotate', await a.POST('/v1/connections/{id}/rotate', { params: { path: { id: 'con_doesnotexist' } } }), 404, 'not_found');

    await noContent('deleteV1ConnectionsById', await a.DELETE('/v1/connections/{id}', { params: { path: { id: issuedTop.id } } }), 204);
    fails('getV1ConnectionsById', await a.GET('/v1/connections/{id}', { params: { path: { id: issuedTop.id } } }), 404, 'not_found');
    fails('deleteV1ConnectionsById', await a.DELETE('/v1/connections/{id}', { params: { path: { id: issuedTop.id } } }), 404, 'not_found');
  });

  it('GET /v1/databases/{databaseId}/usage (no data envelope) and /backups (an empty list)', async () => {
    const usage = ok('getV1DatabasesByDatabaseIdUsage', await a.GET('/v1/databases/{databaseId}/usage', { params: { path: { databaseId: extraDb.id } } }), 200, bodies.usage);
    assert.ok(usage.metrics.storage.used > 0, 'a real database has a size');
    assert.ok(Date.parse(usage.period.start) <= Date.parse(usage.period.end));
    const ranged = ok('getV1DatabasesByDatabaseIdUsage', await a.GET('/v1/databases/{databaseId}/usage', { params: { path: { databaseId: extraDb.id }, query: { startDate: '2024-01-01', endDate: '2024-01-31' } } }), 200, bodies.usage);
    assert.equal(ranged.period.start.slice(0, 10), '2024-01-01');
    fails('getV1DatabasesByDatabaseIdUsage', await a.GET('/v1/databases/{databaseId}/usage', { params: { path: { databaseId: extraDb.id }, query: { startDate: '2024-02-01', endDate: '2024-01-01' } } }), 400);
    fails('getV1DatabasesByDatabaseIdUsage', await a.GET('/v1/databases/{databaseId}/usage', { params: { path: { databaseId: 'db_doesnotexist' } } }), 404, 'not_found');

    // An injected 5xx fault looks like the 503 the SDK documents for usage: envelope and Retry-After.
    const faults = async (body: object) => {
      const r = await fetch(`${sandbox.baseUrl}/_sandbox/faults`, { method: 'PUT', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
      assert.equal(r.status, 200);
    };
    await faults({ rate5xx: 1 });
    try {
      const unavailable = await a.GET('/v1/databases/{databaseId}/usage', { params: { path: { databaseId: extraDb.id } } });
      fails('getV1DatabasesByDatabaseIdUsage', unavailable, 503);
      assert.match(unavailable.response.headers.get('retry-after') ?? '', /^\d+$/);
    } finally {
      await faults({ rate5xx: 0 });
    }

    const backups = ok('getV1DatabasesByDatabaseIdBackups', await a.GET('/v1/databases/{databaseId}/backups', { params: { path: { databaseId: extraDb.id } } }), 200, bodies.backups);
    assert.deepEqual(backups.data, []);
    assert.equal(backups.pagination.hasMore, false);
    fails('getV1DatabasesByDatabaseIdBackups', await a.GET('/v1/databases/{databaseId}/backups', { params: { path: { databaseId: 'db_doesnotexist' } } }), 404, 'not_found');
  });

  it('backups (POST /_sandbox/databases/{id}/backups), restore in place, creates from a backup or a database', async () => {
    const list = async (databaseId: string, limit?: number) =>
      ok('getV1DatabasesByDatabaseIdBackups', await a.GET('/v1/databases/{databaseId}/backups', { params: { path: { databaseId }, query: limit ? { limit } : {} } }), 200, bodies.backups);
    const waitReady = async (databaseId: string) => {
      let status = '';
      for (let i = 0; i < 300 && status !== 'ready'; i++) {
        status = ok('getV1DatabasesByDatabaseId', await a.GET('/v1/databases/{databaseId}', { params: { path: { databaseId } } }), 200, bodies.database).data.status;
        if (status === 'failure') break;
        if (status !== 'ready') await sleep(100);
      }
      assert.equal(status, 'ready', `${databaseId} becomes ready`);
    };
    // A backup on demand through the control route: answered as the list shows it, then completed.
    const r = await fetch(`${sandbox.baseUrl}/_sandbox/databases/${extraDb.id}/backups`, { method: 'POST' });
    assert.equal(r.status, 201);
    const taken = expectShape(obj<{ data: Backup }>({ data: bodies.backup }), await r.json(), 'POST /_sandbox/databases/{id}/backups');
    let listed: Backup | undefined;
    for (let i = 0; i < 300; i++) {
      listed = (await list(extraDb.id)).data.find((x) => x.id === taken.data.id);
      if (listed?.status !== 'running') break;
      await sleep(100);
    }
    assert.equal(listed?.status, 'completed');
    assert.ok((listed?.size ?? 0) > 0, 'a completed backup has its size in bytes');
    assert.equal(listed?.createdAt, taken.data.createdAt);
    const one = await list(extraDb.id, 1);
    assert.equal(one.data.length, 1);
    assert.equal(one.pagination.limit, 1);
    assert.equal(one.meta.backupRetentionDays, 7);
    const backupId = taken.data.id;

    // In place: 200 recovering with the backup as its source, 409 meanwhile, then ready.
    const restore = (targetDatabaseId: string, databaseId: string, id: string) =>
      a.POST('/v1/databases/{targetDatabaseId}/restore', { params: { path: { targetDatabaseId } }, body: { source: { type: 'backup', databaseId, backupId: id } } });
    const restoring = ok('postV1DatabasesByTargetDatabaseIdRestore', await restore(extraDb.id, extraDb.id, backupId), 200, bodies.restored);
    assert.equal(restoring.data.status, 'recovering');
    assert.deepEqual(restoring.data.source, { type: 'backup', databaseId: extraDb.id, backupId });
    fails('postV1DatabasesByTargetDatabaseIdRestore', await restore(extraDb.id, extraDb.id, backupId), 409, 'conflict');
    await waitReady(extraDb.id);
    // Another database of the same project may take it.
    ok('postV1DatabasesByTargetDatabaseIdRestore', await restore(topDb.id, extraDb.id, backupId), 200, bodies.restored);
    await waitReady(topDb.id);
    fails('postV1DatabasesByTargetDatabaseIdRestore', await restore('db_doesnotexist', extraDb.id, backupId), 404, 'not_found');
    fails('postV1DatabasesByTargetDatabaseIdRestore', await restore(extraDb.id, 'db_doesnotexist', backupId), 404, 'not_found');
    fails('postV1DatabasesByTargetDatabaseIdRestore', await restore(extraDb.id, extraDb.id, 'bkp_doesnotexist'), 404, 'not_found');
    fails('postV1DatabasesByTargetDatabaseIdRestore', await b.POST('/v1/databases/{targetDatabaseId}/restore', { params: { path: { targetDatabaseId: extraDb.id } }, body: { source: { type: 'backup', databaseId: extraDb.id, backupId } } }), 404, 'not_found');
    const badType = { source: { type: 'database', databaseId: extraDb.id } } as unknown as { source: { type: 'backup'; databaseId: string; backupId: string } };
    fails('postV1DatabasesByTargetDatabaseIdRestore', await a.POST('/v1/databases/{targetDatabaseId}/restore', { params: { path: { targetDatabaseId: extraDb.id } }, body: badType }), 422, 'validation_error');

    // New databases holding the data: from the backup, a clone, and the deprecated fromDatabase.
    const fromBackup = ok('postV1ProjectsByProjectIdDatabases', await a.POST('/v1/projects/{projectId}/databases', { params: { path: { projectId: proj.id } }, body: { name: 'from backup', source: { type: 'backup', databaseId: extraDb.id, backupId } } }), 201, bodies.createdDatabase);
    assert.equal(fromBackup.data.status, 'provisioning');
    assert.deepEqual(fromBackup.data.source, { type: 'backup', databaseId: extraDb.id, backupId });
    const clone = ok('postV1Databases', await a.POST('/v1/databases', { body: { projectId: proj.id, name: 'clone', source: { type: 'database', databaseId: extraDb.id } } }), 201, bodies.createdDatabaseTop);
    assert.deepEqual(clone.data.source, { type: 'database', databaseId: extraDb.id });
    const legacy = ok('postV1ProjectsByProjectIdDatabases', await a.POST('/v1/projects/{projectId}/databases', { params: { path: { projectId: proj.id } }, body: { name: 'legacy clone', fromDatabase: { id: extraDb.id } } }), 201, bodies.createdDatabase);
    assert.deepEqual(legacy.data.source, { type: 'database', databaseId: extraDb.id });
    fails('postV1Databases', await a.POST('/v1/databases', { body: { projectId: proj.id, source: { type: 'backup', databaseId: extraDb.id, backupId: 'bkp_doesnotexist' } } }), 404, 'not_found');
    fails('postV1Databases', await a.POST('/v1/databases', { body: { projectId: proj.id, source: { type: 'database', databaseId: 'db_doesnotexist' } } }), 404, 'not_found');
    for (const id of [fromBackup.data.id, clone.data.id, legacy.data.id]) {
      await waitReady(id);
      await noContent('deleteV1DatabasesByDatabaseId', await a.DELETE('/v1/databases/{databaseId}', { params: { path: { databaseId: id } } }), 204);
    }
  });

  it('DELETE /v1/projects/{id}: 400 while it holds databases beyond its default, then 204', async () => {
    const refused = fails('deleteV1ProjectsById', await a.DELETE('/v1/projects/{id}', { params: { path: { id: proj.id } } }), 400);
    assert.match(refused.message, /existing dependencies/);
    assert.ok(refused.hint, 'the refusal says what to do');
    for (const id of [extraDb.id, topDb.id])
      await noContent('deleteV1DatabasesByDatabaseId', await a.DELETE('/v1/databases/{databaseId}', { params: { path: { databaseId: id } } }), 204);
    fails('getV1DatabasesByDatabaseId', await a.GET('/v1/databases/{databaseId}', { params: { path: { databaseId: extraDb.id } } }), 404, 'not_found');
    fails('deleteV1ProjectsById', await b.DELETE('/v1/projects/{id}', { params: { path: { id: proj.id } } }), 404, 'not_found');
    await noContent('deleteV1ProjectsById', await a.DELETE('/v1/projects/{id}', { params: { path: { id: proj.id } } }), 204);
    fails('getV1ProjectsById', await a.GET('/v1/projects/{id}', { params: { path: { id: proj.id } } }), 404, 'not_found');
    fails('getV1DatabasesByDatabaseId', await a.GET('/v1/databases/{databaseId}', { params: { path: { databaseId: defaultDb.id } } }), 404, 'not_found');
    fails('deleteV1ProjectsById', await a.DELETE('/v1/projects/{id}', { params: { path: { id: proj.id } } }), 404, 'not_found');
  });

  it('POST /v1/projects/{id}/transfer: 204 moves the project to the recipient token\'s workspace; 401, 404, 409', async () => {
    const transfer = (c: typeof a, id: string, recipientAccessToken: string) => c.POST('/v1/projects/{id}/transfer', { params: { path: { id } }, body: { recipientAccessToken } });
    const status = async (databaseId: string) =>
      ok('getV1DatabasesByDatabaseId', await a.GET('/v1/databases/{databaseId}', { params: { path: { databaseId } } }), 200, bodies.database).data.status;
    const waitReady = async (databaseId: string) => {
      for (let i = 0; i < 300 && (await status(databaseId)) !== 'ready'; i++) await sleep(100);
      assert.equal(await status(databaseId), 'ready');
    };
    const moving = ok('postV1Projects', await a.POST('/v1/projects', { body: { name: 'Transferable', logicalId: `${logicalId}-transfer` } }), 201, bodies.createdProject).data;
    const db = moving.database!;
    await waitReady(db.id);

    fails('postV1ProjectsByIdTransfer', await transfer(b, moving.id, TOKEN_B), 404, 'not_found');
    fails('postV1ProjectsByIdTransfer', await transfer(a, 'proj_doesnotexist', TOKEN_B), 404, 'not_found');

    // 401 names the recipient's token: unknown, revoked, missing.
    const refused = [fails('postV1ProjectsByIdTransfer', await transfer(a, moving.id, 'not-a-token'), 401, 'unauthorized')];
    const revoked = ok('postV1WorkspacesByWorkspaceIdService-tokens', await b.POST('/v1/workspaces/{workspaceId}/service-tokens', { params: { path: { workspaceId: other.id } }, body: { name: 'revoked' } }), 201, bodies.createdServiceToken).data;
    await noContent('deleteV1WorkspacesByWorkspaceIdService-tokensByServiceTokenId', await b.DELETE('/v1/workspaces/{workspaceId}/service-tokens/{serviceTokenId}', { params: { path: { workspaceId: other.id, serviceTokenId: revoked.id } } }), 204);
    refused.push(fails('postV1ProjectsByIdTransfer', await transfer(a, moving.id, revoked.value), 401, 'unauthorized'));
    refused.push(fails('postV1ProjectsByIdTransfer', await a.POST('/v1/projects/{id}/transfer', { params: { path: { id: moving.id } } }), 401, 'unauthorized'));
    refused.push(fails('postV1ProjectsByIdTransfer', await a.POST('/v1/projects/{id}/transfer', { params: { path: { id: moving.id } }, body: { recipientAccessToken: 42 } as never }), 401, 'unauthorized'));
    for (const e of refused) assert.match(e.message, /recipient/i);

    // 409, saying why.
    assert.match(fails('postV1ProjectsByIdTransfer', await transfer(a, moving.id, TOKEN_A), 409, 'conflict').message, /already belongs/);
    assert.match(fails('postV1ProjectsByIdTransfer', await transfer(a, moving.id, TOKEN_OAUTH), 409, 'conflict').message, /2 workspaces/);
    const twin = ok('postV1Projects', await b.POST('/v1/projects', { body: { name: 'Twin', logicalId: `${logicalId}-transfer`, createDatabase: false } }), 201, bodies.createdProject).data;
    assert.match(fails('postV1ProjectsByIdTransfer', await transfer(a, moving.id, TOKEN_B), 409, 'conflict').message, /logicalId/);
    await noContent('deleteV1ProjectsById', await b.DELETE('/v1/projects/{id}', { params: { path: { id: twin.id } } }), 204);
    // A database being restored: its restore job waits behind a backup of it, so the transfer
    // that follows the restore's answer finds it recovering.
    const backup = async () => {
      const r = await fetch(`${sandbox.baseUrl}/_sandbox/databases/${db.id}/backups`, { method: 'POST' });
      assert.equal(r.status, 201);
      return expectShape(obj<{ data: Backup }>({ data: bodies.backup }), await r.json(), 'POST /_sandbox/databases/{id}/backups').data.id;
    };
    const first = await backup();
    for (let i = 0; i < 300; i++) {
      const listed = ok('getV1DatabasesByDatabaseIdBackups', await a.GET('/v1/databases/{databaseId}/backups', { params: { path: { databaseId: db.id } } }), 200, bodies.backups);
      if (listed.data.find((x) => x.id === first)?.status === 'completed') break;
      await sleep(100);
    }
    await backup();
    ok('postV1DatabasesByTargetDatabaseIdRestore', await a.POST('/v1/databases/{targetDatabaseId}/restore', { params: { path: { targetDatabaseId: db.id } }, body: { source: { type: 'backup', databaseId: db.id, backupId: first } } }), 200, bodies.restored);
    assert.match(fails('postV1ProjectsByIdTransfer', await transfer(a, moving.id, TOKEN_B), 409, 'conflict').message, new RegExp(`${db.id} is recovering`));
    await waitReady(db.id);
    ok('getV1ProjectsById', await a.GET('/v1/projects/{id}', { params: { path: { id: moving.id } } }), 200, bodies.project);

    // 204: the project, its databases and connections are the recipient's now, and no longer the sender's.
    await noContent('postV1ProjectsByIdTransfer', await transfer(a, moving.id, TOKEN_B), 204);
    const moved = ok('getV1ProjectsById', await b.GET('/v1/projects/{id}', { params: { path: { id: moving.id } } }), 200, bodies.project);
    assert.deepEqual([moved.data.workspace.id, moved.data.name, moved.data.logicalId], [other.id, 'Transferable', `${logicalId}-transfer`]);
    assert.ok(ok('getV1Projects', await b.GET('/v1/projects'), 200, bodies.projects).data.some((p) => p.id === moving.id));
    assert.ok(!ok('getV1Projects', await a.GET('/v1/projects'), 200, bodies.projects).data.some((p) => p.id === moving.id));
    fails('getV1ProjectsById', await a.GET('/v1/projects/{id}', { params: { path: { id: moving.id } } }), 404, 'not_found');
    const dbs = ok('getV1ProjectsByProjectIdDatabases', await b.GET('/v1/projects/{projectId}/databases', { params: { path: { projectId: moving.id } } }), 200, bodies.projectDatabases);
    assert.deepEqual(dbs.data.map((d) => [d.id, d.connections.map((c) => c.id)]), [[db.id, db.connections.map((c) => c.id)]]);
    ok('getV1ConnectionsById', await b.GET('/v1/connections/{id}', { params: { path: { id: db.connections[0]!.id } } }), 200, bodies.connection);
    fails('getV1DatabasesByDatabaseId', await a.GET('/v1/databases/{databaseId}', { params: { path: { databaseId: db.id } } }), 404, 'not_found');
    fails('getV1ConnectionsById', await a.GET('/v1/connections/{id}', { params: { path: { id: db.connections[0]!.id } } }), 404, 'not_found');
    fails('postV1ProjectsByIdTransfer', await transfer(a, moving.id, TOKEN_B), 404, 'not_found');

    // Back again, to a token Acme made for the purpose; then gone.
    const acmeToken = ok('postV1WorkspacesByWorkspaceIdService-tokens', await a.POST('/v1/workspaces/{workspaceId}/service-tokens', { params: { path: { workspaceId: acme.id } }, body: { name: 'recipient' } }), 201, bodies.createdServiceToken).data;
    await noContent('postV1ProjectsByIdTransfer', await transfer(b, moving.id, acmeToken.value), 204);
    assert.equal(ok('getV1ProjectsById', await a.GET('/v1/projects/{id}', { params: { path: { id: moving.id } } }), 200, bodies.project).data.workspace.id, acme.id);
    await noContent('deleteV1WorkspacesByWorkspaceIdService-tokensByServiceTokenId', await a.DELETE('/v1/workspaces/{workspaceId}/service-tokens/{serviceTokenId}', { params: { path: { workspaceId: acme.id, serviceTokenId: acmeToken.id } } }), 204);
    await noContent('deleteV1ProjectsById', await a.DELETE('/v1/projects/{id}', { params: { path: { id: moving.id } } }), 204);
  });

  it('covered every route of the contract', () => {
    const missing = ROUTES.filter((r) => !called.has(r));
    assert.deepEqual(missing, [], `routes never called: ${missing.join(', ')}`);
    console.log(`contract: ${ROUTES.length} routes covered`);
  });
});
