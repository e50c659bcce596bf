#include "tests/support/wacz_check.h"

#include <zip.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "archive/cdxj.h"
#include "archive/warc.h"
#include "common/digest.h"

namespace provarc::testing {
namespace {

using nlohmann::json;

bool is_rfc3339(const json& value) {
  static const std::regex kTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d))");
  return value.is_string() && std::regex_match(value.get<std::string>(), kTime);
}

// Reads every entry whole through libzip (which checks each CRC at the entry's end).
void read_entries(zip_t* zip, WaczContents& out) {
  const zip_int64_t count = zip_get_num_entries(zip, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(zip, i, 0, &stat) != 0) {
      out.problems.push_back("entry " + std::to_string(i) + ": " + zip_strerror(zip));
      continue;
    }
    const std::string name = stat.name;
    out.entries.push_back(name);
    if (name.starts_with("archive/") && stat.comp_method != ZIP_CM_STORE) {
      out.problems.push_back(name + ": compressed in the ZIP (WARCs must be stored)");
    }
    zip_file_t* file = zip_fopen_index(zip, i, 0);
    if (file == nullptr) {
      out.problems.push_back(name + ": cannot open: " + zip_strerror(zip));
      continue;
    }
    std::string bytes(stat.size, '\0');
    zip_int64_t got = stat.size == 0 ? 0 : zip_fread(file, bytes.data(), stat.size);
    char extra;
    zip_int64_t more = zip_fread(file, &extra, 1);  // 0 at the end, where the CRC is checked
    if (got != static_cast<zip_int64_t>(stat.size) || more != 0) {
      out.problems.push_back(name + ": reading it failed: " + zip_file_strerror(file));
    }
    zip_fclose(file);
    out.files[name] = std::move(bytes);
  }
}

void check_datapackage(WaczContents& out) {
  auto& problems = out.problems;
  auto it = out.files.find("datapackage.json");
  if (it == out.files.end()) {
    problems.push_back("no datapackage.json");
    return;
  }
  out.datapackage = json::parse(it->second, nullptr, false);
  const json& package = out.datapackage;
  if (!package.is_object()) {
    problems.push_back("datapackage.json is not a JSON object");
    return;
  }
  if (package.value("profile", "") != "data-package") problems.push_back("profile is not data-package");
  if (package.value("wacz_version", "") != "1.1.1") problems.push_back("wacz_version is not 1.1.1");
  if (!is_rfc3339(package.value("created", json()))) problems.push_back("created is not RFC 3339");
  for (const char* key : {"title", "software"}) {
    if (!package.value(key, json()).is_string()) problems.push_back(std::string(key) + " missing");
  }
  std::set<std::string> listed;
  for (const json& r : package.value("resources", json::array())) {
    const std::string path = r.value("path", "");
    listed.insert(path);
    auto file = out.files.find(path);
    if (file == out.files.end()) {
      problems.push_back("resource " + path + " is not in the ZIP");
      continue;
    }
    if (r.value("bytes", json()) != json(file->second.size())) {
      problems.push_back(path + ": bytes " + r.value("bytes", json()).dump() + ", entry has " +
                         std::to_string(file->second.size()));
    }
    if (r.value("hash", "") != "sha256:" + sha256_hex(file->second)) {
      problems.push_back(path + ": hash does not match its entry");
    }
    if (r.value("name", json()).is_null()) problems.push_back(path + ": resource has no name");
  }
  for (const std::string& entry : out.entries) {
    if (entry != "datapackage.json" && entry != "datapackage-digest.json" && !listed.count(entry)) {
      problems.push_back(entry + " is not listed in datapackage.json's resources");
    }
  }
  auto digest = out.files.find("datapackage-digest.json");
  if (digest == out.files.end()) {
    problems.push_back("no datapackage-digest.json");
    return;
  }
  json d = json::parse(digest->second, nullptr, false);
  if (!d.is_object() || d.value("path", "") != "datapackage.json" ||
      d.value("hash", "") != "sha256:" + sha256_hex(it->second)) {
    problems.push_back("datapackage-digest.json does not give datapackage.json's hash");
  }
}

// A CDXJ field that may be a JSON string ("123", as pywb writes them) or a number (warcio's).
int64_t number_of(const json& block, const char* key) {
  auto it = block.find(key);
  if (it == block.end()) return -1;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (!it->is_string()) return -1;
  try {
    return std::stoll(it->get<std::string>());
  } catch (...) {
    return -1;
  }
}

std::string string_of(const json& block, const char* key) {
  auto it = block.find(key);
  return it != block.end() && it->is_string() ? it->get<std::string>() : "";
}

// The HTTP status of a response or revisit record's block.
int http_status(const std::string& block) {
  std::smatch m;
  static const std::regex kStatus(R"(^HTTP/\d(?:\.\d)? (\d{3}))");
  return std::regex_search(block, m, kStatus) ? std::stoi(m[1]) : 0;
}

// Checks that the index line leads to a WARC record of its URL.
void check_index_line(const CdxjLine& line, WaczContents& out) {
  auto& problems = out.problems;
  const json& b = line.block;
  auto file = out.files.find("archive/" + string_of(b, "filename"));
  if (file == out.files.end()) {
    problems.push_back(line.text + ": no such WARC file in archive/");
    return;
  }
  const int64_t offset = number_of(b, "offset");
  const int64_t length = number_of(b, "length");
  if (offset < 0 || length <= 0 || offset + length > static_cast<int64_t>(file->second.size())) {
    problems.push_back(line.text + ": offset and length are outside the file");
    return;
  }
  std::istringstream in(file->second.substr(offset, length));
  WarcReader reader(in, file->first);
  Result<std::optional<WarcRecord>> record = reader.next();
  Result<std::optional<WarcRecord>> after = reader.next();
  if (!record.ok() || !*record || !after.ok() || after->has_value()) {
    problems.push_back(line.text + ": the bytes there are not exactly one WARC record" +
                       (record.ok() ? "" : ": " + record.error()));
    return;
  }
  const WarcRecord& r = **record;
  const std::string type = r.type();
  if (type != "response" && type != "revisit") problems.push_back(line.text + ": a " + type);
  if (r.target_uri() != string_of(b, "url")) {
    problems.push_back(line.text + ": record is of " + r.target_uri());
  }
  if (cdxj_timestamp(r.field("WARC-Date")) != line.timestamp) {
    problems.push_back(line.text + ": record dated " + r.field("WARC-Date"));
  }
  if (http_status(r.block) != number_of(b, "status")) {
    problems.push_back(line.text + ": record's HTTP status is " + std::to_string(http_status(r.block)));
  }
  if (line.key != surt(string_of(b, "url"))) {
    problems.push_back(line.text + ": key is not the URL's SURT");
  }
}

void check_index(WaczContents& out) {
  bool any = false;
  for (const std::string& entry : out.entries) {
    if (!entry.starts_with("indexes/") || !(entry.ends_with(".cdxj") || entry.ends_with(".cdx"))) {
      continue;
    }
    any = true;
    std::istringstream lines(out.files[entry]);
    std::string previous;
    for (std::string text; std::getline(lines, text);) {
      CdxjLine line;
      line.text = text;
      const size_t first = text.find(' '), second = text.find(' ', first + 1);
      if (first == std::string::npos || second == std::string::npos) {
        out.problems.push_back(entry + ": not a CDXJ line: " + text);
        continue;
      }
      line.key = text.substr(0, first);
      line.timestamp = text.substr(first + 1, second - first - 1);
      line.block = json::parse(text.substr(second + 1), nullptr, false);
      if (!std::regex_match(line.timestamp, std::regex(R"(\d{14})")) || !line.block.is_object()) {
        out.problems.push_back(entry + ": not a CDXJ line: " + text);
        continue;
      }
      if (text < previous) out.problems.push_back(entry + ": not sorted at " + text);
      previous = text;
      check_index_line(line, out);
      out.index.push_back(std::move(line));
    }
  }
  if (!any) out.problems.push_back("no CDXJ index in indexes/");
}

void check_pages(WaczContents& out) {
  auto it = out.files.find("pages/pages.jsonl");
  if (it == out.files.end()) {
    out.problems.push_back("no pages/pages.jsonl");
    return;
  }
  std::set<std::string> indexed;
  for (const CdxjLine& line : out.index) indexed.insert(string_of(line.block, "url"));
  std::istringstream lines(it->second);
  std::string text;
  if (!std::getline(lines, text)) {
    out.problems.push_back("pages.jsonl is empty (it needs its header)");
    return;
  }
  out.pages_header = json::parse(text, nullptr, false);
  if (!out.pages_header.is_object() || out.pages_header.value("format", "") != "json-pages-1.0" ||
      !out.pages_header.contains("id")) {
    out.problems.push_back("pages.jsonl's header is not a json-pages-1.0 header: " + text);
  }
  while (std::getline(lines, text)) {
    json page = json::parse(text, nullptr, false);
    if (!page.is_object() || !page.value("url", json()).is_string() ||
        !is_rfc3339(page.value("ts", json()))) {
      out.problems.push_back("pages.jsonl: not a page with a url and an RFC 3339 ts: " + text);
      continue;
    }
    if (!indexed.count(page["url"])) {
      out.problems.push_back("pages.jsonl: " + page["url"].get<std::string>() + " is not indexed");
    }
    out.pages.push_back(std::move(page));
  }
}

// True when the file ends with a ZIP64 end of central directory locator.
bool has_zip64_end(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const std::streamoff size = in.tellg();
  const std::streamoff tail = std::min<std::streamoff>(size, 64 * 1024 + 100);
  std::string bytes(static_cast<size_t>(tail), '\0');
  in.seekg(size - tail);
  in.read(bytes.data(), tail);
  return bytes.find(std::string("PK\x06\x07", 4)) != std::string::npos;
}

}  // namespace

WaczContents check_wacz(const std::string& path) {
  WaczContents out;
  int code = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (zip == nullptr) {
    out.problems.push_back(path + ": libzip cannot open it (error " + std::to_string(code) + ")");
    return out;
  }
  read_entries(zip, out);
  zip_discard(zip);
  out.zip64 = has_zip64_end(path);
  bool warc = false;
  for (const std::string& entry : out.entries) {
    warc = warc || (entry.starts_with("archive/") &&
                    (entry.ends_with(".warc") || entry.ends_with(".warc.gz")));
  }
  if (!warc) out.problems.push_back("no WARC file in archive/");
  check_datapackage(out);
  check_index(out);
  check_pages(out);
  return out;
}

}  // namespace provarc::testing
