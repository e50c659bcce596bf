// tests/fuzz/extract_websphere_fuzz.cc: libFuzzer entry of the "extract-websphere" target.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return provarc::fuzz::run_fuzzer_input("extract-websphere", data, size);
}
