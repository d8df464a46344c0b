/* Gateway artifacts (gateway/) for an exposed API: a Gateway API HTTPRoute per module (the
 * `envoy` gateway is Envoy Gateway, which implements the Gateway API; `gateway-api` attaches
 * to the platform's generic Gateway), Envoy Gateway BackendTrafficPolicy (rate limit, timeout,
 * retries) and SecurityPolicy (CORS), or a YARP configuration for `yarp`; a kustomization; and
 * an OpenAPI 3.0 skeleton per supported version (<name>.openapi.<version>.json).
 * Versioning: `path` routes <prefix>/<version>; `header` routes <prefix> by the api-version
 * header, the default version also without it. The gateway sets X-Tenant-Id itself, so a
 * client cannot choose its tenant. */
#include <string.h>

#include "core/emit_yaml.h"
#include "core/render_int.h"

static const char *
version_path(struct rd_model *m, const char *ver)
{
	size_t n = strlen(m->route_prefix);

	while (n && m->route_prefix[n - 1] == '/')
		n--;
	return rd_fmt(m, "%.*s/%s", (int)n, m->route_prefix, ver);
}

static void
rule(struct rd_model *m, struct csf_buf *b, const char *path, const char *header_ver,
     const char *ver)
{
	csf_ey_item_k(b, 4, "matches");
	csf_ey_item_k(b, 8, "path");
	csf_ey_kv(b, 12, "type", "PathPrefix");
	csf_ey_kv(b, 12, "value", path);
	if (header_ver) {
		csf_ey_k(b, 10, "headers");
		csf_ey_item_kv(b, 12, "name", "api-version");
		csf_ey_kv(b, 14, "value", header_ver);
	}
	csf_ey_k(b, 6, "filters");
	csf_ey_item_kv(b, 8, "type", "RequestHeaderModifier");
	csf_ey_k(b, 10, "requestHeaderModifier");
	csf_ey_k(b, 12, "set");
	csf_ey_item_kv(b, 14, "name", "X-Tenant-Id");
	csf_ey_kv(b, 16, "value", m->tenant);
	csf_ey_item_kv(b, 14, "name", "X-Api-Version");
	csf_ey_kv(b, 16, "value", ver);
	csf_ey_k(b, 6, "backendRefs");
	csf_ey_item_kv(b, 8, "name", m->name);
	csf_ey_ki(b, 10, "port", 80);
}

static void
target_ref(struct rd_model *m, struct csf_buf *b)
{
	csf_ey_k(b, 2, "targetRefs");
	csf_ey_item_kv(b, 4, "group", "gateway.networking.k8s.io");
	csf_ey_kv(b, 6, "kind", "HTTPRoute");
	csf_ey_kv(b, 6, "name", m->name);
}

static void
yarp_route(struct rd_model *m, struct csf_buf *b, const char *id, const char *path, const char *ver,
	   int order, bool first)
{
	csf_buf_addf(b, "%s\n      \"%s\": {\n", first ? "" : ",", id);
	csf_buf_addf(b, "        \"ClusterId\": \"%s\",\n        \"Order\": %d,\n", m->name, order);
	if (m->rate_per_minute)
		csf_buf_addf(b, "        \"RateLimiterPolicy\": \"%s\",\n", m->name);
	if (m->ncors_origins)
		csf_buf_addf(b, "        \"CorsPolicy\": \"%s\",\n", m->name);
	if (m->auth)
		csf_buf_addf(b, "        \"AuthorizationPolicy\": \"%s\",\n", m->name);
	if (m->timeout_seconds)
		csf_buf_addf(b, "        \"Timeout\": \"%02lld:%02lld:%02lld\",\n", m->timeout_seconds / 3600,
			     m->timeout_seconds / 60 % 60, m->timeout_seconds % 60);
	csf_buf_addstr(b, "        \"Match\": { \"Path\": ");
	csf_buf_add_json_str(b, rd_fmt(m, "%s/{**rest}", path));
	if (ver && strcmp(m->ver_strategy, "header") == 0 && order == 1)
		csf_buf_addf(b, ", \"Headers\": [ { \"Name\": \"api-version\", \"Values\": [ \"%s\" ] } ]", ver);
	csf_buf_addstr(b, " },\n        \"Transforms\": [\n          { \"RequestHeader\": \"X-Tenant-Id\", \"Set\": ");
	csf_buf_add_json_str(b, m->tenant);
	csf_buf_addstr(b, " },\n          { \"RequestHeader\": \"X-Api-Version\", \"Set\": ");
	csf_buf_add_json_str(b, ver);
	csf_buf_addstr(b, " }\n        ]\n      }");
}

/* YARP's ReverseProxy section (routes, cluster), plus the named policies it refers to in the
 * sections the gateway template binds at start-up (RateLimiting, Cors, Authorization). */
static void
yarp(struct rd_model *m)
{
	struct csf_buf *b = rd_add(m, CSF_FAMILY_GATEWAY, "YarpConfig", "gateway/yarp.json");
	bool header = !strcmp(m->ver_strategy, "header");
	size_t i;

	csf_buf_addstr(b, "{\n  \"ReverseProxy\": {\n    \"Routes\": {");
	for (i = 0; i < m->nversions; i++)
		yarp_route(m, b, rd_fmt(m, "%s-%s", m->name, m->versions[i]),
			   header ? m->route_prefix : version_path(m, m->versions[i]), m->versions[i], 1, i == 0);
	if (header)	/* no api-version header: the default version */
		yarp_route(m, b, rd_fmt(m, "%s-default", m->name), m->route_prefix, m->ver_default, 2, false);
	csf_buf_addf(b, "\n    },\n    \"Clusters\": {\n      \"%s\": {\n        \"Destinations\": {\n"
			"          \"primary\": { \"Address\": \"http://%s.%s.svc.cluster.local\" }\n"
			"        }\n      }\n    }\n  }", m->name, m->name, m->tenant);
	if (m->rate_per_minute)
		csf_buf_addf(b, ",\n  \"RateLimiting\": {\n    \"%s\": { \"Kind\": \"FixedWindow\", "
				"\"PermitLimit\": %lld, \"Window\": \"00:01:00\", \"PartitionBy\": \"ClientIp\" }\n  }",
			     m->name, m->rate_per_minute);
	if (m->ncors_origins) {
		csf_buf_addf(b, ",\n  \"Cors\": {\n    \"%s\": {\n      \"AllowedOrigins\": [", m->name);
		for (i = 0; i < m->ncors_origins; i++) {
			csf_buf_addstr(b, i ? ", " : " ");
			csf_buf_add_json_str(b, m->cors_origins[i]);
		}
		csf_buf_addstr(b, " ],\n      \"AllowedMethods\": [");
		for (i = 0; i < m->ncors_methods; i++) {
			csf_buf_addstr(b, i ? ", " : " ");
			csf_buf_add_json_str(b, m->cors_methods[i]);
		}
		csf_buf_addstr(b, m->ncors_methods ? " ],\n" : " \"GET\" ],\n");
		csf_buf_addstr(b, "      \"AllowedHeaders\": [ \"authorization\", \"content-type\", \"api-version\" ]\n"
				  "    }\n  }");
	}
	if (m->auth) {
		csf_buf_addf(b, ",\n  \"Authorization\": {\n    \"%s\": { \"Scheme\": ", m->name);
		csf_buf_add_json_str(b, m->auth);
		csf_buf_addstr(b, ", \"RequiredScopes\": [");
		for (i = 0; i < m->nscopes; i++) {
			csf_buf_addstr(b, i ? ", " : " ");
			csf_buf_add_json_str(b, m->scopes[i]);
		}
		csf_buf_addstr(b, m->nscopes ? " ] }\n  }" : "] }\n  }");
	}
	csf_buf_addstr(b, "\n}\n");
}

static void
openapi(struct rd_model *m, const char *ver)
{
	struct csf_buf *b = rd_add(m, CSF_FAMILY_GATEWAY, "OpenAPI",
				   rd_fmt(m, "gateway/%s.openapi.%s.json", m->name, ver));
	bool header = !strcmp(m->ver_strategy, "header");
	const char *scheme = !m->auth ? NULL : !strcmp(m->auth, "oauth2") ? "oauth2"
					   : !strcmp(m->auth, "apiKey") ? "apiKey"
					   : !strcmp(m->auth, "mtls") ? NULL : "bearer";
	size_t i;

	csf_buf_addstr(b, "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\n    \"title\": ");
	csf_buf_add_json_str(b, rd_fmt(m, "%s API", m->module));
	csf_buf_addstr(b, ",\n    \"version\": ");
	csf_buf_add_json_str(b, rd_fmt(m, "%s (%s)", m->version, ver));
	if (m->description) {
		csf_buf_addstr(b, ",\n    \"description\": ");
		csf_buf_add_json_str(b, m->description);
	}
	csf_buf_addstr(b, "\n  },\n  \"servers\": [ { \"url\": ");
	csf_buf_add_json_str(b, header ? m->route_prefix : version_path(m, ver));
	csf_buf_addstr(b, " } ],\n  \"paths\": {\n    \"/\": {\n      \"get\": {\n");
	csf_buf_addf(b, "        \"operationId\": \"%s\",\n", rd_ident(m, rd_fmt(m, "get %s %s", m->name, ver)));
	csf_buf_addstr(b, "        \"summary\": \"Service root (skeleton: the module adds its operations)\",\n");
	csf_buf_addstr(b, "        \"parameters\": [\n");
	csf_buf_addstr(b, "          { \"name\": \"api-version\", \"in\": \"header\", \"required\": ");
	csf_buf_addf(b, "%s, \"schema\": { \"type\": \"string\", \"enum\": [ \"%s\" ] } }\n",
		     header && strcmp(ver, m->ver_default) ? "true" : "false", ver);
	csf_buf_addstr(b, "        ],\n        \"responses\": {\n"
			  "          \"200\": { \"description\": \"OK\", \"content\": { \"application/json\": "
			  "{ \"schema\": { \"$ref\": \"#/components/schemas/ServiceInfo\" } } } },\n"
			  "          \"429\": { \"description\": \"Rate limit exceeded\" },\n"
			  "          \"default\": { \"description\": \"Error\", \"content\": { "
			  "\"application/problem+json\": { \"schema\": { \"$ref\": \"#/components/schemas/Problem\" } } } }\n"
			  "        }");
	if (scheme) {
		csf_buf_addstr(b, ",\n        \"security\": [ { \"auth\": [");
		for (i = 0; strcmp(scheme, "apiKey") && i < m->nscopes; i++) {
			csf_buf_addstr(b, i ? ", " : " ");
			csf_buf_add_json_str(b, m->scopes[i]);
		}
		csf_buf_addstr(b, " ] } ]");
	}
	csf_buf_addstr(b, "\n      }\n    }\n  },\n  \"components\": {\n    \"schemas\": {\n"
			  "      \"ServiceInfo\": {\n        \"type\": \"object\",\n"
			  "        \"required\": [ \"module\", \"version\", \"tenantId\" ],\n"
			  "        \"properties\": {\n          \"module\": { \"type\": \"string\" },\n"
			  "          \"version\": { \"type\": \"string\" },\n"
			  "          \"tenantId\": { \"type\": \"string\" }\n        }\n      },\n"
			  "      \"Problem\": {\n        \"type\": \"object\",\n"
			  "        \"required\": [ \"title\", \"status\" ],\n        \"properties\": {\n"
			  "          \"type\": { \"type\": \"string\" },\n          \"title\": { \"type\": \"string\" },\n"
			  "          \"status\": { \"type\": \"integer\", \"minimum\": 100, \"maximum\": 599 },\n"
			  "          \"detail\": { \"type\": \"string\" },\n"
			  "          \"traceId\": { \"type\": \"string\" }\n        }\n      }\n    }");
	if (scheme) {
		csf_buf_addstr(b, ",\n    \"securitySchemes\": {\n      \"auth\": ");
		if (!strcmp(scheme, "bearer")) {
			csf_buf_addstr(b, "{ \"type\": \"http\", \"scheme\": \"bearer\", \"bearerFormat\": \"JWT\" }");
		} else if (!strcmp(scheme, "apiKey")) {
			csf_buf_addstr(b, "{ \"type\": \"apiKey\", \"in\": \"header\", \"name\": \"X-Api-Key\" }");
		} else {
			csf_buf_addstr(b, "{\n        \"type\": \"oauth2\",\n        \"flows\": {\n"
					  "          \"clientCredentials\": {\n"
					  "            \"tokenUrl\": \"/oauth2/token\",\n            \"scopes\": {");
			for (i = 0; i < m->nscopes; i++) {
				csf_buf_addstr(b, i ? ", " : " ");
				csf_buf_add_json_str(b, m->scopes[i]);
				csf_buf_addstr(b, ": ");
				csf_buf_add_json_str(b, rd_fmt(m, "%s access", m->scopes[i]));
			}
			csf_buf_addstr(b, " }\n          }\n        }\n      }");
		}
		csf_buf_addstr(b, "\n    }");
	}
	csf_buf_addstr(b, "\n  }\n}\n");
}

void
rd_gateway(struct rd_model *m)
{
	struct csf_buf *b;
	size_t i, first;
	bool header = !strcmp(m->ver_strategy, "header");

	if (!m->api)
		return;
	first = m->set->n;
	if (!strcmp(m->gateway, "yarp")) {
		yarp(m);
	} else {
		if (strcmp(m->gateway, "envoy") && strcmp(m->gateway, "gateway-api"))
			rd_warn(m, "api.gateway '%s' is not rendered; using the Gateway API", m->gateway);
		b = rd_add(m, CSF_FAMILY_GATEWAY, "HTTPRoute", "gateway/httproute.yaml");
		csf_ey_kv(b, 0, "apiVersion", "gateway.networking.k8s.io/v1");
		csf_ey_kv(b, 0, "kind", "HTTPRoute");
		rd_meta(m, b, 0, m->name, true);
		csf_ey_k(b, 0, "spec");
		csf_ey_k(b, 2, "parentRefs");
		csf_ey_item_kv(b, 4, "name", !strcmp(m->gateway, "envoy") ? "envoy-gateway" : "csf-gateway");
		csf_ey_kv(b, 6, "namespace", RD_GATEWAY_NS);
		csf_ey_kv(b, 6, "sectionName", "https");
		csf_ey_k(b, 2, "rules");
		for (i = 0; i < m->nversions; i++)
			if (header)
				rule(m, b, m->route_prefix, m->versions[i], m->versions[i]);
			else
				rule(m, b, version_path(m, m->versions[i]), NULL, m->versions[i]);
		if (header)	/* no header: the default version */
			rule(m, b, m->route_prefix, NULL, m->ver_default);

		b = rd_add(m, CSF_FAMILY_GATEWAY, "BackendTrafficPolicy", "gateway/ratelimit.yaml");
		csf_ey_kv(b, 0, "apiVersion", "gateway.envoyproxy.io/v1alpha1");
		csf_ey_kv(b, 0, "kind", "BackendTrafficPolicy");
		rd_meta(m, b, 0, m->name, true);
		csf_ey_k(b, 0, "spec");
		target_ref(m, b);
		if (m->rate_per_minute) {
			csf_ey_k(b, 2, "rateLimit");
			csf_ey_kv(b, 4, "type", "Local");
			csf_ey_k(b, 4, "local");
			csf_ey_k(b, 6, "rules");
			csf_ey_item_k(b, 8, "limit");
			csf_ey_ki(b, 12, "requests", m->rate_per_minute);
			csf_ey_kv(b, 12, "unit", "Minute");
		}
		csf_ey_k(b, 2, "timeout");
		csf_ey_k(b, 4, "http");
		csf_ey_kv(b, 6, "requestTimeout", rd_fmt(m, "%llds", m->timeout_seconds));
		if (m->ncors_origins) {
			b = rd_add(m, CSF_FAMILY_GATEWAY, "SecurityPolicy", "gateway/cors-policy.yaml");
			csf_ey_kv(b, 0, "apiVersion", "gateway.envoyproxy.io/v1alpha1");
			csf_ey_kv(b, 0, "kind", "SecurityPolicy");
			rd_meta(m, b, 0, m->name, true);
			csf_ey_k(b, 0, "spec");
			target_ref(m, b);
			csf_ey_k(b, 2, "cors");
			csf_ey_k(b, 4, "allowOrigins");
			for (i = 0; i < m->ncors_origins; i++)
				csf_ey_item(b, 6, m->cors_origins[i]);
			csf_ey_k(b, 4, "allowMethods");
			for (i = 0; i < m->ncors_methods; i++)
				csf_ey_item(b, 6, m->cors_methods[i]);
			if (!m->ncors_methods)
				csf_ey_item(b, 6, "GET");
			csf_ey_k(b, 4, "allowHeaders");
			csf_ey_item(b, 6, "authorization");
			csf_ey_item(b, 6, "content-type");
			csf_ey_item(b, 6, "api-version");
			csf_ey_kv(b, 4, "maxAge", "10m");
		}
		b = rd_add(m, CSF_FAMILY_GATEWAY, "Kustomization", "gateway/kustomization.yaml");
		csf_ey_kv(b, 0, "apiVersion", "kustomize.config.k8s.io/v1beta1");
		csf_ey_kv(b, 0, "kind", "Kustomization");
		csf_ey_kv(b, 0, "namespace", m->tenant);
		csf_ey_k(b, 0, "resources");
		for (i = first; i < m->set->n - 1; i++)
			csf_ey_item(b, 2, m->set->items[i].path + strlen("gateway/"));
	}
	for (i = 0; i < m->nversions; i++) {
		if (!csf_dns_label(m->versions[i])) {
			rd_warn(m, "api version '%s' is not a safe file name part; no OpenAPI skeleton",
				m->versions[i]);
			continue;
		}
		openapi(m, m->versions[i]);
	}
}
