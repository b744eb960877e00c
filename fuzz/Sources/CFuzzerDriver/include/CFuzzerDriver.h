// libFuzzer's driver entry point (compiler-rt's FuzzerInterface.h), which runs the
// fuzzing loop with the given callback. See FuzzerEntry/FuzzerMain.swift for why the
// targets call it rather than let libFuzzer's own main() run.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
