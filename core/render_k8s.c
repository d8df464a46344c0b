/* Kubernetes manifests of one cell: namespace, service account (workload identity), configmap,
 * SecretStore + ExternalSecret (provider store, names only), deployment, service, HPA or KEDA
 * ScaledObject (+ TriggerAuthentication), PDB, NetworkPolicy, and the kustomization that lists
 * them. Labels follow DESIGN §4; the namespace carries only tenant-level labels (it is shared by
 * every module of the tenant, so module labels on it would make cells overwrite each other). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/emit_yaml.h"
#include "core/render_int.h"
#include "core/sha256.h"

/* ==== names shared with other families ===================================================== */

const char *
rd_region(struct rd_model *m)
{
	if (m->region)
		return m->region;
	if (!strcmp(m->provider, "aws"))
		return "us-east-1";
	if (!strcmp(m->provider, "gcp"))
		return "europe-west1";
	return "westeurope";
}

const char *
rd_vault(struct rd_model *m)
{
	char hex[65];
	const char *seed = rd_fmt(m, "%s/%s", m->tenant, m->env);
	size_t n = strlen(m->tenant);

	csf_sha256_hex(seed, strlen(seed), hex);
	if (n > 12)
		n = 12;
	while (n && m->tenant[n - 1] == '-')
		n--;
	return rd_fmt(m, "kv-%.*s-%.8s", (int)n, m->tenant, hex);
}

/* Service Bus namespaces: 6–50 characters; long tenant names are cut and made unique. */
const char *
rd_sb_namespace(struct rd_model *m)
{
	const char *full = rd_fmt(m, "sb-%s-%s", m->tenant, m->env);
	char hex[65];

	if (strlen(full) <= 50)
		return full;
	csf_sha256_hex(full, strlen(full), hex);
	return rd_fmt(m, "sb-%.30s-%.8s", m->tenant, hex);
}

const char *
rd_queue(struct rd_model *m, const char *q)
{
	if (!strcmp(m->provider, "azure"))
		return rd_dns(m, q);	/* the namespace is per tenant and environment */
	return rd_fmt(m, "%s-%s-%s", m->tenant, m->env, rd_dns(m, q));
}

const char *
rd_topic(struct rd_model *m, const char *event)
{
	if (!strcmp(m->provider, "azure"))
		return rd_dns(m, event);
	return rd_fmt(m, "%s-%s-%s", m->tenant, m->env, rd_dns(m, event));
}

const char *
rd_secret_key(struct rd_model *m, const char *secret)
{
	if (!strcmp(m->provider, "aws"))
		return rd_fmt(m, "%s/%s/%s/%s", m->tenant, m->env, m->name, secret);
	if (!strcmp(m->provider, "gcp"))
		return rd_fmt(m, "%s-%s-%s-%s", m->tenant, m->env, m->name, rd_dns(m, secret));
	return rd_fmt(m, "%s-%s", m->name, rd_dns(m, secret));	/* the vault is per tenant+env */
}

long long
rd_uid(struct rd_model *m)
{
	if (!strcmp(m->stack, "static-spa"))
		return 101;
	if (!strcmp(m->stack, "go1.22"))
		return 65532;
	return 10001;
}

/* ==== objects ============================================================================== */

static void
head(struct csf_buf *b, const char *api, const char *kind)
{
	csf_ey_kv(b, 0, "apiVersion", api);
	csf_ey_kv(b, 0, "kind", kind);
}

static void
namespace(struct rd_model *m)
{
	struct csf_buf *b = rd_add(m, CSF_FAMILY_K8S, "Namespace", "k8s/namespace.yaml");

	head(b, "v1", "Namespace");
	csf_ey_k(b, 0, "metadata");
	csf_ey_kv(b, 2, "name", m->tenant);
	csf_ey_k(b, 2, "labels");
	csf_ey_kv(b, 4, "app.kubernetes.io/managed-by", "csf-tui");
	csf_ey_kv(b, 4, "csf.connectsoft.io/edition", rd_label(m, m->edition));
	csf_ey_kv(b, 4, "csf.connectsoft.io/environment", m->env);
	csf_ey_kv(b, 4, "csf.connectsoft.io/tenant", m->tenant);
	csf_ey_kv(b, 4, "kubernetes.io/metadata.name", m->tenant);
	csf_ey_kv(b, 4, "pod-security.kubernetes.io/enforce", "restricted");
}

static void
service_account(struct rd_model *m)
{
	struct csf_buf *b = rd_add(m, CSF_FAMILY_K8S, "ServiceAccount", "k8s/serviceaccount.yaml");

	head(b, "v1", "ServiceAccount");
	rd_meta(m, b, 0, m->sa_name, true);
	csf_ey_k(b, 2, "annotations");
	if (!strcmp(m->provider, "azure")) {
		/* ${…} are Flux post-build substitutions, listed in release.yaml. */
		csf_ey_kv(b, 4, "azure.workload.identity/client-id", "${AZURE_CLIENT_ID}");
		csf_ey_kv(b, 4, "azure.workload.identity/tenant-id", "${AZURE_TENANT_ID}");
		csf_ey_kv(b, 4, "csf.connectsoft.io/cloud-identity", m->cloud_identity);
	} else if (!strcmp(m->provider, "aws")) {
		csf_ey_kv(b, 4, "eks.amazonaws.com/role-arn",
			  rd_fmt(m, "arn:aws:iam::${AWS_ACCOUNT_ID}:role/%s", m->cloud_identity));
		csf_ey_kv(b, 4, "eks.amazonaws.com/sts-regional-endpoints", "true");
	} else {
		csf_ey_kv(b, 4, "iam.gke.io/gcp-service-account",
			  rd_fmt(m, "%s@${GCP_PROJECT_ID}.iam.gserviceaccount.com", m->cloud_identity));
	}
	csf_ey_kb(b, 0, "automountServiceAccountToken", true);
}

static bool
config_key_ok(const char *k)
{
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') ||
		      *k == '-' || *k == '_' || *k == '.'))
			return false;
	return true;
}

static void
configmap(struct rd_model *m, struct csf_buf *out)
{
	const struct csf_node *feat = csf_effective_get(m->eff, "features");
	struct csf_buf *b = rd_add(m, CSF_FAMILY_K8S, "ConfigMap", "k8s/configmap.yaml");
	struct csf_buf fl = CSF_BUF_INIT;
	size_t i;

	head(b, "v1", "ConfigMap");
	rd_meta(m, b, 0, rd_fmt(m, "%s-config", m->name), true);
	csf_ey_k(b, 0, "data");
	for (i = 0; i < m->nvalues; i++) {
		if (!config_key_ok(m->values[i].key)) {
			rd_warn(m, "configuration.values key '%s' is not a valid configmap key; left out",
				m->values[i].key);
			continue;
		}
		csf_ey_kv(b, 2, m->values[i].key, m->values[i].value);
	}
	for (i = 0; csf_node_is_seq(feat) && i < feat->n; i++)
		if (csf_node_str(feat->kids[i])) {
			if (fl.len)
				csf_buf_addch(&fl, ',');
			csf_buf_addstr(&fl, feat->kids[i]->str);
		}
	csf_ey_kv(b, 2, "CSF_EDITION", m->edition);
	csf_ey_kv(b, 2, "CSF_ENVIRONMENT", m->env);
	csf_ey_kv(b, 2, "CSF_FEATURES", fl.buf);
	csf_ey_kv(b, 2, "CSF_MODULE", m->module);
	csf_ey_kv(b, 2, "CSF_PROVIDER", m->provider);
	csf_ey_kv(b, 2, "CSF_SECRET_STORE", m->secret_store);
	csf_ey_kv(b, 2, "CSF_TENANT_ID", m->tenant);
	csf_ey_kvf(b, 2, "CSF_TIMEOUT_SECONDS", "%lld", m->timeout_seconds);
	if (m->queue_tech)
		csf_ey_kv(b, 2, "CSF_TRANSPORT", m->queue_tech);
	if (m->tracing) {
		csf_ey_kv(b, 2, "OTEL_RESOURCE_ATTRIBUTES",
			  rd_fmt(m, "tenantId=%s,moduleId=%s,deployment.environment=%s,service.version=%s",
				 m->tenant, m->module, m->env, m->version));
		csf_ey_kv(b, 2, "OTEL_SERVICE_NAME", m->name);
	}
	csf_buf_add(out, b->buf, b->len);	/* for the pod template's config checksum */
	csf_buf_release(&fl);
}

static void
secret_store(struct rd_model *m)
{
	struct csf_buf *b;
	size_t i;

	if (!m->nsecrets)
		return;
	b = rd_add(m, CSF_FAMILY_K8S, "SecretStore", "k8s/secretstore.yaml");
	head(b, "external-secrets.io/v1", "SecretStore");
	rd_meta(m, b, 0, rd_fmt(m, "%s-%s", m->name, m->secret_store), true);
	csf_ey_k(b, 0, "spec");
	csf_ey_k(b, 2, "provider");
	if (!strcmp(m->provider, "azure")) {
		csf_ey_k(b, 4, "azurekv");
		csf_ey_kv(b, 6, "authType", "WorkloadIdentity");
		csf_ey_kv(b, 6, "vaultUrl", rd_fmt(m, "https://%s.vault.azure.net", rd_vault(m)));
		csf_ey_k(b, 6, "serviceAccountRef");
		csf_ey_kv(b, 8, "name", m->sa_name);
	} else if (!strcmp(m->provider, "aws")) {
		csf_ey_k(b, 4, "aws");
		csf_ey_kv(b, 6, "service", "SecretsManager");
		csf_ey_kv(b, 6, "region", rd_region(m));
		csf_ey_k(b, 6, "auth");
		csf_ey_k(b, 8, "jwt");
		csf_ey_k(b, 10, "serviceAccountRef");
		csf_ey_kv(b, 12, "name", m->sa_name);
	} else {
		csf_ey_k(b, 4, "gcpsm");
		csf_ey_kv(b, 6, "projectID", "${GCP_PROJECT_ID}");
		csf_ey_k(b, 6, "auth");
		csf_ey_k(b, 8, "workloadIdentity");
		csf_ey_kv(b, 10, "clusterLocation", rd_region(m));
		csf_ey_kv(b, 10, "clusterName", "${GKE_CLUSTER_NAME}");
		csf_ey_k(b, 10, "serviceAccountRef");
		csf_ey_kv(b, 12, "name", m->sa_name);
	}

	b = rd_add(m, CSF_FAMILY_K8S, "ExternalSecret", "k8s/externalsecret.yaml");
	head(b, "external-secrets.io/v1", "ExternalSecret");
	rd_meta(m, b, 0, rd_fmt(m, "%s-secrets", m->name), true);
	csf_ey_k(b, 0, "spec");
	csf_ey_kv(b, 2, "refreshInterval", "1h");
	csf_ey_k(b, 2, "secretStoreRef");
	csf_ey_kv(b, 4, "kind", "SecretStore");
	csf_ey_kv(b, 4, "name", rd_fmt(m, "%s-%s", m->name, m->secret_store));
	csf_ey_k(b, 2, "target");
	csf_ey_kv(b, 4, "name", rd_fmt(m, "%s-secrets", m->name));
	csf_ey_kv(b, 4, "creationPolicy", "Owner");
	csf_ey_k(b, 2, "data");
	for (i = 0; i < m->nsecrets; i++) {
		csf_ey_item_kv(b, 4, "secretKey", m->secrets[i]);
		csf_ey_k(b, 6, "remoteRef");
		csf_ey_kv(b, 8, "key", rd_secret_key(m, m->secrets[i]));
	}
}

static void
probe(struct csf_buf *b, const char *name, const char *path, int initial, int period, int fail)
{
	csf_ey_k(b, 10, name);
	csf_ey_k(b, 12, "httpGet");
	csf_ey_kv(b, 14, "path", path);
	csf_ey_kv(b, 14, "port", "http");
	if (initial)
		csf_ey_ki(b, 12, "initialDelaySeconds", initial);
	csf_ey_ki(b, 12, "periodSeconds", period);
	csf_ey_ki(b, 12, "timeoutSeconds", 2);
	csf_ey_ki(b, 12, "failureThreshold", fail);
}

static void
deployment(struct rd_model *m, const struct csf_buf *config)
{
	struct csf_buf *b = rd_add(m, CSF_FAMILY_K8S, "Deployment", "k8s/deployment.yaml");
	char hex[65];
	long long uid = rd_uid(m);
	size_t i, nsecret_refs = 0;

	head(b, "apps/v1", "Deployment");
	rd_meta(m, b, 0, m->name, true);
	csf_ey_k(b, 0, "spec");
	if (!m->autoscale)
		csf_ey_ki(b, 2, "replicas", m->min);
	csf_ey_ki(b, 2, "revisionHistoryLimit", 5);
	csf_ey_k(b, 2, "selector");
	csf_ey_k(b, 4, "matchLabels");
	rd_selector_labels(m, b, 6);
	csf_ey_k(b, 2, "strategy");
	csf_ey_kv(b, 4, "type", "RollingUpdate");
	csf_ey_k(b, 4, "rollingUpdate");
	csf_ey_kv(b, 6, "maxSurge", "25%");
	csf_ey_ki(b, 6, "maxUnavailable", 0);
	csf_ey_k(b, 2, "template");
	csf_ey_k(b, 4, "metadata");
	csf_ey_k(b, 6, "labels");
	rd_labels(m, b, 8);
	if (!strcmp(m->provider, "azure"))
		csf_ey_kv(b, 8, "azure.workload.identity/use", "true");
	if (!strcmp(m->mesh, "istio"))
		csf_ey_kv(b, 8, "sidecar.istio.io/inject", "true");
	csf_ey_k(b, 6, "annotations");
	csf_ey_kv(b, 8, "checksum/config", csf_sha256_hex(config->buf, config->len, hex));
	if (!strcmp(m->mesh, "linkerd"))
		csf_ey_kv(b, 8, "linkerd.io/inject", "enabled");
	if (m->metrics) {
		csf_ey_kv(b, 8, "prometheus.io/path", "/metrics");
		csf_ey_kvf(b, 8, "prometheus.io/port", "%lld", m->port);
		csf_ey_kv(b, 8, "prometheus.io/scrape", "true");
	}
	csf_ey_k(b, 4, "spec");
	csf_ey_kv(b, 6, "serviceAccountName", m->sa_name);
	csf_ey_ki(b, 6, "terminationGracePeriodSeconds", m->timeout_seconds + 5);
	csf_ey_k(b, 6, "securityContext");
	csf_ey_kb(b, 8, "runAsNonRoot", true);
	csf_ey_ki(b, 8, "runAsUser", uid);
	csf_ey_ki(b, 8, "runAsGroup", uid);
	csf_ey_ki(b, 8, "fsGroup", uid);
	csf_ey_k(b, 8, "seccompProfile");
	csf_ey_kv(b, 10, "type", "RuntimeDefault");
	csf_ey_k(b, 6, "containers");
	csf_ey_item_kv(b, 8, "name", m->name);
	csf_ey_kv(b, 10, "image", rd_fmt(m, "%s:%s", m->image, m->image_tag));
	csf_ey_kv(b, 10, "imagePullPolicy", "IfNotPresent");
	csf_ey_k(b, 10, "ports");
	csf_ey_item_kv(b, 12, "name", "http");
	csf_ey_ki(b, 14, "containerPort", m->port);
	csf_ey_kv(b, 14, "protocol", "TCP");
	if (!m->mount_volume) {
		csf_ey_k(b, 10, "envFrom");
		csf_ey_item_k(b, 12, "configMapRef");
		csf_ey_kv(b, 16, "name", rd_fmt(m, "%s-config", m->name));
		if (m->nsecrets) {
			csf_ey_item_k(b, 12, "secretRef");
			csf_ey_kv(b, 16, "name", rd_fmt(m, "%s-secrets", m->name));
		}
	}
	csf_ey_k(b, 10, "env");
	csf_ey_item_kv(b, 12, "name", "PORT");
	csf_ey_kvf(b, 14, "value", "%lld", m->port);
	csf_ey_item_kv(b, 12, "name", "POD_NAME");
	csf_ey_k(b, 14, "valueFrom");
	csf_ey_k(b, 16, "fieldRef");
	csf_ey_kv(b, 18, "fieldPath", "metadata.name");
	/* Values that reference a secret ($(NAME)) are expanded by the kubelet from envFrom. */
	for (i = 0; !m->mount_volume && i < m->nvalues; i++)
		if (strstr(m->values[i].value, "$(")) {
			csf_ey_item_kv(b, 12, "name", m->values[i].key);
			csf_ey_kv(b, 14, "value", m->values[i].value);
			nsecret_refs++;
		}
	csf_ey_k(b, 10, "resources");
	csf_ey_k(b, 12, "requests");
	csf_ey_kv(b, 14, "cpu", m->cpu_req);
	csf_ey_kv(b, 14, "memory", m->mem_req);
	csf_ey_k(b, 12, "limits");
	if (m->cpu_lim)
		csf_ey_kv(b, 14, "cpu", m->cpu_lim);
	csf_ey_kv(b, 14, "memory", m->mem_lim);
	if (m->startup)
		probe(b, "startupProbe", m->startup, 0, 5, 30);
	probe(b, "livenessProbe", m->liveness, m->startup ? 0 : 10, 10, 3);
	probe(b, "readinessProbe", m->readiness, m->startup ? 0 : 5, 5, 3);
	csf_ey_k(b, 10, "securityContext");
	csf_ey_kb(b, 12, "allowPrivilegeEscalation", false);
	csf_ey_kb(b, 12, "readOnlyRootFilesystem", true);
	csf_ey_kb(b, 12, "runAsNonRoot", true);
	csf_ey_k(b, 12, "capabilities");
	csf_ey_k(b, 14, "drop");
	csf_ey_item(b, 16, "ALL");
	csf_ey_k(b, 10, "volumeMounts");
	csf_ey_item_kv(b, 12, "name", "tmp");
	csf_ey_kv(b, 14, "mountPath", "/tmp");
	if (m->mount_volume) {
		csf_ey_item_kv(b, 12, "name", "config");
		csf_ey_kv(b, 14, "mountPath", rd_fmt(m, "/etc/%s/config", m->name));
		csf_ey_kb(b, 14, "readOnly", true);
		if (m->nsecrets) {
			csf_ey_item_kv(b, 12, "name", "secrets");
			csf_ey_kv(b, 14, "mountPath", rd_fmt(m, "/etc/%s/secrets", m->name));
			csf_ey_kb(b, 14, "readOnly", true);
		}
	}
	csf_ey_k(b, 6, "volumes");
	csf_ey_item_kv(b, 8, "name", "tmp");
	csf_ey_k(b, 10, "emptyDir");
	csf_ey_kv(b, 12, "sizeLimit", "64Mi");
	if (m->mount_volume) {
		csf_ey_item_kv(b, 8, "name", "config");
		csf_ey_k(b, 10, "configMap");
		csf_ey_kv(b, 12, "name", rd_fmt(m, "%s-config", m->name));
		if (m->nsecrets) {
			csf_ey_item_kv(b, 8, "name", "secrets");
			csf_ey_k(b, 10, "secret");
			csf_ey_kv(b, 12, "secretName", rd_fmt(m, "%s-secrets", m->name));
		}
	}
	(void)nsecret_refs;
}

static void
service(struct rd_model *m)
{
	struct csf_buf *b = rd_add(m, CSF_FAMILY_K8S, "Service", "k8s/service.yaml");

	head(b, "v1", "Service");
	rd_meta(m, b, 0, m->name, true);
	csf_ey_k(b, 0, "spec");
	csf_ey_kv(b, 2, "type", "ClusterIP");
	csf_ey_k(b, 2, "selector");
	rd_selector_labels(m, b, 4);
	csf_ey_k(b, 2, "ports");
	csf_ey_item_kv(b, 4, "name", "http");
	csf_ey_ki(b, 6, "port", 80);
	csf_ey_kv(b, 6, "targetPort", "http");
	csf_ey_kv(b, 6, "protocol", "TCP");
	csf_ey_kv(b, 6, "appProtocol", "http");
}

static void
hpa(struct rd_model *m)
{
	struct csf_buf *b = rd_add(m, CSF_FAMILY_K8S, "HorizontalPodAutoscaler", "k8s/hpa.yaml");
	size_t i;

	head(b, "autoscaling/v2", "HorizontalPodAutoscaler");
	rd_meta(m, b, 0, m->name, true);
	csf_ey_k(b, 0, "spec");
	csf_ey_k(b, 2, "scaleTargetRef");
	csf_ey_kv(b, 4, "apiVersion", "apps/v1");
	csf_ey_kv(b, 4, "kind", "Deployment");
	csf_ey_kv(b, 4, "name", m->name);
	csf_ey_ki(b, 2, "minReplicas", m->min < 1 ? 1 : m->min);
	csf_ey_ki(b, 2, "maxReplicas", m->max);
	csf_ey_k(b, 2, "metrics");
	for (i = 0; i < m->ntrig; i++) {
		csf_ey_item_kv(b, 4, "type", "Resource");
		csf_ey_k(b, 6, "resource");
		csf_ey_kv(b, 8, "name", m->trig[i].type);
		csf_ey_k(b, 8, "target");
		csf_ey_kv(b, 10, "type", "Utilization");
		csf_ey_ki(b, 10, "averageUtilization", m->trig[i].threshold);
	}
	csf_ey_k(b, 2, "behavior");
	csf_ey_k(b, 4, "scaleDown");
	csf_ey_ki(b, 6, "stabilizationWindowSeconds", 300);
}

static const char *cron_end(struct rd_model *m, const struct rd_trigger *t);

static void
keda_trigger(struct rd_model *m, struct csf_buf *b, const struct rd_trigger *t, bool *auth)
{
	const char *q = t->queue ? t->queue : m->name;

	if (!strcmp(t->type, "cpu") || !strcmp(t->type, "memory")) {
		csf_ey_item_kv(b, 4, "type", t->type);
		csf_ey_kv(b, 6, "metricType", "Utilization");
		csf_ey_k(b, 6, "metadata");
		csf_ey_kvf(b, 8, "value", "%lld", t->threshold);
	} else if (!strcmp(t->type, "queueLength")) {
		if (!strcmp(m->provider, "azure")) {
			csf_ey_item_kv(b, 4, "type", "azure-servicebus");
			csf_ey_k(b, 6, "metadata");
			csf_ey_kv(b, 8, "queueName", rd_queue(m, q));
			csf_ey_kv(b, 8, "namespace", rd_sb_namespace(m));
			csf_ey_kvf(b, 8, "messageCount", "%lld", t->threshold);
		} else if (!strcmp(m->provider, "aws")) {
			csf_ey_item_kv(b, 4, "type", "aws-sqs-queue");
			csf_ey_k(b, 6, "metadata");
			csf_ey_kv(b, 8, "queueURL", rd_fmt(m, "https://sqs.%s.amazonaws.com/${AWS_ACCOUNT_ID}/%s",
							    rd_region(m), rd_queue(m, q)));
			csf_ey_kvf(b, 8, "queueLength", "%lld", t->threshold);
			csf_ey_kv(b, 8, "awsRegion", rd_region(m));
		} else {
			csf_ey_item_kv(b, 4, "type", "gcp-pubsub");
			csf_ey_k(b, 6, "metadata");
			csf_ey_kv(b, 8, "subscriptionName", rd_queue(m, q));
			csf_ey_kv(b, 8, "mode", "SubscriptionSize");
			csf_ey_kvf(b, 8, "value", "%lld", t->threshold);
		}
		csf_ey_k(b, 6, "authenticationRef");
		csf_ey_kv(b, 8, "name", rd_fmt(m, "%s-keda", m->name));
		*auth = true;
	} else if (!strcmp(t->type, "schedule")) {
		csf_ey_item_kv(b, 4, "type", "cron");
		csf_ey_k(b, 6, "metadata");
		csf_ey_kv(b, 8, "timezone", t->timezone ? t->timezone : "Etc/UTC");
		csf_ey_kv(b, 8, "start", t->cron);
		csf_ey_kv(b, 8, "end", cron_end(m, t));
		csf_ey_kvf(b, 8, "desiredReplicas", "%lld", t->desired > 0 ? t->desired : m->max);
	} else {
		csf_ey_item_kv(b, 4, "type", "prometheus");
		csf_ey_k(b, 6, "metadata");
		csf_ey_kv(b, 8, "serverAddress", m->prometheus);
		csf_ey_kv(b, 8, "query", t->query);
		csf_ey_kvf(b, 8, "threshold", "%lld", t->threshold);
	}
}

/* KEDA's cron scaler needs a window: `end` when given, else `cron` shifted by the job's
 * timeout rounded up to whole hours (at least one). Needs numeric minute and hour fields. */
static const char *
cron_end(struct rd_model *m, const struct rd_trigger *t)
{
	char min[16], hour[16], rest[64];
	char *e1, *e2;
	long mi, h, span = (long)((m->timeout_seconds + 3599) / 3600);

	if (t->end)
		return t->end;
	if (!t->cron || sscanf(t->cron, "%15s %15s %63[^\n]", min, hour, rest) != 3)
		return NULL;
	mi = strtol(min, &e1, 10);
	h = strtol(hour, &e2, 10);
	if (*e1 || *e2 || mi < 0 || mi > 59 || h < 0 || h > 23)
		return NULL;
	if (span < 1)
		span = 1;
	if (span > 23)
		span = 23;
	return rd_fmt(m, "%ld %ld %s", mi, (h + span) % 24, rest);
}

static bool
trigger_ok(struct rd_model *m, const struct rd_trigger *t)
{
	if (!strcmp(t->type, "cpu") || !strcmp(t->type, "memory") || !strcmp(t->type, "queueLength"))
		return true;
	if (!strcmp(t->type, "schedule") && cron_end(m, t))
		return true;
	if (!strcmp(t->type, "prometheus") && t->query)
		return true;
	rd_warn(m, "scaling trigger '%s' is incomplete or unknown; left out of the ScaledObject",
		t->type);
	return false;
}

static void
scaled_object(struct rd_model *m)
{
	struct csf_buf *b = rd_add(m, CSF_FAMILY_K8S, "ScaledObject", "k8s/scaledobject.yaml");
	bool auth = false, any = false;
	size_t i;

	head(b, "keda.sh/v1alpha1", "ScaledObject");
	rd_meta(m, b, 0, m->name, true);
	csf_ey_k(b, 0, "spec");
	csf_ey_k(b, 2, "scaleTargetRef");
	csf_ey_kv(b, 4, "name", m->name);
	csf_ey_ki(b, 2, "minReplicaCount", m->min);
	csf_ey_ki(b, 2, "maxReplicaCount", m->max);
	csf_ey_ki(b, 2, "pollingInterval", 30);
	csf_ey_ki(b, 2, "cooldownPeriod", 300);
	csf_ey_k(b, 2, "triggers");
	for (i = 0; i < m->ntrig; i++)
		if (trigger_ok(m, &m->trig[i])) {
			keda_trigger(m, b, &m->trig[i], &auth);
			any = true;
		}
	if (!any) {
		/* A ScaledObject needs a trigger: fall back to CPU. */
		struct rd_trigger cpu = { "cpu", NULL, NULL, NULL, NULL, NULL, 75, 0 };

		keda_trigger(m, b, &cpu, &auth);
	}
	if (!auth)
		return;
	b = rd_add(m, CSF_FAMILY_K8S, "TriggerAuthentication", "k8s/triggerauthentication.yaml");
	head(b, "keda.sh/v1alpha1", "TriggerAuthentication");
	rd_meta(m, b, 0, rd_fmt(m, "%s-keda", m->name), true);
	csf_ey_k(b, 0, "spec");
	csf_ey_k(b, 2, "podIdentity");
	if (!strcmp(m->provider, "azure")) {
		csf_ey_kv(b, 4, "provider", "azure-workload");
		csf_ey_kv(b, 4, "identityId", "${AZURE_CLIENT_ID}");
	} else if (!strcmp(m->provider, "aws")) {
		csf_ey_kv(b, 4, "provider", "aws");
		csf_ey_kv(b, 4, "roleArn", rd_fmt(m, "arn:aws:iam::${AWS_ACCOUNT_ID}:role/%s",
						   m->cloud_identity));
	} else {
		csf_ey_kv(b, 4, "provider", "gcp");
		csf_ey_kv(b, 4, "identityId",
			  rd_fmt(m, "%s@${GCP_PROJECT_ID}.iam.gserviceaccount.com", m->cloud_identity));
	}
}

static void
pdb(struct rd_model *m)
{
	struct csf_buf *b = rd_add(m, CSF_FAMILY_K8S, "PodDisruptionBudget", "k8s/pdb.yaml");

	head(b, "policy/v1", "PodDisruptionBudget");
	rd_meta(m, b, 0, m->name, true);
	csf_ey_k(b, 0, "spec");
	/* One pod may always be evicted: minAvailable = min - 1 keeps drains possible; with one
	 * replica (or scale-to-zero) only maxUnavailable: 1 is consistent. */
	if (m->min >= 2)
		csf_ey_ki(b, 2, "minAvailable", m->min - 1);
	else
		csf_ey_ki(b, 2, "maxUnavailable", 1);
	csf_ey_k(b, 2, "selector");
	csf_ey_k(b, 4, "matchLabels");
	rd_selector_labels(m, b, 6);
}

static void
peer_from(struct rd_model *m, struct csf_buf *b, int ind, const struct rd_peer *p)
{
	if (p->tenant_scoped) {
		csf_ey_item_k(b, ind, "podSelector");
	} else {
		csf_ey_item_k(b, ind, "namespaceSelector");
		csf_ey_k(b, ind + 4, "matchLabels");
		csf_ey_kv(b, ind + 6, "csf.connectsoft.io/environment", m->env);
		csf_ey_k(b, ind + 2, "podSelector");
	}
	csf_ey_k(b, ind + 4, "matchLabels");
	csf_ey_kv(b, ind + 6, "app.kubernetes.io/name", p->name);
}

static void
ns_peer(struct csf_buf *b, int ind, const char *ns)
{
	csf_ey_item_k(b, ind, "namespaceSelector");
	csf_ey_k(b, ind + 4, "matchLabels");
	csf_ey_kv(b, ind + 6, "kubernetes.io/metadata.name", ns);
}

static void
network_policy(struct rd_model *m)
{
	struct csf_buf *b = rd_add(m, CSF_FAMILY_K8S, "NetworkPolicy", "k8s/networkpolicy.yaml");
	const char *mesh_ns = !strcmp(m->mesh, "istio") ? "istio-system" :
			      !strcmp(m->mesh, "linkerd") ? "linkerd" : NULL;
	size_t i;

	head(b, "networking.k8s.io/v1", "NetworkPolicy");
	rd_meta(m, b, 0, m->name, true);
	csf_ey_k(b, 0, "spec");
	csf_ey_k(b, 2, "podSelector");
	csf_ey_k(b, 4, "matchLabels");
	rd_selector_labels(m, b, 6);
	csf_ey_k(b, 2, "policyTypes");
	csf_ey_item(b, 4, "Ingress");
	csf_ey_item(b, 4, "Egress");
	/* Traffic policy: only the modules that may call this one (tenant-scoped peers from the
	 * same namespace), the gateway when the API is exposed, and metrics scraping. */
	if (!m->ningress && !m->api && !m->metrics && !mesh_ns) {
		csf_buf_addstr(b, "  ingress: []\n");
	} else {
		csf_ey_k(b, 2, "ingress");
		csf_ey_item_k(b, 4, "from");
		for (i = 0; i < m->ningress; i++)
			peer_from(m, b, 8, &m->ingress[i]);
		if (m->api)
			ns_peer(b, 8, RD_GATEWAY_NS);
		if (m->metrics)
			ns_peer(b, 8, "monitoring");
		if (mesh_ns)
			ns_peer(b, 8, mesh_ns);
		csf_ey_k(b, 6, "ports");
		csf_ey_item_kv(b, 8, "port", "http");
		csf_ey_kv(b, 10, "protocol", "TCP");
	}
	csf_ey_k(b, 2, "egress");
	/* DNS */
	csf_ey_item_k(b, 4, "to");
	ns_peer(b, 8, "kube-system");
	csf_ey_k(b, 6, "ports");
	csf_ey_item_ki(b, 8, "port", 53);
	csf_ey_kv(b, 10, "protocol", "UDP");
	csf_ey_item_ki(b, 8, "port", 53);
	csf_ey_kv(b, 10, "protocol", "TCP");
	/* Modules this one may call. */
	if (m->negress) {
		csf_ey_item_k(b, 4, "to");
		for (i = 0; i < m->negress; i++)
			peer_from(m, b, 8, &m->egress[i]);
	}
	if (mesh_ns) {
		csf_ey_item_k(b, 4, "to");
		ns_peer(b, 8, mesh_ns);
	}
	/* Managed cloud services (database, queue, secret store, identity) over TLS, outside the
	 * cluster's private ranges. */
	csf_ey_item_k(b, 4, "to");
	csf_ey_item_k(b, 8, "ipBlock");
	csf_ey_kv(b, 12, "cidr", "0.0.0.0/0");
	csf_ey_k(b, 12, "except");
	csf_ey_item(b, 14, "10.0.0.0/8");
	csf_ey_item(b, 14, "172.16.0.0/12");
	csf_ey_item(b, 14, "192.168.0.0/16");
	csf_ey_k(b, 6, "ports");
	csf_ey_item_ki(b, 8, "port", 443);
	csf_ey_kv(b, 10, "protocol", "TCP");
	if (m->database && (!strcmp(m->database, "postgres") || !strcmp(m->database, "mysql"))) {
		csf_ey_item_ki(b, 8, "port", !strcmp(m->database, "postgres") ? 5432 : 3306);
		csf_ey_kv(b, 10, "protocol", "TCP");
	}
	if (m->queue_tech && !strcmp(m->queue_tech, "azure-service-bus")) {
		csf_ey_item_ki(b, 8, "port", 5671);
		csf_ey_kv(b, 10, "protocol", "TCP");
	}
	if (m->cache) {
		csf_ey_item_ki(b, 8, "port", 6380);
		csf_ey_kv(b, 10, "protocol", "TCP");
	}
}

void
rd_k8s(struct rd_model *m)
{
	struct csf_buf config = CSF_BUF_INIT;

	namespace(m);
	service_account(m);
	configmap(m, &config);
	secret_store(m);
	deployment(m, &config);
	csf_buf_release(&config);
	service(m);
	if (m->autoscale) {
		if (m->keda)
			scaled_object(m);
		else
			hpa(m);
	}
	pdb(m);
	network_policy(m);
}

void
rd_kustomization(struct rd_model *m)
{
	struct csf_artifact_set *s = m->set;
	struct csf_buf *b;
	size_t i, n = s->n;

	b = rd_add(m, CSF_FAMILY_K8S, "Kustomization", "k8s/kustomization.yaml");
	head(b, "kustomize.config.k8s.io/v1beta1", "Kustomization");
	csf_ey_kv(b, 0, "namespace", m->tenant);
	csf_ey_k(b, 0, "resources");
	for (i = 0; i < n; i++)
		if (!strncmp(s->items[i].path, "k8s/", 4))
			csf_ey_item(b, 2, s->items[i].path + 4);
}
