#include "config/toml_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "common/units.h"

namespace provarc {
namespace {

// Levenshtein distance, for "did you mean" suggestions between short keys.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The valid key closest to `key`, or "" when none is within two edits.
std::string_view closest_key(std::string_view key, const std::vector<std::string_view>& valid) {
  if (key.size() > 64) return "";  // a long key is no typo of a short one; keep the work bounded
  std::string_view best;
  size_t best_distance = 3;
  for (std::string_view candidate : valid) {
    size_t d = edit_distance(key, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "nothing";
  }
}

Failure wrong_type(const TomlFile& file, const toml::node& node, std::string_view name,
                   std::string_view expected) {
  return file.error(node.source(), in_quotes(name) + " is " + type_name(node), expected);
}

// What a path that cannot be read as a file is, for the message: a symbolic link names its
// target (a dangling or looping link reads as "No such file" or "Too many levels").
std::string what_is_at(const std::string& path) {
  char target[4096];
  ssize_t n = readlink(path.c_str(), target, sizeof target - 1);
  if (n < 0) return "";
  target[n] = '\0';
  return " (a symbolic link to " + std::string(target) + ")";
}

std::string file_type_name(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Reads a config file of at most kMaxConfigFileBytes. The file is opened without blocking and
// its type checked on the open descriptor before a byte is read, so that a FIFO, a device such
// as /dev/zero or a link to one is refused at once instead of hanging or reading forever.
Result<std::string> read_whole_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return fail(path + ": cannot read: " + std::strerror(errno) + what_is_at(path) +
                "; expected a TOML file");
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st;
  if (fstat(fd, &st) != 0) {
    return fail(path + ": cannot read: " + std::strerror(errno) + "; expected a TOML file");
  }
  if (!S_ISREG(st.st_mode)) {
    return fail(path + ": " + file_type_name(st.st_mode) + what_is_at(path) +
                ", not a regular file; expected a TOML file");
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxConfigFileBytes) {
    return fail(path + ": file is " + std::to_string(st.st_size) + " bytes; expected at most " +
                format_size_bytes(kMaxConfigFileBytes));
  }
  std::string text;
  char buffer[64 * 1024];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(path + ": read error: " + std::strerror(errno));
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    // The file may have grown since fstat(); the limit still holds.
    if (text.size() > kMaxConfigFileBytes) {
      return fail(path + ": file exceeds " + format_size_bytes(kMaxConfigFileBytes));
    }
  }
  return text;
}

}  // namespace

Result<TomlFile> TomlFile::open(const std::string& path) {
  Result<std::string> text = read_whole_file(path);
  if (!text.ok()) return text.failure();
  TomlFile file;
  file.path_ = path;
  try {
    file.root_ = toml::parse(*text, path);
  } catch (const toml::parse_error& e) {
    return file.error(e.source(), "TOML syntax error: " + std::string(e.description()),
                      "valid TOML (https://toml.io/en/v1.0.0)");
  }
  return file;
}

Failure TomlFile::error(const toml::source_region& where, std::string_view what,
                        std::string_view expected) const {
  // toml++ leaves regions it did not fill (the root table) at line 0.
  uint32_t line = where.begin.line == 0 ? 1 : where.begin.line;
  uint32_t column = where.begin.line == 0 ? 1 : where.begin.column;
  std::string message = path_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  message += what;
  if (!expected.empty()) {
    message += "; expected ";
    message += expected;
  }
  return fail(std::move(message));
}

Failure unknown_key(const TomlFile& file, const toml::key& key, std::string_view table_name,
                    const std::vector<std::string_view>& valid_keys) {
  std::string what = "unknown key " + in_quotes(key.str()) + " in " + std::string(table_name);
  std::string_view suggestion = closest_key(key.str(), valid_keys);
  if (!suggestion.empty()) what += " (did you mean " + in_quotes(suggestion) + "?)";
  return file.error(key.source(), what, "one of " + join(valid_keys));
}

Status check_keys(const TomlFile& file, const toml::table& table, std::string_view table_name,
                  const std::vector<std::string_view>& valid_keys) {
  for (const auto& [key, value] : table) {
    if (std::find(valid_keys.begin(), valid_keys.end(), key.str()) == valid_keys.end()) {
      return unknown_key(file, key, table_name, valid_keys);
    }
  }
  return Status::Ok();
}

Result<const toml::node*> require_key(const TomlFile& file, const toml::table& table,
                                      std::string_view key, std::string_view expected) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return file.error(table.source(), "missing required key " + in_quotes(key), expected);
  return node;
}

Result<std::string> read_string(const TomlFile& file, const toml::node& node,
                                std::string_view name) {
  const auto* value = node.as_string();
  if (value == nullptr) return wrong_type(file, node, name, "a string");
  return value->get();
}

Result<bool> read_bool(const TomlFile& file, const toml::node& node, std::string_view name) {
  const auto* value = node.as_boolean();
  if (value == nullptr) return wrong_type(file, node, name, "true or false");
  return value->get();
}

Result<int64_t> read_integer(const TomlFile& file, const toml::node& node, std::string_view name,
                             int64_t min, int64_t max) {
  const std::string range = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  const auto* value = node.as_integer();
  if (value == nullptr) return wrong_type(file, node, name, range);
  if (value->get() < min || value->get() > max) {
    return file.error(node.source(),
                      in_quotes(name) + " is " + std::to_string(value->get()) + ", out of range", range);
  }
  return value->get();
}

Result<int64_t> read_duration_ms(const TomlFile& file, const toml::node& node,
                                 std::string_view name, int64_t min_ms, int64_t max_ms) {
  const std::string range =
      "a duration from " + format_duration_ms(min_ms) + " to " + format_duration_ms(max_ms);
  const auto* value = node.as_string();
  if (value == nullptr) return wrong_type(file, node, name, range + " such as \"1s\"");
  Result<int64_t> ms = parse_duration_ms(value->get());
  if (!ms.ok()) return file.error(node.source(), in_quotes(name) + ": " + ms.error(), "");
  if (*ms < min_ms || *ms > max_ms) {
    return file.error(node.source(), in_quotes(name) + " is " + in_quotes(value->get()) + ", out of range",
                      range);
  }
  return *ms;
}

Result<int64_t> read_size_bytes(const TomlFile& file, const toml::node& node,
                                std::string_view name, int64_t min, int64_t max) {
  const std::string range =
      "a size from " + format_size_bytes(min) + " to " + format_size_bytes(max);
  int64_t bytes = 0;
  if (const auto* integer = node.as_integer()) {
    bytes = integer->get();
  } else if (const auto* text = node.as_string()) {
    Result<int64_t> parsed = parse_size_bytes(text->get());
    if (!parsed.ok()) return file.error(node.source(), in_quotes(name) + ": " + parsed.error(), "");
    bytes = *parsed;
  } else {
    return wrong_type(file, node, name, range + " such as \"20MB\" or a number of bytes");
  }
  if (bytes < min || bytes > max) {
    return file.error(node.source(), in_quotes(name) + " is " + std::to_string(bytes) +
                      " bytes, out of range", range);
  }
  return bytes;
}

Result<std::vector<StringValue>> read_string_array(const TomlFile& file, const toml::node& node,
                                                   std::string_view name) {
  const toml::array* array = node.as_array();
  if (array == nullptr) return wrong_type(file, node, name, "an array of strings");
  std::vector<StringValue> values;
  values.reserve(array->size());
  for (const toml::node& element : *array) {
    const auto* text = element.as_string();
    if (text == nullptr) {
      return file.error(element.source(),
                        "element of " + in_quotes(name) + " is " + type_name(element), "a string");
    }
    if (text->get().empty()) {
      return file.error(element.source(), "empty string in " + in_quotes(name), "a non-empty string");
    }
    values.push_back({text->get(), element.source()});
  }
  return values;
}

Result<const toml::table*> read_table(const TomlFile& file, const toml::node& node,
                                      std::string_view name) {
  const toml::table* table = node.as_table();
  if (table == nullptr) return wrong_type(file, node, name, "a table");
  return table;
}

}  // namespace provarc
