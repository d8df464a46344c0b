/* Cloud infrastructure per provider (iac/): Bicep for azure, CloudFormation (YAML) for aws,
 * Terraform (HCL) for gcp. Each declares the module's workload identity federated with its
 * Kubernetes service account, read access to its secrets in the provider's store (names and
 * references only: a database password is a store reference such as
 * {{resolve:secretsmanager:…}}, never a value), the database, queues/topics/subscriptions of its
 * triggers and events, storage, cache, the CDN/front door when api.cdn.enabled, and the function
 * deployment when function.enabled. Every resource carries the cost tags. Names are derived
 * from tenant, environment and module only, so re-rendering never renames anything. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/emit_yaml.h"
#include "core/render_int.h"
#include "core/sha256.h"

/* ==== shared ================================================================================ */

long long
rd_memory_mb(const char *s)
{
	char *end;
	long long v = strtoll(s ? s : "256", &end, 10);

	if (!strcmp(end, "Gi") || !strcmp(end, "G"))
		v *= 1024;
	return v > 0 ? v : 256;
}

long long
rd_max_attempts(struct rd_model *m)
{
	long long v;

	return csf_node_int(csf_effective_get(m->eff, "resilience.retries.maxAttempts"), &v) && v > 0 ? v : 5;
}

/* Queues the module consumes directly: queueLength triggers and function sources. */
size_t
rd_queues(struct rd_model *m, const char **out, size_t cap)
{
	size_t i, j, n = 0;

	for (i = 0; i < m->ntrig + m->nfn_sources && n < cap; i++) {
		const char *q = i < m->ntrig ? (!strcmp(m->trig[i].type, "queueLength")
							? (m->trig[i].queue ? m->trig[i].queue : m->name) : NULL)
					     : m->fn_sources[i - m->ntrig];
		bool dup = false;

		if (!q)
			continue;
		for (j = 0; j < n; j++)
			dup |= !strcmp(rd_dns(m, out[j]), rd_dns(m, q));
		if (!dup)
			out[n++] = q;
	}
	return n;
}

bool
rd_production(const struct rd_model *m)
{
	return !strcmp(m->env, "production");
}

const char *
rd_db_name(struct rd_model *m)
{
	const char *s = m->tenant_schema ? rd_fmt(m, "%s_%s", m->name, m->tenant) : m->name;
	char *p = (char *)(uintptr_t)s;

	for (; *p; p++)
		if (*p == '-')
			*p = '_';
	return s;
}

const char *
rd_short_name(struct rd_model *m, const char *prefix, size_t maxlen)
{
	char hex[65];
	const char *seed = rd_fmt(m, "%s/%s/%s", m->tenant, m->env, m->name);
	size_t n = strlen(m->name), room = maxlen - strlen(prefix) - 9;

	csf_sha256_hex(seed, strlen(seed), hex);
	if (n > room)
		n = room;
	while (n && m->name[n - 1] == '-')
		n--;
	return rd_fmt(m, "%s%.*s-%.8s", prefix, (int)n, m->name, hex);
}

/* ==== Bicep ================================================================================= */

static void
bq(struct csf_buf *b, const char *s)
{
	csf_buf_addch(b, '\'');
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			csf_buf_addch(b, '\\');
		if (*s == '$' && s[1] == '{')
			csf_buf_addch(b, '\\');
		csf_buf_addch(b, *s);
	}
	csf_buf_addch(b, '\'');
}

static void
bkv(struct csf_buf *b, int ind, const char *key, const char *v)
{
	csf_buf_addchars(b, ' ', (size_t)ind);
	csf_buf_addf(b, "%s: ", key);
	bq(b, v);
	csf_buf_addch(b, '\n');
}

static void
bres(struct csf_buf *b, const char *sym, const char *type, const char *name, const char *parent)
{
	csf_buf_addf(b, "\nresource %s '%s' = {\n", sym, type);
	if (parent)
		csf_buf_addf(b, "  parent: %s\n", parent);
	if (name)
		bkv(b, 2, "name", name);
}

static void
brole(struct csf_buf *b, const char *sym, const char *scope, const char *role_id, const char *what)
{
	csf_buf_addf(b, "\n// %s\nresource %s 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n"
			"  name: guid(%s.id, identity.id, '%s')\n  scope: %s\n  properties: {\n"
			"    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '%s')\n"
			"    principalId: identity.properties.principalId\n"
			"    principalType: 'ServicePrincipal'\n  }\n}\n",
		     what, sym, scope, role_id, scope, role_id);
}

static const char *
fx_version(struct rd_model *m)
{
	const char *r = m->fn_runtime, *d = r;

	while (*d && (*d < '0' || *d > '9'))
		d++;
	if (!strncmp(r, "python", 6))
		return rd_fmt(m, "Python|%s", *d ? d : "3.12");
	if (!strncmp(r, "dotnet", 6))
		return "DOTNET-ISOLATED|8.0";
	if (!strncmp(r, "java", 4))
		return "Java|21";
	return rd_fmt(m, "Node|%.*s", (int)strspn(d, "0123456789"), *d ? d : "20");
}

static void
bicep(struct rd_model *m)
{
	struct csf_buf *b = rd_add(m, CSF_FAMILY_IAC, "Bicep", "iac/azure/main.bicep");
	const char *q[16];
	size_t nq = rd_queues(m, q, 16), i;
	bool bus = m->queue_tech && !strcmp(m->queue_tech, "azure-service-bus");
	bool storage = (m->storage && !strcmp(m->storage, "azure-blob")) || m->function;
	const char *st_name = rd_short_name(m, "st", 24);
	char *p;

	/* Storage account names: 3–24 lower-case letters and digits only. */
	for (p = (char *)(uintptr_t)st_name; *p; p++)
		if (*p == '-')
			memmove(p, p + 1, strlen(p)), p--;
	csf_buf_addf(b, "// %s %s: tenant %s, environment %s (azure).\n"
			"// Generated by %s; change the blueprint and re-render instead of editing.\n"
			"targetScope = 'resourceGroup'\n\n",
		     m->module, m->version, m->tenant, m->env, m->generated_by);
	csf_buf_addf(b, "@description('Region of every resource')\nparam location string = '%s'\n\n"
			"@description('OIDC issuer URL of the AKS cluster (workload identity federation)')\n"
			"param aksOidcIssuer string\n", rd_region(m));
	if (m->cdn)
		csf_buf_addstr(b, "\n@description('Host name of the origin behind Front Door')\n"
				  "param originHostName string\n");
	if (m->database && !strcmp(m->database, "mysql"))
		csf_buf_addstr(b, "\n@secure()\n@description('MySQL administrator password (from the pipeline\\'s secret store)')\n"
				  "param mysqlAdminPassword string\n");
	csf_buf_addstr(b, "\nvar tags = {\n");
	for (i = 0; i < m->ntags; i++) {
		csf_buf_addstr(b, "  ");
		bq(b, m->tags[i].key);
		csf_buf_addstr(b, ": ");
		bq(b, m->tags[i].value);
		csf_buf_addch(b, '\n');
	}
	csf_buf_addstr(b, "}\n");

	bres(b, "identity", "Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31",
	     m->cloud_identity, NULL);
	csf_buf_addstr(b, "  location: location\n  tags: tags\n}\n");
	bres(b, "federation", "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31",
	     rd_fmt(m, "aks-%s-%s", m->tenant, m->sa_name), "identity");
	csf_buf_addstr(b, "  properties: {\n    issuer: aksOidcIssuer\n");
	bkv(b, 4, "subject", rd_fmt(m, "system:serviceaccount:%s:%s", m->tenant, m->sa_name));
	csf_buf_addstr(b, "    audiences: [\n      'api://AzureADTokenExchange'\n    ]\n  }\n}\n");

	/* The tenant's vault: identical in every module's template, so deployments converge. */
	bres(b, "vault", "Microsoft.KeyVault/vaults@2023-07-01", rd_vault(m), NULL);
	csf_buf_addf(b, "  location: location\n  tags: tags\n  properties: {\n"
			"    tenantId: subscription().tenantId\n    sku: {\n      family: 'A'\n      name: 'standard'\n    }\n"
			"    enableRbacAuthorization: true\n    enableSoftDelete: true\n"
			"    enablePurgeProtection: %s\n  }\n}\n", rd_production(m) ? "true" : "null");
	brole(b, "vaultSecretsUser", "vault", "4633458b-17de-408a-b874-0445c86b69e6",
	      "Key Vault Secrets User: read this module's secrets");

	if (m->database && !strcmp(m->database, "postgres")) {
		bres(b, "postgres", "Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01",
		     rd_short_name(m, "psql-", 63), NULL);
		csf_buf_addf(b, "  location: location\n  tags: tags\n  sku: {\n    name: '%s'\n    tier: '%s'\n  }\n"
				"  properties: {\n    version: '16'\n    storage: {\n      storageSizeGB: 32\n    }\n"
				"    authConfig: {\n      activeDirectoryAuth: 'Enabled'\n      passwordAuth: 'Disabled'\n"
				"      tenantId: subscription().tenantId\n    }\n"
				"    highAvailability: {\n      mode: '%s'\n    }\n  }\n}\n",
			     rd_production(m) ? "Standard_D2ds_v5" : "Standard_B1ms",
			     rd_production(m) ? "GeneralPurpose" : "Burstable",
			     rd_production(m) ? "ZoneRedundant" : "Disabled");
		bres(b, "postgresDb", "Microsoft.DBforPostgreSQL/flexibleServers/databases@2022-12-01",
		     rd_db_name(m), "postgres");
		csf_buf_addstr(b, "  properties: {\n    charset: 'UTF8'\n    collation: 'en_US.utf8'\n  }\n}\n");
		bres(b, "postgresAdmin", "Microsoft.DBforPostgreSQL/flexibleServers/administrators@2022-12-01",
		     NULL, "postgres");
		csf_buf_addstr(b, "  name: identity.properties.principalId\n  properties: {\n"
				  "    principalType: 'ServicePrincipal'\n    principalName: identity.name\n"
				  "    tenantId: subscription().tenantId\n  }\n}\n");
	} else if (m->database && !strcmp(m->database, "mysql")) {
		bres(b, "mysql", "Microsoft.DBforMySQL/flexibleServers@2023-06-30", rd_short_name(m, "mysql-", 63), NULL);
		csf_buf_addstr(b, "  location: location\n  tags: tags\n  sku: {\n    name: 'Standard_B1ms'\n"
				  "    tier: 'Burstable'\n  }\n  properties: {\n    version: '8.0.21'\n"
				  "    administratorLogin: 'csfadmin'\n    administratorLoginPassword: mysqlAdminPassword\n"
				  "    storage: {\n      storageSizeGB: 32\n    }\n  }\n}\n");
		bres(b, "mysqlDb", "Microsoft.DBforMySQL/flexibleServers/databases@2023-06-30", rd_db_name(m), "mysql");
		csf_buf_addstr(b, "  properties: {\n    charset: 'utf8mb4'\n  }\n}\n");
	} else if (m->database && !strcmp(m->database, "cosmos")) {
		bres(b, "cosmos", "Microsoft.DocumentDB/databaseAccounts@2023-11-15", rd_short_name(m, "cosmos-", 44), NULL);
		csf_buf_addstr(b, "  location: location\n  tags: tags\n  kind: 'GlobalDocumentDB'\n  properties: {\n"
				  "    databaseAccountOfferType: 'Standard'\n    disableLocalAuth: true\n"
				  "    locations: [\n      {\n        locationName: location\n        failoverPriority: 0\n"
				  "      }\n    ]\n  }\n}\n");
		bres(b, "cosmosDb", "Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2023-11-15", rd_db_name(m), "cosmos");
		csf_buf_addf(b, "  properties: {\n    resource: {\n      id: '%s'\n    }\n  }\n}\n", rd_db_name(m));
		bres(b, "cosmosData", "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2023-11-15", NULL, "cosmos");
		csf_buf_addstr(b, "  name: guid(cosmos.id, identity.id, 'data-contributor')\n  properties: {\n"
				  "    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002'\n"
				  "    principalId: identity.properties.principalId\n    scope: cosmos.id\n  }\n}\n");
	} else if (m->database) {
		rd_warn(m, "database '%s' has no azure rendering", m->database);
	}

	if (bus) {
		bres(b, "serviceBus", "Microsoft.ServiceBus/namespaces@2022-10-01-preview", rd_sb_namespace(m), NULL);
		csf_buf_addf(b, "  location: location\n  tags: tags\n  sku: {\n    name: '%s'\n    tier: '%s'\n  }\n"
				"  properties: {\n    disableLocalAuth: true\n    minimumTlsVersion: '1.2'\n  }\n}\n",
			     "Standard", "Standard");
		for (i = 0; i < nq; i++) {
			bres(b, rd_fmt(m, "queue%zu", i), "Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview",
			     rd_queue(m, q[i]), "serviceBus");
			csf_buf_addf(b, "  properties: {\n    maxDeliveryCount: %lld\n    lockDuration: 'PT1M'\n"
					"    deadLetteringOnMessageExpiration: true\n  }\n}\n", rd_max_attempts(m));
		}
		for (i = 0; i < m->nemits; i++) {
			bres(b, rd_fmt(m, "topic%zu", i), "Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview",
			     rd_topic(m, m->emits[i]), "serviceBus");
			csf_buf_addstr(b, "  properties: {\n    supportOrdering: true\n  }\n}\n");
		}
		for (i = 0; i < m->nconsumes; i++) {
			bres(b, rd_fmt(m, "consumedTopic%zu", i), "Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview",
			     rd_topic(m, m->consumes[i]), "serviceBus");
			csf_buf_addstr(b, "  properties: {\n    supportOrdering: true\n  }\n}\n");
			bres(b, rd_fmt(m, "subscription%zu", i),
			     "Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview", m->name,
			     rd_fmt(m, "consumedTopic%zu", i));
			csf_buf_addf(b, "  properties: {\n    maxDeliveryCount: %lld\n"
					"    deadLetteringOnMessageExpiration: true\n  }\n}\n", rd_max_attempts(m));
		}
		brole(b, "busSender", "serviceBus", "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", "Service Bus Data Sender");
		brole(b, "busReceiver", "serviceBus", "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", "Service Bus Data Receiver");
	}

	if (storage) {
		bres(b, "storage", "Microsoft.Storage/storageAccounts@2023-01-01", st_name, NULL);
		csf_buf_addf(b, "  location: location\n  tags: tags\n  kind: 'StorageV2'\n  sku: {\n    name: '%s'\n  }\n"
				"  properties: {\n    allowBlobPublicAccess: false\n    allowSharedKeyAccess: false\n"
				"    minimumTlsVersion: 'TLS1_2'\n    supportsHttpsTrafficOnly: true\n  }\n}\n",
			     m->storage_class && !strcmp(m->storage_class, "premium") ? "Standard_ZRS" : "Standard_LRS");
		bres(b, "blobService", "Microsoft.Storage/storageAccounts/blobServices@2023-01-01", "default", "storage");
		csf_buf_addstr(b, "}\n");
		bres(b, "container", "Microsoft.Storage/storageAccounts/blobServices/containers@2023-01-01",
		     m->name, "blobService");
		csf_buf_addstr(b, "  properties: {\n    publicAccess: 'None'\n  }\n}\n");
		brole(b, "blobContributor", "storage", "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
		      "Storage Blob Data Contributor");
	}

	if (m->cache) {
		bres(b, "cache", "Microsoft.Cache/redis@2023-08-01", rd_short_name(m, "redis-", 63), NULL);
		csf_buf_addf(b, "  location: location\n  tags: tags\n  properties: {\n    sku: {\n      name: '%s'\n"
				"      family: 'C'\n      capacity: %d\n    }\n    enableNonSslPort: false\n"
				"    minimumTlsVersion: '1.2'\n    redisConfiguration: {\n      'aad-enabled': 'true'\n"
				"    }\n  }\n}\n", rd_production(m) ? "Standard" : "Basic", rd_production(m) ? 1 : 0);
	}

	if (m->cdn) {
		bres(b, "frontDoor", "Microsoft.Cdn/profiles@2023-05-01", rd_short_name(m, "afd-", 60), NULL);
		csf_buf_addstr(b, "  location: 'global'\n  tags: tags\n  sku: {\n    name: 'Standard_AzureFrontDoor'\n  }\n}\n");
		bres(b, "frontDoorEndpoint", "Microsoft.Cdn/profiles/afdEndpoints@2023-05-01",
		     rd_short_name(m, "fde-", 46), "frontDoor");
		csf_buf_addstr(b, "  location: 'global'\n  tags: tags\n  properties: {\n    enabledState: 'Enabled'\n  }\n}\n");
		bres(b, "originGroup", "Microsoft.Cdn/profiles/originGroups@2023-05-01", "origin", "frontDoor");
		csf_buf_addstr(b, "  properties: {\n    loadBalancingSettings: {\n      sampleSize: 4\n"
				  "      successfulSamplesRequired: 3\n    }\n    healthProbeSettings: {\n");
		bkv(b, 6, "probePath", m->readiness);
		csf_buf_addstr(b, "      probeProtocol: 'Https'\n      probeRequestType: 'GET'\n"
				  "      probeIntervalInSeconds: 60\n    }\n  }\n}\n");
		bres(b, "origin", "Microsoft.Cdn/profiles/originGroups/origins@2023-05-01", "primary", "originGroup");
		csf_buf_addstr(b, "  properties: {\n    hostName: originHostName\n    originHostHeader: originHostName\n"
				  "    httpsPort: 443\n    priority: 1\n    weight: 1000\n  }\n}\n");
		bres(b, "route", "Microsoft.Cdn/profiles/afdEndpoints/routes@2023-05-01", "default", "frontDoorEndpoint");
		csf_buf_addstr(b, "  properties: {\n    originGroup: {\n      id: originGroup.id\n    }\n"
				  "    supportedProtocols: [\n      'Https'\n    ]\n    patternsToMatch: [\n");
		csf_buf_addstr(b, "      ");
		bq(b, strcmp(m->route_prefix, "/") ? rd_fmt(m, "%s/*", m->route_prefix) : "/*");
		csf_buf_addstr(b, "\n    ]\n    forwardingProtocol: 'HttpsOnly'\n    httpsRedirect: 'Enabled'\n"
				  "    linkToDefaultDomain: 'Enabled'\n  }\n  dependsOn: [\n    origin\n  ]\n}\n");
	}

	if (m->function) {
		bres(b, "functionPlan", "Microsoft.Web/serverfarms@2023-01-01", rd_short_name(m, "plan-", 40), NULL);
		csf_buf_addstr(b, "  location: location\n  tags: tags\n  kind: 'functionapp'\n  sku: {\n"
				  "    name: 'Y1'\n    tier: 'Dynamic'\n  }\n  properties: {\n    reserved: true\n  }\n}\n");
		bres(b, "functionApp", "Microsoft.Web/sites@2023-01-01", rd_short_name(m, "func-", 60), NULL);
		csf_buf_addstr(b, "  location: location\n  tags: tags\n  kind: 'functionapp,linux'\n  identity: {\n"
				  "    type: 'UserAssigned'\n    userAssignedIdentities: {\n      '${identity.id}': {}\n"
				  "    }\n  }\n  properties: {\n    serverFarmId: functionPlan.id\n    httpsOnly: true\n"
				  "    keyVaultReferenceIdentity: identity.id\n    siteConfig: {\n");
		bkv(b, 6, "linuxFxVersion", fx_version(m));
		csf_buf_addstr(b, "      minTlsVersion: '1.2'\n      appSettings: [\n");
		csf_buf_addf(b, "        {\n          name: 'FUNCTIONS_EXTENSION_VERSION'\n          value: '~4'\n        }\n"
				"        {\n          name: 'FUNCTIONS_WORKER_RUNTIME'\n          value: '%s'\n        }\n"
				"        {\n          name: 'AzureWebJobsStorage__accountName'\n          value: storage.name\n        }\n"
				"        {\n          name: 'AzureWebJobsStorage__credential'\n          value: 'managedidentity'\n        }\n"
				"        {\n          name: 'AzureWebJobsStorage__clientId'\n          value: identity.properties.clientId\n        }\n",
			     !strncmp(m->fn_runtime, "python", 6) ? "python" : "node");
		if (bus)
			csf_buf_addstr(b, "        {\n          name: 'ServiceBusConnection__fullyQualifiedNamespace'\n"
					  "          value: '${serviceBus.name}.servicebus.windows.net'\n        }\n"
					  "        {\n          name: 'ServiceBusConnection__credential'\n          value: 'managedidentity'\n        }\n"
					  "        {\n          name: 'ServiceBusConnection__clientId'\n          value: identity.properties.clientId\n        }\n");
		csf_buf_addstr(b, "        {\n          name: 'CSF_TENANT_ID'\n");
		bkv(b, 10, "value", m->tenant);
		csf_buf_addstr(b, "        }\n      ]\n    }\n  }\n}\n");
	}
	csf_buf_addstr(b, "\noutput clientId string = identity.properties.clientId\n"
			  "output principalId string = identity.properties.principalId\n");
}

/* ==== CloudFormation ======================================================================== */

static void
cfn_tags(struct rd_model *m, struct csf_buf *b, int ind, bool map)
{
	size_t i;

	csf_ey_k(b, ind, "Tags");
	for (i = 0; i < m->ntags; i++) {
		if (map) {
			csf_ey_kv(b, ind + 2, m->tags[i].key, m->tags[i].value);
			continue;
		}
		csf_ey_item_kv(b, ind + 2, "Key", m->tags[i].key);
		csf_ey_kv(b, ind + 4, "Value", m->tags[i].value);
	}
}

static void
cfn_res(struct csf_buf *b, const char *id, const char *type)
{
	csf_ey_k(b, 2, id);
	csf_ey_kv(b, 4, "Type", type);
}

static void
cfn_sub(struct csf_buf *b, int ind, const char *key, const char *v)
{
	csf_ey_k(b, ind, key);
	csf_ey_kv(b, ind + 2, "Fn::Sub", v);
}

static void
cfn_getatt(struct csf_buf *b, int ind, const char *key, const char *res, const char *attr)
{
	csf_ey_k(b, ind, key);
	csf_ey_k(b, ind + 2, "Fn::GetAtt");
	csf_ey_item(b, ind + 4, res);
	csf_ey_item(b, ind + 4, attr);
}

static void
cfn_statement(struct csf_buf *b, const char *const *actions, size_t n, const char *resource_sub)
{
	size_t i;

	csf_ey_item_kv(b, 14, "Effect", "Allow");
	csf_ey_k(b, 16, "Action");
	for (i = 0; i < n; i++)
		csf_ey_item(b, 18, actions[i]);
	cfn_sub(b, 16, "Resource", resource_sub);
}

static void
cloudformation(struct rd_model *m)
{
	struct csf_buf *b = rd_add(m, CSF_FAMILY_IAC, "CloudFormation", "iac/aws/stack.yaml");
	static const char *const sec[] = { "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret" };
	static const char *const sqs[] = { "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
					   "sqs:ChangeMessageVisibility" };
	static const char *const sns[] = { "sns:Publish" };
	static const char *const s3[] = { "s3:GetObject", "s3:PutObject", "s3:DeleteObject" };
	const char *q[16];
	size_t nq = rd_queues(m, q, 16), i;
	bool bus = m->queue_tech && !strcmp(m->queue_tech, "sns-sqs");
	bool s3b = m->storage && !strcmp(m->storage, "s3");
	const char *prefix = rd_fmt(m, "%s/%s/%s", m->tenant, m->env, m->name);

	csf_buf_addf(b, "# %s %s: tenant %s, environment %s (aws).\n"
			"# Generated by %s; change the blueprint and re-render instead of editing.\n",
		     m->module, m->version, m->tenant, m->env, m->generated_by);
	csf_ey_kv(b, 0, "AWSTemplateFormatVersion", "2010-09-09");
	csf_ey_kv(b, 0, "Description", rd_fmt(m, "%s %s for tenant %s (%s)", m->module, m->version,
					       m->tenant, m->env));
	csf_ey_k(b, 0, "Parameters");
	csf_ey_k(b, 2, "OidcProviderArn");
	csf_ey_kv(b, 4, "Type", "String");
	csf_ey_kv(b, 4, "Description", "ARN of the EKS cluster's IAM OIDC identity provider");
	csf_ey_k(b, 2, "OidcProviderHost");
	csf_ey_kv(b, 4, "Type", "String");
	csf_ey_kv(b, 4, "Description", "Issuer of the EKS OIDC provider without https:// (oidc.eks.REGION.amazonaws.com/id/ID)");
	if (m->cdn) {
		csf_ey_k(b, 2, "OriginDomainName");
		csf_ey_kv(b, 4, "Type", "String");
		csf_ey_kv(b, 4, "Description", "Host name of the origin behind CloudFront");
	}
	if (m->function) {
		csf_ey_k(b, 2, "ArtifactBucket");
		csf_ey_kv(b, 4, "Type", "String");
		csf_ey_kv(b, 4, "Description", "S3 bucket holding the function package");
	}
	csf_ey_k(b, 0, "Resources");

	cfn_res(b, "WorkloadRole", "AWS::IAM::Role");
	csf_ey_k(b, 4, "Properties");
	csf_ey_kv(b, 6, "RoleName", m->cloud_identity);
	cfn_sub(b, 6, "AssumeRolePolicyDocument",
		rd_fmt(m, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
			  "\"Principal\":{\"Federated\":\"${OidcProviderArn}\"},"
			  "\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{"
			  "\"${OidcProviderHost}:sub\":\"system:serviceaccount:%s:%s\","
			  "\"${OidcProviderHost}:aud\":\"sts.amazonaws.com\"}}}]}", m->tenant, m->sa_name));
	csf_ey_k(b, 6, "Policies");
	csf_ey_item_kv(b, 8, "PolicyName", "workload");
	csf_ey_k(b, 10, "PolicyDocument");
	csf_ey_kv(b, 12, "Version", "2012-10-17");
	csf_ey_k(b, 12, "Statement");
	cfn_statement(b, sec, 2, rd_fmt(m, "arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:%s/*", prefix));
	if (bus && (nq || m->nconsumes))
		cfn_statement(b, sqs, 4, rd_fmt(m, "arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:%s-%s-*",
						 m->tenant, m->env));
	if (bus && m->nemits)
		cfn_statement(b, sns, 1, rd_fmt(m, "arn:aws:sns:${AWS::Region}:${AWS::AccountId}:%s-%s-*",
						 m->tenant, m->env));
	if (s3b) {
		csf_ey_item_kv(b, 14, "Effect", "Allow");
		csf_ey_k(b, 16, "Action");
		for (i = 0; i < 3; i++)
			csf_ey_item(b, 18, s3[i]);
		cfn_sub(b, 16, "Resource", rd_fmt(m, "${Bucket.Arn}/%s/*", m->tenant));
	}
	/* No Tags here: the cfn-lint resource specification predates tags on IAM roles. */

	if (bus) {
		for (i = 0; i < nq + m->nconsumes; i++) {
			const char *name = i < nq ? rd_queue(m, q[i])
						  : rd_queue(m, rd_fmt(m, "%s-%s", m->name, m->consumes[i - nq]));

			cfn_res(b, rd_fmt(m, "Queue%zuDlq", i), "AWS::SQS::Queue");
			csf_ey_k(b, 4, "Properties");
			csf_ey_kv(b, 6, "QueueName", rd_fmt(m, "%.76s-dlq", name));
			csf_ey_ki(b, 6, "MessageRetentionPeriod", 1209600);
			csf_ey_kv(b, 6, "KmsMasterKeyId", "alias/aws/sqs");
			cfn_tags(m, b, 6, false);
			cfn_res(b, rd_fmt(m, "Queue%zu", i), "AWS::SQS::Queue");
			csf_ey_k(b, 4, "Properties");
			csf_ey_kv(b, 6, "QueueName", rd_fmt(m, "%.80s", name));
			csf_ey_ki(b, 6, "VisibilityTimeout", (m->function ? m->fn_timeout : m->timeout_seconds) * 6);
			csf_ey_kv(b, 6, "KmsMasterKeyId", "alias/aws/sqs");
			csf_ey_k(b, 6, "RedrivePolicy");
			cfn_getatt(b, 8, "deadLetterTargetArn", rd_fmt(m, "Queue%zuDlq", i), "Arn");
			csf_ey_ki(b, 8, "maxReceiveCount", rd_max_attempts(m));
			cfn_tags(m, b, 6, false);
			if (i < nq)
				continue;
			cfn_res(b, rd_fmt(m, "Subscription%zu", i - nq), "AWS::SNS::Subscription");
			csf_ey_k(b, 4, "Properties");
			csf_ey_kv(b, 6, "Protocol", "sqs");
			cfn_sub(b, 6, "TopicArn", rd_fmt(m, "arn:aws:sns:${AWS::Region}:${AWS::AccountId}:%s",
							 rd_topic(m, m->consumes[i - nq])));
			cfn_getatt(b, 6, "Endpoint", rd_fmt(m, "Queue%zu", i), "Arn");
			csf_ey_kb(b, 6, "RawMessageDelivery", true);
			cfn_res(b, rd_fmt(m, "Queue%zuPolicy", i), "AWS::SQS::QueuePolicy");
			csf_ey_k(b, 4, "Properties");
			csf_ey_k(b, 6, "Queues");
			csf_ey_item_kv(b, 8, "Ref", rd_fmt(m, "Queue%zu", i));
			cfn_sub(b, 6, "PolicyDocument",
				rd_fmt(m, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
					  "\"Principal\":{\"Service\":\"sns.amazonaws.com\"},\"Action\":\"sqs:SendMessage\","
					  "\"Resource\":\"${Queue%zu.Arn}\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":"
					  "\"arn:aws:sns:${AWS::Region}:${AWS::AccountId}:%s\"}}}]}",
				       i, rd_topic(m, m->consumes[i - nq])));
		}
		for (i = 0; i < m->nemits; i++) {
			cfn_res(b, rd_fmt(m, "Topic%zu", i), "AWS::SNS::Topic");
			csf_ey_k(b, 4, "Properties");
			csf_ey_kv(b, 6, "TopicName", rd_topic(m, m->emits[i]));
			csf_ey_kv(b, 6, "KmsMasterKeyId", "alias/aws/sns");
			/* No Tags: the cfn-lint resource specification predates tags on SNS topics. */
		}
	}

	if (m->database && (!strcmp(m->database, "postgres") || !strcmp(m->database, "mysql"))) {
		bool pg = !strcmp(m->database, "postgres");
		const char *pw = rd_secret_key(m, "DB_PASSWORD");

		cfn_res(b, "Database", "AWS::RDS::DBInstance");
		csf_ey_kv(b, 4, "DeletionPolicy", "Snapshot");
		csf_ey_kv(b, 4, "UpdateReplacePolicy", "Snapshot");
		csf_ey_k(b, 4, "Properties");
		csf_ey_kv(b, 6, "DBInstanceIdentifier", rd_short_name(m, "db-", 63));
		csf_ey_kv(b, 6, "Engine", pg ? "postgres" : "mysql");
		csf_ey_kv(b, 6, "EngineVersion", pg ? "16.3" : "8.0.36");
		csf_ey_kv(b, 6, "DBInstanceClass", rd_production(m) ? "db.m6g.large" : "db.t4g.micro");
		csf_ey_kv(b, 6, "AllocatedStorage", "20");
		csf_ey_kv(b, 6, "StorageType", "gp3");
		csf_ey_kb(b, 6, "StorageEncrypted", true);
		csf_ey_kb(b, 6, "MultiAZ", rd_production(m));
		csf_ey_kb(b, 6, "PubliclyAccessible", false);
		csf_ey_kb(b, 6, "EnableIAMDatabaseAuthentication", true);
		csf_ey_kv(b, 6, "DBName", rd_ident(m, rd_db_name(m)));
		csf_ey_kv(b, 6, "MasterUsername", "csfadmin");
		/* A dynamic reference: CloudFormation reads the store at deploy time. */
		csf_ey_kv(b, 6, "MasterUserPassword", rd_fmt(m, "{{resolve:secretsmanager:%s}}", pw));
		cfn_tags(m, b, 6, false);
	} else if (m->database && !strcmp(m->database, "dynamodb")) {
		cfn_res(b, "Table", "AWS::DynamoDB::Table");
		csf_ey_k(b, 4, "Properties");
		csf_ey_kv(b, 6, "TableName", rd_fmt(m, "%s-%s-%s", m->tenant, m->env, m->name));
		csf_ey_kv(b, 6, "BillingMode", "PAY_PER_REQUEST");
		csf_ey_k(b, 6, "AttributeDefinitions");
		csf_ey_item_kv(b, 8, "AttributeName", "tenantId");
		csf_ey_kv(b, 10, "AttributeType", "S");
		csf_ey_item_kv(b, 8, "AttributeName", "id");
		csf_ey_kv(b, 10, "AttributeType", "S");
		csf_ey_k(b, 6, "KeySchema");
		csf_ey_item_kv(b, 8, "AttributeName", "tenantId");
		csf_ey_kv(b, 10, "KeyType", "HASH");
		csf_ey_item_kv(b, 8, "AttributeName", "id");
		csf_ey_kv(b, 10, "KeyType", "RANGE");
		csf_ey_k(b, 6, "SSESpecification");
		csf_ey_kb(b, 8, "SSEEnabled", true);
		csf_ey_k(b, 6, "PointInTimeRecoverySpecification");
		csf_ey_kb(b, 8, "PointInTimeRecoveryEnabled", true);
		cfn_tags(m, b, 6, false);
	} else if (m->database) {
		rd_warn(m, "database '%s' has no aws rendering", m->database);
	}

	if (s3b) {
		cfn_res(b, "Bucket", "AWS::S3::Bucket");
		csf_ey_k(b, 4, "Properties");
		csf_ey_k(b, 6, "BucketEncryption");
		csf_ey_k(b, 8, "ServerSideEncryptionConfiguration");
		csf_ey_item_k(b, 10, "ServerSideEncryptionByDefault");
		csf_ey_kv(b, 16, "SSEAlgorithm", "aws:kms");
		csf_ey_k(b, 6, "PublicAccessBlockConfiguration");
		csf_ey_kb(b, 8, "BlockPublicAcls", true);
		csf_ey_kb(b, 8, "BlockPublicPolicy", true);
		csf_ey_kb(b, 8, "IgnorePublicAcls", true);
		csf_ey_kb(b, 8, "RestrictPublicBuckets", true);
		csf_ey_k(b, 6, "VersioningConfiguration");
		csf_ey_kv(b, 8, "Status", "Enabled");
		cfn_tags(m, b, 6, false);
	}

	if (m->cache) {
		cfn_res(b, "Cache", "AWS::ElastiCache::ReplicationGroup");
		csf_ey_k(b, 4, "Properties");
		csf_ey_kv(b, 6, "ReplicationGroupDescription", rd_fmt(m, "%s cache (%s, %s)", m->module, m->tenant, m->env));
		csf_ey_kv(b, 6, "Engine", "redis");
		csf_ey_kv(b, 6, "CacheNodeType", rd_production(m) ? "cache.m6g.large" : "cache.t4g.micro");
		csf_ey_ki(b, 6, "NumCacheClusters", rd_production(m) ? 2 : 1);
		csf_ey_kb(b, 6, "AutomaticFailoverEnabled", rd_production(m));
		csf_ey_kb(b, 6, "TransitEncryptionEnabled", true);
		csf_ey_kb(b, 6, "AtRestEncryptionEnabled", true);
		cfn_tags(m, b, 6, false);
	}

	if (m->cdn) {
		cfn_res(b, "Distribution", "AWS::CloudFront::Distribution");
		csf_ey_k(b, 4, "Properties");
		csf_ey_k(b, 6, "DistributionConfig");
		csf_ey_kb(b, 8, "Enabled", true);
		csf_ey_kv(b, 8, "Comment", rd_fmt(m, "%s %s %s", m->name, m->tenant, m->env));
		csf_ey_kv(b, 8, "HttpVersion", "http2");
		csf_ey_kv(b, 8, "PriceClass", "PriceClass_100");
		csf_ey_k(b, 8, "Origins");
		csf_ey_item_kv(b, 10, "Id", "origin");
		csf_ey_k(b, 12, "DomainName");
		csf_ey_kv(b, 14, "Ref", "OriginDomainName");
		csf_ey_k(b, 12, "CustomOriginConfig");
		csf_ey_kv(b, 14, "OriginProtocolPolicy", "https-only");
		csf_ey_ki(b, 14, "HTTPSPort", 443);
		csf_ey_k(b, 8, "DefaultCacheBehavior");
		csf_ey_kv(b, 10, "TargetOriginId", "origin");
		csf_ey_kv(b, 10, "ViewerProtocolPolicy", "redirect-to-https");
		csf_ey_k(b, 10, "AllowedMethods");
		for (i = 0; i < 7; i++)
			csf_ey_item(b, 12, (const char *[]){ "GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST",
							      "DELETE" }[i]);
		csf_ey_k(b, 10, "ForwardedValues");
		csf_ey_kb(b, 12, "QueryString", true);
		csf_ey_k(b, 12, "Headers");
		csf_ey_item(b, 14, "Authorization");
		csf_ey_item(b, 14, "api-version");
		cfn_tags(m, b, 6, false);
	}

	if (m->function) {
		cfn_res(b, "FunctionRole", "AWS::IAM::Role");
		csf_ey_k(b, 4, "Properties");
		csf_ey_k(b, 6, "AssumeRolePolicyDocument");
		csf_ey_kv(b, 8, "Version", "2012-10-17");
		csf_ey_k(b, 8, "Statement");
		csf_ey_item_kv(b, 10, "Effect", "Allow");
		csf_ey_k(b, 12, "Principal");
		csf_ey_k(b, 14, "Service");
		csf_ey_item(b, 16, "lambda.amazonaws.com");
		csf_ey_k(b, 12, "Action");
		csf_ey_item(b, 14, "sts:AssumeRole");
		csf_ey_k(b, 6, "ManagedPolicyArns");
		csf_ey_item(b, 8, "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole");
		csf_ey_k(b, 6, "Policies");
		csf_ey_item_kv(b, 8, "PolicyName", "secrets");
		csf_ey_k(b, 10, "PolicyDocument");
		csf_ey_kv(b, 12, "Version", "2012-10-17");
		csf_ey_k(b, 12, "Statement");
		cfn_statement(b, sec, 2, rd_fmt(m, "arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:%s/*", prefix));
		cfn_res(b, "Function", "AWS::Lambda::Function");
		csf_ey_k(b, 4, "Properties");
		csf_ey_kv(b, 6, "FunctionName", rd_short_name(m, "fn-", 64));
		csf_ey_kv(b, 6, "Runtime", m->fn_runtime);
		csf_ey_kv(b, 6, "Handler", !strncmp(m->fn_runtime, "python", 6) ? "handler.handler" : "index.handler");
		cfn_getatt(b, 6, "Role", "FunctionRole", "Arn");
		csf_ey_ki(b, 6, "MemorySize", rd_memory_mb(m->fn_memory));
		csf_ey_ki(b, 6, "Timeout", m->fn_timeout > 900 ? 900 : m->fn_timeout);
		csf_ey_k(b, 6, "Code");
		csf_ey_k(b, 8, "S3Bucket");
		csf_ey_kv(b, 10, "Ref", "ArtifactBucket");
		csf_ey_kv(b, 8, "S3Key", rd_fmt(m, "functions/%s/%s.zip", m->name, m->version));
		csf_ey_k(b, 6, "Environment");
		csf_ey_k(b, 8, "Variables");
		csf_ey_kv(b, 10, "CSF_ENVIRONMENT", m->env);
		csf_ey_kv(b, 10, "CSF_MODULE", m->module);
		csf_ey_kv(b, 10, "CSF_TENANT_ID", m->tenant);
		csf_ey_k(b, 6, "TracingConfig");
		csf_ey_kv(b, 8, "Mode", "Active");
		cfn_tags(m, b, 6, false);
		if (bus && nq) {
			cfn_res(b, "FunctionTrigger", "AWS::Lambda::EventSourceMapping");
			csf_ey_k(b, 4, "Properties");
			cfn_getatt(b, 6, "EventSourceArn", "Queue0", "Arn");
			csf_ey_k(b, 6, "FunctionName");
			csf_ey_kv(b, 8, "Ref", "Function");
			csf_ey_ki(b, 6, "BatchSize", 10);
		}
	}
	csf_ey_k(b, 0, "Outputs");
	csf_ey_k(b, 2, "WorkloadRoleArn");
	cfn_getatt(b, 4, "Value", "WorkloadRole", "Arn");
}

void
rd_iac(struct rd_model *m)
{
	if (!strcmp(m->provider, "azure"))
		bicep(m);
	else if (!strcmp(m->provider, "aws"))
		cloudformation(m);
	else
		rd_terraform(m);
}
