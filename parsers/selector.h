// parsers/selector.h: a small CSS selector matcher over Gumbo trees, for the rules in site configs.
// Supported (CSS Selectors Level 3 subset): type (`div`, `*`), `#id`, `.class`, `[attr]`,
// `[attr=v]`, `[attr~=v]`, `[attr^=v]`, `[attr$=v]`, `[attr*=v]` (quoted or bare values; a trailing
// ` i` flag for case-insensitive values), `:not(<compound selector>)`, `:first-child`,
// `:last-child`, descendant (` `) and child (`>`) combinators, adjacent (`+`) and general (`~`)
// sibling combinators, and selector lists (`a, b`). Type and attribute names are
// case-insensitive; class and id are case-sensitive, as in HTML standards mode.
#pragma once

#include <gumbo.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace provarc {

class Selector {
 public:
  // Parses a selector list. Fails with "selector "<text>": at column N: what was expected".
  static Result<Selector> parse(std::string_view text);

  // True when `node` (an element) matches any selector of the list. Thread-safe.
  bool matches(const GumboNode* node) const;

  // Every matching element in the subtree of `root` (root included), in document order.
  std::vector<GumboNode*> select_all(GumboNode* root) const;
  // The first matching element in document order, or nullptr.
  GumboNode* select_first(GumboNode* root) const;

  const std::string& source() const { return source_; }

  Selector(const Selector&);
  Selector& operator=(const Selector&);
  Selector(Selector&&) noexcept;
  Selector& operator=(Selector&&) noexcept;
  ~Selector();

 private:
  Selector() = default;
  struct Impl;
  std::string source_;
  std::shared_ptr<const Impl> impl_;  // immutable after parse, shared between copies
};

}  // namespace provarc
