/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Run queues as crash's `runq` shows them (vmps --runq):
 *
 *   VM_RUNQ_QUEUES  crash's runq: per CPU its rq, current task, the RT
 *                   prio array and the CFS tree with the tasks queued in
 *                   each; the deadline tree and a queued stopper thread
 *                   follow when they hold a task (crash 8.0.2 shows
 *                   neither)
 *   VM_RUNQ_STAMPS  crash's runq -t: each CPU's rq clock and the current
 *                   task's last arrival, then (beyond crash) each queued
 *                   task's, in the same columns
 *   VM_RUNQ_SINCE   crash's runq -m: how long the current task has been
 *                   running ([days hh:mm:ss.ms] of rq clock minus its last
 *                   arrival), then (beyond crash) how long each queued task
 *                   has waited since it last ran
 * With --json one record per CPU whatever the view.
 */
#ifndef VM_OUT_RUNQ_H
#define VM_OUT_RUNQ_H

#include <stdio.h>

#include "../kernel/runq.h"
#include "json.h"
#include "../vmcore_types.h"


void vm_out_runq(FILE *f, struct vm_json *j, const struct vm_runq *q, unsigned n,
		 enum vm_runq_view view);

#endif
