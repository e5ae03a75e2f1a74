/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Whole small files (a module's .ko, a source file) read into memory. */
#ifndef VM_FILE_H
#define VM_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/*
 * The whole regular file at path in a malloc'd buffer, with a NUL byte
 * after its size bytes (for text).  A file of more than max bytes is
 * refused, as more than any `what` ("a module") can be; VM_ENOENT when it
 * does not exist.  Opened O_NONBLOCK: a FIFO put in its place is refused,
 * not waited on.
 */
int vm_read_file(const char *path, size_t max, const char *what, uint8_t **buf,
		 size_t *size, struct vm_err *e);

#endif
