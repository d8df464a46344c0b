#!/usr/bin/env node
// A loopback Kubernetes API server stub for the integration tests (reference/formats.md §1, §6).
// It replays a recorded snapshot folder (samples/cluster layout: files named after the API
// paths) in the exact wire formats, with the server-side behaviour clients rely on:
//   - legacy discovery (/version, /api, /apis, /api/v1, /apis/<g>/<v>) so real kubectl works;
//   - labelSelector (k, !k, k=v, k==v, k!=v, comma lists) on every list;
//   - fieldSelector on events with the real whitelist (anything else → 400 BadRequest);
//   - limit/continue paging with remainingItemCount (--max-page caps a page, as servers may);
//   - Status errors (401 Unauthorized, 404 NotFound, 400 BadRequest, 410 Expired);
//   - authentication: Bearer token (--token, repeatable) or a client certificate signed by the
//     CA (mutual TLS).
// Fault modes for the tests (--fault): slow, 401, 500, truncated, html, huge, redirect.
//
// usage: node k8s_stub.js --dir SNAPSHOT --cert server.crt --key server.key --ca ca.crt
//                         [--token T]... [--port 0] [--max-page N] [--fault MODE]
// Prints "listening https://127.0.0.1:PORT" on stdout once ready.
'use strict';
const fs = require('fs');
const https = require('https');
const path = require('path');

const args = { token: [], port: 0, maxPage: 0, fault: '' };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i], v = process.argv[i + 1];
  switch (a) {
    case '--dir': args.dir = v; i++; break;
    case '--cert': args.cert = v; i++; break;
    case '--key': args.key = v; i++; break;
    case '--ca': args.ca = v; i++; break;
    case '--token': args.token.push(v); i++; break;
    case '--port': args.port = Number(v); i++; break;
    case '--max-page': args.maxPage = Number(v); i++; break;
    case '--fault': args.fault = v; i++; break;
    case '--log': args.log = v; i++; break;
    default: console.error('unknown argument ' + a); process.exit(2);
  }
}

function status(res, code, reason, message, details) {
  const body = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) body.details = details;
  send(res, code, body);
}

function send(res, code, obj, type) {
  const text = typeof obj === 'string' ? obj : JSON.stringify(obj);
  res.writeHead(code, { 'Content-Type': type || 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const RESOURCES = {
  '/api/v1': [
    { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list'], shortNames: ['ns'] },
    { name: 'events', singularName: 'event', namespaced: true, kind: 'Event', verbs: ['get', 'list'], shortNames: ['ev'] },
  ],
  '/apis/apps/v1': [
    { name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['get', 'list'], shortNames: ['deploy'], categories: ['all'] },
  ],
  '/apis/autoscaling/v2': [
    { name: 'horizontalpodautoscalers', singularName: 'horizontalpodautoscaler', namespaced: true, kind: 'HorizontalPodAutoscaler', verbs: ['get', 'list'], shortNames: ['hpa'], categories: ['all'] },
  ],
  '/apis/keda.sh/v1alpha1': [
    { name: 'scaledobjects', singularName: 'scaledobject', namespaced: true, kind: 'ScaledObject', verbs: ['get', 'list'], shortNames: ['so'] },
  ],
};
const GROUPS = [['apps', 'v1'], ['autoscaling', 'v2'], ['keda.sh', 'v1alpha1']];
const EVENT_FIELDS = new Set(['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name',
  'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion',
  'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type', 'metadata.name',
  'metadata.namespace']);
const NAMESPACE_FIELDS = new Set(['metadata.name', 'status.phase']);

function discovery(p, res) {
  if (p === '/version')
    return send(res, 200, { major: '1', minor: '30', gitVersion: 'v1.30.0-csf-stub', platform: 'linux/amd64' }), true;
  if (p === '/api')
    return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] }), true;
  if (p === '/apis')
    return send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: GROUPS.map(([g, v]) => ({
      name: g, versions: [{ groupVersion: g + '/' + v, version: v }], preferredVersion: { groupVersion: g + '/' + v, version: v } })) }), true;
  if (RESOURCES[p]) {
    const gv = p === '/api/v1' ? 'v1' : p.slice(6);
    return send(res, 200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: RESOURCES[p] }), true;
  }
  return false;
}

function get(obj, dotted) {
  return dotted.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

// Returns a predicate, or a string error.
function labelSelector(sel) {
  if (!sel) return () => true;
  const reqs = sel.split(',').map(s => s.trim()).filter(Boolean).map(r => {
    let m;
    if ((m = /^([^!=]+)!=(.*)$/.exec(r))) return l => l[m[1]] !== m[2];
    if ((m = /^([^!=]+)==?(.*)$/.exec(r))) return l => l[m[1]] === m[2];
    if ((m = /^!(.+)$/.exec(r))) return l => !(m[1] in l);
    return l => r in l;
  });
  return item => { const l = (item.metadata && item.metadata.labels) || {}; return reqs.every(f => f(l)); };
}

function fieldSelector(sel, allowed) {
  if (!sel) return () => true;
  const reqs = [];
  for (const r of sel.split(',')) {
    const m = /^([^!=]+)(!=|==|=)(.*)$/.exec(r);
    if (!m) return 'invalid field selector: ' + r;
    if (!allowed || !allowed.has(m[1])) return 'field label not supported: ' + m[1];
    const key = m[1] === 'source' ? 'source.component' : m[1];
    reqs.push(item => (m[2] === '!=') !== (String(get(item, key) ?? '') === m[3]));
  }
  return item => reqs.every(f => f(item));
}

function authorized(req) {
  if (req.socket.authorized) return true; // a client certificate signed by the CA
  const h = req.headers.authorization || '';
  return h.startsWith('Bearer ') && args.token.includes(h.slice(7));
}

function log(line) {
  if (args.log) fs.appendFileSync(args.log, line + '\n');
}

function handle(req, res) {
  const url = new URL(req.url, 'https://127.0.0.1');
  const p = url.pathname.replace(/\/+$/, '') || '/';
  log(req.method + ' ' + req.url + ' auth=' + (req.socket.authorized ? 'cert' : req.headers.authorization ? 'bearer' : 'none'));
  if (!authorized(req)) return status(res, 401, 'Unauthorized', 'Unauthorized');
  switch (args.fault) {
    case 'slow': return setTimeout(() => status(res, 500, 'InternalError', 'too late'), 60000);
    case '401': return status(res, 401, 'Unauthorized', 'Unauthorized');
    case '500': return status(res, 500, 'InternalError', 'etcdserver: request timed out');
    case 'html': return send(res, 200, '<html><body>Sign in to continue</body></html>', 'text/html; charset=utf-8');
    case 'redirect': res.writeHead(302, { Location: req.url }); return res.end();
    case 'huge': {
      // An endless list: a client must stop at its size limit. Chunked, no Content-Length.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"kind":"NamespaceList","apiVersion":"v1","metadata":{},"items":[');
      const chunk = ('{"metadata":{"name":"x","labels":{"csf.connectsoft.io/tenant":"x"}}},').repeat(2000);
      let sent = 0;
      const pump = () => {
        while (sent < 200 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return res.once('drain', pump);
        }
        res.end('{}]}');
      };
      res.on('close', () => { sent = Infinity; });
      return pump();
    }
  }
  if (discovery(p, res)) return;
  let m = /^\/(api\/v1|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([a-z]+)$/.exec(p);
  if (!m) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
  const [, gv, ns, resource] = m;
  const known = RESOURCES['/' + gv] && RESOURCES['/' + gv].find(r => r.name === resource);
  if (!known) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
  // A cluster-wide list of a namespaced resource merges every namespace's file.
  let files = [];
  if (ns || !known.namespaced) {
    files = [path.join(args.dir, gv, ns ? 'namespaces/' + ns : '', resource + '.json')];
  } else {
    const nsdir = path.join(args.dir, gv, 'namespaces');
    if (fs.existsSync(nsdir))
      files = fs.readdirSync(nsdir).sort().map(n => path.join(nsdir, n, resource + '.json'));
  }
  let list = null;
  for (const f of files) {
    if (!fs.existsSync(f)) continue;
    const doc = JSON.parse(fs.readFileSync(f, 'utf8'));
    if (!list) list = doc; else list.items = list.items.concat(doc.items);
  }
  if (!list) {
    if (ns) // an empty list for a namespace without objects, as the API does
      list = { kind: known.kind + 'List', apiVersion: gv === 'api/v1' ? 'v1' : gv.slice(5), metadata: { resourceVersion: '1' }, items: [] };
    else return status(res, 404, 'NotFound', 'the server could not find the requested resource');
  }
  const ls = labelSelector(url.searchParams.get('labelSelector'));
  const fs2 = fieldSelector(url.searchParams.get('fieldSelector'),
    resource === 'events' ? EVENT_FIELDS : resource === 'namespaces' ? NAMESPACE_FIELDS : new Set(['metadata.name', 'metadata.namespace']));
  if (typeof fs2 === 'string') return status(res, 400, 'BadRequest', fs2);
  let items = list.items.filter(it => ls(it) && fs2(it));
  let start = 0;
  const cont = url.searchParams.get('continue');
  if (cont) {
    let tok;
    try { tok = JSON.parse(Buffer.from(cont, 'base64').toString()); } catch (e) { tok = null; }
    if (!tok || typeof tok.start !== 'number') return status(res, 400, 'BadRequest', 'continue key is not valid: illegal base64 data');
    if (tok.rv !== list.metadata.resourceVersion)
      return status(res, 410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
    start = tok.start;
  }
  let limit = Number(url.searchParams.get('limit') || 0);
  if (args.maxPage && (!limit || limit > args.maxPage)) limit = args.maxPage;
  const out = Object.assign({}, list, { metadata: Object.assign({}, list.metadata) });
  delete out.metadata.continue;
  if (limit && start + limit < items.length) {
    out.metadata.continue = Buffer.from(JSON.stringify({ rv: list.metadata.resourceVersion, start: start + limit })).toString('base64');
    out.metadata.remainingItemCount = items.length - start - limit;
    items = items.slice(start, start + limit);
  } else {
    items = items.slice(start);
  }
  out.items = items;
  if (args.fault === 'truncated') {
    const text = JSON.stringify(out);
    return send(res, 200, text.slice(0, Math.floor(text.length / 2)));
  }
  send(res, 200, out);
}

const server = https.createServer({
  cert: fs.readFileSync(args.cert), key: fs.readFileSync(args.key), ca: fs.readFileSync(args.ca),
  requestCert: true, rejectUnauthorized: false,
}, handle);
server.listen(args.port, '127.0.0.1', () => {
  process.stdout.write('listening https://127.0.0.1:' + server.address().port + '\n');
});
process.on('SIGTERM', () => process.exit(0));
