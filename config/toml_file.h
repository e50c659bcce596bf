// config/toml_file.h (private to config/): one parsed TOML file and typed, validated reads of its
// values, every error as "<file>:<line>:<column>: <what is wrong>; expected <what>".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "common/result.h"

namespace provarc {

// Config files are small; anything larger is a mistake (or not a config file).
inline constexpr size_t kMaxConfigFileBytes = 1 << 20;

// A parsed TOML document and the path it came from, which every error message starts with.
class TomlFile {
 public:
  // Reads and parses `path`. Fails with "<path>:<line>:<column>: <syntax error>" when the TOML is
  // invalid, or naming the path when it cannot be read or exceeds kMaxConfigFileBytes.
  // toml++ reports syntax errors by exception (Debian builds it so); they stop here.
  static Result<TomlFile> open(const std::string& path);

  const std::string& path() const { return path_; }
  const toml::table& root() const { return root_; }

  // "<path>:<line>:<column>: <what>; expected <expected>" at the start of `where`
  // (line 1, column 1 when the region is unknown, as for the file's root table).
  Failure error(const toml::source_region& where, std::string_view what,
                std::string_view expected) const;

 private:
  std::string path_;
  toml::table root_;
};

// "a, b, c": a list of keys or values in a message.
template <typename Strings>
std::string join(const Strings& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

// A string from the file and where it stands, for errors found later (a bad selector or regex).
struct StringValue {
  std::string text;
  toml::source_region where;
};

// The error for a key that `table_name` does not have: names the key, suggests the closest valid
// key when one is near, and lists the valid keys.
Failure unknown_key(const TomlFile& file, const toml::key& key, std::string_view table_name,
                    const std::vector<std::string_view>& valid_keys);

// Fails with unknown_key() for the first key of `table` not in `valid_keys`.
Status check_keys(const TomlFile& file, const toml::table& table, std::string_view table_name,
                  const std::vector<std::string_view>& valid_keys);

// The value of `key` in `table`; fails at the table's start when it is missing. `expected` says
// what the key should hold (e.g. "id = \"<the file name without .toml>\"").
Result<const toml::node*> require_key(const TomlFile& file, const toml::table& table,
                                      std::string_view key, std::string_view expected);

// Typed reads of one value. `name` is the dotted key ("crawl.delay") the messages use. Each fails
// at the value when its type is wrong or it is out of [min, max]; none retains `node`.
Result<std::string> read_string(const TomlFile& file, const toml::node& node,
                                std::string_view name);
Result<bool> read_bool(const TomlFile& file, const toml::node& node, std::string_view name);
Result<int64_t> read_integer(const TomlFile& file, const toml::node& node, std::string_view name,
                             int64_t min, int64_t max);
// A duration string ("1s", see common/units.h) in milliseconds, within [min_ms, max_ms].
Result<int64_t> read_duration_ms(const TomlFile& file, const toml::node& node,
                                 std::string_view name, int64_t min_ms, int64_t max_ms);
// A size string ("20MB") or a plain integer number of bytes, within [min, max].
Result<int64_t> read_size_bytes(const TomlFile& file, const toml::node& node,
                                std::string_view name, int64_t min, int64_t max);
// An array of non-empty strings (an empty array is allowed); each element checked where it stands.
Result<std::vector<StringValue>> read_string_array(const TomlFile& file, const toml::node& node,
                                                   std::string_view name);
// A table; fails at the value when it is anything else.
Result<const toml::table*> read_table(const TomlFile& file, const toml::node& node,
                                      std::string_view name);

}  // namespace provarc
