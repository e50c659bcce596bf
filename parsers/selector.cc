// parsers/selector.cc: a hand-written parser and a right-to-left matcher for the CSS subset in
// selector.h.
//
// Matching is right to left: the rightmost compound is tested on the element, then each
// combinator moves left (to the parent, an ancestor, or a previous sibling). A descendant or
// general-sibling combinator may have to try many ancestors or siblings; Matcher memoises, per
// element and compound, whether some ancestor (or previous sibling) matches the part of the
// selector to its left, so select_all() stays linear in the tree even for `#absent div` over
// 100 000 nested <div>s. Recursion is bounded by the number of compounds (kMaxCompounds), never
// by the depth of the tree.

#include "parsers/selector.h"

#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <utility>

#include "parsers/dom.h"

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

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
bool is_css_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}
bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  return ascii_lower(c) - 'a' + 10;
}
bool is_non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }
// Characters that may start an identifier (after an optional '-'), escapes aside.
bool is_name_start(char c) { return is_ascii_alpha(c) || c == '_' || is_non_ascii(c); }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c) || c == '-'; }

std::string lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = ascii_lower(c);
  return lower;
}

bool equals(std::string_view a, std::string_view b, bool ignore_case) {
  if (a.size() != b.size()) return false;
  if (!ignore_case) return a == b;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

void append_utf8(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
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
      set_type(lowercase(name.value()), &compound);
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
    test.name = lowercase(name.value());
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
    std::string name = lowercase(parsed.value());
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
    if (is_hex_digit(peek())) {
      uint32_t code_point = 0;
      for (int digits = 0; digits < 6 && !at_end() && is_hex_digit(peek()); ++digits) {
        code_point = code_point * 16 + static_cast<uint32_t>(hex_value(peek()));
        ++pos_;
      }
      if (!at_end() && is_css_space(peek())) ++pos_;  // the space that ends a hex escape
      bool invalid = code_point == 0 || code_point > 0x10FFFF ||
                     (code_point >= 0xD800 && code_point <= 0xDFFF);
      append_utf8(invalid ? 0xFFFD : code_point, out);
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

const GumboAttribute* find_attribute(const GumboNode* node, std::string_view lowercase_name) {
  const GumboVector& attributes = node->v.element.attributes;
  for (unsigned i = 0; i < attributes.length; ++i) {
    auto* attribute = static_cast<const GumboAttribute*>(attributes.data[i]);
    if (equals(attribute->name, lowercase_name, /*ignore_case=*/true)) return attribute;
  }
  return nullptr;
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

// Matches one selector list against elements of one tree, remembering across elements which
// elements have an ancestor (or previous sibling) matching a selector prefix. Not thread-safe;
// one Matcher per call, so Selector itself stays immutable.
class Matcher {
 public:
  explicit Matcher(const std::vector<Complex>& list) : list_(list) {}

  bool matches(const GumboNode* node) {
    if (!is_element(node)) return false;
    for (const Complex& complex : list_) {
      if (matches_through(complex, complex.compounds.size() - 1, node)) return true;
    }
    return false;
  }

 private:
  // Known answers for one element; bit memo_base + i is about compounds[0..i] of a Complex.
  struct Memo {
    uint64_t ancestor_known = 0, ancestor_found = 0;
    uint64_t sibling_known = 0, sibling_found = 0;
  };

  // True when `node` matches compounds[i] and the combinators and compounds left of it match
  // from there. Recursion depth is at most i.
  bool matches_through(const Complex& complex, size_t i, const GumboNode* node) {
    if (!compound_matches(complex.compounds[i], node)) return false;
    if (i == 0) return true;
    switch (complex.combinators[i - 1]) {
      case Combinator::kChild: {
        const GumboNode* parent = parent_element(node);
        return parent != nullptr && matches_through(complex, i - 1, parent);
      }
      case Combinator::kDescendant:
        return some_ancestor_matches(complex, i - 1, node);
      case Combinator::kAdjacent: {
        const GumboNode* previous = previous_element_sibling(node);
        return previous != nullptr && matches_through(complex, i - 1, previous);
      }
      case Combinator::kSibling:
        return some_previous_sibling_matches(complex, i - 1, node);
    }
    return false;
  }

  // Whether some element ancestor of `node` matches through compounds[i]. Walks up until an
  // ancestor matches or one whose answer is known, then records the answer for every element
  // on the way: each (element, i) is walked past once per Matcher.
  bool some_ancestor_matches(const Complex& complex, size_t i, const GumboNode* node) {
    return search_and_remember(complex, i, node, &parent_element, &Memo::ancestor_known,
                               &Memo::ancestor_found);
  }

  bool some_previous_sibling_matches(const Complex& complex, size_t i, const GumboNode* node) {
    return search_and_remember(complex, i, node, &previous_element_sibling,
                               &Memo::sibling_known, &Memo::sibling_found);
  }

  bool search_and_remember(const Complex& complex, size_t i, const GumboNode* node,
                           const GumboNode* (*next)(const GumboNode*), uint64_t Memo::*known,
                           uint64_t Memo::*found) {
    const uint64_t bit = uint64_t{1} << (complex.memo_base + i);
    std::vector<const GumboNode*> unknown;  // elements whose answer this search decides
    bool result = false;
    for (const GumboNode* current = node;;) {
      auto memo = memo_.find(current);
      if (memo != memo_.end() && (memo->second.*known & bit)) {
        result = (memo->second.*found & bit) != 0;
        break;
      }
      unknown.push_back(current);
      const GumboNode* candidate = next(current);
      if (candidate == nullptr) break;
      if (matches_through(complex, i, candidate)) {
        result = true;
        break;
      }
      current = candidate;
    }
    for (const GumboNode* decided : unknown) {
      Memo& memo = memo_[decided];
      memo.*known |= bit;
      if (result) memo.*found |= bit;
    }
    return result;
  }

  const std::vector<Complex>& list_;
  std::unordered_map<const GumboNode*, Memo> memo_;
};

// Calls `on_match` for each matching element under `root` (root included) in document order,
// until it returns false. Iterative.
template <typename OnMatch>
void for_each_match(const std::vector<Complex>& list, GumboNode* root, OnMatch on_match) {
  if (root == nullptr) return;
  Matcher matcher(list);
  std::vector<GumboNode*> pending = {root};
  while (!pending.empty()) {
    GumboNode* node = pending.back();
    pending.pop_back();
    const GumboVector* children = nullptr;
    if (is_element(node)) {
      if (matcher.matches(node) && !on_match(node)) return;
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
  return Matcher(impl_->list).matches(node);
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

}  // namespace provarc
