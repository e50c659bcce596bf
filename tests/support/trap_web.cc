#include "tests/support/trap_web.h"

#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "tests/support/fixture_sites.h"
#include "tests/support/trap_web_families.h"

namespace provarc::testing {

using trapweb::Article;
using trapweb::CivilTime;
using trapweb::Family;
using trapweb::LinkPlace;
using trapweb::UrlForm;

// ---- The six sites

std::vector<TrapSiteSpec> default_trap_sites() {
  using Where = SessionTokens::Where;
  const std::string hex = "0123456789abcdef";
  const std::string base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return {
      {.id = "trap-sharepoint",
       .family = PortalFamily::kSharePoint,
       .real_host = "stttt.sonlam.gov.vn",
       .province = "Sơn Lâm",
       .seed = 1,
       .articles = 60,
       .redirect_aliases = true,
       .case_variants = true,
       .page_one_link = true},
      {.id = "trap-websphere",
       .family = PortalFamily::kWebSphere,
       .real_host = "sotttt.hanguyen.gov.vn",
       .province = "Hà Nguyên",
       .seed = 2,
       .articles = 50,
       .robots_txt = false,
       .session = {Where::kPathParameter, "jsessionid", "0000", base64 + "_-", 23, ":17ig2ib8s"},
       .print_twins = true,
       .navigation_states = true},
      {.id = "trap-aspnet",
       .family = PortalFamily::kAspNet,
       .real_host = "stttt.donggiang.gov.vn",
       .province = "Đông Giang",
       .seed = 3,
       .articles = 48,
       .crawl_delay_s = 2,
       .session = {Where::kQuery, "sid", "", hex, 24, ""},
       .print_twins = true,
       .calendar = {"/LichCongTac.aspx", "month", "Lịch công tác", 66},
       .gzip_bomb = true},
      {.id = "trap-aspnet-path",
       .family = PortalFamily::kAspNetPath,
       .real_host = "stttt.tragiang.gov.vn",
       .province = "Trà Giang",
       .seed = 4,
       .articles = 40,
       .print_twins = true},
      {.id = "trap-liferay",
       .family = PortalFamily::kLiferay,
       .real_host = "stttt.hauloc.gov.vn",
       .province = "Hậu Lộc",
       .seed = 5,
       .articles = 56,
       .session = {Where::kQuery, "p_p_auth", "", base64, 20, ""},
       .calendar = {"/web/guest/lich-cong-tac", "week", "Lịch công tác tuần", 27},
       .portlet_variants = true},
      {.id = "trap-cms",
       .family = PortalFamily::kNoPreset,
       .real_host = "stttt.binhchau.gov.vn",
       .province = "Bình Châu",
       .seed = 6,
       .articles = 64,
       .session = {Where::kQuery, "s", "", base64 + "-_", 20, ""},
       .pager_beyond_end = true},
  };
}

// The second web: the same families, their second URL schemes (TrapSiteSpec::scheme), other
// hosts and provinces, and traps the first web has not (docs/crawl-identity.md, "Second held-out
// trap web"). Token lengths and alphabets as the platforms write them: ASP.NET's cookieless
// session id is 24 characters of a-z and 0-5; Tomcat's jsessionid 32 upper-case hex digits and
// a route; Liferay's p_auth 8 letters and digits; Facebook's fbclid "IwAR" and about 60 more.
std::vector<TrapSiteSpec> trap_web2_sites() {
  using Where = SessionTokens::Where;
  using Shape = CalendarTrap::Shape;
  const std::string hex_upper = "0123456789ABCDEF";
  const std::string hex = "0123456789abcdef";
  const std::string alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const long today = 20794;  // 2026-12-07 in days since 1970-01-01
  return {
      {.id = "trap2-sharepoint",
       .family = PortalFamily::kSharePoint,
       .real_host = "sotttt.tayson.gov.vn",
       .province = "Tây Sơn",
       .seed = 7,
       .articles = 44,
       .print_twins = true,
       .calendar = {"/tin-tuc/Pages/lich-cong-tac.aspx", "ngay", "Lịch công tác",
                    static_cast<int>(today), Shape::kDate},
       .scheme = 2,
       .place_aliases = true,
       .session2 = {Where::kQuery, "fbclid", "IwAR", alnum + "_-", 58, ""},
       .shuffle_params = true,
       .canonical = CanonicalLink::kNone,
       .listing_variants = {"SortField=Created&SortDir=Asc", "SortField=Title&SortDir=Asc",
                            "SortField=Title&SortDir=Desc"}},
      {.id = "trap2-websphere",
       .family = PortalFamily::kWebSphere,
       .real_host = "stttt.thanhha.gov.vn",
       .province = "Thanh Hà",
       .seed = 8,
       .articles = 38,
       .robots_txt = false,
       .session = {Where::kQuery, "ssid", "", hex, 16, ""},
       .print_twins = true,
       .calendar = {"/wps/portal/sotttt/lich-cong-tac", "", "Lịch công tác tháng", 2026 * 12 + 11,
                    Shape::kPathMonth},
       .navigation_states = true,
       .scheme = 2,
       .place_aliases = true,
       .shuffle_params = true,
       .canonical = CanonicalLink::kRelative},
      {.id = "trap2-aspnet",
       .family = PortalFamily::kAspNet,
       .real_host = "stttt.binhgiang.gov.vn",
       .province = "Bình Giang",
       .seed = 9,
       .articles = 52,
       .session = {Where::kPathPrefix, "cookieless", "(S(", "abcdefghijklmnopqrstuvwxyz012345",
                   24, "))"},
       .print_twins = true,
       .calendar = {"/LichLamViec.aspx", "ngay", "Lịch làm việc", static_cast<int>(today),
                    Shape::kDate},
       .scheme = 2,
       .place_aliases = true,
       .shuffle_params = true,
       .mobile_twins = true,
       .canonical = CanonicalLink::kNone},
      {.id = "trap2-aspnet-path",
       .family = PortalFamily::kAspNetPath,
       .real_host = "stttt.tralinh.gov.vn",
       .province = "Trà Lĩnh",
       .seed = 10,
       .articles = 36,
       .print_twins = true,
       .pager_beyond_end = true,
       .scheme = 2,
       .place_aliases = true,
       .shuffle_params = true,
       .mobile_twins = true,
       .canonical = CanonicalLink::kAbsolute,
       .beyond_repeats_last = true},
      {.id = "trap2-liferay",
       .family = PortalFamily::kLiferay,
       .real_host = "stttt.hoaloc.gov.vn",
       .province = "Hòa Lộc",
       .seed = 11,
       .articles = 46,
       .session = {Where::kPathParameter, "jsessionid", "", hex_upper, 32, ".node1"},
       .print_twins = true,
       .gzip_bomb = true,
       .portlet_variants = true,
       .scheme = 2,
       .place_aliases = true,
       .session2 = {Where::kQuery, "p_auth", "", alnum, 8, ""},
       .canonical = CanonicalLink::kAbsolute},
      {.id = "trap2-cms",
       .family = PortalFamily::kNoPreset,
       .real_host = "stttt.phulam.gov.vn",
       .province = "Phú Lâm",
       .seed = 12,
       .articles = 58,
       .session = {Where::kQuery, "token", "", alnum + "+/", 22, "%3D%3D"},
       .print_twins = true,
       .scheme = 2,
       .place_aliases = true,
       .mobile_twins = true,
       .canonical = CanonicalLink::kRelative,
       .soft_404 = true,
       .dead_links = 3,
       .listing_variants = {"sap-xep=cu-nhat", "sap-xep=xem-nhieu", "nam=2022", "nam=2023"}},
  };
}

namespace {

std::vector<TrapSiteSpec> plain_of(const std::vector<TrapSiteSpec>& trapped_sites) {
  std::vector<TrapSiteSpec> sites;
  for (const TrapSiteSpec& trapped : trapped_sites) {
    sites.push_back({.id = trapped.id,
                     .family = trapped.family,
                     .real_host = trapped.real_host,
                     .province = trapped.province,
                     .seed = trapped.seed,
                     .articles = trapped.articles,
                     .per_page = trapped.per_page,
                     .robots_txt = trapped.robots_txt,
                     .print_twins = true,
                     .scheme = trapped.scheme,
                     .canonical = trapped.canonical});
  }
  return sites;
}

}  // namespace

std::vector<TrapSiteSpec> plain_trap_sites() { return plain_of(default_trap_sites()); }
std::vector<TrapSiteSpec> plain_trap_web2_sites() { return plain_of(trap_web2_sites()); }

std::string family_name(PortalFamily family) {
  switch (family) {
    case PortalFamily::kSharePoint:
      return "sharepoint";
    case PortalFamily::kWebSphere:
      return "websphere";
    case PortalFamily::kAspNet:
      return "aspnet";
    case PortalFamily::kAspNetPath:
      return "aspnet-path";
    case PortalFamily::kLiferay:
      return "liferay";
    case PortalFamily::kNoPreset:
      return "no-preset";
  }
  return "?";
}

std::string hit_kind_name(HitKind kind) {
  switch (kind) {
    case HitKind::kRobots:
      return "robots";
    case HitKind::kHome:
      return "home";
    case HitKind::kListing:
      return "listing";
    case HitKind::kArticle:
      return "article";
    case HitKind::kGone:
      return "gone";
    case HitKind::kResource:
      return "resource";
    case HitKind::kPage:
      return "page";
    case HitKind::kTwin:
      return "twin";
    case HitKind::kAlias:
      return "alias";
    case HitKind::kCalendar:
      return "calendar";
    case HitKind::kBomb:
      return "bomb";
    case HitKind::kBeyond:
      return "beyond";
    case HitKind::kSort:
      return "sort";
    case HitKind::kUnknown:
      return "unknown";
  }
  return "?";
}

bool Hit::trap() const {
  switch (kind) {
    case HitKind::kTwin:
    case HitKind::kAlias:
    case HitKind::kCalendar:
    case HitKind::kBomb:
    case HitKind::kBeyond:
    case HitKind::kSort:
    case HitKind::kUnknown:
      return true;
    default:
      return session;
  }
}

namespace {

// ---- Articles: a pure function of the site, the number and the epoch

struct Topic {
  const char* title;
  const char* slug;
};

const Topic kTopics[] = {
    {"Hội nghị triển khai nhiệm vụ chuyển đổi số", "hoi-nghi-trien-khai-nhiem-vu-chuyen-doi-so"},
    {"Tập huấn kỹ năng số cho tổ công nghệ số cộng đồng",
     "tap-huan-ky-nang-so-cho-to-cong-nghe-so-cong-dong"},
    {"Kiểm tra hoạt động bưu chính và viễn thông", "kiem-tra-hoat-dong-buu-chinh-va-vien-thong"},
    {"Diễn tập ứng cứu sự cố an toàn thông tin mạng",
     "dien-tap-ung-cuu-su-co-an-toan-thong-tin-mang"},
    {"Sơ kết công tác thông tin và truyền thông", "so-ket-cong-tac-thong-tin-va-truyen-thong"},
    {"Hướng dẫn sử dụng dịch vụ công trực tuyến", "huong-dan-su-dung-dich-vu-cong-truc-tuyen"},
    {"Phát triển hạ tầng viễn thông thụ động", "phat-trien-ha-tang-vien-thong-thu-dong"},
    {"Tuyên truyền phòng, chống tin giả trên mạng xã hội",
     "tuyen-truyen-phong-chong-tin-gia-tren-mang-xa-hoi"},
    {"Triển khai nền tảng địa chỉ số quốc gia", "trien-khai-nen-tang-dia-chi-so-quoc-gia"},
    {"Hội thảo ứng dụng trí tuệ nhân tạo trong cơ quan nhà nước",
     "hoi-thao-ung-dung-tri-tue-nhan-tao-trong-co-quan-nha-nuoc"},
    {"Cấp phép hoạt động in và phát hành xuất bản phẩm",
     "cap-phep-hoat-dong-in-va-phat-hanh-xuat-ban-pham"},
    {"Phổ cập điện thoại thông minh cho người dân", "pho-cap-dien-thoai-thong-minh-cho-nguoi-dan"},
};
const Topic kPlaces[] = {
    {"huyện Tân Kỳ", "huyen-tan-ky"},
    {"huyện Ba Bể", "huyen-ba-be"},
    {"thị xã Ngã Năm", "thi-xa-nga-nam"},
    {"huyện Cầu Kè", "huyen-cau-ke"},
    {"xã Quang Thuận", "xa-quang-thuan"},
    {"huyện Chợ Mới", "huyen-cho-moi"},
    {"phường Đức Xuân", "phuong-duc-xuan"},
    {"huyện Na Rì", "huyen-na-ri"},
    {"thị trấn Phủ Thông", "thi-tran-phu-thong"},
    {"huyện Tiểu Cần", "huyen-tieu-can"},
};
const char* const kAuthors[] = {"Thanh Tâm",        "Bế Thị Thanh Hoài", "Nguyễn Văn Đậm",
                                "Hoàng Thăng Long", "Minh Khoa",         "Lê Thị Hồng Nhung",
                                "Trần Quốc Việt",   "Phạm Thu Trang"};
constexpr int kTitles = 12 * 10;  // distinct titles per site
constexpr int kNewAtEpoch2 = 5;

// Days since 1970-01-01 and back (Howard Hinnant's civil calendar algorithms).
long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilTime civil_from_days(long z) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  CivilTime t;
  t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  t.year = static_cast<int>(yoe + era * 400 + (t.month <= 2));
  return t;
}

int family_id_base(PortalFamily family) {
  switch (family) {
    case PortalFamily::kSharePoint:
      return 400;
    case PortalFamily::kWebSphere:
      return 9100;
    case PortalFamily::kAspNet:
      return 1200;
    case PortalFamily::kAspNetPath:
      return 637200;
    case PortalFamily::kLiferay:
      return 753300;
    case PortalFamily::kNoPreset:
      return 2300;
  }
  return 0;
}

// Whether epoch 2 edits article `number` of a site that had `articles` at epoch 1.
bool edited_at_epoch2(int number, int articles) { return number % 7 == 3 && number <= articles; }

std::string short_date(const CivilTime& t) {  // "6/4/2023": how body text writes event dates
  return std::to_string(t.day) + "/" + std::to_string(t.month) + "/" + std::to_string(t.year);
}

Article make_article(const TrapSiteSpec& spec, int number, int epoch) {
  const Topic& topic = kTopics[(number - 1 + spec.seed) % 12];
  const Topic& place = kPlaces[((number - 1) / 12 + spec.seed) % 10];
  Article a;
  a.number = number;
  a.id = family_id_base(spec.family) + number;
  a.slug = std::string(topic.slug) + "-tai-" + place.slug;
  a.title = std::string(topic.title) + " tại " + place.title;
  a.author = kAuthors[(number * 3 + spec.seed) % 8];
  long day = days_from_civil(2021, 1, 4) + spec.seed * 17 + number * 5;
  a.published = civil_from_days(day);
  a.published.hour = 7 + (number * 5 + spec.seed) % 10;
  a.published.minute = (number * 17 + spec.seed * 7) % 60;
  a.published.second = (number * 29 + spec.seed) % 60;
  CivilTime event = civil_from_days(day - 1);
  std::string lower_topic = topic.title;
  lower_topic[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(lower_topic[0])));
  int units = number % 5 + 3;
  int count = (number * 37 + spec.seed * 11) % 900 + 100;
  bool edited = epoch == 2 && edited_at_epoch2(number, spec.articles);
  a.paragraphs.push_back("Ngày " + short_date(event) + ", Sở Thông tin và Truyền thông tỉnh " +
                         spec.province + " phối hợp với Ủy ban nhân dân " + place.title +
                         " tổ chức " + lower_topic +
                         ". Tham dự có lãnh đạo các phòng, đơn vị trực thuộc Sở và đại diện " +
                         std::to_string(units) + " cơ quan, đơn vị trên địa bàn.");
  a.paragraphs.push_back(
      "Theo báo cáo, đến nay toàn tỉnh đã có " + std::to_string(edited ? count + 23 : count) +
      " tổ công nghệ số cộng đồng với hơn " + std::to_string((edited ? count + 23 : count) * 5) +
      " thành viên; tỷ lệ hồ sơ trực tuyến toàn trình đạt " + std::to_string(40 + number % 50) +
      "%, tăng so với cùng kỳ năm trước.");
  a.paragraphs.push_back(
      "Phát biểu kết luận, lãnh đạo Sở đề nghị các đơn vị tiếp tục quán triệt, triển khai đồng bộ "
      "các nhiệm vụ đã đề ra, bảo đảm hoàn thành các chỉ tiêu năm " +
      std::to_string(a.published.year) + "./.");
  if (edited) {
    a.paragraphs.push_back(
        "Cập nhật: số liệu được bổ sung theo báo cáo của các địa phương gửi Sở "
        "sau hội nghị.");
  }
  a.image = number % 2 == 1;
  return a;
}

// ---- Targets as a server reads them

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

namespace trapweb {

// A target split and decoded, its session token taken out.
struct Target {
  std::string path;
  std::vector<std::pair<std::string, std::string>> params;  // in order
  bool session = false;

  // The same target's identity: path and parameters sorted (what servers take as equal).
  std::string normal() const {
    auto sorted = params;
    std::sort(sorted.begin(), sorted.end());
    std::string s = path;
    for (size_t i = 0; i < sorted.size(); ++i) {
      s += (i == 0 ? "?" : "&") + sorted[i].first + "=" + sorted[i].second;
    }
    return s;
  }
  const std::string* param(const std::string& name, bool icase) const {
    for (const auto& [n, v] : params) {
      if (n == name || (icase && lowercase(n) == lowercase(name))) return &v;
    }
    return nullptr;
  }
};

}  // namespace trapweb

namespace {

using trapweb::Target;

// Whether the query parameter `name` is the token of `session`.
bool is_token_param(const SessionTokens& session, const std::string& name, bool icase) {
  return session.where == SessionTokens::Where::kQuery &&
         (name == session.name || (icase && lowercase(name) == lowercase(session.name)));
}

// `path` without the path-borne token of `session`; `*found` when it had one.
std::string strip_path_token(std::string path, const SessionTokens& session, bool* found) {
  if (session.where == SessionTokens::Where::kPathParameter) {
    std::string marker = ";" + session.name + "=";
    size_t at = lowercase(path).find(lowercase(marker));
    if (at != std::string::npos) {
      size_t end = path.find('/', at);
      path.erase(at, end == std::string::npos ? std::string::npos : end - at);
      *found = true;
    }
  } else if (session.where == SessionTokens::Where::kPathPrefix) {
    // "/(S(token))/rest": the first segment, whatever the token's characters.
    std::string open = "/" + session.prefix;
    size_t close = path.find(session.suffix, open.size());
    if (path.rfind(open, 0) == 0 && close != std::string::npos) {
      path.erase(0, close + session.suffix.size());
      if (path.empty()) path = "/";
      *found = true;
    }
  }
  return path;
}

Target read_target(const std::string& raw, const SessionTokens& session, bool icase,
                   const SessionTokens& session2 = {}) {
  std::string target = raw.substr(0, raw.find('#'));
  size_t q = target.find('?');
  std::string path = target.substr(0, q);
  std::string query = q == std::string::npos ? "" : target.substr(q + 1);
  Target t;
  path = strip_path_token(path, session, &t.session);
  path = strip_path_token(path, session2, &t.session);
  t.path = percent_decode(path);
  size_t start = 0;
  while (start < query.size()) {
    size_t amp = query.find('&', start);
    std::string pair =
        query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    start = amp == std::string::npos ? query.size() : amp + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string name = percent_decode(pair.substr(0, eq));
    std::string value = eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1));
    if (is_token_param(session, name, icase) || is_token_param(session2, name, icase)) {
      t.session = true;
    } else {
      t.params.emplace_back(name, value);
    }
  }
  return t;
}

bool is_static_resource(const std::string& path) {
  size_t dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return false;
  static const char* const kExtensions[] = {"jpg", "jpeg", "png",  "gif", "ico",  "css", "js",
                                            "pdf", "doc",  "docx", "xls", "xlsx", "zip"};
  std::string ext = lowercase(path.substr(dot + 1));
  for (const char* e : kExtensions) {
    if (ext == e) return true;
  }
  return false;
}

std::string content_type_of(const std::string& path) {
  std::string ext = lowercase(path.substr(path.rfind('.') + 1));
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "png" || ext == "gif" || ext == "ico") return "image/" + ext;
  if (ext == "css") return "text/css";
  if (ext == "js") return "application/javascript";
  if (ext == "pdf") return "application/pdf";
  return "application/octet-stream";
}

// How `t` differs from the canonical target `canonical` of the same resource.
std::string difference(const Target& t, const Target& canonical) {
  std::string what;
  if (t.path != canonical.path) {
    what = lowercase(t.path) == lowercase(canonical.path) ? "path case" : "path";
  }
  std::vector<std::string> extra;
  for (const auto& [name, value] : t.params) {
    const std::string* v = canonical.param(name, false);
    if (v == nullptr || *v != value) extra.push_back(name);
  }
  if (t.params.size() < canonical.params.size()) extra.push_back("(missing parameters)");
  if (!extra.empty()) {
    what += (what.empty() ? "" : ", ") + std::string("parameters");
    for (const std::string& name : extra) what += " " + name;
  }
  return what;
}

}  // namespace

// ---- One site as served

struct TrapWeb::Site {
  TrapSiteSpec spec;
  std::unique_ptr<Family> family;
  std::vector<UrlForm> forms;
  FixtureHost* host = nullptr;
  std::atomic<uint64_t> pages_served{0};
  // Articles alive at epoch 1 and 2, newest first.
  std::vector<Article> alive[2];
  std::vector<Article> removed_at_2;  // as they were at epoch 1

  int epoch1_count() const { return spec.articles; }
  std::string origin() const { return "http://" + host->authority(); }

  const std::vector<Article>& articles(int epoch) const { return alive[epoch == 2 ? 1 : 0]; }
  int last_page(int epoch) const {
    int n = static_cast<int>(articles(epoch).size());
    return std::max(1, (n + spec.per_page - 1) / spec.per_page);
  }
  // The article the key names at `epoch` (alive), or nullptr; `*gone` when it was removed.
  const Article* find(UrlForm::Key key, const std::string& value, int epoch, bool* gone) const {
    auto matches = [&](const Article& a) {
      return key == UrlForm::Key::kArticleId ? std::to_string(a.id) == value : a.slug == value;
    };
    for (const Article& a : articles(epoch)) {
      if (matches(a)) return &a;
    }
    if (epoch == 2) {
      for (const Article& a : removed_at_2) {
        if (matches(a)) {
          *gone = true;
          return &a;
        }
      }
    }
    return nullptr;
  }

  // The page served next: its serial number (from 1).
  uint64_t next_page() { return ++pages_served; }

  // The token `s` gives page `serial` ("" when the site has none): splitmix64 of the serial, a
  // fresh, reproducible token for every page served. `salt` tells a second token from the first.
  std::string token(const SessionTokens& s, uint64_t serial, uint64_t salt = 0) const {
    if (s.where == SessionTokens::Where::kNone) return "";
    uint64_t x = serial * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(spec.seed) + salt;
    std::string token = s.prefix;
    for (int i = 0; i < s.length; ++i) {
      x ^= x >> 31;
      x *= 0xBF58476D1CE4E5B9ull;
      x ^= x >> 27;
      token += s.alphabet[x % s.alphabet.size()];
    }
    return token + s.suffix;
  }

  std::string calendar_target(int n) const {
    const CalendarTrap& c = spec.calendar;
    switch (c.shape) {
      case CalendarTrap::Shape::kNumber:
        return c.path + "?" + c.param + "=" + std::to_string(n);
      case CalendarTrap::Shape::kDate:
        return c.path + "?" + c.param + "=" + trapweb::iso_day(civil_from_days(n));
      case CalendarTrap::Shape::kPathMonth: {
        int year = n / 12, month = n % 12 + 1;
        return c.path + "/" + std::to_string(year) + "/" + trapweb::two_digits(month);
      }
    }
    return c.path;
  }
};

TrapWeb::TrapWeb(TrapWebOptions options, std::vector<TrapSiteSpec> sites)
    : options_(std::move(options)), specs_(std::move(sites)) {
  if (options_.articles != 0 && (options_.articles < 3 || options_.articles > kTitles - 10)) {
    throw std::invalid_argument("trap web: articles must be 3.." + std::to_string(kTitles - 10));
  }
  if (options_.epoch != 1 && options_.epoch != 2) {
    throw std::invalid_argument("trap web: epoch must be 1 or 2");
  }
  epoch_ = options_.epoch;
  for (TrapSiteSpec& spec : specs_) {
    if (options_.articles > 0) spec.articles = options_.articles;
    if (options_.per_page > 0) spec.per_page = options_.per_page;
    if (options_.crawl_delay_s >= 0 && spec.crawl_delay_s > 0) {
      spec.crawl_delay_s = options_.crawl_delay_s;
    }
  }
  if (!options_.log_path.empty()) {
    log_file_.reset(std::fopen(options_.log_path.c_str(), "w"));
    if (log_file_ == nullptr) {
      throw std::runtime_error("trap web: cannot write " + options_.log_path);
    }
    std::fprintf(log_file_.get(), "%s\n", log_header().c_str());
    std::fflush(log_file_.get());
  }
  for (const TrapSiteSpec& spec : specs_) {
    auto site = std::make_unique<Site>();
    site->spec = spec;
    site->family = trapweb::make_family(site->spec);
    site->forms = site->family->forms();
    int n = spec.articles;
    std::vector<int> removed = {2, (n + 1) / 2};
    for (int number = n + kNewAtEpoch2; number >= 1; --number) {
      if (number <= n) site->alive[0].push_back(make_article(site->spec, number, 1));
      if (std::find(removed.begin(), removed.end(), number) != removed.end()) {
        site->removed_at_2.push_back(make_article(site->spec, number, 1));
      } else {
        site->alive[1].push_back(make_article(site->spec, number, 2));
      }
    }
    sites_.push_back(std::move(site));
  }
  web_.set_observer([this](const RequestRecord& r) { record(r); });
  for (auto& site : sites_) {
    Site* s = site.get();
    s->host = &web_.add_host(s->spec.id);
    s->host->add_dynamic([this, s](const std::string& target) { return answer(*s, target); });
  }
}

TrapWeb::~TrapWeb() { web_.stop(); }

// ---- Reading a target: what it names

namespace {

// The most specific of `forms` that `t` matches (most required parameters), and its key.
const UrlForm* best_form(const std::vector<UrlForm>& forms, const Target& t, bool icase,
                         std::string* key) {
  const UrlForm* best = nullptr;
  for (const UrlForm& form : forms) {
    std::smatch m;
    if (!std::regex_match(t.path, m, form.path)) continue;
    std::string k = m.size() > 1 ? m[1].str() : "";
    bool matched = true;
    for (const auto& [name, value_regex] : form.params) {
      const std::string* value = t.param(name, icase);
      std::smatch vm;
      if (value == nullptr || !std::regex_match(*value, vm, value_regex)) {
        matched = false;
        break;
      }
      if (name == form.key_param && vm.size() > 1) k = vm[1].str();
    }
    if (matched && (best == nullptr || form.params.size() > best->params.size())) {
      best = &form;
      *key = k;
    }
  }
  return best;
}

int page_number(const std::string& digits) {
  if (digits.empty()) return 1;
  return digits.size() > 7 ? 9999999 : std::max(1, std::stoi(digits));
}

// Whether `t` is a page of the calendar `c`, and which period (`*period`; the current one when
// the target names none or a malformed one).
bool calendar_period(const CalendarTrap& c, const Target& t, bool icase, int* period) {
  auto same = [icase](const std::string& a, const std::string& b) {
    return icase ? lowercase(a) == lowercase(b) : a == b;
  };
  *period = c.current;
  std::smatch m;
  if (c.shape == CalendarTrap::Shape::kPathMonth) {
    static const std::regex kMonth("/([0-9]{1,4})/([0-9]{1,2})/?");
    if (same(t.path, c.path)) return true;
    if (t.path.size() <= c.path.size() || !same(t.path.substr(0, c.path.size()), c.path)) {
      return false;
    }
    std::string rest = t.path.substr(c.path.size());
    if (!std::regex_match(rest, m, kMonth)) return false;
    *period = std::stoi(m[1].str()) * 12 + std::stoi(m[2].str()) - 1;
    return true;
  }
  if (!same(t.path, c.path)) return false;
  const std::string* value = t.param(c.param, icase);
  if (value == nullptr) return true;
  static const std::regex kInteger("-?[0-9]{1,6}");
  static const std::regex kDay("([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})");
  if (c.shape == CalendarTrap::Shape::kNumber && std::regex_match(*value, kInteger)) {
    *period = std::stoi(*value);
  } else if (c.shape == CalendarTrap::Shape::kDate && std::regex_match(*value, m, kDay)) {
    *period = static_cast<int>(
        days_from_civil(std::stoi(m[1].str()), std::stoi(m[2].str()), std::stoi(m[3].str())));
  }
  return true;
}

// The listing permutation (TrapSiteSpec::listing_variants) `t` asks for: "" when none, the
// variant whose parameters it carries, or "other" for a mix.
std::string listing_variant(const TrapSiteSpec& spec, const Target& t, bool icase) {
  bool any = false;
  for (const std::string& variant : spec.listing_variants) {
    bool all = true;
    for (size_t start = 0; start <= variant.size();) {
      size_t amp = variant.find('&', start);
      if (amp == std::string::npos) amp = variant.size();
      std::string pair = variant.substr(start, amp - start);
      size_t eq = pair.find('=');
      const std::string* value = t.param(pair.substr(0, eq), icase);
      any = any || value != nullptr;
      all = all && value != nullptr && *value == pair.substr(eq + 1);
      start = amp + 1;
    }
    if (all) return variant;
  }
  return any ? "other" : "";
}

// The resources every family has at paths of the site's choosing: robots.txt, images and
// documents, the calendar, the bomb. False when `t` names none of them.
bool classify_common(const TrapSiteSpec& spec, const Family& family, const Target& t, Hit* hit) {
  const bool icase = family.case_insensitive();
  auto same_path = [icase](const std::string& a, const std::string& b) {
    return icase ? lowercase(a) == lowercase(b) : a == b;
  };
  if (t.path == "/robots.txt") {
    hit->kind = HitKind::kRobots;
    hit->resource = "robots";
  } else if (is_static_resource(t.path)) {
    hit->kind = HitKind::kResource;
    hit->resource = "resource:" + t.path;
  } else if (!spec.calendar.path.empty() && calendar_period(spec.calendar, t, icase, &hit->page)) {
    hit->kind = HitKind::kCalendar;
    hit->resource = "calendar:" + std::to_string(hit->page);
  } else if (spec.gzip_bomb && same_path(t.path, family.bomb())) {
    hit->kind = HitKind::kBomb;
    hit->resource = "bomb";
  } else {
    return false;
  }
  return true;
}

}  // namespace

Hit TrapWeb::classify(const Site& site, const std::string& raw, int epoch) const {
  const Family& family = *site.family;
  const bool icase = family.case_insensitive();
  Target t = read_target(raw, site.spec.session, icase, site.spec.session2);
  // A mobile twin: the same page under "/m" (what it names is classified below).
  bool mobile = site.spec.mobile_twins && t.path.rfind("/m/", 0) == 0;
  if (mobile) t.path.erase(0, 2);
  Hit hit = classify_target(site, t, epoch);
  if (mobile && hit.article > 0) {
    hit.kind = HitKind::kTwin;
    hit.variant = "mobile";
    hit.redirect.clear();
  } else if (mobile) {
    hit.kind = HitKind::kUnknown;
    hit.resource = "unknown:/m" + t.path;
  }
  return hit;
}

Hit TrapWeb::classify_target(const Site& site, const Target& t, int epoch) const {
  const Family& family = *site.family;
  const bool icase = family.case_insensitive();
  Hit hit;
  hit.session = t.session;
  if (classify_common(site.spec, family, t, &hit)) return hit;
  std::string key;
  const UrlForm* form = best_form(site.forms, t, icase, &key);
  if (form == nullptr) {
    hit.kind = HitKind::kUnknown;
    hit.resource = "unknown:" + t.path;
    return hit;
  }
  hit.kind = form->kind;
  std::string canonical;  // the resource's own URL, to tell an alias by
  if (form->kind == HitKind::kHome) {
    hit.resource = "home";
    canonical = family.home();
  } else if (form->kind == HitKind::kPage) {
    hit.resource = "page:about";
    canonical = family.about();
  } else if (form->kind == HitKind::kListing) {
    hit.page = page_number(key);
    std::string variant = listing_variant(site.spec, t, icase);
    if (!variant.empty()) {
      hit.kind = HitKind::kSort;
      hit.resource = "sort:" + variant + ":" + std::to_string(hit.page);
      hit.variant = variant;
      return hit;
    }
    if (hit.page > site.last_page(epoch)) {
      hit.kind = HitKind::kBeyond;
      hit.resource = "beyond:" + std::to_string(hit.page);
      return hit;
    }
    hit.resource = "listing:" + std::to_string(hit.page);
    canonical = family.listing(hit.page);
  } else {  // an article, its print twin, or an alias that redirects to it
    bool gone = false;
    const Article* a = site.find(form->key, icase ? lowercase(key) : key, epoch, &gone);
    if (a == nullptr) {
      hit.kind = HitKind::kUnknown;
      hit.resource = "unknown:" + t.path;
      return hit;
    }
    hit.article = a->number;
    hit.resource = "article:" + std::to_string(a->number);
    canonical = family.article(*a, LinkPlace::kListing);
    if (form->redirect != 0) {
      hit.redirect = canonical;
      hit.variant = std::to_string(form->redirect) + " redirect";
      return hit;
    }
    if (form->kind == HitKind::kTwin) {
      hit.variant = "print";
      return hit;
    }
    if (gone) hit.kind = HitKind::kGone;
  }
  Target c = read_target(canonical, SessionTokens{}, false);
  if (t.normal() != c.normal()) {
    hit.kind = HitKind::kAlias;
    hit.variant = difference(t, c);
  } else if (t.path != c.path || t.params != c.params) {
    // What servers take as equal but a URL string does not: another order of the parameters.
    hit.kind = HitKind::kAlias;
    hit.variant = "parameter order";
  }
  return hit;
}

Hit TrapWeb::classify(const std::string& site_id, const std::string& target) const {
  return classify(site(site_id), target, epoch_);
}

// ---- Answering

namespace {

FixtureResponse html_response(int status, std::string body) {
  FixtureResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::string robots_txt(const TrapSiteSpec& spec, const Family& family) {
  std::string text = "User-agent: *\n";
  if (spec.crawl_delay_s > 0) text += "Crawl-delay: " + std::to_string(spec.crawl_delay_s) + "\n";
  for (const std::string& path : family.robots_disallow()) text += "Disallow: " + path + "\n";
  if (family.robots_disallow().empty()) text += "Disallow:\n";
  return text;
}

// A month index (months since January 2020) or a week number, as the calendar prints it; a day
// or a month of the second web's calendars.
std::string period_name(const CalendarTrap& calendar, int n) {
  if (calendar.shape == CalendarTrap::Shape::kDate) {
    return "ngày " + trapweb::day_month_year(civil_from_days(n));
  }
  if (calendar.shape == CalendarTrap::Shape::kPathMonth) {
    return "tháng " + std::to_string(n % 12 + 1) + "/" + std::to_string(n / 12);
  }
  if (calendar.param == "month") {
    int year = 2020 + (n >= 0 ? n / 12 : (n - 11) / 12);
    int month = n - (year - 2020) * 12 + 1;
    return "tháng " + std::to_string(month) + "/" + std::to_string(year);
  }
  return "tuần " + std::to_string(n);
}

// An article-shaped link to no article (TrapSiteSpec::dead_links): an id and a slug no article
// of the site has.
Article dead_article(const TrapSiteSpec& spec, int i) {
  Article a;
  a.id = family_id_base(spec.family) + 900 + i;
  a.slug = "tin-da-go-" + std::to_string(i);
  return a;
}

// `html` (an article page) with its canonical link as `how` says: `target` is the article's own.
std::string with_canonical(std::string html, CanonicalLink how, const std::string& origin,
                           const std::string& target) {
  if (how == CanonicalLink::kFamily) return html;
  size_t rel = html.find("rel=\"canonical\"");
  if (rel != std::string::npos) {
    size_t open = html.rfind("<link", rel);
    size_t close = html.find('>', rel);
    if (open != std::string::npos && close != std::string::npos) {
      html.erase(open, close + 1 - open);
    }
  }
  if (how == CanonicalLink::kNone) return html;
  std::string href = how == CanonicalLink::kAbsolute ? origin + target : target;
  size_t head = html.find("</head>");
  if (head != std::string::npos) {
    html.insert(head, "<link rel=\"canonical\" href=\"" + html_escape(href) + "\" />\n");
  }
  return html;
}

}  // namespace

trapweb::Page TrapWeb::new_page(Site& site) const {
  trapweb::Page page;
  page.spec = &site.spec;
  page.origin = site.origin();
  page.serial = site.next_page();
  page.token = site.token(site.spec.session, page.serial);
  page.token2 = site.token(site.spec.session2, page.serial, 0x5EC02D);
  if (!site.spec.calendar.path.empty()) {
    page.side.push_back(
        {page.link(site.calendar_target(site.spec.calendar.current)), site.spec.calendar.title});
  }
  if (site.spec.gzip_bomb) page.side.push_back({page.link(site.family->bomb()), "Sơ đồ trang"});
  for (int i = 1; i <= site.spec.dead_links; ++i) {
    page.side.push_back({page.link(site.family->article(dead_article(site.spec, i),
                                                        LinkPlace::kListing)),
                         "Tin nổi bật " + std::to_string(i)});
  }
  return page;
}

std::string TrapWeb::calendar_html(Site& site, const trapweb::Page& page, int n) const {
  const CalendarTrap& c = site.spec.calendar;
  std::string html = "<table class=\"lich-cong-tac\"><caption>" +
                     html_escape(c.title + " " + period_name(c, n)) + "</caption>";
  const char* const kDays[] = {"Thứ Hai", "Thứ Tư", "Thứ Sáu"};
  const char* const kEvents[] = {"Giao ban Sở", "Làm việc với Viễn thông tỉnh",
                                 "Họp Ban Chỉ đạo chuyển đổi số"};
  for (int i = 0; i < 3; ++i) {
    html += "<tr><td>" + std::string(kDays[i]) + "</td><td>" + kEvents[(i + n % 3 + 3) % 3] +
            "</td></tr>";
  }
  return html + "</table><p class=\"dieu-huong\"><a href=\"" +
         page.link(site.calendar_target(n - 1)) + "\">&laquo; " + period_name(c, n - 1) +
         "</a> | <a href=\"" + page.link(site.calendar_target(n + 1)) + "\">" +
         period_name(c, n + 1) + " &raquo;</a></p>";
}

// The side links of an article page in the second web: its mobile twin, and (scheme 2) the
// other URL forms of three related articles (a "Tin cùng chuyên mục" box), those its family's
// markup does not link itself.
void TrapWeb::add_article_side_links(const Site& site, const Article& a,
                                     const std::vector<const Article*>& related,
                                     trapweb::Page* page) const {
  const Family& family = *site.family;
  if (site.spec.mobile_twins) {
    page->side.push_back(
        {page->link("/m" + family.article(a, LinkPlace::kListing)), "Phiên bản di động"});
  }
  if (!site.spec.place_aliases) return;
  for (size_t i = 0; i < related.size() && i < 3; ++i) {
    std::string canonical = family.article(*related[i], LinkPlace::kListing);
    std::vector<std::string> seen = {canonical};
    for (LinkPlace place : {LinkPlace::kFeatured, LinkPlace::kLatest, LinkPlace::kRelated}) {
      std::string target = family.article(*related[i], place);
      if (std::find(seen.begin(), seen.end(), target) != seen.end()) continue;
      seen.push_back(target);
      page->side.push_back({page->link(target), related[i]->title});
    }
  }
}

FixtureResponse TrapWeb::article_response(Site& site, const Hit& hit, int epoch) const {
  const std::vector<Article>& alive = site.articles(epoch);
  auto it = std::find_if(alive.begin(), alive.end(),
                         [&](const Article& a) { return a.number == hit.article; });
  trapweb::Page page = new_page(site);
  if (it == alive.end()) {
    return html_response(site.spec.soft_404 ? 200 : 404,
                         site.family->shell(page, "Không tìm thấy trang",
                                            "<p>Trang bạn tìm không tồn tại.</p>"));
  }
  if (hit.kind == HitKind::kTwin && hit.variant != "mobile") {
    return html_response(200, site.family->print_page(page, *it));
  }
  std::vector<const Article*> related;
  size_t at = static_cast<size_t>(it - alive.begin());
  for (size_t i = 1; i <= 5 && i < alive.size(); ++i)
    related.push_back(&alive[(at + i) % alive.size()]);
  add_article_side_links(site, *it, related, &page);
  return html_response(200, with_canonical(site.family->article_page(page, *it, related),
                                            site.spec.canonical, site.origin(),
                                            site.family->article(*it, LinkPlace::kListing)));
}

// A listing page, a page past the last (empty, or the last again when the site repeats it) or a
// sort or filter permutation's page (odd permutations list oldest first; the pager keeps it).
FixtureResponse TrapWeb::listing_response(Site& site, const Hit& hit, int epoch) const {
  const TrapSiteSpec& spec = site.spec;
  std::vector<const Article*> order;
  for (const Article& a : site.articles(epoch)) order.push_back(&a);
  trapweb::Page page = new_page(site);
  std::string listing_path = site.family->listing(1);
  page.carry_path = listing_path.substr(0, listing_path.find('?'));
  for (size_t v = 0; v < spec.listing_variants.size(); ++v) {
    const std::string& variant = spec.listing_variants[v];
    for (size_t start = 0; start < variant.size();) {
      size_t amp = std::min(variant.find('&', start), variant.size());
      page.carry_names.push_back(variant.substr(start, variant.find('=', start) - start));
      start = amp + 1;
    }
    std::string first = site.family->listing(1);
    page.side.push_back({page.link(first + (first.find('?') == std::string::npos ? "?" : "&") +
                                   variant),
                         "Sắp xếp, lọc " + std::to_string(v + 1)});
    if (hit.kind == HitKind::kSort && hit.variant == variant && v % 2 == 0) {
      std::reverse(order.begin(), order.end());
    }
  }
  if (hit.kind == HitKind::kSort) page.carry = hit.variant == "other" ? "" : hit.variant;
  int last = site.last_page(epoch);
  int shown = hit.kind == HitKind::kBeyond && spec.beyond_repeats_last ? last : hit.page;
  std::vector<const Article*> items;
  size_t first = static_cast<size_t>(shown - 1) * spec.per_page;
  for (size_t i = first; i < order.size() && i < first + spec.per_page; ++i) {
    items.push_back(order[i]);
  }
  return html_response(200, site.family->listing_page(page, hit.page, last, items));
}

std::optional<FixtureResponse> TrapWeb::answer(Site& site, const std::string& target) const {
  const int epoch = epoch_;
  const Family& family = *site.family;
  Hit hit = classify(site, target, epoch);
  const std::string& r = hit.resource;
  if (r == "robots") {
    if (!site.spec.robots_txt) return html_response(404, "<html><body>404</body></html>");
    FixtureResponse robots = html_response(200, robots_txt(site.spec, family));
    robots.content_type = "text/plain";
    return robots;
  }
  if (hit.kind == HitKind::kResource) {
    FixtureResponse resource = html_response(200, "trap web resource " + target);
    resource.content_type = content_type_of(r);
    return resource;
  }
  if (hit.kind == HitKind::kBomb) {
    FixtureResponse bomb = html_response(200, gzip_bomb_body());
    bomb.headers.push_back({"Content-Encoding", "gzip"});
    return bomb;
  }
  if (!hit.redirect.empty()) {
    FixtureResponse moved = html_response(hit.variant.rfind("302", 0) == 0 ? 302 : 301,
                                          "<html><body>Object moved</body></html>");
    moved.headers.push_back({"Location", site.origin() + hit.redirect});
    return moved;
  }
  trapweb::Page page = new_page(site);
  if (hit.kind == HitKind::kCalendar) {
    return html_response(
        200, family.shell(page, site.spec.calendar.title, calendar_html(site, page, hit.page)));
  }
  if (r == "home") {
    const std::vector<Article>& alive = site.articles(epoch);
    std::vector<const Article*> featured, latest;
    for (size_t i = 0; i < alive.size() && i < 8; ++i) {
      (i < 3 ? featured : latest).push_back(&alive[i]);
    }
    return html_response(200, family.home_page(page, featured, latest));
  }
  if (r.rfind("listing:", 0) == 0 || r.rfind("beyond:", 0) == 0 || r.rfind("sort:", 0) == 0) {
    return listing_response(site, hit, epoch);
  }
  if (r.rfind("article:", 0) == 0) return article_response(site, hit, epoch);
  if (r == "page:about") {
    return html_response(200, family.shell(page, "Giới thiệu",
                                           "<p>" + html_escape(page.site_name()) +
                                               " là cơ quan "
                                               "chuyên môn thuộc Ủy ban nhân dân tỉnh.</p>"));
  }
  return html_response(site.spec.soft_404 ? 200 : 404,
                       family.shell(page, "Không tìm thấy trang",
                                    "<p>Trang bạn tìm không tồn tại.</p>"));
}

const std::string& TrapWeb::gzip_bomb_body() const {
  std::call_once(bomb_once_, [this] { bomb_ = gzip_bomb(options_.bomb_bytes); });
  return bomb_;
}

// ---- Sites, epochs, truth

const std::vector<TrapSiteSpec>& TrapWeb::sites() const { return specs_; }

TrapWeb::Site& TrapWeb::site(const std::string& site_id) const {
  for (const auto& s : sites_) {
    if (s->spec.id == site_id) return *s;
  }
  throw std::invalid_argument("trap web: no site " + site_id);
}

FixtureHost& TrapWeb::host(const std::string& site_id) { return *site(site_id).host; }
FixtureWeb& TrapWeb::web() { return web_; }
int TrapWeb::epoch() const { return epoch_; }

void TrapWeb::set_epoch(int epoch) {
  if (epoch != 1 && epoch != 2) throw std::invalid_argument("trap web: epoch must be 1 or 2");
  epoch_ = epoch;
}

std::string TrapWeb::origin(const std::string& site_id) const { return site(site_id).origin(); }

std::string TrapWeb::start_url(const std::string& site_id) const {
  const Site& s = site(site_id);
  return s.origin() + s.family->home();
}

std::string TrapWeb::listing_url(const std::string& site_id) const {
  const Site& s = site(site_id);
  return s.origin() + s.family->listing(1);
}

namespace {

TrueArticle true_article(const Family& family, const std::string& origin, const Article& a) {
  TrueArticle t;
  t.number = a.number;
  t.url = origin + family.article(a, LinkPlace::kListing);
  t.title = a.title;
  t.published = family.iso_date(a.published);
  t.author = a.author;
  return t;
}

}  // namespace

std::vector<TrueArticle> TrapWeb::true_articles(const std::string& site_id, int epoch) const {
  const Site& s = site(site_id);
  std::vector<TrueArticle> out;
  for (const Article& a : s.articles(epoch)) {
    TrueArticle t = true_article(*s.family, s.origin(), a);
    t.edited = epoch == 2 && edited_at_epoch2(a.number, s.epoch1_count());
    t.fresh = epoch == 2 && a.number > s.epoch1_count();
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<TrueArticle> TrapWeb::removed_articles(const std::string& site_id, int epoch) const {
  const Site& s = site(site_id);
  std::vector<TrueArticle> out;
  if (epoch != 2) return out;
  for (const Article& a : s.removed_at_2) out.push_back(true_article(*s.family, s.origin(), a));
  return out;
}

namespace {

using OrderedJson = nlohmann::ordered_json;

OrderedJson article_json(const TrueArticle& a) {
  return {
      {"number", a.number}, {"url", a.url},       {"title", a.title}, {"published", a.published},
      {"author", a.author}, {"edited", a.edited}, {"new", a.fresh}};
}

// Every URL of finite number that the site links for something it also links canonically:
// aliases of its home and listing pages, each article's other link forms and print twin.
OrderedJson aliases_json(const TrapSiteSpec& spec, const Family& family, const std::string& origin,
                         const std::vector<Article>& articles,
                         const std::function<Hit(const std::string&)>& classify) {
  OrderedJson aliases = OrderedJson::array();
  std::vector<std::string> seen;
  auto add = [&](const std::string& target) {
    if (std::find(seen.begin(), seen.end(), target) != seen.end()) return;
    Hit hit = classify(target);
    if (!hit.trap()) return;
    seen.push_back(target);
    OrderedJson of = nullptr;
    for (const Article& a : articles) {
      if (a.number == hit.article) of = origin + family.article(a, LinkPlace::kListing);
    }
    if (hit.resource == "home") of = origin + family.home();
    if (hit.resource.rfind("listing:", 0) == 0) of = origin + family.listing(hit.page);
    aliases.push_back({{"url", origin + target},
                       {"kind", hit_kind_name(hit.kind)},
                       {"variant", hit.variant},
                       {"of", of}});
  };
  for (const std::string& target : family.page_aliases()) add(target);
  for (const Article& a : articles) {
    for (LinkPlace place : {LinkPlace::kFeatured, LinkPlace::kLatest, LinkPlace::kRelated}) {
      add(family.article(a, place));
    }
    if (spec.print_twins) add(family.print(a));
    if (spec.mobile_twins) add("/m" + family.article(a, LinkPlace::kListing));
  }
  return aliases;
}

}  // namespace

std::string TrapWeb::ground_truth_json(int epoch) const {
  OrderedJson sites = OrderedJson::array();
  for (const auto& sp : sites_) {
    const Site& s = *sp;
    OrderedJson articles = OrderedJson::array(), removed = OrderedJson::array();
    for (const TrueArticle& a : true_articles(s.spec.id, epoch))
      articles.push_back(article_json(a));
    for (const TrueArticle& a : removed_articles(s.spec.id, epoch))
      removed.push_back(article_json(a));
    auto classify_here = [&](const std::string& target) { return classify(s, target, epoch); };
    sites.push_back(
        {{"id", s.spec.id},
         {"family", family_name(s.spec.family)},
         {"real_host", s.spec.real_host},
         {"host", s.host->authority()},
         {"start_url", start_url(s.spec.id)},
         {"listing_url", listing_url(s.spec.id)},
         {"robots_txt", s.spec.robots_txt ? OrderedJson(robots_txt(s.spec, *s.family)) : nullptr},
         {"listing_pages", s.last_page(epoch)},
         {"articles", articles},
         {"removed", removed},
         {"aliases", aliases_json(s.spec, *s.family, s.origin(), s.articles(epoch), classify_here)},
         {"traps", OrderedJson::parse(traps_json(s, epoch))}});
  }
  return OrderedJson{{"epoch", epoch}, {"sites", sites}}.dump(1) + "\n";
}

// The site's traps of no finite number of URLs: what each is, an example and what it stands for.
std::string TrapWeb::traps_json(const Site& s, int epoch) const {
  const Family& family = *s.family;
  const TrapSiteSpec& spec = s.spec;
  OrderedJson traps = OrderedJson::array();
  for (const SessionTokens* session : {&spec.session, &spec.session2}) {
    if (session->where == SessionTokens::Where::kNone) continue;
    const Article& newest = s.articles(epoch).front();
    trapweb::Page page;
    TrapSiteSpec one = spec;  // this token alone, in its place, parameters in their order
    one.session = *session;
    one.session2 = {};
    one.shuffle_params = false;
    page.spec = &one;
    page.token = session->prefix + std::string(session->length, 'X') + session->suffix;
    size_t length = page.token.size();
    const char* where = session->where == SessionTokens::Where::kQuery ? "query parameter "
                        : session->where == SessionTokens::Where::kPathParameter
                            ? "path parameter "
                            : "first path segment ";
    traps.push_back(
        {{"kind", "session"},
         {"what", where + session->name + " of " + std::to_string(length) +
                      " characters, a new value in the links of every page served"},
         {"example", s.origin() + page.with_token(family.article(newest, LinkPlace::kListing))},
         {"of", s.origin() + family.article(newest, LinkPlace::kListing)}});
  }
  if (spec.shuffle_params) {
    traps.push_back({{"kind", "alias"},
                     {"what", "every page orders the query parameters of its links anew"},
                     {"example", nullptr},
                     {"of", nullptr}});
  }
  if (!spec.listing_variants.empty()) {
    std::string first = family.listing(1);
    traps.push_back({{"kind", "sort"},
                     {"what", "listing pages link " +
                                  std::to_string(spec.listing_variants.size()) +
                                  " sort and filter permutations; the pager keeps them"},
                     {"example", s.origin() + first +
                                     (first.find('?') == std::string::npos ? "?" : "&") +
                                     spec.listing_variants.front()},
                     {"of", nullptr}});
  }
  if (spec.soft_404) {
    traps.push_back(
        {{"kind", "unknown"},
         {"what", "a page that does not exist answers 200 (soft 404); every page links " +
                      std::to_string(spec.dead_links) + " article-shaped URLs of no article"},
         {"example", s.origin() + family.article(dead_article(spec, 1), LinkPlace::kListing)},
         {"of", nullptr}});
  }
  if (!spec.calendar.path.empty()) {
    traps.push_back({{"kind", "calendar"},
                     {"what", "each period links the one before and after it, forever"},
                     {"example", s.origin() + s.calendar_target(spec.calendar.current + 1)},
                     {"of", nullptr}});
  }
  if (spec.gzip_bomb) {
    traps.push_back({{"kind", "bomb"},
                     {"what", "a gzip body of " + std::to_string(gzip_bomb_body().size()) +
                                  " bytes inflating to " + std::to_string(options_.bomb_bytes) +
                                  ", linked from every page"},
                     {"example", s.origin() + family.bomb()},
                     {"of", nullptr}});
  }
  if (spec.pager_beyond_end) {
    traps.push_back({{"kind", "beyond"},
                     {"what", spec.beyond_repeats_last
                                  ? "the pager links the next page past the last, forever; a page "
                                    "past the last shows the last one again"
                                  : "the pager links the next page past the last, forever"},
                     {"example", s.origin() + family.listing(s.last_page(epoch) + 1)},
                     {"of", nullptr}});
  }
  return traps.dump();
}

// ---- The request log

std::string TrapWeb::log_header() {
  return "time\tepoch\tsite\tmethod\ttarget\tstatus\tbytes\tkind\tresource\tsession\tvariant";
}

void TrapWeb::record(const RequestRecord& r) {
  const Site* s = nullptr;
  for (const auto& candidate : sites_) {
    if (candidate->spec.id == r.host) s = candidate.get();
  }
  if (s == nullptr) return;  // the control host
  TrapRequest request;
  request.record = r;
  request.site = s->spec.id;
  request.epoch = epoch_;
  request.hit = classify(*s, r.target, request.epoch);
  double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::lock_guard<std::mutex> lock(log_mutex_);
  if (log_file_ != nullptr) {
    std::fprintf(log_file_.get(), "%.6f\t%d\t%s\t%s\t%s\t%d\t%zu\t%s\t%s\t%d\t%s\n", now,
                 request.epoch, request.site.c_str(), r.method.c_str(), r.target.c_str(), r.status,
                 r.bytes, hit_kind_name(request.hit.kind).c_str(), request.hit.resource.c_str(),
                 request.hit.session ? 1 : 0, request.hit.variant.c_str());
    std::fflush(log_file_.get());
  }
  log_.push_back(std::move(request));
}

std::vector<TrapRequest> TrapWeb::requests() const {
  std::vector<TrapRequest> copy;
  {
    std::lock_guard<std::mutex> lock(log_mutex_);
    copy = log_;
  }
  std::stable_sort(copy.begin(), copy.end(), [](const TrapRequest& a, const TrapRequest& b) {
    return a.record.arrived < b.record.arrived;
  });
  return copy;
}

std::vector<TrapRequest> TrapWeb::requests_to(const std::string& site_id) const {
  std::vector<TrapRequest> mine;
  for (TrapRequest& r : requests()) {
    if (r.site == site_id) mine.push_back(std::move(r));
  }
  return mine;
}

// ---- The control host: what a program's caller uses instead of calling the methods

FixtureHost& TrapWeb::add_control_host() {
  FixtureHost& control = web_.add_host("control");
  control.add_dynamic([this](const std::string& raw) -> std::optional<FixtureResponse> {
    Target t = read_target(raw, SessionTokens{}, false);
    FixtureResponse r;
    r.content_type = "application/json";
    try {
      if (t.path == "/epoch") {
        if (const std::string* set = t.param("set", false)) set_epoch(std::stoi(*set));
        r.body = std::to_string(epoch()) + "\n";
      } else if (t.path == "/classify" && t.param("site", false) && t.param("target", false)) {
        Hit hit = classify(*t.param("site", false), *t.param("target", false));
        r.body = nlohmann::ordered_json{{"kind", hit_kind_name(hit.kind)},
                                        {"resource", hit.resource},
                                        {"article", hit.article},
                                        {"session", hit.session},
                                        {"variant", hit.variant},
                                        {"redirect", hit.redirect},
                                        {"trap", hit.trap()}}
                     .dump() +
                 "\n";
      } else if (t.path == "/truth" && t.param("epoch", false)) {
        r.body = ground_truth_json(std::stoi(*t.param("epoch", false)));
      } else {
        r.status = 404;
        r.body =
            "{\"error\": \"use /epoch[?set=N], /classify?site=ID&target=T, /truth?epoch=N\"}\n";
      }
    } catch (const std::exception& e) {
      r.status = 400;
      r.body = nlohmann::json{{"error", e.what()}}.dump() + "\n";
    }
    return r;
  });
  return control;
}

// ---- The gzip bomb

std::string gzip_bomb(size_t size) {
  // After Z_FULL_FLUSH the compressor starts afresh, so every megabyte of zeros compresses to the
  // same bytes: compress one and repeat it. Deflating the whole gigabyte takes half a minute.
  constexpr size_t kChunk = size_t{1} << 20;
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("gzip_bomb: deflateInit2 failed");
  }
  auto deflate_zeros = [&z](size_t n, int flush) {
    std::string in(n, '\0'), out(n / 100 + 1024, '\0'), result;
    z.next_in = reinterpret_cast<Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(n);
    do {
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = static_cast<uInt>(out.size());
      deflate(&z, flush);
      result.append(out.data(), out.size() - z.avail_out);
    } while (z.avail_out == 0);
    return result;
  };
  std::string chunk = deflate_zeros(kChunk, Z_FULL_FLUSH);
  std::string rest = deflate_zeros(size % kChunk, Z_FULL_FLUSH);
  std::string end = deflate_zeros(0, Z_FINISH);
  deflateEnd(&z);

  std::string zeros(kChunk, '\0');
  uLong chunk_crc = crc32(0L, reinterpret_cast<const Bytef*>(zeros.data()), kChunk);
  uLong crc = crc32(0L, Z_NULL, 0);
  std::string gzip("\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff", 10);
  for (size_t i = 0; i < size / kChunk; ++i) {
    gzip += chunk;
    crc = crc32_combine(crc, chunk_crc, kChunk);
  }
  crc = crc32_combine(crc, crc32(0L, reinterpret_cast<const Bytef*>(zeros.data()), size % kChunk),
                      size % kChunk);
  gzip += rest + end;
  for (uint32_t v : {static_cast<uint32_t>(crc), static_cast<uint32_t>(size)}) {
    for (int i = 0; i < 4; ++i) gzip += static_cast<char>((v >> (8 * i)) & 0xFF);
  }
  return gzip;
}

}  // namespace provarc::testing
