/* Mesh policy (k8s/mesh/): istio PeerAuthentication + AuthorizationPolicy, or linkerd Server +
 * MeshTLSAuthentication + AuthorizationPolicy. Who may call the module comes from the traffic
 * policy (this blueprint's `allow` entries with `to: <module>` and those of every other
 * blueprint of the workspace) plus the gateway namespace when the API is exposed. A module
 * nobody may call gets a policy that admits no one. */
#include <string.h>

#include "core/emit_yaml.h"
#include "core/render_int.h"

static void
istio(struct rd_model *m)
{
	struct csf_buf *b;
	size_t i;

	b = rd_add(m, CSF_FAMILY_MESH, "PeerAuthentication", "k8s/mesh/peerauthentication.yaml");
	csf_ey_kv(b, 0, "apiVersion", "security.istio.io/v1");
	csf_ey_kv(b, 0, "kind", "PeerAuthentication");
	rd_meta(m, b, 0, m->name, true);
	csf_ey_k(b, 0, "spec");
	csf_ey_k(b, 2, "selector");
	csf_ey_k(b, 4, "matchLabels");
	rd_selector_labels(m, b, 6);
	csf_ey_k(b, 2, "mtls");
	csf_ey_kv(b, 4, "mode", m->mtls ? "STRICT" : "PERMISSIVE");

	b = rd_add(m, CSF_FAMILY_MESH, "AuthorizationPolicy", "k8s/mesh/authorizationpolicy.yaml");
	csf_ey_kv(b, 0, "apiVersion", "security.istio.io/v1");
	csf_ey_kv(b, 0, "kind", "AuthorizationPolicy");
	rd_meta(m, b, 0, m->name, true);
	csf_ey_k(b, 0, "spec");
	csf_ey_k(b, 2, "selector");
	csf_ey_k(b, 4, "matchLabels");
	rd_selector_labels(m, b, 6);
	csf_ey_kv(b, 2, "action", "ALLOW");
	if (!m->ningress && !m->api) {
		/* An ALLOW policy without rules matches nothing: every request is denied. */
		csf_buf_addstr(b, "  rules: []\n");
		return;
	}
	csf_ey_k(b, 2, "rules");
	csf_ey_item_k(b, 4, "from");
	csf_ey_item_k(b, 8, "source");
	csf_ey_k(b, 12, "principals");
	for (i = 0; i < m->ningress; i++)
		csf_ey_item(b, 14, m->ingress[i].tenant_scoped
					   ? rd_fmt(m, "cluster.local/ns/%s/sa/%s", m->tenant, m->ingress[i].name)
					   : rd_fmt(m, "cluster.local/ns/*/sa/%s", m->ingress[i].name));
	if (m->api)
		csf_ey_item(b, 14, rd_fmt(m, "cluster.local/ns/%s/sa/*", RD_GATEWAY_NS));
	csf_ey_k(b, 6, "to");
	csf_ey_item_k(b, 8, "operation");
	csf_ey_k(b, 12, "ports");
	csf_ey_item(b, 14, rd_fmt(m, "%lld", m->port));
}

static void
linkerd(struct rd_model *m)
{
	struct csf_buf *b;
	size_t i;

	b = rd_add(m, CSF_FAMILY_MESH, "Server", "k8s/mesh/server.yaml");
	csf_ey_kv(b, 0, "apiVersion", "policy.linkerd.io/v1beta3");
	csf_ey_kv(b, 0, "kind", "Server");
	rd_meta(m, b, 0, m->name, true);
	csf_ey_k(b, 0, "spec");
	csf_ey_k(b, 2, "podSelector");
	csf_ey_k(b, 4, "matchLabels");
	rd_selector_labels(m, b, 6);
	csf_ey_kv(b, 2, "port", "http");
	csf_ey_kv(b, 2, "proxyProtocol", "HTTP/1");
	if (!m->ningress && !m->api)
		return;	/* a Server without authorizations admits no one */

	b = rd_add(m, CSF_FAMILY_MESH, "MeshTLSAuthentication", "k8s/mesh/meshtlsauthentication.yaml");
	csf_ey_kv(b, 0, "apiVersion", "policy.linkerd.io/v1alpha1");
	csf_ey_kv(b, 0, "kind", "MeshTLSAuthentication");
	rd_meta(m, b, 0, rd_fmt(m, "%s-clients", m->name), true);
	csf_ey_k(b, 0, "spec");
	if (m->ningress)
		csf_ey_k(b, 2, "identityRefs");
	for (i = 0; i < m->ningress; i++) {
		csf_ey_item_kv(b, 4, "kind", "ServiceAccount");
		csf_ey_kv(b, 6, "name", m->ingress[i].name);
		if (!m->ingress[i].tenant_scoped)
			rd_warn(m, "linkerd: %s may call %s from any tenant namespace only with istio; "
				   "restricted to tenant %s", m->ingress[i].module, m->module, m->tenant);
	}
	if (m->api) {
		/* Any service account of the gateway namespace (linkerd's "*." identity prefix). */
		csf_ey_k(b, 2, "identities");
		csf_ey_item(b, 4, rd_fmt(m, "*.%s.serviceaccount.identity.linkerd.cluster.local",
					 RD_GATEWAY_NS));
	}

	b = rd_add(m, CSF_FAMILY_MESH, "AuthorizationPolicy", "k8s/mesh/authorizationpolicy.yaml");
	csf_ey_kv(b, 0, "apiVersion", "policy.linkerd.io/v1alpha1");
	csf_ey_kv(b, 0, "kind", "AuthorizationPolicy");
	rd_meta(m, b, 0, m->name, true);
	csf_ey_k(b, 0, "spec");
	csf_ey_k(b, 2, "targetRef");
	csf_ey_kv(b, 4, "group", "policy.linkerd.io");
	csf_ey_kv(b, 4, "kind", "Server");
	csf_ey_kv(b, 4, "name", m->name);
	csf_ey_k(b, 2, "requiredAuthenticationRefs");
	csf_ey_item_kv(b, 4, "group", "policy.linkerd.io");
	csf_ey_kv(b, 6, "kind", "MeshTLSAuthentication");
	csf_ey_kv(b, 6, "name", rd_fmt(m, "%s-clients", m->name));
}

void
rd_mesh(struct rd_model *m)
{
	if (!strcmp(m->mesh, "istio"))
		istio(m);
	else if (!strcmp(m->mesh, "linkerd"))
		linkerd(m);
}
