// web/html.h: markup built from the program's own literals and escaped text: the one place where
// a string from the archive (which came from the internet) becomes HTML. Pure, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace provarc::web {

// Text escaped for an HTML text node or a double-quoted attribute value: & < > " ' become
// character references. Nothing else is needed in those two contexts (HTML5 tokenizer); the
// reader never writes data into an unquoted attribute, a comment, <script> or <style>.
std::string escape_html(std::string_view text);

// Text percent-encoded for a query parameter value or a path segment of the reader's own URLs:
// everything but A-Z a-z 0-9 - . _ ~ is %XX (UTF-8 bytes), so a value can never end the
// parameter, start another or leave the attribute it is written into.
std::string percent_encode(std::string_view text);

// A piece of markup. Built only from string literals of the program (markup as written) and
// from text (escaped on the way in), so markup can never come from data:
//
//   Html h;
//   h << "<h1>" << article.title << "</h1>";   // the literals are markup, the title is text
//
// A `const char[N]` argument is taken as markup: pass only literals (a char buffer holding data
// must be passed as std::string_view, which is escaped). A `const char*` is ambiguous, and does
// not compile: say which it is.
class Html {
 public:
  Html() = default;

  template <size_t N>
  Html& operator<<(const char (&markup)[N]) {
    markup_.append(markup, N - 1);
    return *this;
  }
  Html& operator<<(std::string_view text) {
    markup_ += escape_html(text);
    return *this;
  }
  Html& operator<<(const std::string& text) { return *this << std::string_view(text); }
  Html& operator<<(int64_t number) {
    markup_ += std::to_string(number);
    return *this;
  }
  Html& operator<<(int number) { return *this << int64_t{number}; }
  Html& operator<<(const Html& other) {
    markup_ += other.markup_;
    return *this;
  }

  const std::string& str() const { return markup_; }
  bool empty() const { return markup_.empty(); }

 private:
  std::string markup_;
};

}  // namespace provarc::web
