// SPDX-License-Identifier: GPL-2.0-or-later
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int vm_read_file(const char *path, size_t max, const char *what, uint8_t **buf,
		 size_t *size, struct vm_err *e)
{
	struct stat st;
	size_t got = 0;
	uint8_t *b;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return vm_fail(e, errno == ENOENT ? VM_ENOENT : VM_EIO, "%s: %s", path,
			       strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return vm_fail(e, VM_EIO, "%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return vm_fail(e, VM_ENOMEM, "%s: %lld bytes, more than %s can be",
			       path, (long long)st.st_size, what);
	}
	b = vm_malloc((size_t)st.st_size + 1, e);
	if (!b) {
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, b + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			vm_fail(e, VM_EIO, "%s: read: %s", path,
				r < 0 ? strerror(errno) : "file shrank");
			free(b);
			close(fd);
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	b[got] = '\0';
	*buf = b;
	*size = got;
	return 0;
}
