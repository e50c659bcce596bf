// tests/fuzz/extract_sharepoint_fuzz.cc: libFuzzer entry of the "extract-sharepoint" target.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return provarc::fuzz::run_fuzzer_input("extract-sharepoint", data, size);
}
