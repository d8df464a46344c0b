#!/usr/bin/env node
// Validates generated cloud IaC under the given folders (walked recursively):
//   iac/aws/*.yaml   CloudFormation through the cfn-lint package (its resource specification:
//                    resource types, required and known properties, value types, references);
//   iac/gcp/*.tf     Terraform through @cdktf/hcl2json (the HCL parser Terraform uses, compiled
//                    to wasm), then structural checks on the parsed JSON: every resource has a
//                    google_* type, referenced var.* are declared, the provider block is present;
//   iac/azure/*.bicep  Bicep has no compiler here, so a structural test: balanced braces,
//                    brackets, parentheses and quotes (outside strings and comments); every
//                    declared param is used; every resource type@apiVersion is from the known list
//                    below; symbolic names are unique; `parent:` and references name declared
//                    symbols; outputs reference declared symbols.
// Usage: node iac-check.js DIR...   exit 0 = all valid; prints a summary.
'use strict';
const fs = require('fs');
const path = require('path');

const BICEP_TYPES = new Set([
	'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31',
	'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31',
	'Microsoft.KeyVault/vaults@2023-07-01',
	'Microsoft.Authorization/roleAssignments@2022-04-01',
	'Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01',
	'Microsoft.DBforPostgreSQL/flexibleServers/databases@2022-12-01',
	'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2022-12-01',
	'Microsoft.DBforMySQL/flexibleServers@2023-06-30',
	'Microsoft.DBforMySQL/flexibleServers/databases@2023-06-30',
	'Microsoft.DocumentDB/databaseAccounts@2023-11-15',
	'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2023-11-15',
	'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2023-11-15',
	'Microsoft.ServiceBus/namespaces@2022-10-01-preview',
	'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview',
	'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview',
	'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview',
	'Microsoft.Storage/storageAccounts@2023-01-01',
	'Microsoft.Storage/storageAccounts/blobServices@2023-01-01',
	'Microsoft.Storage/storageAccounts/blobServices/containers@2023-01-01',
	'Microsoft.Cache/redis@2023-08-01',
	'Microsoft.Cdn/profiles@2023-05-01',
	'Microsoft.Cdn/profiles/afdEndpoints@2023-05-01',
	'Microsoft.Cdn/profiles/afdEndpoints/routes@2023-05-01',
	'Microsoft.Cdn/profiles/originGroups@2023-05-01',
	'Microsoft.Cdn/profiles/originGroups/origins@2023-05-01',
	'Microsoft.Web/serverfarms@2023-01-01',
	'Microsoft.Web/sites@2023-01-01',
]);
const BICEP_FUNCS = new Set(['guid', 'subscription', 'subscriptionResourceId', 'resourceGroup']);
// Decorators (@description, @secure) are not function calls.

function walk(p, out) {
	const st = fs.statSync(p);
	if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e), out);
	else out.push(p);
	return out;
}

// Removes comments and string contents (keeping the quotes), so structure can be checked.
function stripBicep(text, errs) {
	let out = '', i = 0;
	while (i < text.length) {
		const c = text[i];
		if (c === '/' && text[i + 1] === '/') { while (i < text.length && text[i] !== '\n') i++; continue; }
		if (c === '/' && text[i + 1] === '*') { const e = text.indexOf('*/', i + 2); if (e < 0) { errs.push('unterminated comment'); break; } i = e + 2; continue; }
		if (c === "'") {
			let j = i + 1, s = '';
			while (j < text.length && text[j] !== "'" && text[j] !== '\n') {
				if (text[j] === '\\') { j += 2; continue; }
				if (text[j] === '$' && text[j + 1] === '{') { // interpolation: keep the expression
					const e = text.indexOf('}', j);
					s += ' ' + text.slice(j + 2, e) + ' ';
					j = e + 1;
					continue;
				}
				j++;
			}
			if (text[j] !== "'") { errs.push(`unterminated string at offset ${i}`); return out; }
			out += "''" + s;
			i = j + 1;
			continue;
		}
		out += c;
		i++;
	}
	return out;
}

function checkBicep(file, text) {
	const errs = [];
	const code = stripBicep(text, errs);
	const stack = [];
	const pairs = { '}': '{', ']': '[', ')': '(' };
	let line = 1;
	for (const c of code) {
		if (c === '\n') line++;
		if ('{[('.includes(c)) stack.push([c, line]);
		else if (pairs[c]) {
			const top = stack.pop();
			if (!top || top[0] !== pairs[c]) { errs.push(`line ${line}: unbalanced '${c}'`); break; }
		}
	}
	if (stack.length) errs.push(`unclosed '${stack[stack.length - 1][0]}' from line ${stack[stack.length - 1][1]}`);
	const params = [...text.matchAll(/^param\s+([A-Za-z_]\w*)\s+(string|int|bool|object|array)\b/gm)].map(m => m[1]);
	const vars = [...text.matchAll(/^var\s+([A-Za-z_]\w*)\s*=/gm)].map(m => m[1]);
	const res = [...text.matchAll(/^resource\s+([A-Za-z_]\w*)\s+'([^']+)'\s*(existing\s*)?=\s*\{/gm)];
	const outputs = [...text.matchAll(/^output\s+([A-Za-z_]\w*)\s+\w+\s*=\s*(.+)$/gm)];
	const syms = new Set([...params, ...vars, ...res.map(r => r[1])]);
	if (syms.size !== params.length + vars.length + res.length) errs.push('duplicate symbolic names');
	if (!/^targetScope\s*=\s*'resourceGroup'/m.test(text)) errs.push('targetScope missing');
	if (!res.length) errs.push('no resources');
	for (const r of res) if (!BICEP_TYPES.has(r[2])) errs.push(`resource ${r[1]}: type '${r[2]}' not in the known list`);
	// Every declared param is used outside its declaration.
	const body = code.replace(/^param\s.*$/gm, '');
	for (const p of params) if (!new RegExp(`\\b${p}\\b`).test(body)) errs.push(`param ${p} declared but not used`);
	// Identifiers used as references (x.id, x.name, x.properties, parent: x, dependsOn) must be declared.
	for (const m of code.matchAll(/\b([A-Za-z_]\w*)\.(id|name|properties)\b/g))
		if (!syms.has(m[1])) errs.push(`reference to undeclared '${m[1]}'`);
	for (const m of code.matchAll(/^\s*parent:\s*([A-Za-z_]\w*)\s*$/gm))
		if (!syms.has(m[1])) errs.push(`parent '${m[1]}' undeclared`);
	for (const m of code.matchAll(/^\s*scope:\s*([A-Za-z_]\w*)\s*$/gm))
		if (!syms.has(m[1])) errs.push(`scope '${m[1]}' undeclared`);
	for (const m of code.matchAll(/(?<![@\w])([A-Za-z_]\w*)\(/g))
		if (!BICEP_FUNCS.has(m[1])) errs.push(`unknown function '${m[1]}'`);
	for (const o of outputs) {
		const m = /^([A-Za-z_]\w*)/.exec(o[2]);
		if (!m || !syms.has(m[1])) errs.push(`output ${o[1]} references an undeclared symbol`);
	}
	// Child resources (type with more segments than the provider's root) need a parent.
	for (const r of res) {
		const segs = r[2].split('@')[0].split('/').length;
		const block = text.slice(r.index, text.indexOf('\n}\n', r.index));
		if (segs > 2 && !/\n\s*parent:/.test(block) && !r[2].startsWith('Microsoft.Authorization/'))
			errs.push(`child resource ${r[1]} has no parent`);
		if (!/\n\s*name:/.test(block)) errs.push(`resource ${r[1]} has no name`);
	}
	return errs.map(e => `${file}: ${e}`);
}

async function main() {
	const files = [];
	for (const a of process.argv.slice(2)) walk(a, files);
	const cfn = require('cfn-lint/lib/api');
	const hcl = require('@cdktf/hcl2json');
	const errors = [];
	const n = { cfn: 0, tf: 0, bicep: 0 };
	for (const f of files) {
		if (/\/iac\/aws\/[^/]+\.ya?ml$/.test(f)) {
			n.cfn++;
			const r = cfn.validateFile(f, { parameters: { OidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/x',
				OidcProviderHost: 'oidc.eks.eu-central-1.amazonaws.com/id/X', OriginDomainName: 'origin.example.com',
				ArtifactBucket: 'artifacts' } });
			for (const e of r.errors.crit || []) errors.push(`${f}: cfn-lint critical: ${e.message} (${e.path})`);
			if (!r.templateValid) errors.push(`${f}: cfn-lint: template not valid`);
		} else if (/\/iac\/gcp\/[^/]+\.tf$/.test(f)) {
			n.tf++;
			let j;
			try {
				j = await hcl.parse(path.basename(f), fs.readFileSync(f, 'utf8'));
			} catch (e) {
				errors.push(`${f}: hcl2json: ${String(e.message || e).slice(0, 300)}`);
				continue;
			}
			if (!j.provider || !j.provider.google) errors.push(`${f}: no google provider block`);
			if (!j.terraform) errors.push(`${f}: no terraform block`);
			const declared = new Set(Object.keys(j.variable || {}));
			const text = fs.readFileSync(f, 'utf8');
			for (const m of text.matchAll(/\bvar\.([A-Za-z_]\w*)/g))
				if (!declared.has(m[1])) errors.push(`${f}: var.${m[1]} is not declared`);
			const types = Object.keys(j.resource || {});
			if (!types.length) errors.push(`${f}: no resources`);
			for (const t of types) if (!t.startsWith('google_')) errors.push(`${f}: resource type ${t} is not a google_* type`);
			for (const m of text.matchAll(/\b(google_[a-z0-9_]+)\.([A-Za-z_]\w*)\.(id|name|email)\b/g))
				if (!(j.resource[m[1]] && j.resource[m[1]][m[2]])) errors.push(`${f}: reference to undeclared ${m[1]}.${m[2]}`);
		} else if (/\/iac\/azure\/[^/]+\.bicep$/.test(f)) {
			n.bicep++;
			errors.push(...checkBicep(f, fs.readFileSync(f, 'utf8')));
		}
	}
	console.log(`CloudFormation ${n.cfn}, Terraform ${n.tf}, Bicep ${n.bicep}: ${errors.length} errors`);
	if (errors.length) {
		for (const e of errors.slice(0, 60)) console.error(e);
		process.exit(1);
	}
	if (!n.cfn && !n.tf && !n.bicep) { console.error('no IaC files found'); process.exit(1); }
}
main().catch(e => { console.error(e); process.exit(2); });
