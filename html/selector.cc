// html/selector.cc: a hand-written parser and a right-to-left matcher for the CSS subset in
// selector.h.
//
// Matching is right to left: the rightmost compound is tested on the element, then each
// combinator moves left (to the parent, an ancestor, or a previous sibling). A descendant or
// general-sibling combinator may have to try many ancestors or siblings; TreeMatcher memoises,
// per element and compound, whether some ancestor (or previous sibling) matches the part of the
// selector to its left, so select_all() stays linear in the tree even for `#absent div` over
// 100 000 nested <div>s. Recursion is bounded by the number of compounds (kMaxCompounds), never
// by the depth of the tree.
//
// A SelectorSet files each complex selector under one key of its rightmost compound, so that a
// walk testing every element against many rules (chrome, then the field rules) looks up the few
// rules an element's id, classes, attributes and tag could satisfy instead of trying them all.

#include "html/selector.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <utility>

#include "common/ascii.h"
#include "html/dom.h"
#include "html/text.h"

namespace provarc {

namespace {

constexpr size_t kMaxSelectorLength = 4096;  // bytes
constexpr size_t kMaxCompounds = 64;         // in the whole list, :not() arguments included
static_assert(kMaxCompounds <= 64, "Matcher's memo holds one bit per compound in a uint64_t");

enum class AttrOp { kExists, kEquals, kIncludes, kPrefix, kSuffix, kSubstring, kDashMatch };

struct AttrTest {
  std::string name;  // lowercase
  AttrOp op = AttrOp::kExists;
  std::string value;
  bool ignore_case = false;  // the ` i` flag: ASCII case-insensitive value
};

// A compound selector: every test must hold on the same element.
struct Compound {
  bool any_tag = true;
  GumboTag tag = GUMBO_TAG_UNKNOWN;  // when !any_tag; GUMBO_TAG_UNKNOWN compares tag_name
  std::string tag_text;              // lowercase, for unknown tags
  std::vector<std::string> ids;
  std::vector<std::string> classes;
  std::vector<AttrTest> attributes;
  bool first_child = false;
  bool last_child = false;
  std::vector<Compound> negations;  // :not(...) arguments, which hold no :not() themselves
};

enum class Combinator { kDescendant, kChild, kAdjacent, kSibling };

// compounds[0] combinators[0] compounds[1] ... ; matched right to left.
struct Complex {
  std::vector<Compound> compounds;
  std::vector<Combinator> combinators;  // combinators[i] joins compounds[i] and compounds[i + 1]
  size_t memo_base = 0;  // bit of compounds[0] in the Matcher's per-element memo
};

// ---------------------------------------------------------------------------------------------
// Character classes and small string helpers

// CSS white space (CSS Syntax 4.2) is the same set as HTML's.
constexpr auto is_css_space = ascii::is_html_space;
bool is_non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }
// Characters that may start an identifier (after an optional '-'), escapes aside.
bool is_name_start(char c) { return ascii::is_alpha(c) || c == '_' || is_non_ascii(c); }
bool is_name_char(char c) { return is_name_start(c) || ascii::is_digit(c) || c == '-'; }

bool equals(std::string_view a, std::string_view b, bool ignore_case) {
  return ignore_case ? ascii::iequals(a, b) : a == b;
}

// ---------------------------------------------------------------------------------------------
// Parser: recursive descent over the text, one function per grammar rule. Every failure names
// the 1-based column (in characters) and what was expected there.

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<std::vector<Complex>> parse_list() {
    std::vector<Complex> list;
    size_t memo_bits = 0;  // compounds of the complex selectors so far
    while (true) {
      skip_spaces();
      if (at_end()) {
        return error(list.empty() ? "expected a selector"
                                  : "expected a selector after ','");
      }
      auto complex = parse_complex();
      if (!complex.ok()) return complex.failure();
      complex->memo_base = memo_bits;
      memo_bits += complex->compounds.size();
      list.push_back(std::move(complex.value()));
      skip_spaces();
      if (at_end()) return list;
      if (peek() != ',') return unexpected("a combinator, ',' or the end of the selector");
      ++pos_;
    }
  }

 private:
  Result<Complex> parse_complex() {
    Complex complex;
    while (true) {
      auto compound = parse_compound(/*inside_not=*/false);
      if (!compound.ok()) return compound.failure();
      complex.compounds.push_back(std::move(compound.value()));
      bool spaced = skip_spaces();
      if (at_end() || peek() == ',' || peek() == ')') return complex;
      Combinator combinator = Combinator::kDescendant;
      char symbol = peek();
      if (symbol == '>' || symbol == '+' || symbol == '~') {
        combinator = symbol == '>'   ? Combinator::kChild
                     : symbol == '+' ? Combinator::kAdjacent
                                     : Combinator::kSibling;
        ++pos_;
        skip_spaces();
        if (at_end() || peek() == ',') {
          return error(std::string("expected a selector after '") + symbol + "'");
        }
      } else if (!spaced) {
        return unexpected("a combinator, ',' or the end of the selector");
      }
      complex.combinators.push_back(combinator);
    }
  }

  // compound := (type | '*')? ('#' name | '.' ident | '[' attribute ']' | ':' pseudo)*
  Result<Compound> parse_compound(bool inside_not) {
    if (++compounds_seen_ > kMaxCompounds) {
      return error("more than " + std::to_string(kMaxCompounds) +
                   " compound selectors; expected at most " + std::to_string(kMaxCompounds));
    }
    Compound compound;
    bool empty = true;
    if (!at_end() && peek() == '*') {
      ++pos_;
      empty = false;
    } else if (starts_identifier()) {
      auto name = parse_name("a type selector");
      if (!name.ok()) return name.failure();
      set_type(ascii::lowercase(name.value()), &compound);
      empty = false;
    }
    while (!at_end()) {
      char c = peek();
      Status added;
      if (c == '#') {
        ++pos_;
        auto id = parse_name("an id after '#'");
        if (!id.ok()) return id.failure();
        compound.ids.push_back(std::move(id.value()));
      } else if (c == '.') {
        ++pos_;
        if (!starts_identifier()) return error("expected a class name after '.'");
        auto name = parse_name("a class name after '.'");
        if (!name.ok()) return name.failure();
        compound.classes.push_back(std::move(name.value()));
      } else if (c == '[') {
        added = parse_attribute(&compound);
      } else if (c == ':') {
        added = parse_pseudo_class(inside_not, &compound);
      } else if (c == '*' || is_name_start(c) || c == '\\') {
        return unexpected("'#', '.', '[', ':', a combinator, ',' or the end (a type selector or "
                          "'*' comes first in a compound selector)");
      } else {
        break;
      }
      if (!added.ok()) return added.failure();
      empty = false;
    }
    if (empty) {
      if (at_end()) return error("expected a selector");
      return unexpected("a selector");
    }
    return compound;
  }

  static void set_type(std::string name, Compound* compound) {
    compound->any_tag = false;
    compound->tag = gumbo_tagn_enum(name.data(), static_cast<unsigned>(name.size()));
    compound->tag_text = std::move(name);
  }

  // attribute := '[' S* ident S* (op S* (string | bare) S* ('i' | 'I')? S*)? ']'
  Status parse_attribute(Compound* compound) {
    size_t open = pos_;
    ++pos_;
    skip_spaces();
    if (!starts_identifier()) return error("expected an attribute name after '['");
    auto name = parse_name("an attribute name");
    if (!name.ok()) return name.failure();
    AttrTest test;
    test.name = ascii::lowercase(name.value());
    skip_spaces();
    if (at_end()) return unterminated_attribute(open);
    if (peek() != ']') {
      auto op = parse_attribute_operator();
      if (!op.ok()) return op.failure();
      test.op = op.value();
      skip_spaces();
      if (at_end()) return error("expected a value after the operator");
      auto value = (peek() == '"' || peek() == '\'') ? parse_string() : parse_bare_value();
      if (!value.ok()) return value.failure();
      test.value = std::move(value.value());
      bool spaced = skip_spaces();
      if (!at_end() && (peek() == 'i' || peek() == 'I') && (spaced || text_[pos_ - 1] == '"' ||
                                                           text_[pos_ - 1] == '\'')) {
        test.ignore_case = true;
        ++pos_;
        skip_spaces();
      }
    }
    if (at_end()) return unterminated_attribute(open);
    if (peek() != ']') return unexpected("']' to close the attribute selector");
    ++pos_;
    compound->attributes.push_back(std::move(test));
    return Status::Ok();
  }

  Result<AttrOp> parse_attribute_operator() {
    char c = peek();
    if (c == '=') {
      ++pos_;
      return AttrOp::kEquals;
    }
    static constexpr std::pair<char, AttrOp> kOperators[] = {
        {'~', AttrOp::kIncludes}, {'^', AttrOp::kPrefix},    {'$', AttrOp::kSuffix},
        {'*', AttrOp::kSubstring}, {'|', AttrOp::kDashMatch}};
    for (const auto& [symbol, op] : kOperators) {
      if (c == symbol && pos_ + 1 < text_.size() && text_[pos_ + 1] == '=') {
        pos_ += 2;
        return op;
      }
    }
    return unexpected("']' or an operator (=, ~=, ^=, $=, *=, |=)");
  }

  // pseudo := ':' ( 'first-child' | 'last-child' | 'not(' S* compound S* ')' )
  Status parse_pseudo_class(bool inside_not, Compound* compound) {
    size_t colon = pos_;
    ++pos_;
    if (!at_end() && peek() == ':') {
      return error("pseudo-elements ('::') are not supported; expected :not(), :first-child or "
                   ":last-child");
    }
    if (!starts_identifier()) return error("expected a pseudo-class name after ':'");
    auto parsed = parse_name("a pseudo-class name");
    if (!parsed.ok()) return parsed.failure();
    std::string name = ascii::lowercase(parsed.value());
    bool has_argument = !at_end() && peek() == '(';
    if (name == "first-child" && !has_argument) {
      compound->first_child = true;
      return Status::Ok();
    }
    if (name == "last-child" && !has_argument) {
      compound->last_child = true;
      return Status::Ok();
    }
    if (name == "not" && has_argument) {
      if (inside_not) return error_at(colon, ":not() may not contain :not()");
      ++pos_;
      skip_spaces();
      auto negated = parse_compound(/*inside_not=*/true);
      if (!negated.ok()) return negated.failure();
      skip_spaces();
      if (at_end()) return error("expected ')' to close :not(");
      if (peek() != ')') return unexpected("')' to close :not( (it takes one compound selector)");
      ++pos_;
      compound->negations.push_back(std::move(negated.value()));
      return Status::Ok();
    }
    std::string shown = ":" + name + (has_argument ? "()" : "");
    return error_at(colon, "unknown pseudo-class '" + shown +
                               "'; expected :not(), :first-child or :last-child");
  }

  bool starts_identifier() const {
    size_t i = pos_;
    if (i < text_.size() && text_[i] == '-') ++i;
    if (i < text_.size() && text_[i] == '-') return true;  // custom-property style "--x"
    if (i >= text_.size()) return false;
    return is_name_start(text_[i]) || text_[i] == '\\';
  }

  // name := (name-char | escape)+, escapes decoded. An identifier is a name that passed
  // starts_identifier() first.
  Result<std::string> parse_name(const char* what) {
    std::string name;
    while (!at_end()) {
      char c = peek();
      if (c == '\\') {
        Status escaped = parse_escape(&name);
        if (!escaped.ok()) return escaped.failure();
      } else if (is_name_char(c)) {
        name.push_back(c);
        ++pos_;
      } else {
        break;
      }
    }
    if (name.empty()) return error(std::string("expected ") + what);
    return name;
  }

  // A bare attribute value: CSS wants an identifier, but `[colspan=2]` and `[href$=.pdf]` are
  // common in hand-written rules, so any characters but white space, quotes, '=', '[' and ']'
  // are taken (escapes decoded). `[a==b]` stays an error.
  Result<std::string> parse_bare_value() {
    std::string value;
    while (!at_end()) {
      char c = peek();
      if (is_css_space(c) || c == '"' || c == '\'' || c == '=' || c == '[' || c == ']') break;
      if (c == '\\') {
        Status escaped = parse_escape(&value);
        if (!escaped.ok()) return escaped.failure();
      } else {
        value.push_back(c);
        ++pos_;
      }
    }
    if (value.empty()) return unexpected("a value (quoted, or bare without spaces)");
    return value;
  }

  // string := '"' ... '"' | "'" ... "'", with escapes; a backslash-newline continues the line.
  Result<std::string> parse_string() {
    size_t open = pos_;
    char quote = peek();
    ++pos_;
    std::string value;
    while (true) {
      if (at_end()) {
        return error(std::string("expected ") + quote + " to close the string opened at column " +
                     std::to_string(column_of(open)));
      }
      char c = peek();
      if (c == quote) {
        ++pos_;
        return value;
      }
      if (c == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
        pos_ += 2;
        continue;
      }
      if (c == '\\') {
        Status escaped = parse_escape(&value);
        if (!escaped.ok()) return escaped.failure();
      } else {
        value.push_back(c);
        ++pos_;
      }
    }
  }

  // escape := '\' hex{1,6} S? | '\' any-other-character. Appends the character it stands for.
  Status parse_escape(std::string* out) {
    ++pos_;  // the backslash
    if (at_end() || peek() == '\n') return error("expected a character after '\\'");
    if (ascii::is_hex_digit(peek())) {
      uint32_t code_point = 0;
      for (int digits = 0; digits < 6 && !at_end() && ascii::is_hex_digit(peek()); ++digits) {
        code_point = code_point * 16 + static_cast<uint32_t>(ascii::hex_value(peek()));
        ++pos_;
      }
      if (!at_end() && is_css_space(peek())) ++pos_;  // the space that ends a hex escape
      append_utf8(code_point, out);  // 0, surrogates and beyond U+10FFFF: U+FFFD
      return Status::Ok();
    }
    // Any other character stands for itself; copy a whole UTF-8 sequence.
    do {
      out->push_back(peek());
      ++pos_;
    } while (!at_end() && (static_cast<unsigned char>(peek()) & 0xC0) == 0x80);
    return Status::Ok();
  }

  // Skips white space; true when there was some.
  bool skip_spaces() {
    size_t start = pos_;
    while (!at_end() && is_css_space(peek())) ++pos_;
    return pos_ != start;
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }

  // 1-based column, counted in characters (UTF-8 lead bytes), of byte offset `offset`.
  size_t column_of(size_t offset) const {
    size_t column = 1;
    for (size_t i = 0; i < offset && i < text_.size(); ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    }
    return column;
  }

  Failure error_at(size_t offset, const std::string& what) const {
    return fail("selector \"" + std::string(text_) + "\": at column " +
                std::to_string(column_of(offset)) + ": " + what);
  }
  Failure error(const std::string& what) const { return error_at(pos_, what); }

  // "unexpected 'x'; expected <what>"
  Failure unexpected(const std::string& what) const {
    if (at_end()) return error("expected " + what);
    size_t length = 1;
    while (pos_ + length < text_.size() &&
           (static_cast<unsigned char>(text_[pos_ + length]) & 0xC0) == 0x80) {
      ++length;
    }
    return error("unexpected '" + std::string(text_.substr(pos_, length)) + "'; expected " +
                 what);
  }

  Failure unterminated_attribute(size_t open) const {
    return error("expected ']' to close the attribute selector opened at column " +
                 std::to_string(column_of(open)));
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t compounds_seen_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Matching a single compound

const GumboVector* siblings_of(const GumboNode* node) {
  const GumboNode* parent = node->parent;
  if (parent == nullptr) return nullptr;
  if (parent->type == GUMBO_NODE_DOCUMENT) return &parent->v.document.children;
  return &parent->v.element.children;
}

// The index of `node` among its siblings (trusting Gumbo's index when it is consistent), or
// siblings->length when it is not among them.
size_t index_of(const GumboNode* node, const GumboVector* siblings) {
  size_t index = node->index_within_parent;
  if (index < siblings->length && siblings->data[index] == node) return index;
  for (size_t i = 0; i < siblings->length; ++i) {
    if (siblings->data[i] == node) return i;
  }
  return siblings->length;
}

// The nearest element before `node` among its siblings, or nullptr.
const GumboNode* previous_element_sibling(const GumboNode* node) {
  const GumboVector* siblings = siblings_of(node);
  if (siblings == nullptr) return nullptr;
  size_t index = index_of(node, siblings);
  if (index == siblings->length) return nullptr;
  for (size_t i = index; i > 0; --i) {
    auto* sibling = static_cast<const GumboNode*>(siblings->data[i - 1]);
    if (is_element(sibling)) return sibling;
  }
  return nullptr;
}

// The nearest element after `node` among its siblings, or nullptr.
const GumboNode* next_element_sibling(const GumboNode* node) {
  const GumboVector* siblings = siblings_of(node);
  if (siblings == nullptr) return nullptr;
  for (size_t i = index_of(node, siblings) + 1; i < siblings->length; ++i) {
    auto* sibling = static_cast<const GumboNode*>(siblings->data[i]);
    if (is_element(sibling)) return sibling;
  }
  return nullptr;
}

const GumboNode* parent_element(const GumboNode* node) {
  const GumboNode* parent = node->parent;
  return is_element(parent) ? parent : nullptr;
}

// True when whitespace-separated `list` holds `token`.
bool has_token(std::string_view list, std::string_view token, bool ignore_case) {
  size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && is_css_space(list[i])) ++i;
    size_t start = i;
    while (i < list.size() && !is_css_space(list[i])) ++i;
    if (i > start && equals(list.substr(start, i - start), token, ignore_case)) return true;
  }
  return false;
}

bool attribute_matches(const AttrTest& test, const GumboNode* node) {
  const GumboAttribute* attribute = find_attribute(node, test.name);
  if (attribute == nullptr) return false;
  std::string_view value = attribute->value;
  std::string_view wanted = test.value;
  bool ic = test.ignore_case;
  switch (test.op) {
    case AttrOp::kExists:
      return true;
    case AttrOp::kEquals:
      return equals(value, wanted, ic);
    case AttrOp::kIncludes:
      // CSS: an empty value or one with white space matches nothing.
      for (char c : wanted) {
        if (is_css_space(c)) return false;
      }
      return !wanted.empty() && has_token(value, wanted, ic);
    case AttrOp::kPrefix:
      return !wanted.empty() && value.size() >= wanted.size() &&
             equals(value.substr(0, wanted.size()), wanted, ic);
    case AttrOp::kSuffix:
      return !wanted.empty() && value.size() >= wanted.size() &&
             equals(value.substr(value.size() - wanted.size()), wanted, ic);
    case AttrOp::kSubstring:
      if (wanted.empty() || value.size() < wanted.size()) return false;
      for (size_t i = 0; i + wanted.size() <= value.size(); ++i) {
        if (equals(value.substr(i, wanted.size()), wanted, ic)) return true;
      }
      return false;
    case AttrOp::kDashMatch:
      return equals(value, wanted, ic) ||
             (value.size() > wanted.size() && value[wanted.size()] == '-' &&
              equals(value.substr(0, wanted.size()), wanted, ic));
  }
  return false;
}

bool compound_matches(const Compound& compound, const GumboNode* node) {
  if (!compound.any_tag) {
    if (compound.tag != GUMBO_TAG_UNKNOWN) {
      if (node->v.element.tag != compound.tag) return false;
    } else if (node->v.element.tag != GUMBO_TAG_UNKNOWN || tag_name(node) != compound.tag_text) {
      return false;
    }
  }
  if (!compound.ids.empty()) {
    const GumboAttribute* id = find_attribute(node, "id");
    if (id == nullptr) return false;
    for (const std::string& wanted : compound.ids) {
      if (wanted != id->value) return false;
    }
  }
  if (!compound.classes.empty()) {
    const GumboAttribute* classes = find_attribute(node, "class");
    if (classes == nullptr) return false;
    for (const std::string& wanted : compound.classes) {
      if (!has_token(classes->value, wanted, /*ignore_case=*/false)) return false;
    }
  }
  for (const AttrTest& test : compound.attributes) {
    if (!attribute_matches(test, node)) return false;
  }
  if (compound.first_child && previous_element_sibling(node) != nullptr) return false;
  if (compound.last_child && next_element_sibling(node) != nullptr) return false;
  for (const Compound& negated : compound.negations) {
    if (compound_matches(negated, node)) return false;
  }
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Matching whole selectors

struct Selector::Impl {
  std::vector<Complex> list;
};

namespace {

// Matches complex selectors against elements of one tree, remembering across elements which
// elements have an ancestor (or previous sibling) matching a selector prefix. The compounds of one
// selector list are numbered from 0 (Complex::memo_base; at most kMaxCompounds, one bit each in a
// Memo); the lists a TreeMatcher serves are told apart by a `block` number. Not thread-safe; one
// per call or walk, so Selector and SelectorSet themselves stay immutable.
class TreeMatcher {
 public:
  // True when `node`, an element, matches `complex`, a selector of list `block`.
  bool matches(const Complex& complex, uint32_t block, const GumboNode* node) {
    return matches_through(complex, block, complex.compounds.size() - 1, node);
  }

 private:
  // Known answers for one element and block; bit memo_base + i is about compounds[0..i].
  struct Memo {
    uint64_t ancestor_known = 0, ancestor_found = 0;
    uint64_t sibling_known = 0, sibling_found = 0;
  };
  struct MemoKey {
    const GumboNode* node;
    uint32_t block;
    bool operator==(const MemoKey&) const = default;
  };
  struct MemoKeyHash {
    size_t operator()(const MemoKey& key) const {
      return std::hash<const void*>{}(key.node) ^ (size_t{key.block} * 0x9E3779B97F4A7C15u);
    }
  };

  // True when `node` matches compounds[i] and the combinators and compounds left of it match
  // from there. Recursion depth is at most i.
  bool matches_through(const Complex& complex, uint32_t block, size_t i, const GumboNode* node) {
    if (!compound_matches(complex.compounds[i], node)) return false;
    if (i == 0) return true;
    switch (complex.combinators[i - 1]) {
      case Combinator::kChild: {
        const GumboNode* parent = parent_element(node);
        return parent != nullptr && matches_through(complex, block, i - 1, parent);
      }
      case Combinator::kDescendant:
        return search_and_remember(complex, block, i - 1, node, &parent_element,
                                   &Memo::ancestor_known, &Memo::ancestor_found);
      case Combinator::kAdjacent: {
        const GumboNode* previous = previous_element_sibling(node);
        return previous != nullptr && matches_through(complex, block, i - 1, previous);
      }
      case Combinator::kSibling:
        return search_and_remember(complex, block, i - 1, node, &previous_element_sibling,
                                   &Memo::sibling_known, &Memo::sibling_found);
    }
    return false;
  }

  // Whether some element reached from `node` by `next` (its ancestors, or its previous siblings)
  // matches through compounds[i]. Walks until one matches or one whose answer is known, then
  // records the answer for every element on the way: each (element, block, i) is walked past
  // once per TreeMatcher.
  bool search_and_remember(const Complex& complex, uint32_t block, size_t i,
                           const GumboNode* node, const GumboNode* (*next)(const GumboNode*),
                           uint64_t Memo::*known, uint64_t Memo::*found) {
    const uint64_t bit = uint64_t{1} << (complex.memo_base + i);
    std::vector<const GumboNode*> unknown;  // elements whose answer this search decides
    bool result = false;
    for (const GumboNode* current = node;;) {
      auto memo = memo_.find(MemoKey{current, block});
      if (memo != memo_.end() && (memo->second.*known & bit)) {
        result = (memo->second.*found & bit) != 0;
        break;
      }
      unknown.push_back(current);
      const GumboNode* candidate = next(current);
      if (candidate == nullptr) break;
      if (matches_through(complex, block, i, candidate)) {
        result = true;
        break;
      }
      current = candidate;
    }
    for (const GumboNode* decided : unknown) {
      Memo& memo = memo_[MemoKey{decided, block}];
      memo.*known |= bit;
      if (result) memo.*found |= bit;
    }
    return result;
  }

  std::unordered_map<MemoKey, Memo, MemoKeyHash> memo_;
};

// True when `node` is an element matching some complex selector of `list`.
bool list_matches(const std::vector<Complex>& list, TreeMatcher* matcher, const GumboNode* node) {
  if (!is_element(node)) return false;
  for (const Complex& complex : list) {
    if (matcher->matches(complex, 0, node)) return true;
  }
  return false;
}

// Calls `on_match` for each matching element under `root` (root included) in document order,
// until it returns false. Iterative.
template <typename OnMatch>
void for_each_match(const std::vector<Complex>& list, GumboNode* root, OnMatch on_match) {
  if (root == nullptr) return;
  TreeMatcher matcher;
  std::vector<GumboNode*> pending = {root};
  while (!pending.empty()) {
    GumboNode* node = pending.back();
    pending.pop_back();
    const GumboVector* children = nullptr;
    if (is_element(node)) {
      if (list_matches(list, &matcher, node) && !on_match(node)) return;
      children = &node->v.element.children;
    } else if (node->type == GUMBO_NODE_DOCUMENT) {
      children = &node->v.document.children;
    }
    if (children == nullptr) continue;
    for (unsigned i = children->length; i > 0; --i) {
      pending.push_back(static_cast<GumboNode*>(children->data[i - 1]));
    }
  }
}

}  // namespace

Result<Selector> Selector::parse(std::string_view text) {
  if (text.size() > kMaxSelectorLength) {
    size_t shown = 64;  // enough to recognise it, cut at a character boundary
    while ((static_cast<unsigned char>(text[shown]) & 0xC0) == 0x80) --shown;
    return fail("selector \"" + std::string(text.substr(0, shown)) + "...\": at column 1: " +
                "longer than " + std::to_string(kMaxSelectorLength) +
                " bytes; expected a shorter selector");
  }
  auto list = Parser(text).parse_list();
  if (!list.ok()) return list.failure();
  Selector selector;
  selector.source_ = std::string(text);
  auto impl = std::make_shared<Impl>();
  impl->list = std::move(list.value());
  selector.impl_ = std::move(impl);
  return selector;
}

bool Selector::matches(const GumboNode* node) const {
  if (!impl_) return false;
  TreeMatcher matcher;
  return list_matches(impl_->list, &matcher, node);
}

std::vector<GumboNode*> Selector::select_all(GumboNode* root) const {
  std::vector<GumboNode*> found;
  if (!impl_) return found;
  for_each_match(impl_->list, root, [&](GumboNode* node) {
    found.push_back(node);
    return true;
  });
  return found;
}

GumboNode* Selector::select_first(GumboNode* root) const {
  GumboNode* first = nullptr;
  if (!impl_) return first;
  for_each_match(impl_->list, root, [&](GumboNode* node) {
    first = node;
    return false;
  });
  return first;
}

Selector::Selector(const Selector&) = default;
Selector& Selector::operator=(const Selector&) = default;
Selector::Selector(Selector&&) noexcept = default;
Selector& Selector::operator=(Selector&&) noexcept = default;
Selector::~Selector() = default;

// ---------------------------------------------------------------------------------------------
// SelectorSet

namespace {

struct StringHash {
  using is_transparent = void;  // lookups by string_view, without a copy
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
// Rule numbers filed under an id, a class or an attribute name.
using RulesByName =
    std::unordered_map<std::string, std::vector<uint32_t>, StringHash, std::equal_to<>>;

void append_rules(const std::vector<uint32_t>& rules, std::vector<uint32_t>* out) {
  out->insert(out->end(), rules.begin(), rules.end());
}

void append_filed(const RulesByName& filed, std::string_view name, std::vector<uint32_t>* out) {
  if (filed.empty()) return;
  auto found = filed.find(name);
  if (found != filed.end()) append_rules(found->second, out);
}

// `name` in ASCII lowercase, using *buffer only when it has uppercase letters (Gumbo lowercases
// HTML attribute names, but keeps SVG's "viewBox").
std::string_view lowercase_name(std::string_view name, std::string* buffer) {
  bool lower = true;
  for (char c : name) lower = lower && !(c >= 'A' && c <= 'Z');
  if (lower) return name;
  *buffer = ascii::lowercase(name);
  return *buffer;
}

}  // namespace

struct SelectorSet::Index {
  // One complex selector of one of the set's selectors.
  struct Rule {
    const Complex* complex;  // inside lists[selector]
    uint32_t selector;       // its selector's number, also its TreeMatcher block
  };

  std::vector<std::shared_ptr<const Selector::Impl>> lists;  // keep the Complexes alive
  std::vector<Rule> rules;
  RulesByName by_id;
  RulesByName by_class;
  RulesByName by_attribute;                                  // lowercase names
  std::array<std::vector<uint32_t>, GUMBO_TAG_LAST + 1> by_tag;  // unknown tags together
  std::vector<uint32_t> anywhere;  // rules with no id, class, attribute or tag: tested everywhere

  // Files rule `number` under the most selective thing its rightmost compound requires.
  void file(uint32_t number) {
    const Compound& last = rules[number].complex->compounds.back();
    if (!last.ids.empty()) {
      by_id[last.ids.front()].push_back(number);
    } else if (!last.classes.empty()) {
      by_class[last.classes.front()].push_back(number);
    } else if (!last.attributes.empty()) {  // every attribute test needs the attribute
      by_attribute[last.attributes.front().name].push_back(number);
    } else if (!last.any_tag) {
      by_tag[last.tag].push_back(number);
    } else {
      anywhere.push_back(number);
    }
  }

  // Sets *out to the rules that could match `node`, an element: those filed under its tag, its
  // id, its classes and its attribute names, and those filed nowhere. A rule may appear twice
  // (class="a a").
  void candidates(const GumboNode* node, std::string* buffer, std::vector<uint32_t>* out) const {
    out->clear();
    append_rules(anywhere, out);
    append_rules(by_tag[node->v.element.tag], out);
    bool seen_id = false, seen_class = false;  // the matcher reads the first of each
    const GumboVector& attributes = node->v.element.attributes;
    for (unsigned i = 0; i < attributes.length; ++i) {
      auto* attribute = static_cast<const GumboAttribute*>(attributes.data[i]);
      std::string_view name = lowercase_name(attribute->name, buffer);
      if (!seen_id && name == "id") {
        seen_id = true;
        append_filed(by_id, attribute->value, out);
      } else if (!seen_class && name == "class" && !by_class.empty()) {
        seen_class = true;
        std::string_view classes = attribute->value;
        size_t at = 0;
        while (at < classes.size()) {
          while (at < classes.size() && is_css_space(classes[at])) ++at;
          size_t start = at;
          while (at < classes.size() && !is_css_space(classes[at])) ++at;
          if (at > start) append_filed(by_class, classes.substr(start, at - start), out);
        }
      }
      append_filed(by_attribute, name, out);
    }
  }
};

SelectorSet::SelectorSet() : index_(std::make_unique<Index>()) {}
SelectorSet::~SelectorSet() = default;

void SelectorSet::add(const Selector& selector) {
  uint32_t number = static_cast<uint32_t>(selectors_++);
  if (!selector.impl_) return;  // a moved-from selector matches nothing
  index_->lists.push_back(selector.impl_);
  for (const Complex& complex : selector.impl_->list) {
    index_->rules.push_back({&complex, number});
    index_->file(static_cast<uint32_t>(index_->rules.size() - 1));
  }
}

void SelectorSet::add_all(const std::vector<Selector>& selectors) {
  for (const Selector& selector : selectors) add(selector);
}

struct SelectorSet::Matcher::State {
  const Index& index;
  TreeMatcher tree;
  std::vector<uint32_t> candidates;
  std::vector<uint64_t> tested_at;  // per rule: the element number it was last tested on
  uint64_t element = 0;             // elements seen, numbered from 1
  std::string name_buffer;

  explicit State(const Index& set_index) : index(set_index), tested_at(set_index.rules.size()) {}

  // Tests the candidate rules of `node` until `on_match(selector)` returns false.
  template <typename OnMatch>
  void test(const GumboNode* node, OnMatch on_match) {
    if (!is_element(node) || index.rules.empty()) return;
    index.candidates(node, &name_buffer, &candidates);
    ++element;
    for (uint32_t number : candidates) {
      if (tested_at[number] == element) continue;
      tested_at[number] = element;
      const Index::Rule& rule = index.rules[number];
      if (tree.matches(*rule.complex, rule.selector, node) && !on_match(rule.selector)) return;
    }
  }
};

SelectorSet::Matcher::Matcher(const SelectorSet& set)
    : state_(std::make_unique<State>(*set.index_)) {}
SelectorSet::Matcher::~Matcher() = default;

void SelectorSet::Matcher::match(const GumboNode* node, std::vector<size_t>* matched) {
  matched->clear();
  state_->test(node, [&](uint32_t selector) {
    matched->push_back(selector);
    return true;
  });
  std::sort(matched->begin(), matched->end());
  matched->erase(std::unique(matched->begin(), matched->end()), matched->end());
}

bool SelectorSet::Matcher::matches_any(const GumboNode* node) {
  bool found = false;
  state_->test(node, [&](uint32_t) {
    found = true;
    return false;
  });
  return found;
}

}  // namespace provarc
