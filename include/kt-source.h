/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-source.h - where bytes come from: a file, stdin, a gzip file or stream,
 * or /dev/kmsg.  A source knows nothing of log formats.
 *
 * Ownership: kt_source_open_*() return a source the caller frees with
 * kt_source_free() (which closes it; NULL is accepted).  Errors are -errno.
 */
#ifndef KT_SOURCE_H
#define KT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct kt_source;

/*
 * path "-" is stdin.  gzip input (by magic bytes, not by name) is inflated
 * transparently.  With follow, EOF waits for appended data, and a file that
 * is replaced (rotated) or truncated is reopened, like tail -F.
 */
int kt_source_open_file(const char *path, bool follow, struct kt_source **ret);

/*
 * /dev/kmsg (or another path with the same record semantics, for tests).
 * Without follow, reading stops when no record is pending.
 */
int kt_source_open_kmsg(const char *path, bool follow, struct kt_source **ret);

/*
 * Several files read as one input, in order (pstore record parts), each
 * without its first line when skip_header.  name is what messages show.
 */
int kt_source_open_parts(const char *name, char *const *paths, size_t n, bool skip_header,
			 struct kt_source **ret);

/*
 * A byte buffer read as a regular file (gzip detected as for files), for
 * tests and fuzzing.  The buffer is borrowed: it must outlive the source.
 */
int kt_source_open_mem(const char *name, const char *buf, size_t len,
		       struct kt_source **ret);
/* The same on an open descriptor with record boundaries (takes it over). */
int kt_source_open_kmsg_fd(int fd, const char *name, bool follow, struct kt_source **ret);

/*
 * A second, independent reading of the same input, for another thread:
 * a regular file not followed (opened again by name) or a memory buffer,
 * before anything was read from src.  From then on both stop at the size
 * src had when it was opened, so they read the same bytes even while the
 * file grows.  -ENOTSUP for other sources, -ESTALE when the name now
 * belongs to another file, or -errno from open().
 */
int kt_source_reopen(struct kt_source *src, struct kt_source **ret);

void kt_source_free(struct kt_source *src);

/*
 * Read up to len bytes.  >0 bytes read, 0 at end of input, or -errno.  A
 * kmsg source returns exactly one record per call; -EPIPE there means the
 * kernel overwrote records we had not read yet (reading may go on).
 * -EINTR is returned when interrupted by a signal.
 */
ssize_t kt_source_read(struct kt_source *src, char *buf, size_t len);

const char *kt_source_name(const struct kt_source *src);
bool kt_source_is_kmsg(const struct kt_source *src);
/* Input arrives over time (pipe, terminal, follow, kmsg): flush per message. */
bool kt_source_is_live(const struct kt_source *src);
/* Would a read block right now?  (Only meaningful for live sources.) */
bool kt_source_would_block(const struct kt_source *src);
/* Bytes consumed from the underlying file so far (for progress). */
unsigned long long kt_source_offset(const struct kt_source *src);
/* Size of a regular uncompressed-or-not file at open, or 0 if unknown. */
unsigned long long kt_source_size(const struct kt_source *src);
/* While following, give up waiting (-EINTR) once *flag becomes non-zero. */
void kt_source_set_interrupt(struct kt_source *src, volatile int *flag);

#endif
