// archive/search_query.cc: a recursive-descent reader of the search query language, grammar
//
//   query   := or
//   or      := and ("OR" and)*
//   and     := not (["AND"] not)*
//   not     := primary ("NOT" primary)*
//   primary := WORD | PHRASE | "(" or ")"
//
// as FTS5 reads its own (NOT binds tightest, then AND, then OR), so that a valid query means what
// FTS5 would make of it, and a bad one fails here with a message instead of in SQLite.
#include "archive/search_query.h"

#include <optional>
#include <vector>

#include "archive/search.h"
#include "text/fold.h"

namespace provarc {
namespace {

enum class Kind { kWord, kPhrase, kAnd, kOr, kNot, kOpen, kClose, kEnd };

struct Token {
  Kind kind = Kind::kEnd;
  std::string_view text;  // a word's or phrase's text (without quotes or the prefix star)
  bool prefix = false;    // followed by "*"
  size_t at = 0;          // byte offset in the query
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool ends_word(char c) { return is_space(c) || c == '"' || c == '(' || c == ')'; }

bool has_words(std::string_view text) {
  SearchWordReader reader(text);
  SearchWord word;
  return reader.next(&word);
}

class QueryReader {
 public:
  explicit QueryReader(std::string_view query) : query_(query) {}

  Result<std::string> read() {
    if (Status s = lex(); !s.ok()) return s.failure();
    Result<std::optional<std::string>> expr = read_or();
    if (!expr.ok()) return expr.failure();
    if (peek().kind == Kind::kClose) {
      return error("unbalanced parenthesis: this ) closes no (", peek());
    }
    if (!expr->has_value()) {
      return fail(ErrorCode::kInvalidInput, "the query has no words to search for");
    }
    return std::move(**expr);
  }

 private:
  // ---- Lexing

  Status lex() {
    size_t i = 0;
    while (i < query_.size()) {
      const char c = query_[i];
      if (is_space(c)) {
        ++i;
      } else if (c == '(' || c == ')') {
        tokens_.push_back({c == '(' ? Kind::kOpen : Kind::kClose, {}, false, i});
        ++i;
      } else if (c == '"') {
        size_t close = query_.find('"', i + 1);
        if (close == std::string_view::npos) {
          return fail(ErrorCode::kInvalidInput,
                      "unbalanced quote: the phrase " + excerpt(i) + " has no closing \"");
        }
        Token t{Kind::kPhrase, query_.substr(i + 1, close - i - 1), false, i};
        i = close + 1;
        if (i < query_.size() && query_[i] == '*') {
          t.prefix = true;
          ++i;
        }
        tokens_.push_back(t);
      } else {
        size_t end = i;
        while (end < query_.size() && !ends_word(query_[end])) ++end;
        tokens_.push_back(word_token(query_.substr(i, end - i), i));
        i = end;
      }
    }
    tokens_.push_back({Kind::kEnd, {}, false, query_.size()});
    return Status::Ok();
  }

  static Token word_token(std::string_view word, size_t at) {
    if (word == "AND") return {Kind::kAnd, word, false, at};
    if (word == "OR") return {Kind::kOr, word, false, at};
    if (word == "NOT") return {Kind::kNot, word, false, at};
    Token t{Kind::kWord, word, false, at};
    if (word.size() > 1 && word.back() == '*') {
      t.text.remove_suffix(1);
      t.prefix = true;
    }
    return t;
  }

  // ---- Parsing. Each reader returns the FTS5 text of what it read, or nullopt when it read
  // only words without letters or digits (which are ignored).

  using Expr = std::optional<std::string>;

  const Token& peek() const { return tokens_[next_]; }
  const Token& take() { return tokens_[next_++]; }
  static bool starts_operand(Kind k) {
    return k == Kind::kWord || k == Kind::kPhrase || k == Kind::kOpen;
  }

  Result<Expr> read_or() {
    Result<Expr> left = read_and();
    if (!left.ok()) return left;
    std::vector<std::string> parts;
    if (left->has_value()) parts.push_back(std::move(**left));
    while (peek().kind == Kind::kOr) {
      const Token& op = take();
      if (parts.empty()) return error("OR needs a word before it", op);
      if (!starts_operand(peek().kind)) return error("OR needs a word after it", op);
      Result<Expr> right = read_and();
      if (!right.ok()) return right;
      if (!right->has_value()) return error("OR needs a word after it", op);
      parts.push_back(std::move(**right));
    }
    return join(parts, " OR ");
  }

  Result<Expr> read_and() {
    std::vector<std::string> parts;
    bool read_operand = false;  // even one whose words were all ignored
    for (;;) {
      const Token& t = peek();
      if (t.kind == Kind::kAnd) {
        take();
        if (!read_operand) return error("AND needs a word before it", t);
        if (!starts_operand(peek().kind)) return error("AND needs a word after it", t);
        continue;
      }
      if (t.kind == Kind::kNot) {
        return error("NOT needs a word before it: it excludes, as in \"a NOT b\", and cannot "
                     "stand alone",
                     t);
      }
      if (!starts_operand(t.kind)) break;
      Result<Expr> part = read_not();
      if (!part.ok()) return part;
      read_operand = true;
      if (part->has_value()) parts.push_back(std::move(**part));
    }
    return join(parts, " AND ");
  }

  Result<Expr> read_not() {
    Result<Expr> left = read_primary();
    if (!left.ok()) return left;
    while (peek().kind == Kind::kNot) {
      const Token& op = take();
      if (!left->has_value()) return error("NOT needs a word before it", op);
      if (!starts_operand(peek().kind)) return error("NOT needs a word after it", op);
      Result<Expr> right = read_primary();
      if (!right.ok()) return right;
      if (!right->has_value()) return error("NOT needs a word after it", op);
      left = Expr("(" + **left + " NOT " + **right + ")");
    }
    return left;
  }

  Result<Expr> read_primary() {
    const Token& t = take();
    if (t.kind == Kind::kOpen) {
      if (peek().kind == Kind::kClose) return error("empty parentheses", t);
      Result<Expr> inner = read_or();
      if (!inner.ok()) return inner;
      if (peek().kind != Kind::kClose) {
        return error("unbalanced parenthesis: this ( is not closed", t);
      }
      take();
      return inner;
    }
    // A word or a phrase.
    const bool blank = t.text.find_first_not_of(" \t\n\r\f") == std::string_view::npos;
    if (t.kind == Kind::kPhrase && blank) {
      return error("empty phrase", t);
    }
    if (!has_words(t.text)) {
      if (t.kind == Kind::kPhrase) return error("the phrase has no letters or digits", t);
      return Expr();
    }
    // Quoted, FTS5 reads the text as a phrase of the words our tokenizer finds in it. It holds
    // no '"' (quotes delimit phrases and end words), so no escaping is needed.
    std::string out = "\"" + std::string(t.text) + "\"";
    if (t.prefix) out += " *";
    return Expr(std::move(out));
  }

  static Expr join(std::vector<std::string>& parts, const char* op) {
    if (parts.empty()) return Expr();
    if (parts.size() == 1) return Expr(std::move(parts[0]));
    std::string out = "(";
    for (size_t i = 0; i < parts.size(); ++i) {
      if (i > 0) out += op;
      out += parts[i];
    }
    return Expr(out + ")");
  }

  // ---- Messages

  // The query from byte `at`, quoted, cut after about 24 characters.
  std::string excerpt(size_t at) const {
    size_t end = at, chars = 0;
    while (end < query_.size() && chars < 24) {
      ++end;
      while (end < query_.size() && (static_cast<unsigned char>(query_[end]) & 0xC0) == 0x80) {
        ++end;
      }
      ++chars;
    }
    std::string out = "`" + std::string(query_.substr(at, end - at));
    return out + (end < query_.size() ? "…`" : "`");
  }

  Failure error(const std::string& what, const Token& at) const {
    return fail(ErrorCode::kInvalidInput, what + " (at " + excerpt(at.at) + ")");
  }

  std::string_view query_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
};

}  // namespace

Result<std::string> fts5_query(std::string_view query) { return QueryReader(query).read(); }

Status check_search_query(std::string_view query) {
  Result<std::string> expr = fts5_query(query);
  return expr.ok() ? Status::Ok() : Status(expr.failure());
}

}  // namespace provarc
