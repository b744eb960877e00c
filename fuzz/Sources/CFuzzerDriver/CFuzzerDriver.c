// Empty: the declaration in include/CFuzzerDriver.h is all this target provides; the
// definition is in libFuzzer, linked by -sanitize=fuzzer.
