// tests/fuzz/archived_fuzz.cc: libFuzzer entry of the "archived" target.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return provarc::fuzz::run_fuzzer_input("archived", data, size);
}
