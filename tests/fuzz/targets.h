// tests/fuzz/targets.h: the fuzz targets' entry logic as plain functions, shared by the libFuzzer
// executables (tests/fuzz/*_fuzz.cc) and the replay of saved inputs (fuzz_regressions_test.cc).
//
// A target feeds one input to a module's parser and then checks what the module promises beyond
// "does not crash": output that is valid UTF-8, canonical forms that are idempotent, spans that lie
// inside the text, JSON that round-trips. ASan and UBSan (both fuzz and sanitizer builds have
// them) catch memory and arithmetic errors; a broken promise comes back as a failed Status.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace provarc::fuzz {

// Every target's name, in the order scripts/fuzz and .ci/run list them: "robots", "decode",
// "extract-sharepoint", "extract-websphere", "extract-aspnet", "extract-liferay",
// "extract-generic", "dates", "selector", "config", "url", "sitemap", "warc", "archived".
const std::vector<std::string>& target_names();

// Runs the target `name` on `input`. Ok when every checked promise held; otherwise a failure
// naming the target and the promise broken. Fails too when `name` is not a target. Any input is
// accepted, including empty and binary. Not thread-safe: targets build shared state (the platform
// presets, the selector target's document, the config target's temp directory) on first use.
Status run_target(std::string_view name, std::string_view input);

// What the web reader must never serve in an archived page (web/archived.h), found by parsing
// `rewritten_html` as a browser would: an element that runs, embeds or sets the base or policies
// (script, iframe, object, embed, base, meta other than charset, svg, math, ...), an event
// handler attribute, a fetching or navigating attribute whose URL is not the reader's own
// ("/capture/<id>", "/raw/<id>", or a "#fragment" link), a style with a url() not the reader's.
// One line per violation; empty when there is none.
std::vector<std::string> archived_page_violations(std::string_view rewritten_html);

// The same, for LLVMFuzzerTestOneInput: runs the target and, when a promise is broken, prints the
// failure to stderr and aborts, so that libFuzzer records the input as a crash. Returns 0.
int run_fuzzer_input(std::string_view name, const uint8_t* data, size_t size);

}  // namespace provarc::fuzz
