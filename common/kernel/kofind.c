// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The .ko files under the module directories (kofind.h), read once per
 * kernel handle: a real /lib/modules/RELEASE holds thousands of files,
 * and symbols, lines and types each ask for every loaded module.
 */
#include "kofind.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "debuginfo.h"

/* /lib/modules/R/kernel/drivers/net/ethernet/intel/e1000e/e1000e.ko is 6
 * levels down */
#define KO_SEARCH_DEPTH 8
/* directory entries looked at, over all directories (a Debian
 * /lib/modules/R has some 6000): a huge tree must not keep us busy */
#define KO_MAX_VISITS (1u << 18)
#define KO_MAX_FILES (1u << 16)

struct kofile {
	char *key;        /* the module name the file is for ('-' made '_') */
	char *path;
};

struct vm_koindex {
	struct kofile *f;
	size_t n, cap;
	unsigned visits;
	bool given;
	char where[1024]; /* the directories, for messages */
};

/* The module name NAME.ko, NAME.ko.xz ... is for, into key; false if
 * the file is no module. */
static bool ko_key(const char *file, char *key, size_t n)
{
	static const char *const ext[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };
	size_t len = strlen(file), el = 0, i;

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		el = strlen(ext[i]);
		if (len > el && len - el < n && !strcmp(file + len - el, ext[i]))
			break;
	}
	if (i == sizeof(ext) / sizeof(ext[0]))
		return false;
	len -= el;
	for (i = 0; i < len; i++)
		key[i] = file[i] == '-' ? '_' : file[i];
	key[len] = '\0';
	return true;
}

static int add_file(struct vm_koindex *x, const char *key, const char *path,
		    struct vm_err *e)
{
	struct kofile *f;

	if (x->n == x->cap) {
		size_t ncap = x->cap ? x->cap * 2 : 64;

		f = vm_realloc_array(x->f, ncap, sizeof(*f), e);
		if (!f)
			return -1;
		x->f = f;
		x->cap = ncap;
	}
	f = &x->f[x->n];
	f->key = vm_strdup(key, e);
	f->path = f->key ? vm_strdup(path, e) : NULL;
	if (!f->path) {
		free(f->key);
		return -1;
	}
	x->n++;
	return 0;
}

/* The files of dir first, then its subdirectories (a module's copy
 * nearest the top comes first, and one directory is open at a time).
 * Symbolic links to directories are not followed: /lib/modules/R/build
 * and source point at a kernel tree with no modules, and a link may loop. */
static int scan(struct vm_koindex *x, const char *dir, int depth, struct vm_err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **sub = NULL, **ns;
	size_t nsub = 0, cap = 0, i;
	int r = 0;

	if (!d)
		return 0;
	while (r == 0 && (de = readdir(d)) && x->visits < KO_MAX_VISITS &&
	       x->n < KO_MAX_FILES) {
		char path[4096], key[256];
		bool isdir = de->d_type == DT_DIR, isreg = de->d_type == DT_REG;
		struct stat st;

		x->visits++;
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
			continue;
		/* file systems without d_type; a link to a .ko is taken */
		if (de->d_type == DT_UNKNOWN && lstat(path, &st) == 0) {
			isdir = S_ISDIR(st.st_mode);
			isreg = S_ISREG(st.st_mode);
		} else if (de->d_type == DT_LNK && stat(path, &st) == 0) {
			isreg = S_ISREG(st.st_mode);
		}
		if (isreg && ko_key(de->d_name, key, sizeof(key))) {
			r = add_file(x, key, path, e);
		} else if (isdir && depth > 0) {
			if (nsub == cap) {
				cap = cap ? cap * 2 : 16;
				ns = vm_realloc_array(sub, cap, sizeof(*sub), e);
				if (!ns) {
					r = -1;
					break;
				}
				sub = ns;
			}
			if (!(sub[nsub] = vm_strdup(path, e)))
				r = -1;
			else
				nsub++;
		}
	}
	closedir(d);
	for (i = 0; i < nsub; i++) {
		if (r == 0)
			r = scan(x, sub[i], depth - 1, e);
		free(sub[i]);
	}
	free(sub);
	return r;
}

static struct vm_koindex *build(struct vm_kernel *k, struct vm_err *e)
{
	struct vm_koindex *x = vm_calloc(1, sizeof(*x), e);
	char dirs[2][4096];
	unsigned nd = 0, i;

	if (!x)
		return NULL;
	if (k->opts && k->opts->moddir) {
		x->given = true;
		snprintf(dirs[nd++], sizeof(dirs[0]), "%s", k->opts->moddir);
	} else {
		const char *rel = vm_kernel_release(k), *root = vm_debug_root();

		if (!rel) {
			vm_fail(e, VM_ENOENT, "no module directory: give -M DIR (the dump "
				"names no release for /lib/modules)");
			free(x);
			return NULL;
		}
		snprintf(dirs[nd++], sizeof(dirs[0]), "%s/usr/lib/debug/lib/modules/%s",
			 root, rel);
		snprintf(dirs[nd++], sizeof(dirs[0]), "%s/lib/modules/%s", root, rel);
	}
	for (i = 0; i < nd; i++) {
		if (scan(x, dirs[i], KO_SEARCH_DEPTH, e) < 0) {
			vm_koindex_free(x);
			return NULL;
		}
		snprintf(x->where + strlen(x->where), sizeof(x->where) - strlen(x->where),
			 "%s%s", i ? " or " : "", dirs[i]);
	}
	if (x->visits >= KO_MAX_VISITS || x->n >= KO_MAX_FILES)
		vm_kernel_note(k, "modules: stopped looking for .ko files under %s after "
			       "%u entries, %zu modules", x->where, x->visits, x->n);
	return x;
}

int vm_kofind(struct vm_kernel *k, const char *name, struct vm_kofiles *out,
	      struct vm_err *e)
{
	struct vm_koindex *x;
	char key[256];
	size_t i;

	out->n = 0;
	if (!k->koidx_tried) {
		k->koidx_tried = true;
		vm_err_clear(&k->koidx_err);
		k->koidx = build(k, &k->koidx_err);
	}
	x = k->koidx;
	if (!x) {
		*e = k->koidx_err;
		return -1;
	}
	snprintf(key, sizeof(key), "%s", name);
	for (i = 0; key[i]; i++)
		if (key[i] == '-')
			key[i] = '_';
	for (i = 0; i < x->n && out->n < VM_KO_MAX_CANDIDATES; i++)
		if (!strcmp(x->f[i].key, key))
			out->path[out->n++] = x->f[i].path;
	if (!out->n)
		return vm_fail(e, VM_ENOENT, "no %s.ko (or .ko.xz, .ko.zst, .ko.gz) under %s",
			       name, x->where);
	return 0;
}

bool vm_kofind_given(const struct vm_kernel *k)
{
	return k->opts && k->opts->moddir;
}

void vm_koindex_free(struct vm_koindex *x)
{
	size_t i;

	if (!x)
		return;
	for (i = 0; i < x->n; i++) {
		free(x->f[i].key);
		free(x->f[i].path);
	}
	free(x->f);
	free(x);
}
