#include "html/extract_rules.h"

#include <algorithm>
#include <utility>

#include "common/digest.h"

namespace provarc {
namespace {

std::string escaped(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

// Where a key's lines stand in canonical_rules(): alphabetical, but `lead` right after `date`.
std::string digest_order(std::string_view key) {
  return key == "lead" ? std::string("date\x01") : std::string(key);
}

// Appends one "key=value" line per value of the rule `field` of `rules`.
void append_rule(const RuleField& field, const ExtractRules& rules, std::string& out) {
  auto add = [&](std::string_view value) {
    out.append(field.key).append("=").append(escaped(value)).append("\n");
  };
  switch (field.kind) {
    case RuleKind::kFieldElements:
    case RuleKind::kChromeElements:
    case RuleKind::kBodyElements:
      for (const Selector& selector : rules.*field.selectors) add(selector.source());
      break;
    case RuleKind::kPatterns:
      for (const Pattern& pattern : rules.*field.patterns) add(pattern.source());
      break;
    case RuleKind::kLines:
    case RuleKind::kExtensions:
      for (const std::string& text : rules.*field.strings) add(text);
      break;
    case RuleKind::kDateOrder:
      add(rules.*field.date_order == DateOrder::kMonthFirst ? "month-first" : "day-first");
      break;
    case RuleKind::kFlag:
      add(rules.*field.flag ? "true" : "false");
      break;
    case RuleKind::kCount:
      add(std::to_string(rules.*field.count));
      break;
  }
}

}  // namespace

const RuleField* find_rule(std::string_view key) {
  for (const RuleField& field : kExtractRules) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

std::string canonical_rules(const ExtractRules& rules) {
  // The table's rows and `platform` (a null row), in digest order.
  std::vector<std::pair<std::string, const RuleField*>> order;
  order.emplace_back("platform", nullptr);
  for (const RuleField& field : kExtractRules) order.emplace_back(digest_order(field.key), &field);
  std::sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [position, field] : order) {
    if (field == nullptr) {
      out.append("platform=").append(escaped(rules.platform)).append("\n");
    } else {
      append_rule(*field, rules, out);
    }
  }
  return out;
}

std::string rules_digest(const ExtractRules& rules) { return sha256_hex(canonical_rules(rules)); }

}  // namespace provarc
