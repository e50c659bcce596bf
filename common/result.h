// common/result.h: the error-as-value types that every provarc module returns across its boundary.
// A Result<T> holds either a T or a failure (a code and a message); Status is a Result without a
// value.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace provarc {

// What kind of failure it is, for callers that act on it (wait when busy, stop when the disk is
// full, report a damaged file) without reading the message, which is for people.
enum class ErrorCode {
  kOk,            // no failure (the code of a Status or Result that is ok)
  kOther,         // nothing more specific is known
  kInvalidInput,  // a file, record, argument or value is not what was expected
  kNotFound,      // what was asked for, or referred to, does not exist
  kBusy,          // another process holds what is needed (a lock): try again later
  kFull,          // the disk, or a size cap, is full
  kCorrupt,       // stored data is damaged, or a file is not the kind it should be
  kIo,            // reading or writing failed: an I/O error, a file that cannot be opened
  kReadOnly,      // a write to something read-only (a file, a directory, a read-only open)
};

// A failure: its code, and a message that names the thing at fault (file:line:col, URL, key) and
// says what was expected. Callers add context by prefixing the message (keeping the code), never
// by replacing it.
struct Failure {
  std::string message;
  ErrorCode code = ErrorCode::kOther;

  // The same failure with `context` before the message ("archive.sqlite: cannot open: " + ...).
  Failure prefixed(std::string_view context) const {
    return Failure{std::string(context) + message, code};
  }
};

// `text` in double quotes for a failure message, one line and bounded whatever the input: bytes
// below 0x20 and DEL become '?', and text beyond `max_bytes` is cut and marked "...".
inline std::string in_quotes(std::string_view text, size_t max_bytes = 200) {
  std::string out = "\"";
  for (char c : text.substr(0, max_bytes)) {
    out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
  }
  if (text.size() > max_bytes) out += "...";
  return out + "\"";
}

// Builds a Failure, convertible to any Result<T> or Status: `return fail("x.toml:3:1: ...");`
inline Failure fail(std::string message) { return Failure{std::move(message)}; }
// A failed Result or Status never has kOk: fail(ErrorCode::kOk, ...) is read as kOther.
inline Failure fail(ErrorCode code, std::string message) {
  return Failure{std::move(message), code};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Failure failure) : state_(std::in_place_index<1>, std::move(failure)) {
    if (std::get<1>(state_).code == ErrorCode::kOk) std::get<1>(state_).code = ErrorCode::kOther;
  }

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok().
  const std::string& error() const { return std::get<1>(state_).message; }
  Failure failure() const { return std::get<1>(state_); }
  // ErrorCode::kOk when ok().
  ErrorCode code() const { return ok() ? ErrorCode::kOk : std::get<1>(state_).code; }

 private:
  std::variant<T, Failure> state_;
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // success
  Status(Failure failure)
      : code_(failure.code == ErrorCode::kOk ? ErrorCode::kOther : failure.code),
        message_(std::move(failure.message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return message_; }  // "" when ok()
  Failure failure() const { return Failure{message_, code_}; }
  ErrorCode code() const { return code_; }  // ErrorCode::kOk when ok()

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

}  // namespace provarc
