// A small Kubernetes API server for tests and the scan benchmark: HTTPS with a generated CA, bearer-token auth,
// discovery (/version, /api, /api/v1, /apis), core/v1 pods, events, secrets, serviceaccounts, nodes, namespaces
// (create/merge-patch/delete of secrets and serviceaccounts too),
// list chunking (limit + continue), field selectors, Forbidden/NotFound/Unauthorized Status objects, Table output.
// The real kubectl talks to it through a generated kubeconfig.
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCA, issueCert } from '../../src/x509/build.js';

export type KubeObject = Record<string, any>;

/** A deny rule: requests matching all given fields get a 403 Status. */
export interface ForbidRule {
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
}

export interface KubeServerOptions {
  /** Bearer token required on every request (default: random). */
  token?: string;
  /** User name printed in Forbidden messages. */
  user?: string;
  forbid?: ForbidRule[];
  /** Objects generated on demand instead of stored (e.g. 50,000 events without holding them). */
  virtual?: Partial<Record<Resource, { count: number; make(i: number): KubeObject }>>;
  /** Delay before answering each request (ms). */
  delayMs?: number;
  gitVersion?: string;
  /** Called after a pod is created through POST (the simulated kubelet binds and runs it). */
  onPodCreate?: (pod: KubeObject) => void;
  /** Called after a pod is deleted through DELETE. */
  onPodDelete?: (pod: KubeObject) => void;
  /** Logs of a pod (GET .../pods/{name}/log); undefined = none yet. */
  podLogs?: (namespace: string, name: string) => string | undefined;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  accept: string;
  status: number;
}

export interface KubeServer {
  url: string;
  port: number;
  caPem: string;
  token: string;
  requests: RequestRecord[];
  /** Adds or replaces objects (by namespace/name). */
  add(resource: Resource, ...objs: KubeObject[]): void;
  /** Stored objects of a resource (all namespaces). */
  objects(resource: Resource): KubeObject[];
  forbid: ForbidRule[];
  /** Writes a kubeconfig with a working context `test` (and `wrong-token`, `bad-ca`, `unreachable` variants). */
  writeKubeconfig(dir: string, opts?: { namespace?: string; unreachablePort?: number }): string;
  close(): Promise<void>;
}

export const RESOURCES = ['pods', 'events', 'secrets', 'serviceaccounts', 'nodes', 'namespaces', 'configmaps'] as const;
export type Resource = (typeof RESOURCES)[number];

const KIND: Record<Resource, string> = {
  pods: 'Pod',
  events: 'Event',
  secrets: 'Secret',
  serviceaccounts: 'ServiceAccount',
  nodes: 'Node',
  namespaces: 'Namespace',
  configmaps: 'ConfigMap',
};
const CLUSTER_SCOPED = new Set<Resource>(['nodes', 'namespaces']);
const SHORT: Partial<Record<Resource, string[]>> = {
  pods: ['po'],
  events: ['ev'],
  serviceaccounts: ['sa'],
  nodes: ['no'],
  namespaces: ['ns'],
  configmaps: ['cm'],
};
const RESOURCE_VERSION = '424242';

function status(code: number, reason: string, message: string, details?: Record<string, unknown>): KubeObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** Reads a dotted field path (`involvedObject.name`, `metadata.namespace`) from an object. */
function field(obj: KubeObject, path: string): string {
  let v: any = obj;
  for (const p of path.split('.')) v = v?.[p];
  return v === undefined || v === null ? '' : String(v);
}

function matchesFieldSelector(obj: KubeObject, selector: string | undefined): boolean {
  if (!selector) return true;
  for (const term of selector.split(',')) {
    const m = term.match(/^([^!=]+)(==|!=|=)(.*)$/);
    if (!m) continue;
    const v = field(obj, m[1]!.trim());
    if (m[2] === '!=' ? v === m[3] : v !== m[3]) return false;
  }
  return true;
}

function matchesLabelSelector(obj: KubeObject, selector: string | undefined): boolean {
  if (!selector) return true;
  const labels: Record<string, string> = obj.metadata?.labels ?? {};
  for (const term of selector.split(',')) {
    const m = term.match(/^([^!=]+)(==|!=|=)(.*)$/);
    if (!m) {
      if (!(term.trim() in labels)) return false;
      continue;
    }
    const v = labels[m[1]!.trim()];
    if (m[2] === '!=' ? v === m[3] : v !== m[3]) return false;
  }
  return true;
}

function encodeContinue(offset: number): string {
  return Buffer.from(JSON.stringify({ rv: RESOURCE_VERSION, start: offset })).toString('base64url');
}

function decodeContinue(token: string): number | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return v.rv === RESOURCE_VERSION && Number.isInteger(v.start) && v.start >= 0 ? v.start : undefined;
  } catch {
    return undefined;
  }
}

function apiResourceList(): KubeObject {
  return {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: RESOURCES.map((r) => ({
      name: r,
      singularName: KIND[r].toLowerCase(),
      namespaced: !CLUSTER_SCOPED.has(r),
      kind: KIND[r],
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      ...(SHORT[r] ? { shortNames: SHORT[r] } : {}),
    })),
  };
}

function tableFor(resource: Resource, items: KubeObject[], list: KubeObject['metadata']): KubeObject {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: list,
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name', priority: 0 },
      { name: 'Age', type: 'string', format: '', description: 'Age', priority: 0 },
    ],
    rows: items.map((o) => ({
      cells: [o.metadata?.name ?? '', '1d'],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata ?? {} },
    })),
    ...(resource ? {} : {}),
  };
}

export async function startKubeServer(opts: KubeServerOptions = {}): Promise<KubeServer> {
  const ca = createCA({ cn: 'kube-test-ca' });
  const leaf = issueCert(ca, { cn: 'kube-apiserver', dns: ['localhost', 'kubernetes'], ips: ['127.0.0.1'] });
  const token = opts.token ?? randomBytes(16).toString('hex');
  const user = opts.user ?? 'system:serviceaccount:default:regdoctor';
  const forbid: ForbidRule[] = [...(opts.forbid ?? [])];
  const requests: RequestRecord[] = [];
  // resource → "ns/name" → object (insertion order is list order)
  const store = new Map<Resource, Map<string, KubeObject>>(RESOURCES.map((r) => [r, new Map()]));
  let uidCounter = 0;

  const add = (resource: Resource, ...objs: KubeObject[]) => {
    for (const o of objs) {
      const md = (o.metadata ??= {});
      if (!CLUSTER_SCOPED.has(resource)) md.namespace ??= 'default';
      md.uid ??= `00000000-0000-4000-8000-${(++uidCounter).toString(16).padStart(12, '0')}`;
      md.resourceVersion ??= RESOURCE_VERSION;
      md.creationTimestamp ??= '2024-05-01T10:00:00Z';
      o.kind ??= KIND[resource];
      o.apiVersion ??= 'v1';
      store.get(resource)!.set(`${md.namespace ?? ''}/${md.name}`, o);
      if (resource !== 'namespaces' && md.namespace && !store.get('namespaces')!.has(`/${md.namespace}`)) {
        add('namespaces', { metadata: { name: md.namespace }, status: { phase: 'Active' } });
      }
    }
  };
  add('namespaces', { metadata: { name: 'default' }, status: { phase: 'Active' } });

  const denied = (verb: string, resource: string, namespace?: string, name?: string) =>
    forbid.find(
      (r) =>
        (r.verb === verb || r.verb === '*') &&
        r.resource === resource &&
        (r.namespace === undefined || r.namespace === namespace) &&
        (r.name === undefined || r.name === name),
    );

  /** Items in list order with their raw position (continue tokens resume from a position, so paging is linear). */
  function* allOf(resource: Resource, namespace?: string, startRaw = 0): Generator<[number, KubeObject]> {
    const stored = [...store.get(resource)!.values()];
    for (let k = startRaw; k < stored.length; k++) {
      const o = stored[k]!;
      if (namespace === undefined || o.metadata?.namespace === namespace) yield [k, o];
    }
    const v = opts.virtual?.[resource];
    if (v) {
      for (let i = Math.max(0, startRaw - stored.length); i < v.count; i++) {
        const o = v.make(i);
        if (namespace === undefined || o.metadata?.namespace === namespace) yield [stored.length + i, o];
      }
    }
  }

  function send(res: ServerResponse, code: number, body: unknown, rec: RequestRecord): void {
    rec.status = code;
    const text = JSON.stringify(body);
    res.writeHead(code, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-cache, private',
    });
    res.end(text);
  }

  /** Streams a list page item by item so the server never builds a huge string. */
  /** The API server's 403 for a request RBAC denies, in its wording (the name when there is one, then the namespace
   *  or the cluster scope). */
  function forbidden(
    res: ServerResponse,
    rec: RequestRecord,
    r: { verb: string; resource: string; namespace?: string; name?: string; details: Record<string, unknown> },
  ): void {
    const scope = r.namespace ? ` in the namespace "${r.namespace}"` : ' at the cluster scope';
    const what = `${r.resource}${r.name ? ` "${r.name}"` : ''} is forbidden`;
    const message = `${what}: User "${user}" cannot ${r.verb} resource "${r.resource}" in API group ""${scope}`;
    send(res, 403, status(403, 'Forbidden', message, r.details), rec);
  }

  function sendList(
    res: ServerResponse,
    resource: Resource,
    items: Iterable<KubeObject>,
    meta: KubeObject,
    rec: RequestRecord,
    table: boolean,
  ): void {
    rec.status = 200;
    if (table) {
      const arr = [...items];
      const text = JSON.stringify(tableFor(resource, arr, meta));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(text);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.write(`{"kind":"${KIND[resource]}List","apiVersion":"v1","metadata":${JSON.stringify(meta)},"items":[`);
    let first = true;
    let buf = '';
    for (const o of items) {
      buf += (first ? '' : ',') + JSON.stringify(o);
      first = false;
      if (buf.length > 64 * 1024) {
        res.write(buf);
        buf = '';
      }
    }
    res.end(`${buf}]}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const query = Object.fromEntries(url.searchParams.entries());
    const accept = String(req.headers.accept ?? '');
    const rec: RequestRecord = { method: req.method ?? 'GET', path: url.pathname, query, accept, status: 0 };
    requests.push(rec);
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    if (req.headers.authorization !== `Bearer ${token}`) {
      send(res, 401, status(401, 'Unauthorized', 'Unauthorized'), rec);
      return;
    }
    const p = url.pathname.replace(/\/+$/, '') || '/';
    if (p === '/version') {
      const gv = opts.gitVersion ?? 'v1.32.2';
      const [maj, min] = gv.replace(/^v/, '').split('.');
      send(
        res,
        200,
        {
          major: maj,
          minor: min,
          gitVersion: gv,
          gitCommit: '0000000',
          gitTreeState: 'clean',
          buildDate: '2025-02-12T00:00:00Z',
          goVersion: 'go1.23.6',
          compiler: 'gc',
          platform: 'linux/amd64',
        },
        rec,
      );
      return;
    }
    if (p === '/api') {
      send(
        res,
        200,
        {
          kind: 'APIVersions',
          versions: ['v1'],
          serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }],
        },
        rec,
      );
      return;
    }
    if (p === '/apis') {
      send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] }, rec);
      return;
    }
    if (p === '/api/v1') {
      send(res, 200, apiResourceList(), rec);
      return;
    }
    // Pods: create (POST), delete (DELETE), logs (GET .../log), for `regdoctor nodes` and the simulated kubelet.
    const podm = p.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+)(\/log)?)?$/);
    if (podm && (req.method === 'POST' || req.method === 'DELETE' || podm[3])) {
      const ns = decodeURIComponent(podm[1]!);
      const pname = podm[2] ? decodeURIComponent(podm[2]) : undefined;
      const verb = req.method === 'POST' ? 'create' : req.method === 'DELETE' ? 'delete' : 'get';
      const resourceName = podm[3] ? 'pods/log' : 'pods';
      if (denied(verb, resourceName, ns, pname)) {
        forbidden(res, rec, { verb, resource: resourceName, namespace: ns, name: pname, details: { kind: 'pods' } });
        return;
      }
      const pods = store.get('pods')!;
      if (req.method === 'POST' && !pname) {
        let body = '';
        for await (const chunk of req) body += chunk;
        let pod: KubeObject;
        try {
          pod = JSON.parse(body);
        } catch {
          send(res, 400, status(400, 'BadRequest', 'invalid JSON body'), rec);
          return;
        }
        const md = (pod.metadata ??= {});
        md.namespace = ns;
        if (!md.name && md.generateName) md.name = `${md.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
        if (pods.has(`${ns}/${md.name}`)) {
          send(res, 409, status(409, 'AlreadyExists', `pods "${md.name}" already exists`, { name: md.name, kind: 'pods' }), rec);
          return;
        }
        pod.status = { phase: 'Pending' };
        md.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        add('pods', pod);
        send(res, 201, pod, rec);
        opts.onPodCreate?.(pod);
        return;
      }
      const found = pname ? pods.get(`${ns}/${pname}`) : undefined;
      if (!found) {
        send(res, 404, status(404, 'NotFound', `pods "${pname ?? ''}" not found`, { name: pname, kind: 'pods' }), rec);
        return;
      }
      if (req.method === 'DELETE') {
        pods.delete(`${ns}/${pname}`);
        send(res, 200, found, rec);
        opts.onPodDelete?.(found);
        return;
      }
      const logs = opts.podLogs?.(ns, pname!);
      if (logs === undefined) {
        send(res, 400, status(400, 'BadRequest', `container "diagnose" in pod "${pname}" is waiting to start: ContainerCreating`), rec);
        return;
      }
      rec.status = 200;
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(logs);
      return;
    }
    // Secrets and ServiceAccounts: create (POST), merge patch (PATCH, RFC 7386), delete (DELETE), for fix's pull-secret
    // path through the real kubectl. Forbid rules apply with the verbs create / patch / delete.
    const wm = p.match(/^\/api\/v1\/namespaces\/([^/]+)\/(secrets|serviceaccounts)(?:\/([^/]+))?$/);
    if (wm && (req.method === 'POST' || req.method === 'PATCH' || req.method === 'DELETE')) {
      const ns = decodeURIComponent(wm[1]!);
      const resource = wm[2] as Resource;
      const wname = wm[3] ? decodeURIComponent(wm[3]) : undefined;
      const verb = req.method === 'POST' ? 'create' : req.method === 'PATCH' ? 'patch' : 'delete';
      let body = '';
      for await (const chunk of req) body += chunk;
      if (denied(verb, resource, ns, wname)) {
        forbidden(res, rec, { verb, resource, namespace: ns, name: wname, details: { ...(wname ? { name: wname } : {}), kind: resource } });
        return;
      }
      let doc: KubeObject | undefined;
      if (req.method !== 'DELETE') {
        try {
          doc = JSON.parse(body);
        } catch {
          send(res, 400, status(400, 'BadRequest', 'invalid JSON body'), rec);
          return;
        }
      }
      const objs = store.get(resource)!;
      if (req.method === 'POST') {
        if (wname) {
          send(res, 405, status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'), rec);
          return;
        }
        const md = (doc!.metadata ??= {});
        if (md.namespace !== undefined && md.namespace !== ns) {
          send(
            res,
            400,
            status(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'),
            rec,
          );
          return;
        }
        if (!md.name) {
          send(res, 422, status(422, 'Invalid', `${KIND[resource]} "" is invalid: metadata.name: Required value`), rec);
          return;
        }
        if (objs.has(`${ns}/${md.name}`)) {
          send(res, 409, status(409, 'AlreadyExists', `${resource} "${md.name}" already exists`, { name: md.name, kind: resource }), rec);
          return;
        }
        md.namespace = ns;
        md.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        add(resource, doc!);
        send(res, 201, doc, rec);
        return;
      }
      const found = wname ? objs.get(`${ns}/${wname}`) : undefined;
      if (!found) {
        send(res, 404, status(404, 'NotFound', `${resource} "${wname ?? ''}" not found`, { name: wname, kind: resource }), rec);
        return;
      }
      if (req.method === 'DELETE') {
        objs.delete(`${ns}/${wname}`);
        send(
          res,
          200,
          { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: wname, kind: resource } },
          rec,
        );
        return;
      }
      const type = String(req.headers['content-type'] ?? '');
      if (!/merge-patch\+json/.test(type)) {
        send(
          res,
          415,
          status(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json (got ${type})`,
          ),
          rec,
        );
        return;
      }
      const merge = (target: any, patch: any): any => {
        if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
        const out = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...target } : {};
        for (const [k, v] of Object.entries(patch)) {
          if (v === null) delete out[k];
          else out[k] = merge(out[k], v);
        }
        return out;
      };
      const updated = merge(found, doc);
      updated.metadata.resourceVersion = String(Number(found.metadata?.resourceVersion ?? RESOURCE_VERSION) + 1);
      objs.set(`${ns}/${wname}`, updated);
      send(res, 200, updated, rec);
      return;
    }
    // /api/v1/[namespaces/{ns}/]{resource}[/{name}]
    const m = p.match(
      /^\/api\/v1\/(?:namespaces\/([^/]+)\/(pods|events|secrets|serviceaccounts|configmaps)|(pods|events|secrets|serviceaccounts|configmaps|nodes|namespaces))(?:\/([^/]+))?$/,
    );
    if (!m || req.method !== 'GET') {
      send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource', {}), rec);
      return;
    }
    const namespace = m[1] ? decodeURIComponent(m[1]) : undefined;
    const resource = (m[2] ?? m[3]) as Resource;
    const name = m[4] ? decodeURIComponent(m[4]) : undefined;
    const verb = name ? 'get' : query.watch === 'true' || query.watch === '1' ? 'watch' : 'list';
    if (denied(verb, resource, namespace, name)) {
      forbidden(res, rec, { verb, resource, namespace, name, details: { ...(name ? { name } : {}), kind: resource } });
      return;
    }
    const table = /as=Table/.test(accept);
    if (name) {
      if (resource === 'namespaces') {
        const o = store.get('namespaces')!.get(`/${name}`);
        if (o) send(res, 200, o, rec);
        else send(res, 404, status(404, 'NotFound', `namespaces "${name}" not found`, { name, kind: 'namespaces' }), rec);
        return;
      }
      let found: KubeObject | undefined = store.get(resource)!.get(`${namespace ?? ''}/${name}`);
      if (!found && opts.virtual?.[resource]) {
        for (const [, o] of allOf(resource, namespace))
          if (o.metadata?.name === name) {
            found = o;
            break;
          }
      }
      if (found) send(res, 200, table ? tableFor(resource, [found], {}) : found, rec);
      else send(res, 404, status(404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource }), rec);
      return;
    }
    if (namespace && resource !== 'events' && !store.get('namespaces')!.has(`/${namespace}`)) {
      // Listing in a namespace that does not exist is an empty list on a real server.
    }
    const limit = query.limit ? Math.max(0, Number(query.limit) | 0) : 0;
    let start = 0;
    if (query.continue) {
      const s = decodeContinue(query.continue);
      if (s === undefined) {
        send(
          res,
          410,
          status(
            410,
            'Expired',
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
          ),
          rec,
        );
        return;
      }
      start = s;
    }
    const fs = query.fieldSelector;
    const ls = query.labelSelector;
    // Walk lazily from the token's position, take `limit`, and peek one more to know whether to continue.
    const page: KubeObject[] = [];
    let more = false;
    let next = 0;
    for (const [raw, o] of allOf(resource, namespace, start)) {
      if (!matchesFieldSelector(o, fs) || !matchesLabelSelector(o, ls)) continue;
      if (limit > 0 && page.length === limit) {
        more = true;
        next = raw;
        break;
      }
      page.push(o);
    }
    const meta: KubeObject = { resourceVersion: RESOURCE_VERSION };
    if (more) meta.continue = encodeContinue(next);
    sendList(res, resource, page, meta, rec, table);
  }

  const server = https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(status(500, 'InternalError', String(err))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;

  return {
    url,
    port,
    caPem: ca.certPem,
    token,
    requests,
    add,
    objects: (resource) => [...store.get(resource)!.values()],
    forbid,
    writeKubeconfig(dir, kc = {}) {
      mkdirSync(dir, { recursive: true });
      const caData = Buffer.from(ca.certPem).toString('base64');
      const otherCa = Buffer.from(createCA({ cn: 'some-other-ca' }).certPem).toString('base64');
      const file = join(dir, 'kubeconfig');
      const ns = kc.namespace ? `\n    namespace: ${kc.namespace}` : '';
      const unreachable = kc.unreachablePort ?? 1;
      writeFileSync(
        file,
        `apiVersion: v1
kind: Config
current-context: test
clusters:
- name: test
  cluster:
    server: ${url}
    certificate-authority-data: ${caData}
- name: bad-ca
  cluster:
    server: ${url}
    certificate-authority-data: ${otherCa}
- name: unreachable
  cluster:
    server: https://127.0.0.1:${unreachable}
    certificate-authority-data: ${caData}
users:
- name: test
  user:
    token: ${token}
- name: wrong-token
  user:
    token: not-the-token
contexts:
- name: test
  context:
    cluster: test
    user: test${ns}
- name: wrong-token
  context:
    cluster: test
    user: wrong-token
- name: bad-ca
  context:
    cluster: bad-ca
    user: test
- name: unreachable
  context:
    cluster: unreachable
    user: test
`,
        { mode: 0o600 },
      );
      return file;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
