/* kernel/proc/exec.h: replacing a process's program with an ELF file. */
#ifndef KERNEL_PROC_EXEC_H
#define KERNEL_PROC_EXEC_H

#define MAXARG		32		/* arguments at most */
#define ARGBYTES	4096		/* bytes of argument strings at most */
#define USTACK_SIZE	(1u << 20)	/* the user stack region */

/*
 * Run the program at path with argv (kernel strings, NULL-terminated) in
 * the current process. On success the old image is gone and the process
 * resumes at the new entry point; on failure (-ENOENT, -ENOEXEC, -E2BIG,
 * -ENOMEM) the process is exactly as it was.
 */
int exec(const char *path, char *const argv[]);
#endif
