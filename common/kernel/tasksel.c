// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Task selection and the per-state summary (see tasksel.h).
 */
#include "tasksel.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* crash's codes (task.c task_state_string()); SW is TASK_SWAPPING of 2.4
 * kernels, accepted for runbooks that name it */
const char *const vm_task_state_codes[] = {
	"RU", "IN", "UN", "ST", "TR", "ZO", "DE", "SW", "WA", "PA", "ID", "NE", NULL,
};

void vm_tasksel_init(struct vm_tasksel *s)
{
	memset(s, 0, sizeof(*s));
}

void vm_tasksel_free(struct vm_tasksel *s)
{
	if (s->have_comm)
		regfree(&s->comm);
	free(s->pids);
	memset(s, 0, sizeof(*s));
}

static int code_index(const char *c, size_t len)
{
	int i;

	for (i = 0; vm_task_state_codes[i]; i++)
		if (len == 2 && !strncasecmp(vm_task_state_codes[i], c, 2))
			return i;
	return -1;
}

int vm_tasksel_states(struct vm_tasksel *s, const char *list, struct vm_err *e)
{
	const char *p = list;

	if (!*list)
		return vm_fail(e, VM_EINVAL, "empty state list");
	while (*p) {
		size_t len = strcspn(p, ",");
		int i = code_index(p, len);

		if (i < 0)
			return vm_fail(e, VM_EINVAL, "unknown task state '%.*s' (one of RU IN "
				       "UN ST TR ZO DE SW WA PA ID NE)", (int)(len > 32 ? 32 : len),
				       p);
		s->states |= UINT32_C(1) << i;
		p += len;
		if (*p == ',' && !*++p)
			return vm_fail(e, VM_EINVAL, "state list '%s' ends with a comma", list);
	}
	return 0;
}

int vm_tasksel_comm(struct vm_tasksel *s, const char *re, struct vm_err *e)
{
	regex_t r;
	int rc = regcomp(&r, re, REG_EXTENDED | REG_NOSUB);

	if (rc) {
		char msg[256];

		regerror(rc, &r, msg, sizeof(msg));
		return vm_fail(e, VM_EINVAL, "command regex '%s': %s", re, msg);
	}
	if (s->have_comm)
		regfree(&s->comm);
	s->comm = r;
	s->have_comm = true;
	return 0;
}

/* A PID: decimal, 0..PID_MAX_LIMIT (4M) */
static int parse_pid(const char *p, size_t len, int32_t *out)
{
	char buf[16];
	char *end;
	long v;

	if (!len || len >= sizeof(buf) || !isdigit((unsigned char)p[0]))
		return -1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || *end || v < 0 || v > 4 * 1024 * 1024)
		return -1;
	*out = (int32_t)v;
	return 0;
}

int vm_tasksel_pids(struct vm_tasksel *s, const char *list, struct vm_err *e)
{
	const char *p = list;

	if (!*list)
		return vm_fail(e, VM_EINVAL, "empty PID list");
	while (*p) {
		size_t len = strcspn(p, ","), dash = strcspn(p, "-");
		struct vm_pid_range r;
		void *np;

		if (dash < len) {
			if (parse_pid(p, dash, &r.lo) < 0 ||
			    parse_pid(p + dash + 1, len - dash - 1, &r.hi) < 0 || r.hi < r.lo)
				return vm_fail(e, VM_EINVAL, "bad PID range '%.*s'",
					       (int)(len > 32 ? 32 : len), p);
		} else if (parse_pid(p, len, &r.lo) < 0) {
			return vm_fail(e, VM_EINVAL, "bad PID '%.*s'", (int)(len > 32 ? 32 : len), p);
		} else {
			r.hi = r.lo;
		}
		if (s->npids >= VM_TASKSEL_MAX_PIDS)
			return vm_fail(e, VM_EINVAL, "more than %d PIDs", VM_TASKSEL_MAX_PIDS);
		np = vm_realloc_array(s->pids, s->npids + 1, sizeof(*s->pids), e);
		if (!np)
			return -1;
		s->pids = np;
		s->pids[s->npids++] = r;
		p += len;
		if (*p == ',' && !*++p)
			return vm_fail(e, VM_EINVAL, "PID list '%s' ends with a comma", list);
	}
	return 0;
}

bool vm_tasksel_any(const struct vm_tasksel *s)
{
	return !s->states && !s->have_comm && !s->npids;
}

bool vm_tasksel_match(const struct vm_tasksel *s, const struct vm_task_info *t)
{
	size_t i;

	if (s->states) {
		int c = code_index(t->st, strlen(t->st));

		if (c < 0 || !(s->states >> c & 1))
			return false;
	}
	if (s->have_comm && regexec(&s->comm, t->comm, 0, NULL, 0) != 0)
		return false;
	if (s->npids) {
		for (i = 0; i < s->npids; i++)
			if (t->pid >= s->pids[i].lo && t->pid <= s->pids[i].hi)
				break;
		if (i == s->npids)
			return false;
	}
	return true;
}

static size_t count_state(const struct vm_task_info *t, struct vm_state_count *out,
			  size_t n, size_t max)
{
	size_t k;

	for (k = 0; k < n && strcmp(out[k].st, t->st); k++)
		;
	if (k == n) {
		if (n == max)
			return n;
		memcpy(out[n].st, t->st, sizeof(out[n].st));
		out[n].st[2] = '\0';
		out[n++].n = 0;
	}
	out[k].n++;
	return n;
}

size_t vm_tasks_summary(const struct vm_tasklist *tl, const struct vm_tasksel *s,
			struct vm_state_count *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < tl->n; i++)
		if (!s || vm_tasksel_match(s, &tl->t[i]))
			n = count_state(&tl->t[i], out, n, max);
	return n;
}

size_t vm_tasks_summary_of(const struct vm_task_info *const *v, size_t nv,
			   struct vm_state_count *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < nv; i++)
		n = count_state(v[i], out, n, max);
	return n;
}

struct vm_tasksel *vm_tasksel_new(struct vm_err *e)
{
	struct vm_tasksel *s = vm_calloc(1, sizeof(*s), e);

	if (s)
		vm_tasksel_init(s);
	return s;
}

void vm_tasksel_close(struct vm_tasksel *s)
{
	if (!s)
		return;
	vm_tasksel_free(s);
	free(s);
}
