#!/usr/bin/env node
// Validates every Kubernetes object in the given YAML files (or folders, walked recursively)
// against the published schemas: kubernetes-models for the core API groups and
// @kubernetes-models/{keda,istio,gateway-api,external-secrets} for the CRDs. Each document is
// parsed with the `yaml` package and handed to the model's validate(), which throws on any
// schema violation.
//
// Two CRD groups have no published model package: linkerd's policy.linkerd.io and Envoy
// Gateway's gateway.envoyproxy.io. They are checked against the small JSON Schemas below,
// transcribed from those projects' CRD references (required fields, enums, types). Documents
// of kind Kustomization are left to `kubectl kustomize`; csf/v1 documents (Release,
// EventBindings) get their own required-field checks. Anything else is an error: no object
// goes unvalidated.
//
// On top of the schemas, every namespaced object must carry the labels of DESIGN §4.
//
// Usage: node k8s-models.js FILE_OR_DIR...   exit 0 = all valid; prints a per-kind summary.
'use strict';
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');
const Ajv = require('ajv');

const LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/version', 'csf.connectsoft.io/tenant',
	'csf.connectsoft.io/module', 'csf.connectsoft.io/edition', 'csf.connectsoft.io/environment'];

const ajv = new Ajv({ allErrors: true, strict: false });
const meta = { type: 'object', required: ['name', 'namespace'],
	properties: { name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 253 } } };
const targetRefs = { type: 'array', minItems: 1, items: { type: 'object', required: ['group', 'kind', 'name'],
	properties: { group: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' } } } };
const selector = { type: 'object', required: ['matchLabels'],
	properties: { matchLabels: { type: 'object', additionalProperties: { type: 'string' } } } };
// policy.linkerd.io and gateway.envoyproxy.io, from the projects' CRD references.
const handSchemas = {
	'policy.linkerd.io/v1beta3/Server': { type: 'object', required: ['metadata', 'spec'], properties: { metadata: meta,
		spec: { type: 'object', required: ['port'], additionalProperties: false, properties: {
			podSelector: selector, port: { type: ['string', 'integer'] },
			proxyProtocol: { enum: ['unknown', 'HTTP/1', 'HTTP/2', 'gRPC', 'opaque', 'TLS'] },
			accessPolicy: { type: 'string' } } } } },
	'policy.linkerd.io/v1alpha1/MeshTLSAuthentication': { type: 'object', required: ['metadata', 'spec'], properties: {
		metadata: meta, spec: { type: 'object', additionalProperties: false, minProperties: 1, properties: {
			identities: { type: 'array', items: { type: 'string' }, minItems: 1 },
			identityRefs: { type: 'array', minItems: 1, items: { type: 'object', required: ['kind'],
				properties: { kind: { enum: ['ServiceAccount', 'Namespace'] }, name: { type: 'string' },
					namespace: { type: 'string' }, group: { type: 'string' } } } } } } } },
	'policy.linkerd.io/v1alpha1/AuthorizationPolicy': { type: 'object', required: ['metadata', 'spec'], properties: {
		metadata: meta, spec: { type: 'object', required: ['targetRef', 'requiredAuthenticationRefs'],
			additionalProperties: false, properties: {
				targetRef: { type: 'object', required: ['kind', 'name'], properties: {
					group: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' } } },
				requiredAuthenticationRefs: { type: 'array', items: { type: 'object', required: ['kind', 'name'],
					properties: { group: { type: 'string' }, kind: { enum: ['MeshTLSAuthentication',
						'NetworkAuthentication', 'ServiceAccount'] }, name: { type: 'string' } } } } } } } },
	'gateway.envoyproxy.io/v1alpha1/BackendTrafficPolicy': { type: 'object', required: ['metadata', 'spec'], properties: {
		metadata: meta, spec: { type: 'object', required: ['targetRefs'], properties: { targetRefs,
			rateLimit: { type: 'object', required: ['type'], properties: { type: { enum: ['Global', 'Local'] },
				local: { type: 'object', properties: { rules: { type: 'array', items: { type: 'object',
					required: ['limit'], properties: { limit: { type: 'object', required: ['requests', 'unit'],
						properties: { requests: { type: 'integer', minimum: 1 },
							unit: { enum: ['Second', 'Minute', 'Hour', 'Day'] } } } } } } } } } },
			timeout: { type: 'object', properties: { http: { type: 'object', properties: {
				requestTimeout: { type: 'string', pattern: '^([0-9]{1,5}(h|m|s|ms)){1,4}$' } } } } } } } } },
	'gateway.envoyproxy.io/v1alpha1/SecurityPolicy': { type: 'object', required: ['metadata', 'spec'], properties: {
		metadata: meta, spec: { type: 'object', required: ['targetRefs'], properties: { targetRefs,
			cors: { type: 'object', additionalProperties: false, properties: {
				allowOrigins: { type: 'array', items: { type: 'string', pattern: '^(\\*|https?:\\/\\/[^\\s/]+)$' } },
				allowMethods: { type: 'array', items: { type: 'string' } },
				allowHeaders: { type: 'array', items: { type: 'string' } },
				exposeHeaders: { type: 'array', items: { type: 'string' } },
				maxAge: { type: 'string' }, allowCredentials: { type: 'boolean' } } } } } } },
	'csf/v1/Release': { type: 'object', required: ['releaseId', 'module', 'version', 'tenant', 'environment',
		'provider', 'blueprintHash', 'infraHash', 'artifacts', 'freight'], properties: {
		blueprintHash: { type: 'string', pattern: '^[0-9a-f]{64}$' }, infraHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
		artifacts: { type: 'array', minItems: 1, items: { type: 'object', required: ['path', 'kind', 'sha256'],
			properties: { sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } } } } } },
	'csf/v1/EventBindings': { type: 'object', required: ['metadata', 'transport', 'emits', 'consumes'], properties: {
		emits: { type: 'array', items: { type: 'object', required: ['event', 'topic', 'schema'] } },
		consumes: { type: 'array', items: { type: 'object', required: ['event', 'topic'] } } } },
};
const compiled = {};
for (const [k, s] of Object.entries(handSchemas)) compiled[k] = ajv.compile(s);

// apiVersion → module path of the published model package.
function modelModule(apiVersion) {
	const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
	const crd = { 'keda.sh': '@kubernetes-models/keda', 'security.istio.io': '@kubernetes-models/istio',
		'networking.istio.io': '@kubernetes-models/istio', 'gateway.networking.k8s.io': '@kubernetes-models/gateway-api',
		'external-secrets.io': '@kubernetes-models/external-secrets' };
	if (!group) return 'kubernetes-models/' + version;
	if (crd[group]) return `${crd[group]}/${group}/${version}`;
	if (/^([a-z]+|[a-z.]+\.k8s\.io)$/.test(group) && !group.includes('linkerd') && !group.includes('envoyproxy'))
		return `kubernetes-models/${group}/${version}`;
	return null;
}

function walk(p, out) {
	const st = fs.statSync(p);
	if (st.isDirectory()) {
		// iac/ holds CloudFormation YAML, validated by cfn-lint (iac-check.js).
		for (const e of fs.readdirSync(p).sort()) if (e !== 'iac') walk(path.join(p, e), out);
	} else if (/\.ya?ml$/.test(p)) {
		out.push(p);
	}
	return out;
}

async function main() {
	const files = [];
	for (const a of process.argv.slice(2)) walk(a, files);
	const counts = {};
	const errors = [];
	const models = {};
	let docs = 0;
	for (const f of files) {
		const text = fs.readFileSync(f, 'utf8');
		const parsed = YAML.parseAllDocuments(text, { uniqueKeys: true });
		for (const d of parsed) {
			if (d.errors.length) { errors.push(`${f}: YAML: ${d.errors[0].message}`); continue; }
			const obj = d.toJS();
			if (obj === null) continue;
			docs++;
			const av = obj.apiVersion, kind = obj.kind;
			if (!av || !kind) { errors.push(`${f}: no apiVersion/kind`); continue; }
			const key = `${av}/${kind}`;
			counts[key] = (counts[key] || 0) + 1;
			if (av.startsWith('kustomize.config.k8s.io/')) continue; // kubectl kustomize checks these
			if (compiled[key]) {
				if (!compiled[key](obj)) errors.push(`${f}: ${key}: ${ajv.errorsText(compiled[key].errors)}`);
			} else {
				const mod = modelModule(av);
				if (!mod) { errors.push(`${f}: ${key}: no validator for this apiVersion`); continue; }
				if (!(mod in models)) {
					try { models[mod] = await import(mod); } catch (e) { models[mod] = null; }
				}
				const Model = models[mod] && models[mod][kind];
				if (!Model) { errors.push(`${f}: ${key}: no model for this kind`); continue; }
				try {
					new Model(obj).validate();
				} catch (e) {
					errors.push(`${f}: ${key}: ${e.message.split('\n').slice(0, 6).join(' | ')}`);
				}
			}
			// DESIGN §4 labels on every namespaced object.
			if (obj.metadata && obj.metadata.namespace && av !== 'csf/v1') {
				const labels = obj.metadata.labels || {};
				for (const l of LABELS)
					if (!labels[l]) errors.push(`${f}: ${key}: label ${l} missing`);
			}
		}
	}
	for (const k of Object.keys(counts).sort()) console.log(`${String(counts[k]).padStart(6)}  ${k}`);
	console.log(`${docs} documents in ${files.length} files, ${errors.length} errors`);
	if (errors.length) {
		for (const e of errors.slice(0, 50)) console.error(e);
		process.exit(1);
	}
	if (!docs) { console.error('no documents validated'); process.exit(1); }
}
main().catch(e => { console.error(e); process.exit(2); });
