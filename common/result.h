// common/result.h: the error-as-value types that every provarc module returns across its boundary.
// A Result<T> holds either a T or a failure message; Status is a Result with no value.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace provarc {

// A failure message. The message names the thing at fault (file:line:col, URL, key) and says what
// was expected; callers add context by prefixing, never by replacing.
struct Failure {
  std::string message;
};

// Builds a Failure, convertible to any Result<T> or Status: `return fail("x.toml:3:1: ...");`
inline Failure fail(std::string message) { return Failure{std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Failure failure) : state_(std::in_place_index<1>, std::move(failure)) {}

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

 private:
  std::variant<T, Failure> state_;
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // success
  Status(Failure failure) : failed_(true), message_(std::move(failure.message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return message_; }
  Failure failure() const { return Failure{message_}; }

 private:
  bool failed_ = false;
  std::string message_;
};

}  // namespace provarc
