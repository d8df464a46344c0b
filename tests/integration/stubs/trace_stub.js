#!/usr/bin/env node
// A loopback stub of the Jaeger, Tempo and Zipkin query APIs (reference/formats.md §4, §6) for the
// integration tests. It loads trace files in any of the three formats (default: samples/traces),
// turns them into one neutral model, and serves every trace in the exact wire format of the
// chosen backend:
//   jaeger  GET /api/services, /api/traces?service=…&limit=…, /api/traces/{id}
//           envelope {"data":…,"total":…,"limit":0,"offset":0,"errors":null}; errors (400, 404)
//           as the envelope with Content-Type text/plain, as Go's http.Error sends it; ids hex.
//   tempo   GET /api/traces/{id} → {"batches":[…]} and /api/v2/traces/{id} → {"trace":{…}}, both
//           proto3 JSON: base64 ids, SPAN_KIND_*/STATUS_CODE_* names, int64 as strings;
//           /api/search?q=&start=&end=&limit= → {"traces":[…],"metrics":{…}} with trace ids
//           stripped of leading zeros and durationMs left out when 0; 404 → text "trace not found".
//   zipkin  GET /api/v2/services, /api/v2/traces?serviceName=&limit= (array of arrays),
//           /api/v2/trace/{id} (array; 404 when unknown); µs times, string tags.
// Fault modes (--fault): 500, 401, html (200 text/html), truncated (cut JSON), slow (3 s delay).
//
// usage: node trace_stub.js --kind jaeger|tempo|zipkin [--dir DIR] [--port 0] [--fault MODE]
//                           [--cert server.crt --key server.key]
// Prints "listening http(s)://127.0.0.1:PORT" on stdout once ready; stop it with kill PID.
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const path = require('path');

const args = { kind: '', dir: path.join(__dirname, '../../../samples/traces'), port: 0, fault: '' };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i], v = process.argv[i + 1];
  switch (a) {
    case '--kind': args.kind = v; i++; break;
    case '--dir': args.dir = v; i++; break;
    case '--port': args.port = Number(v); i++; break;
    case '--fault': args.fault = v; i++; break;
    case '--cert': args.cert = v; i++; break;
    case '--key': args.key = v; i++; break;
    default: console.error('unknown argument ' + a); process.exit(2);
  }
}
if (!['jaeger', 'tempo', 'zipkin'].includes(args.kind)) {
  console.error('--kind jaeger|tempo|zipkin');
  process.exit(2);
}

// ---- the neutral model -------------------------------------------------------------------------
// trace: { id: 32 hex, spans: [span] }
// span: { id, parent (16 hex or ''), name, service, kind ('SERVER'|'CLIENT'|'PRODUCER'|'CONSUMER'|
//         'INTERNAL'|''), start (BigInt ns), dur (BigInt ns), attrs: [{key, type, value}],
//         events: [{time (BigInt ns), name, attrs}], status ('UNSET'|'OK'|'ERROR'), message,
//         shared, resource: [{key, type, value}] }
const KINDS = ['', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const pad = (h, n) => h.toLowerCase().padStart(n, '0');
const traces = new Map();
const traceOf = (id) => {
  id = pad(id, 32);
  if (!traces.has(id)) traces.set(id, { id, spans: [] });
  return traces.get(id);
};

function otlpValue(v) {
  if ('stringValue' in v) return { type: 'string', value: v.stringValue };
  if ('intValue' in v) return { type: 'int', value: String(v.intValue) };
  if ('doubleValue' in v) return { type: 'double', value: v.doubleValue };
  if ('boolValue' in v) return { type: 'bool', value: v.boolValue };
  if ('arrayValue' in v) return { type: 'array', value: v.arrayValue };
  return { type: 'string', value: '' };
}
const otlpAttrs = (a) => (a || []).map((kv) => ({ key: kv.key, ...otlpValue(kv.value || {}) }));

function loadOtlp(doc) {
  for (const rs of doc.resourceSpans || doc.batches || []) {
    const resource = otlpAttrs(rs.resource && rs.resource.attributes);
    const svc = (resource.find((a) => a.key === 'service.name') || { value: '' }).value;
    for (const ss of rs.scopeSpans || rs.instrumentationLibrarySpans || []) {
      for (const s of ss.spans || []) {
        const st = (s.status && s.status.code) || 0;
        traceOf(s.traceId).spans.push({
          id: pad(s.spanId, 16), parent: s.parentSpanId ? pad(s.parentSpanId, 16) : '',
          name: s.name || '', service: svc, kind: KINDS[s.kind || 0] || '',
          start: BigInt(s.startTimeUnixNano || 0),
          dur: BigInt(s.endTimeUnixNano || 0) - BigInt(s.startTimeUnixNano || 0),
          attrs: otlpAttrs(s.attributes),
          events: (s.events || []).map((e) => ({ time: BigInt(e.timeUnixNano || 0), name: e.name || '', attrs: otlpAttrs(e.attributes) })),
          status: ['UNSET', 'OK', 'ERROR'][st] || 'UNSET', message: (s.status && s.status.message) || '',
          shared: false, resource,
        });
      }
    }
  }
}

const jaegerAttrs = (tags) => (tags || []).map((t) => ({
  key: t.key, type: { int64: 'int', float64: 'double', bool: 'bool' }[t.type] || 'string',
  value: t.type === 'int64' ? String(t.value) : t.value,
}));

function loadJaeger(doc) {
  for (const tr of doc.data || []) {
    for (const s of tr.spans || []) {
      const proc = (tr.processes || {})[s.processID] || { serviceName: '', tags: [] };
      const tags = jaegerAttrs(s.tags);
      const get = (k) => (tags.find((t) => t.key === k) || {}).value;
      const parent = (s.references || []).find((r) => r.refType === 'CHILD_OF') || (s.references || [])[0];
      const err = get('error') === true || get('otel.status_code') === 'ERROR';
      traceOf(s.traceID || tr.traceID).spans.push({
        id: pad(s.spanID, 16), parent: parent ? pad(parent.spanID, 16) : '', name: s.operationName || '',
        service: proc.serviceName, kind: String(get('span.kind') || 'internal').toUpperCase(),
        start: BigInt(s.startTime) * 1000n, dur: BigInt(s.duration) * 1000n,
        attrs: tags.filter((t) => !['span.kind', 'error', 'otel.status_code', 'otel.status_description'].includes(t.key)),
        events: (s.logs || []).map((l) => {
          const f = jaegerAttrs(l.fields);
          const ev = f.find((x) => x.key === 'event');
          return { time: BigInt(l.timestamp) * 1000n, name: ev ? ev.value : '', attrs: f.filter((x) => x.key !== 'event') };
        }),
        status: err ? 'ERROR' : 'UNSET', message: get('otel.status_description') || '',
        shared: false, resource: jaegerAttrs(proc.tags).concat([{ key: 'service.name', type: 'string', value: proc.serviceName }]),
      });
    }
  }
}

function loadZipkin(doc) {
  const spans = Array.isArray(doc[0]) ? doc.flat() : doc;
  for (const s of spans) {
    const tags = Object.entries(s.tags || {}).filter(([k]) => k !== 'error')
      .map(([key, value]) => ({ key, type: 'string', value }));
    if (s.remoteEndpoint && s.remoteEndpoint.serviceName)
      tags.push({ key: 'peer.service', type: 'string', value: s.remoteEndpoint.serviceName });
    const svc = (s.localEndpoint && s.localEndpoint.serviceName) || '';
    const hasErr = s.tags && 'error' in s.tags;
    traceOf(s.traceId).spans.push({
      id: pad(s.id, 16), parent: s.parentId ? pad(s.parentId, 16) : '', name: s.name || '', service: svc,
      kind: s.kind || 'INTERNAL', start: BigInt(s.timestamp || 0) * 1000n, dur: BigInt(s.duration || 0) * 1000n,
      attrs: tags, events: (s.annotations || []).map((a) => ({ time: BigInt(a.timestamp) * 1000n, name: a.value, attrs: [] })),
      status: hasErr ? 'ERROR' : 'UNSET', message: hasErr ? s.tags.error : '', shared: !!s.shared,
      resource: [{ key: 'service.name', type: 'string', value: svc }],
    });
  }
}

for (const f of fs.readdirSync(args.dir).filter((n) => n.endsWith('.json')).sort()) {
  const doc = JSON.parse(fs.readFileSync(path.join(args.dir, f), 'utf8'));
  if (Array.isArray(doc)) loadZipkin(doc);
  else if (doc.data) loadJaeger(doc);
  else loadOtlp(doc.trace || doc);
}

// ---- renderers ---------------------------------------------------------------------------------
const services = () => [...new Set([...traces.values()].flatMap((t) => t.spans.map((s) => s.service)))].sort();
const extent = (t) => {
  const start = t.spans.reduce((m, s) => (s.start < m ? s.start : m), t.spans[0].start);
  const end = t.spans.reduce((m, s) => (s.start + s.dur > m ? s.start + s.dur : m), 0n);
  return { start, dur: end - start };
};
const root = (t) => t.spans.find((s) => !s.parent || !t.spans.some((p) => p.id === s.parent && p !== s)) || t.spans[0];

function toJaeger(t) {
  const procs = {}, byService = {};
  for (const s of t.spans) {
    if (!(s.service in byService)) {
      const id = 'p' + (Object.keys(procs).length + 1);
      byService[s.service] = id;
      procs[id] = { serviceName: s.service, tags: s.resource.filter((a) => a.key !== 'service.name').map(jTag) };
    }
  }
  function jTag(a) {
    const type = { int: 'int64', double: 'float64', bool: 'bool' }[a.type] || 'string';
    return { key: a.key, type, value: a.type === 'int' ? Number(a.value) : a.type === 'array' ? JSON.stringify(a.value) : a.value };
  }
  return {
    traceID: t.id,
    spans: t.spans.map((s) => {
      const tags = [{ key: 'span.kind', type: 'string', value: s.kind.toLowerCase() }].concat(s.attrs.map(jTag));
      if (s.status === 'ERROR') tags.push({ key: 'error', type: 'bool', value: true }, { key: 'otel.status_code', type: 'string', value: 'ERROR' });
      if (s.message) tags.push({ key: 'otel.status_description', type: 'string', value: s.message });
      return {
        traceID: t.id, spanID: s.id, operationName: s.name,
        references: s.parent ? [{ refType: 'CHILD_OF', traceID: t.id, spanID: s.parent }] : [],
        startTime: Number(s.start / 1000n), duration: Number(s.dur / 1000n), flags: 1, tags,
        logs: s.events.map((e) => ({ timestamp: Number(e.time / 1000n), fields: [{ key: 'event', type: 'string', value: e.name }].concat(e.attrs.map(jTag)) })),
        processID: byService[s.service], warnings: null,
      };
    }),
    processes: procs, warnings: null,
  };
}

const b64 = (hex) => Buffer.from(hex, 'hex').toString('base64');
function oValue(a) {
  switch (a.type) {
    case 'int': return { intValue: String(a.value) };
    case 'double': return { doubleValue: a.value };
    case 'bool': return { boolValue: a.value };
    case 'array': return { arrayValue: a.value };
    default: return { stringValue: a.value };
  }
}
const oAttrs = (attrs) => attrs.map((a) => ({ key: a.key, value: oValue(a) }));
function toOtlp(t) {
  const groups = new Map();
  for (const s of t.spans) {
    if (!groups.has(s.service)) groups.set(s.service, { resource: s.resource, spans: [] });
    groups.get(s.service).spans.push(s);
  }
  return [...groups.values()].map((g) => ({
    resource: { attributes: oAttrs(g.resource) },
    scopeSpans: [{ scope: { name: 'csf.stub' }, spans: g.spans.map((s) => {
      const o = { traceId: b64(t.id), spanId: b64(s.id) };
      if (s.parent) o.parentSpanId = b64(s.parent);
      Object.assign(o, {
        name: s.name, kind: 'SPAN_KIND_' + (s.kind || 'UNSPECIFIED'),
        startTimeUnixNano: String(s.start), endTimeUnixNano: String(s.start + s.dur),
        attributes: oAttrs(s.attrs),
        events: s.events.map((e) => ({ timeUnixNano: String(e.time), name: e.name, attributes: oAttrs(e.attrs) })),
        status: s.status === 'UNSET' ? {} : Object.assign({ code: 'STATUS_CODE_' + s.status }, s.message ? { message: s.message } : {}),
      });
      return o;
    }) }],
  }));
}

function toZipkin(t) {
  return t.spans.map((s) => {
    const o = { traceId: t.id };
    if (s.parent) o.parentId = s.parent;
    o.id = s.id;
    o.name = s.name;
    if (['SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'].includes(s.kind)) o.kind = s.kind;
    o.timestamp = Number(s.start / 1000n);
    o.duration = Number(s.dur / 1000n);
    if (s.shared) o.shared = true;
    o.localEndpoint = { serviceName: s.service };
    const tags = {};
    for (const a of s.attrs) {
      if (a.key === 'peer.service') o.remoteEndpoint = { serviceName: a.value };
      else tags[a.key] = typeof a.value === 'string' ? a.value : JSON.stringify(a.value);
    }
    if (s.status === 'ERROR') tags.error = s.message || 'true';
    o.tags = tags;
    if (s.events.length) o.annotations = s.events.map((e) => ({ timestamp: Number(e.time / 1000n), value: e.name }));
    return o;
  });
}

// ---- HTTP --------------------------------------------------------------------------------------
function send(res, code, body, type) {
  let text = typeof body === 'string' ? body : JSON.stringify(body);
  if (args.fault === 'truncated' && code === 200) text = text.slice(0, Math.floor(text.length / 2));
  if (args.fault === 'html' && code === 200) { text = '<html><body>Sign in</body></html>'; type = 'text/html; charset=utf-8'; }
  res.writeHead(code, { 'Content-Type': type || 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
const jEnvelope = (data, errors) => ({ data, total: Array.isArray(data) && typeof data[0] === 'string' ? data.length : 0, limit: 0, offset: 0, errors: errors || null });
const jError = (res, code, msg) => send(res, code, JSON.stringify(jEnvelope(null, [{ code, msg }])) + '\n', 'text/plain; charset=utf-8');
const hasService = (t, svc) => !svc || t.spans.some((s) => s.service === svc);
const findTrace = (id) => (/^[0-9a-fA-F]{1,32}$/.test(id) ? traces.get(pad(id, 32)) : undefined);
const limitOf = (q, d) => Math.max(1, Number(q.get('limit') || d));
const newestFirst = () => [...traces.values()].sort((a, b) => (extent(b).start > extent(a).start ? 1 : -1));

function handle(req, res) {
  const u = new URL(req.url, 'http://x');
  const p = u.pathname, q = u.searchParams;
  let m;
  if (args.fault === '500') return send(res, 500, 'upstream storage unavailable\n', 'text/plain');
  if (args.fault === '401') return send(res, 401, 'Unauthorized\n', 'text/plain');
  if (req.method !== 'GET') return send(res, 405, 'method not allowed\n', 'text/plain');
  if (args.kind === 'jaeger') {
    if (p === '/api/services') return send(res, 200, jEnvelope(services()));
    if (p === '/api/traces') {
      const svc = q.get('service');
      if (!svc) return jError(res, 400, "parameter 'service' is required");
      return send(res, 200, jEnvelope(newestFirst().filter((t) => hasService(t, svc)).slice(0, limitOf(q, 100)).map(toJaeger)));
    }
    if ((m = p.match(/^\/api\/traces\/([^/]+)$/))) {
      const t = findTrace(m[1]);
      return t ? send(res, 200, jEnvelope([toJaeger(t)])) : jError(res, 404, 'trace not found');
    }
  } else if (args.kind === 'tempo') {
    if ((m = p.match(/^\/api\/(v2\/)?traces\/([^/]+)$/))) {
      const t = findTrace(m[2]);
      if (!t) return send(res, 404, 'trace not found\n', 'text/plain; charset=utf-8');
      return send(res, 200, m[1] ? { trace: { resourceSpans: toOtlp(t) } } : { batches: toOtlp(t) });
    }
    if (p === '/api/search') {
      const sv = /resource\.service\.name\s*=\s*"([^"]*)"/.exec(q.get('q') || '');
      const hits = newestFirst().filter((t) => hasService(t, sv && sv[1])).slice(0, limitOf(q, 20));
      return send(res, 200, {
        traces: hits.map((t) => {
          const r = root(t), e = extent(t);
          const o = { traceID: t.id.replace(/^0+/, ''), rootServiceName: r.service, rootTraceName: r.name, startTimeUnixNano: String(e.start) };
          const ms = Number(e.dur / 1000000n);
          if (ms) o.durationMs = ms;
          o.spanSets = [{ spans: [], matched: t.spans.length }];
          return o;
        }),
        metrics: { inspectedBytes: '292781', totalBlocks: 13, completedJobs: 1, totalJobs: 1 },
      });
    }
  } else {
    if (p === '/api/v2/services') return send(res, 200, services());
    if (p === '/api/v2/traces') {
      const svc = q.get('serviceName');
      return send(res, 200, newestFirst().filter((t) => hasService(t, svc)).slice(0, limitOf(q, 10)).map(toZipkin));
    }
    if ((m = p.match(/^\/api\/v2\/trace\/([^/]+)$/))) {
      const t = findTrace(m[1]);
      return t ? send(res, 200, toZipkin(t)) : send(res, 404, 'Cannot find trace ' + m[1] + '\n', 'text/plain');
    }
  }
  return send(res, 404, '404 page not found\n', 'text/plain; charset=utf-8');
}

const onRequest = (req, res) => (args.fault === 'slow' ? setTimeout(() => handle(req, res), 3000) : handle(req, res));
const server = args.cert
  ? https.createServer({ cert: fs.readFileSync(args.cert), key: fs.readFileSync(args.key) }, onRequest)
  : http.createServer(onRequest);
server.listen(args.port, '127.0.0.1', () => {
  console.log(`listening ${args.cert ? 'https' : 'http'}://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
