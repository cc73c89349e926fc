// first-touch: how fast a new process can write memory it has just mapped, in 2 MiB huge pages or 4 KiB pages.
//
// In a virtual machine whose host takes back the memory its guest frees, the first write to such memory also waits
// for the host to back it; memory freed by a process a moment before is fast again. docs/performance.md (eleventh
// session) uses it to explain the system time of the 1 M-client scaling point.
//
//   cc -O2 -o /tmp/first-touch scripts/first-touch.c
//   /tmp/first-touch 256 1; sleep 5; /tmp/first-touch 256 1; /tmp/first-touch 256 0
//
// Arguments: MiB to map, then 1 for huge pages (madvise) or 0 for ordinary ones. Prints three rounds, each the first
// write (memset) of a fresh mapping and a second write of the same memory, then unmaps it.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s MIB HUGE(0|1)\n", argv[0]);
        return 2;
    }
    const size_t bytes = (size_t)strtoul(argv[1], NULL, 10) << 20;
    const int huge = atoi(argv[2]);
    const size_t page = (size_t)2 << 20;
    for (int round = 0; round < 3; round++) {
        char *mapped = mmap(NULL, bytes + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mapped == MAP_FAILED) {
            perror("mmap");
            return 1;
        }
        char *start = (char *)(((size_t)mapped + page - 1) & ~(page - 1));
        if (huge) madvise(start, bytes, MADV_HUGEPAGE);
        const double t0 = now();
        memset(start, 1, bytes);
        const double t1 = now();
        memset(start, 2, bytes);
        const double t2 = now();
        printf("%zu MiB, huge pages %s: first write %.1f ms (%.2f GB/s), second %.1f ms\n", bytes >> 20, huge ? "on" : "off",
               (t1 - t0) * 1e3, (double)bytes / (t1 - t0) / 1e9, (t2 - t1) * 1e3);
        munmap(mapped, bytes + page);
    }
    return 0;
}
