// Header-only: the symbol is in libFuzzer (linked by -sanitize=fuzzer).
