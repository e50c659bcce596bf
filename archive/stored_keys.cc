#include "archive/stored_keys.h"

#include <string>
#include <utility>

#include "common/ascii.h"
#include "common/digest.h"

namespace provarc {
namespace {

void unhex_function(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (argc != 1) return sqlite3_result_error(context, "provarc_unhex takes 1 argument", -1);
  if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) return sqlite3_result_value(context, argv[0]);
  const char* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  if (text == nullptr) return sqlite3_result_error_nomem(context);
  const size_t size = static_cast<size_t>(sqlite3_value_bytes(argv[0]));
  if (size == 0 || size % 2 != 0) return sqlite3_result_value(context, argv[0]);
  std::string bytes(size / 2, '\0');
  for (size_t i = 0; i < size; i += 2) {
    const int high = ascii::hex_value(text[i]);
    const int low = ascii::hex_value(text[i + 1]);
    if (high < 0 || low < 0) return sqlite3_result_value(context, argv[0]);
    bytes[i / 2] = static_cast<char>(high * 16 + low);
  }
  sqlite3_result_blob64(context, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
}

void hex_function(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (argc != 1) return sqlite3_result_error(context, "provarc_hex takes 1 argument", -1);
  if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) return sqlite3_result_value(context, argv[0]);
  const auto* bytes = static_cast<const unsigned char*>(sqlite3_value_blob(argv[0]));
  const size_t size = static_cast<size_t>(sqlite3_value_bytes(argv[0]));
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text(2 * size, '0');
  for (size_t i = 0; i < size; ++i) {
    text[2 * i] = kDigits[bytes[i] >> 4];
    text[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  sqlite3_result_text64(context, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void url_key_function(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (argc != 1) return sqlite3_result_error(context, "provarc_url_key takes 1 argument", -1);
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(context);
  const char* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  if (text == nullptr) return sqlite3_result_error_nomem(context);
  const size_t size = static_cast<size_t>(sqlite3_value_bytes(argv[0]));
  sqlite3_result_int64(context, url_key(std::string_view(text, size)));
}

}  // namespace

int64_t url_key(std::string_view url) {
  const std::string digest = sha256_hex(url);
  uint64_t key = 0;
  for (size_t i = 0; i < 16; ++i) {
    key = key << 4 | static_cast<uint64_t>(ascii::hex_value(digest[i]));
  }
  return static_cast<int64_t>(key);
}

Status register_stored_keys(sqlite3* db) {
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  using Function = void (*)(sqlite3_context*, int, sqlite3_value**);
  const std::pair<const char*, Function> functions[] = {
      {kUnhexFunction, unhex_function}, {kHexFunction, hex_function},
      {kUrlKeyFunction, url_key_function}};
  for (auto [name, function] : functions) {
    const int rc =
        sqlite3_create_function_v2(db, name, 1, flags, nullptr, function, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      return fail(std::string("cannot register the SQL function ") + name + ": " +
                  sqlite3_errstr(rc));
    }
  }
  return Status::Ok();
}

}  // namespace provarc
