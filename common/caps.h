/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Limits shared across layers, so that no two places disagree about them
 * (a printer allowing deeper nesting than the writer it feeds is how an
 * out-of-bounds write happens).
 */
#ifndef VM_CAPS_H
#define VM_CAPS_H

#include <stdint.h>

/* How deeply a printed value may nest (a struct in a struct in an array
 * ...), counted from the value itself.  Every printer of typed values, text
 * (types/value.c) or JSON (out/value.c), stops there with an error; the
 * JSON writer (out/json.h) has room for this many levels plus the record
 * around the value, and refuses anything deeper. */
#define VM_NEST_MAX 48

/* The largest typed value read from a dump and printed in one piece.  No
 * kernel object worth printing whole comes near it (task_struct is ~10 KiB,
 * pglist_data a few hundred); a type whose size is larger is refused with
 * its size named: a corrupt or hostile type record is not an allocation. */
#define VM_VALUE_SIZE_MAX ((uint64_t)16 << 20)

#endif
