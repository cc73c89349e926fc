// CPrefetch: the compiler's prefetch hint, which Swift cannot spell, for the engine and the models.
#ifndef DNSCASCADE_CPREFETCH_H
#define DNSCASCADE_CPREFETCH_H

/// Asks the processor to bring the cache line holding `address` into its caches, for reading. Only a hint: it never
/// faults (any address may be given) and changes no result, only how soon a later read of that line finishes.
static inline void cprefetch_read(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
