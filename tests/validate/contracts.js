#!/usr/bin/env node
// Validates the contracts and JSON artifacts of rendered cells under the given folders:
//   events/*.schema.json   compiled with ajv (+ ajv-formats); a sample event built from the
//                          schema's own constants is created with the `cloudevents` package
//                          (which enforces the CloudEvents 1.0 attribute rules) and must pass
//                          both; the same event with another tenant must be rejected;
//   gateway/*.openapi.*.json  an OpenAPI 3.0 document: version, info, paths with responses,
//                          every $ref resolves, every components.schemas entry compiles with
//                          ajv, and a sample ServiceInfo validates;
//   execution-metadata.json  every listed artifact exists and its sha256 matches its bytes;
//   other *.json           parse as JSON; functions/**/*.js compile (syntax).
// Usage: node contracts.js DIR...   exit 0 = all valid.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const vm = require('vm');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const { CloudEvent } = require('cloudevents');

function walk(p, out) {
	const st = fs.statSync(p);
	if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e), out);
	else out.push(p);
	return out;
}

function resolveRef(doc, ref) {
	if (!ref.startsWith('#/')) return undefined;
	return ref.slice(2).split('/').reduce((o, k) => (o === undefined ? o : o[k]), doc);
}

function refs(node, out) {
	if (Array.isArray(node)) node.forEach(n => refs(n, out));
	else if (node && typeof node === 'object')
		for (const [k, v] of Object.entries(node)) k === '$ref' ? out.push(v) : refs(v, out);
	return out;
}

function sampleEvent(schema) {
	const p = schema.properties, c = k => p[k] && p[k].const;
	return {
		specversion: c('specversion'), id: 'evt-123456', source: c('source'), type: c('type'),
		datacontenttype: c('datacontenttype'), time: '2025-05-11T13:35:22Z',
		tenantid: c('tenantid'), moduleid: c('moduleid'), traceid: '4bf92f3577b34da6a3ce929d0e0e4736',
		agentid: 'backend-developer', data: { tenantId: p.data.properties.tenantId.const },
	};
}

function main() {
	const files = [];
	for (const a of process.argv.slice(2)) walk(a, files);
	const errors = [];
	const n = { schemas: 0, events: 0, openapi: 0, metadata: 0, json: 0, js: 0 };
	for (const f of files) {
		const base = path.basename(f);
		if (/\.js$/.test(f) && f.includes('/functions/')) {
			n.js++;
			try { new vm.Script(fs.readFileSync(f, 'utf8'), { filename: f }); } catch (e) { errors.push(`${f}: ${e.message}`); }
			continue;
		}
		if (!/\.json$/.test(f)) continue;
		let doc;
		try { doc = JSON.parse(fs.readFileSync(f, 'utf8')); } catch (e) { errors.push(`${f}: JSON: ${e.message}`); continue; }
		n.json++;
		if (/\/events\/[^/]+\.schema\.json$/.test(f)) {
			n.schemas++;
			const ajv = new Ajv({ allErrors: true, strict: true });
			addFormats(ajv);
			let validate;
			try { validate = ajv.compile(doc); } catch (e) { errors.push(`${f}: ajv compile: ${e.message}`); continue; }
			if (doc.title !== base.replace(/\.schema\.json$/, '')) errors.push(`${f}: title does not name the event`);
			const ev = sampleEvent(doc);
			let ce;
			try {
				ce = new CloudEvent(ev);
				ce.validate();
			} catch (e) { errors.push(`${f}: cloudevents rejects the sample event: ${e.message}`); continue; }
			const wire = JSON.parse(JSON.stringify(ce));
			if (!validate(wire)) errors.push(`${f}: sample CloudEvent fails its schema: ${ajv.errorsText(validate.errors)}`);
			else n.events++;
			const other = Object.assign({}, wire, { tenantid: 'another-tenant' });
			if (validate(other)) errors.push(`${f}: an event of another tenant passes the schema`);
			const wrongType = Object.assign({}, wire, { type: wire.type.replace(/\.v(\d+)$/, (m, v) => `.v${+v + 1}`) });
			if (validate(wrongType)) errors.push(`${f}: an event of another version passes the schema`);
		} else if (/\.openapi\.[^/]+\.json$/.test(f)) {
			n.openapi++;
			if (!/^3\.0\.\d+$/.test(doc.openapi || '')) errors.push(`${f}: openapi must be 3.0.x`);
			if (!doc.info || !doc.info.title || !doc.info.version) errors.push(`${f}: info.title/version missing`);
			if (!doc.paths || !Object.keys(doc.paths).length) errors.push(`${f}: no paths`);
			for (const [p, item] of Object.entries(doc.paths || {})) {
				if (!p.startsWith('/')) errors.push(`${f}: path ${p} must start with /`);
				for (const [verb, op] of Object.entries(item))
					if (!op.responses || !Object.keys(op.responses).length) errors.push(`${f}: ${verb} ${p} has no responses`);
			}
			for (const r of refs(doc, [])) if (resolveRef(doc, r) === undefined) errors.push(`${f}: $ref ${r} does not resolve`);
			for (const req of [].concat(...Object.values(doc.paths || {}).map(i => Object.values(i).map(o => o.security || []))).flat())
				for (const s of Object.keys(req))
					if (!doc.components || !doc.components.securitySchemes || !doc.components.securitySchemes[s])
						errors.push(`${f}: security scheme ${s} is not declared`);
			const ajv = new Ajv({ allErrors: true, strict: false });
			const schemas = (doc.components && doc.components.schemas) || {};
			for (const [name, s] of Object.entries(schemas)) {
				try { ajv.addSchema(s, `#/components/schemas/${name}`); ajv.compile(s); } catch (e) { errors.push(`${f}: schema ${name}: ${e.message}`); }
			}
			if (schemas.ServiceInfo) {
				const v = ajv.compile(schemas.ServiceInfo);
				if (!v({ module: 'M', version: '1.0.0', tenantId: 't' })) errors.push(`${f}: sample ServiceInfo rejected`);
				if (v({ module: 'M' })) errors.push(`${f}: incomplete ServiceInfo accepted`);
			}
		} else if (base === 'execution-metadata.json') {
			n.metadata++;
			const dir = path.dirname(f);
			for (const k of ['module', 'version', 'tenant', 'environment', 'provider', 'blueprintHash', 'infraHash', 'generatedBy'])
				if (!doc[k]) errors.push(`${f}: ${k} missing`);
			for (const a of doc.artifacts || []) {
				const p = path.join(dir, a.path);
				if (!fs.existsSync(p)) { errors.push(`${f}: listed artifact ${a.path} missing`); continue; }
				const bytes = fs.readFileSync(p);
				const h = crypto.createHash('sha256').update(bytes).digest('hex');
				if (h !== a.sha256) errors.push(`${f}: sha256 of ${a.path} does not match`);
				if (bytes.length !== a.bytes) errors.push(`${f}: size of ${a.path} does not match`);
			}
			const listed = new Set((doc.artifacts || []).map(a => a.path));
			for (const g of walk(dir, []).map(x => path.relative(dir, x)))
				if (g !== 'execution-metadata.json' && !listed.has(g)) errors.push(`${f}: ${g} is not listed`);
		}
	}
	console.log(`schemas ${n.schemas} (sample events ${n.events}), OpenAPI ${n.openapi}, metadata ${n.metadata}, ` +
		`JSON ${n.json}, JS ${n.js}: ${errors.length} errors`);
	if (errors.length) {
		for (const e of errors.slice(0, 60)) console.error(e);
		process.exit(1);
	}
	if (!n.schemas || !n.openapi || !n.metadata) { console.error('nothing to validate'); process.exit(1); }
}
main();
