/* Event contracts (events/): one JSON Schema (draft-07) per emitted event, describing the
 * CloudEvents 1.0 envelope (specversion, id, source, type, time, datacontenttype) with the
 * factory's extension attributes and a data object; and eventbindings.yaml mapping every emitted
 * and consumed event onto the provider's pub/sub (topics, subscriptions or queues).
 * CloudEvents 1.0 requires extension attribute names of lower-case letters and digits, so the
 * seed's traceId/agentId/tenantId/moduleId are written tracid-style: traceid, agentid, tenantid,
 * moduleid. */
#include <string.h>

#include "core/emit_yaml.h"
#include "core/fsutil.h"
#include "core/render_int.h"

static void
prop_const(struct csf_buf *b, const char *name, const char *v, bool last)
{
	csf_buf_addstr(b, "    ");
	csf_buf_add_json_str(b, name);
	csf_buf_addstr(b, ": { \"type\": \"string\", \"const\": ");
	csf_buf_add_json_str(b, v);
	csf_buf_addstr(b, last ? " }\n" : " },\n");
}

static void
schema(struct rd_model *m, const char *event)
{
	struct csf_buf *b = rd_add(m, CSF_FAMILY_EVENTS, "JSONSchema",
				   rd_fmt(m, "events/%s.schema.json", event));

	csf_buf_addstr(b, "{\n  \"$schema\": \"http://json-schema.org/draft-07/schema#\",\n  \"$id\": ");
	csf_buf_add_json_str(b, rd_fmt(m, "urn:csf:events:%s:%s:%s", m->tenant, m->name, rd_dns(m, event)));
	csf_buf_addstr(b, ",\n  \"title\": ");
	csf_buf_add_json_str(b, event);
	csf_buf_addstr(b, ",\n  \"description\": ");
	csf_buf_add_json_str(b, rd_fmt(m, "CloudEvents 1.0 envelope of %s, emitted by %s for tenant %s",
				       event, m->module, m->tenant));
	csf_buf_addstr(b, ",\n  \"type\": \"object\",\n"
			  "  \"required\": [ \"specversion\", \"id\", \"source\", \"type\", \"time\", "
			  "\"datacontenttype\", \"tenantid\", \"moduleid\", \"traceid\", \"data\" ],\n"
			  "  \"properties\": {\n");
	prop_const(b, "specversion", "1.0", false);
	csf_buf_addstr(b, "    \"id\": { \"type\": \"string\", \"minLength\": 1 },\n");
	prop_const(b, "source", rd_fmt(m, "/%s/%s", m->tenant, m->name), false);
	prop_const(b, "type", event, false);
	csf_buf_addstr(b, "    \"time\": { \"type\": \"string\", \"format\": \"date-time\" },\n");
	prop_const(b, "datacontenttype", "application/json", false);
	csf_buf_addstr(b, "    \"subject\": { \"type\": \"string\" },\n");
	prop_const(b, "tenantid", m->tenant, false);
	prop_const(b, "moduleid", m->module, false);
	csf_buf_addstr(b, "    \"traceid\": { \"type\": \"string\", \"pattern\": \"^[0-9a-f]{32}$\" },\n"
			  "    \"agentid\": { \"type\": \"string\" },\n"
			  "    \"data\": {\n      \"type\": \"object\",\n"
			  "      \"description\": \"The event payload; the module's contract adds its fields.\",\n"
			  "      \"required\": [ \"tenantId\" ],\n      \"properties\": {\n");
	csf_buf_addstr(b, "        \"tenantId\": { \"type\": \"string\", \"const\": ");
	csf_buf_add_json_str(b, m->tenant);
	csf_buf_addstr(b, " }\n      },\n      \"additionalProperties\": true\n    }\n  },\n"
			  "  \"additionalProperties\": true\n}\n");
}

static bool
event_ok(struct rd_model *m, const char *event)
{
	if (csf_safe_component(event) && strchr(event, '.') && strcmp(event, "..")) {
		const char *v = strrchr(event, '.');

		if (v[1] == 'v' && v[2] >= '0' && v[2] <= '9')
			return true;
	}
	rd_warn(m, "event '%s' is not Name.vN; no contract rendered", event);
	return false;
}

void
rd_events(struct rd_model *m)
{
	struct csf_buf *b;
	size_t i;

	if (!m->nemits && !m->nconsumes)
		return;
	for (i = 0; i < m->nemits; i++)
		if (event_ok(m, m->emits[i]))
			schema(m, m->emits[i]);
	b = rd_add(m, CSF_FAMILY_EVENTS, "EventBindings", "events/eventbindings.yaml");
	csf_ey_kv(b, 0, "apiVersion", "csf/v1");
	csf_ey_kv(b, 0, "kind", "EventBindings");
	csf_ey_k(b, 0, "metadata");
	csf_ey_kv(b, 2, "module", m->module);
	csf_ey_kv(b, 2, "tenant", m->tenant);
	csf_ey_kv(b, 2, "environment", m->env);
	csf_ey_kv(b, 2, "provider", m->provider);
	csf_ey_kv(b, 0, "format", "cloudEvents");
	csf_ey_kv(b, 0, "transport", m->transport);
	if (!strcmp(m->provider, "azure"))
		csf_ey_kv(b, 0, "namespace", rd_fmt(m, "%s.servicebus.windows.net", rd_sb_namespace(m)));
	csf_ey_k(b, 0, "emits");
	if (!m->nemits)
		csf_buf_setlen(b, b->len - 1), csf_buf_addstr(b, " []\n");
	for (i = 0; i < m->nemits; i++) {
		if (!csf_safe_component(m->emits[i]))
			continue;
		csf_ey_item_kv(b, 2, "event", m->emits[i]);
		csf_ey_kv(b, 4, "topic", rd_topic(m, m->emits[i]));
		csf_ey_kv(b, 4, "schema", rd_fmt(m, "%s.schema.json", m->emits[i]));
	}
	csf_ey_k(b, 0, "consumes");
	if (!m->nconsumes)
		csf_buf_setlen(b, b->len - 1), csf_buf_addstr(b, " []\n");
	for (i = 0; i < m->nconsumes; i++) {
		csf_ey_item_kv(b, 2, "event", m->consumes[i]);
		csf_ey_kv(b, 4, "topic", rd_topic(m, m->consumes[i]));
		if (!strcmp(m->provider, "aws"))
			csf_ey_kv(b, 4, "queue", rd_queue(m, rd_fmt(m, "%s-%s", m->name, m->consumes[i])));
		else
			csf_ey_kv(b, 4, "subscription", !strcmp(m->provider, "azure") ? m->name
					: rd_queue(m, rd_fmt(m, "%s-%s", m->name, m->consumes[i])));
	}
}
