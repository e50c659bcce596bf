// Tests for common/result.h: failures carry a code beside their message, and keep it when a caller
// adds context.
#include "common/result.h"

#include <gtest/gtest.h>

namespace provarc {
namespace {

Result<int> half(int n) {
  if (n % 2 != 0) return fail(ErrorCode::kInvalidInput, std::to_string(n) + " is odd");
  return n / 2;
}

TEST(Result, SuccessHasTheOkCode) {
  EXPECT_EQ(Status::Ok().code(), ErrorCode::kOk);
  EXPECT_EQ(Status().code(), ErrorCode::kOk);
  EXPECT_EQ(half(4).code(), ErrorCode::kOk);
  EXPECT_EQ(*half(4), 2);
}

TEST(Result, AFailureKeepsItsCodeAndMessage) {
  Result<int> odd = half(3);
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(odd.error(), "3 is odd");
  Status status = odd.failure();
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(status.error(), "3 is odd");
  Result<std::string> again = status.failure();
  EXPECT_EQ(again.code(), ErrorCode::kInvalidInput);
}

TEST(Result, AMessageAloneIsOther) {
  Status s = fail("something broke");
  EXPECT_EQ(s.code(), ErrorCode::kOther);
  EXPECT_EQ(Result<int>(fail("x")).code(), ErrorCode::kOther);
}

TEST(Result, AFailureIsNeverOk) {
  Status s = fail(ErrorCode::kOk, "not ok at all");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kOther);
  Result<int> r = fail(ErrorCode::kOk, "nor this");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kOther);
}

TEST(Result, ContextIsPrefixedAndTheCodeKept) {
  Failure busy = fail(ErrorCode::kBusy, "database is locked (SQLITE_BUSY)");
  Failure prefixed = busy.prefixed("a.sqlite: storing x: ");
  EXPECT_EQ(prefixed.message, "a.sqlite: storing x: database is locked (SQLITE_BUSY)");
  EXPECT_EQ(prefixed.code, ErrorCode::kBusy);
}

TEST(Result, QuotedValuesStayOneBoundedLine) {
  EXPECT_EQ(in_quotes("hosts"), "\"hosts\"");
  EXPECT_EQ(in_quotes("a\nb\tc\x7f"), "\"a?b?c?\"");
  EXPECT_EQ(in_quotes(std::string(300, 'x')), "\"" + std::string(200, 'x') + "...\"");
  EXPECT_EQ(in_quotes("abcdef", 3), "\"abc...\"");
  EXPECT_EQ(in_quotes("Tin khác"), "\"Tin khác\"");  // UTF-8 is not control
}

}  // namespace
}  // namespace provarc
