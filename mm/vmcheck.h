/*
 * mm/vmcheck.h: checking the page tables and the rmap against each other.
 *
 * rmap_verify walks every address space's tables and every page's rmap
 * and reports each place where the two disagree: a present PTE with no
 * rmap entry, an entry naming a PTE that does not map its page, counts
 * (mapcount, nr_present, table users) that do not match what is there.
 * The self-tests run it after every test (it is a CONSISTENCY_CHECK); the
 * vmcheck option checks after every fork, exec and exit (mm/vmcheck.c says
 * how it keeps that affordable with thousands of processes).
 */
#ifndef MM_VMCHECK_H
#define MM_VMCHECK_H

/* Check every address space against every page's rmap, in both directions;
   print each difference (the first few) and return how many there were. */
int rmap_verify(void);
struct mm;
/* The same for one address space: its tables, and the rmap of every page
   they map (entries and map counts); the problems it found. */
int mm_verify(struct mm *mm);
/* With the vmcheck option, after an operation on the address spaces (mm:
   the one it made, or NULL): mm_verify(mm), and every so often (every
   time while there are few address spaces) rmap_verify; panics, naming
   when, on a problem. */
void vmcheck(const char *when, struct mm *mm);
#endif
