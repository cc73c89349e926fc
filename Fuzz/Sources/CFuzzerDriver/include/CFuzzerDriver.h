// libFuzzer's driver entry point (compiler-rt FuzzerInterface.h), declared for Swift. The fuzz executables call it
// from their own `main` because SwiftPM renames an executable's entry point, which rules out libFuzzer's `main`.
#ifndef CFUZZERDRIVER_H
#define CFUZZERDRIVER_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
