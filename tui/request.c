#include "tui/request.h"

#include <ctype.h>
#include <string.h>

static const struct tui_request_info requests[] = {
#define REQUEST_ROW(group, name, help) { REQ_##name, #group, #name, help },
	REQUEST_INFO(REQUEST_ROW)
#undef REQUEST_ROW
};

const struct tui_request_info *
tui_request_table(size_t *n)
{
	*n = sizeof(requests) / sizeof(requests[0]);
	return requests;
}

const struct tui_request_info *
tui_request_info(enum request req)
{
	if (req <= REQ_UNKNOWN || req >= REQ_COUNT)
		return NULL;
	return &requests[req - REQ_UNKNOWN - 1];
}

const char *
tui_request_name(enum request req, char *out, size_t n)
{
	const struct tui_request_info *ri = tui_request_info(req);
	const char *src = ri ? ri->id : req == REQ_NONE ? "none" : "unknown";
	size_t i;

	if (!n)
		return out;
	for (i = 0; src[i] && i + 1 < n; i++)
		out[i] = src[i] == '_' ? '-' : (char)tolower((unsigned char)src[i]);
	out[i] = '\0';
	return out;
}

enum request
tui_request_parse(const char *name, size_t len)
{
	size_t i, k;

	if (len == 4 && !strncmp(name, "none", 4))
		return REQ_NONE;
	for (i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		const char *id = requests[i].id;

		for (k = 0; k < len && id[k]; k++) {
			int c = name[k] == '-' ? '_' : toupper((unsigned char)name[k]);

			if (c != id[k])
				break;
		}
		if (k == len && !id[k])
			return requests[i].req;
	}
	return REQ_UNKNOWN;
}
