/*
 * mm/vmcheck.h: checking the page tables and the rmap against each other.
 *
 * rmap_verify walks every address space's tables and every page's rmap
 * and reports each place where the two disagree: a present PTE with no
 * rmap entry, an entry naming a PTE that does not map its page, counts
 * (mapcount, nr_present, table users) that do not match what is there.
 * The self-tests run it after every test (it is a CONSISTENCY_CHECK); the
 * vmcheck option also runs it after every fork, exec and exit.
 */
#ifndef MM_VMCHECK_H
#define MM_VMCHECK_H

/* Check every address space against every page's rmap, in both directions;
   print each difference (the first few) and return how many there were. */
int rmap_verify(void);
/* With the vmcheck option: rmap_verify, panicking on a problem, naming when. */
void vmcheck(const char *when);
#endif
