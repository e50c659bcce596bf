// html/selector.h: a small CSS selector matcher over Gumbo trees, for the rules in site configs.
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
  friend class SelectorSet;
  Selector() = default;
  struct Impl;
  std::string source_;
  std::shared_ptr<const Impl> impl_;  // immutable after parse, shared between copies
};

// A list of selectors compiled for testing every element of a tree against all of them at once.
// Each complex selector is filed under one thing its element must have (the rightmost compound's
// #id, else a .class, else an attribute, else the tag), so an element is tested only against the
// selectors that could match it, and its attributes are read once, not once per selector.
// Adding is not thread-safe; a built set is immutable and may be shared between threads.
class SelectorSet {
 public:
  SelectorSet();
  ~SelectorSet();
  SelectorSet(const SelectorSet&) = delete;
  SelectorSet& operator=(const SelectorSet&) = delete;

  // Adds `selector` (all the selectors of its list) as selector number size(). The set keeps
  // the selector's compiled form alive; `selector` itself may go.
  void add(const Selector& selector);
  // Adds every selector of `selectors`, in order.
  void add_all(const std::vector<Selector>& selectors);
  size_t size() const { return selectors_; }

  // Tests the elements of one tree against a set. Remembers, from element to element, which
  // elements have an ancestor (or earlier sibling) matching the left part of a selector, so that
  // testing every element of a tree stays linear in its size. Not thread-safe: one Matcher per
  // walk. The set must outlive it, and must not grow while it is in use.
  class Matcher {
   public:
    explicit Matcher(const SelectorSet& set);
    ~Matcher();
    Matcher(const Matcher&) = delete;
    Matcher& operator=(const Matcher&) = delete;

    // Sets *matched to the numbers of the selectors that match `node`, in increasing order
    // (empty for a non-element).
    void match(const GumboNode* node, std::vector<size_t>* matched);
    // True when some selector of the set matches `node`.
    bool matches_any(const GumboNode* node);

   private:
    struct State;
    std::unique_ptr<State> state_;
  };

 private:
  struct Index;
  std::unique_ptr<Index> index_;
  size_t selectors_ = 0;
};

}  // namespace provarc
