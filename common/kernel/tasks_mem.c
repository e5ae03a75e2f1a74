// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Memory counters of the tasks: total_vm and RSS as tasks.h describes them
 * (the mm's counters in whichever shape this kernel has, plus the unsynced
 * per-task caches of every task using the mm).
 */
#include "tasks_impl.h"

#include <stdlib.h>
#include <string.h>

static int64_t read_s64(struct vm_mem *m, uint64_t addr, bool *ok)
{
	struct vm_err re;
	uint64_t v;

	if (vm_kread_u64(m, addr, &v, &re) < 0) {
		*ok = false;
		return 0;
	}
	return (int64_t)v;
}

/* The mm's own counters, count[i] for i < rss_n. */
static bool mm_counters(const struct task_layout *l, const struct vm_percpu *pc,
			uint64_t mm, int64_t *cnt)
{
	bool ok = true;
	unsigned i, cpu;

	memset(cnt, 0, sizeof(int64_t) * VM_MM_COUNTERS_MAX);
	switch (l->rss_shape) {
	case RSS_ATOMIC:
		for (i = 0; i < l->rss_n; i++)
			cnt[i] = read_s64(l->m, mm + l->mm_rss.off + 8ull * i, &ok);
		break;
	case RSS_PERCPU:
		for (i = 0; i < l->rss_n && ok; i++) {
			uint64_t fbc = mm + l->mm_rss.off + i * l->pcc_size, ptr, a;
			struct vm_err re;
			uint32_t v;

			cnt[i] = read_s64(l->m, fbc + l->pcc_count, &ok);
			if (vm_kread_u64(l->m, fbc + l->pcc_counters, &ptr, &re) < 0) {
				ok = false;
				break;
			}
			/* folded at CPU hot-unplug, so every possible CPU may hold
			 * a share, including those panic() marked offline */
			for (cpu = 0; ptr && pc && cpu < pc->nr_cpu_ids; cpu++)
				if (vm_percpu_ptr(pc, ptr, cpu, &a, &re) == 0 &&
				    vm_kread_u32(l->m, a, &v, &re) == 0)
					cnt[i] += (int32_t)v;
		}
		break;
	case RSS_OLD:
		cnt[MM_FILE] = read_s64(l->m, mm + l->file_rss.off, &ok);
		cnt[MM_ANON] = read_s64(l->m, mm + l->anon_rss.off, &ok);
		break;
	case RSS_NONE:
		return false;
	}
	return ok;
}

static int cmp_by_mm(const void *a, const void *b)
{
	const struct vm_task_info *x = *(struct vm_task_info *const *)a;
	const struct vm_task_info *y = *(struct vm_task_info *const *)b;

	return x->mm < y->mm ? -1 : x->mm > y->mm;
}

int vm_tasks_fill_mem(const struct task_layout *l, const struct vm_percpu *pc,
		      struct vm_tasklist *tl, struct vm_err *e)
{
	struct vm_task_info **by_mm;
	size_t i, j, n = 0;

	if (!l->total_vm.ok)
		return 0;
	by_mm = vm_calloc(tl->n ? tl->n : 1, sizeof(*by_mm), e);
	if (!by_mm)
		return -1;
	for (i = 0; i < tl->n; i++)
		if (tl->t[i].mm)
			by_mm[n++] = &tl->t[i];
	qsort(by_mm, n, sizeof(*by_mm), cmp_by_mm);
	for (i = 0; i < n; i = j) {
		int64_t cnt[VM_MM_COUNTERS_MAX], sum = 0;
		uint64_t mm = by_mm[i]->mm, total_vm;
		struct vm_err re;
		bool ok;
		unsigned ci;

		/* the unsynced deltas of every task using this mm */
		for (j = i; j < n && by_mm[j]->mm == mm; j++)
			;
		ok = vm_kread_u64(l->m, mm + l->total_vm.off, &total_vm, &re) == 0;
		if (!ok)
			continue;      /* left without have_mem: shown as 0 */
		ok = mm_counters(l, pc, mm, cnt);
		for (ci = 0; ok && ci < l->rss_n; ci++) {
			size_t t;

			if (l->rss_shape != RSS_OLD && ci != MM_FILE && ci != MM_ANON &&
			    ci != MM_SHMEM)
				continue;
			if (l->rss_cache.ok && ci < l->rss_cache.size / 4)
				for (t = i; t < j; t++)
					cnt[ci] += by_mm[t]->rss_cache[ci];
			if (cnt[ci] > 0)
				sum += cnt[ci];
		}
		if (l->rss_shape == RSS_OLD)
			sum = (cnt[MM_FILE] > 0 ? cnt[MM_FILE] : 0) +
			      (cnt[MM_ANON] > 0 ? cnt[MM_ANON] : 0);
		for (; i < j; i++) {
			by_mm[i]->total_vm = total_vm;
			by_mm[i]->rss = ok ? (uint64_t)sum : 0;
			by_mm[i]->have_mem = true;
		}
		i = j;
	}
	free(by_mm);
	return 0;
}

