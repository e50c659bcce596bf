// Captures as archived: the page about one capture, and its body served for the sandboxed frame
// (pages rewritten by web/archived.h, stylesheets too), as an image, or as a download.
#include <cstdio>

#include "common/ascii.h"
#include "crawler/url_canon.h"
#include "html/text.h"
#include "web/archived.h"
#include "web/pages.h"

namespace provarc::web {
namespace {

constexpr int kMaxRedirectHops = 5;

// The media type of a Content-Type value, lowercased, without parameters: "text/html".
std::string media_type(std::string_view content_type) {
  return ascii::lowercase(ascii::trim(content_type.substr(0, content_type.find(';'))));
}

// The extension of the URL's path, lowercased: "jpg" for ".../a.JPG?x=1".
std::string url_extension(std::string_view url) {
  std::string_view path = url.substr(0, url.find_first_of("?#"));
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  return ascii::lowercase(path.substr(dot + 1));
}

// The picture types a browser shows in <img>, and the one every archived body may be served as.
// SVG can hold script: it is served, like everything archived, under the sandbox CSP.
std::string image_type(std::string_view type, std::string_view url) {
  static const char* const kImages[] = {"image/png",  "image/jpeg", "image/gif",
                                        "image/webp", "image/avif", "image/bmp",
                                        "image/x-icon", "image/vnd.microsoft.icon",
                                        "image/svg+xml"};
  for (const char* image : kImages) {
    if (type == image) return image;
  }
  if (type.empty() || type == "application/octet-stream") {
    const std::string ext = url_extension(url);
    if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
    if (ext == "png") return "image/png";
    if (ext == "gif") return "image/gif";
    if (ext == "webp") return "image/webp";
  }
  return "";
}

// Plain text (robots.txt, a .txt attachment) is shown as text: with nosniff no browser reads it
// as anything else.
bool is_plain_text(std::string_view type) { return type == "text/plain"; }

bool is_html(std::string_view type, CaptureKind kind) {
  return type == "text/html" || type == "application/xhtml+xml" ||
         (type.empty() && kind == CaptureKind::kPage);
}

// A file name for a download: the URL's last path segment, [A-Za-z0-9._-] only.
std::string download_name(std::string_view url) {
  std::string_view path = url.substr(0, url.find_first_of("?#"));
  std::string_view last = path.substr(path.rfind('/') + 1);
  std::string name;
  for (char c : last) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    name += safe ? c : '_';
  }
  while (!name.empty() && name.front() == '.') name.erase(0, 1);
  return name.empty() ? "tep-dinh-kem" : name.substr(0, 120);
}

ArchiveLookup lookup_in(Archive& archive) {
  return [&archive](const std::string& url) { return find_archived(archive, url); };
}

Reply stylesheet_reply(Archive& archive, const StoredCapture& c) {
  Reply reply;
  reply.served = Served::kArchived;
  reply.content_type = "text/css; charset=utf-8";
  std::optional<std::string> css =
      rewrite_archived_css(to_nfc(c.capture.body), c.capture.url, lookup_in(archive));
  reply.body = css ? *css : "/* provarc: this stylesheet could not be made safe to show */\n";
  return reply;
}

Html capture_facts(Archive& archive, const StoredCapture& c) {
  Html html;
  const std::string type = header_value(c.capture.response_headers, "Content-Type");
  html << "<dl class=\"meta\"><dt>Địa chỉ</dt><dd><code class=\"url\">" << c.capture.url
       << "</code></dd><dt>Trang</dt><dd>" << c.capture.site << "</dd><dt>Tải lúc</dt><dd>"
       << format_archive_time(c.capture.fetched_at) << " <span class=\"muted\">("
       << c.capture.fetched_at << ")</span></dd><dt>Trả lời</dt><dd>";
  if (c.capture.outcome == CaptureOutcome::kError) html << "lỗi: " << c.capture.error;
  else if (c.capture.outcome == CaptureOutcome::kNotModified) html << "304 không đổi";
  else html << c.capture.status << " " << c.capture.http_version;
  html << "</dd>";
  if (!type.empty()) html << "<dt>Kiểu</dt><dd><code>" << type << "</code></dd>";
  if (!c.payload_digest.empty()) {
    html << "<dt>Thân</dt><dd>" << format_bytes(c.body_size) << ", SHA-256 <code class=\"url\">"
         << c.payload_digest << "</code></dd>";
  }
  if (!c.capture.redirect_target.empty()) {
    html << "<dt>Chuyển tới</dt><dd><a href=\"/url?u=" << percent_encode(c.capture.redirect_target)
         << "\"><code class=\"url\">" << c.capture.redirect_target << "</code></a></dd>";
  }
  if (c.run_id != 0) {
    html << "<dt>Lượt</dt><dd><a href=\"/runs?before=" << c.run_id + 1 << "\">" << c.run_id
         << "</a></dd>";
  }
  Result<std::optional<ArticleVersion>> article = archive.latest_version(c.capture.url);
  if (article.ok() && *article) {
    html << "<dt>Bài viết</dt><dd><a href=\"/article/" << (*article)->article_id << "\">"
         << ((*article)->title.empty() ? std::string("(không có tiêu đề)") : (*article)->title)
         << "</a></dd>";
  }
  html << "</dl>";
  if (!c.capture.response_headers.empty()) {
    html << "<details><summary>Tiêu đề HTTP của câu trả lời</summary><div class=\"table-wrap\">"
            "<table>";
    for (const HttpHeader& h : c.capture.response_headers) {
      html << "<tr><td><code>" << h.name << "</code></td><td><code class=\"url\">" << h.value
           << "</code></td></tr>";
    }
    html << "</table></div></details>";
  }
  return html;
}

}  // namespace

int64_t find_archived(Archive& archive, const std::string& start_url) {
  std::string url = start_url;
  for (int hop = 0; hop <= kMaxRedirectHops; ++hop) {
    Result<std::string> canonical = canonicalize_url(url);
    Result<int64_t> id = archive.latest_body_capture(url);
    if (id.ok() && *id == 0 && canonical.ok() && *canonical != url) {
      id = archive.latest_body_capture(*canonical);
    }
    if (id.ok() && *id != 0) return *id;
    // A redirect the crawler followed: the archive holds the target under its own URL.
    Result<std::optional<StoredCapture>> latest =
        archive.latest_capture(canonical.ok() ? *canonical : url, /*with_body=*/false);
    if (!latest.ok() || !*latest || (*latest)->capture.redirect_target.empty()) return 0;
    url = (*latest)->capture.redirect_target;
  }
  return 0;
}

Reply capture_page(Archive& archive, int64_t capture_id) {
  Result<StoredCapture> c = archive.capture(capture_id, /*with_body=*/false);
  if (!c.ok()) return error_page(404, "Kho không có lần tải số " + std::to_string(capture_id));
  Html content;
  content << "<h1>Trang như đã lưu</h1>" << capture_facts(archive, *c);
  const std::string type = media_type(header_value(c->capture.response_headers, "Content-Type"));
  if (c->payload_digest.empty()) {
    content << "<p class=\"notice\">Lần tải này không có thân trang";
    if (c->capture.outcome == CaptureOutcome::kNotModified) {
      content << " (máy chủ trả lời rằng trang không đổi; <a href=\"/url?u="
              << percent_encode(c->capture.url) << "\">xem bản đã lưu mới nhất</a>)";
    }
    content << ".</p>";
  } else if (is_html(type, c->capture.kind) || is_plain_text(type)) {
    content << "<p class=\"notice\">Trang hiển thị bên dưới như đã lưu, trong một khung cách ly: "
               "không chạy mã của trang, không tải gì từ bên ngoài; liên kết và ảnh trỏ tới bản "
               "lưu trong kho, còn thứ kho không có thì bị vô hiệu.</p>"
               "<iframe class=\"archived\" sandbox=\"allow-top-navigation-by-user-activation\" "
               "referrerpolicy=\"no-referrer\" title=\"Trang như đã lưu\" src=\"/archived/"
            << capture_id << "\"></iframe>";
  } else if (!image_type(type, c->capture.url).empty()) {
    content << "<figure><img src=\"/raw/" << capture_id << "\" alt=\"Ảnh như đã lưu\"></figure>";
  } else {
    content << "<p><a class=\"button\" href=\"/raw/" << capture_id << "\">Tải tệp về</a></p>";
  }
  Reply reply = page("Trang như đã lưu", content);
  return reply;
}

Reply archived_body(Archive& archive, int64_t capture_id) {
  Result<StoredCapture> c = archive.capture(capture_id, /*with_body=*/true);
  if (!c.ok()) return error_page(404, "Kho không có lần tải số " + std::to_string(capture_id));
  if (c->capture.body.empty()) return error_page(404, "Lần tải này không có thân trang.");
  const std::string header = header_value(c->capture.response_headers, "Content-Type");
  const std::string type = media_type(header);
  if (type == "text/css") return stylesheet_reply(archive, *c);
  if (!is_html(type, c->capture.kind)) return raw_body(archive, capture_id);
  DecodedText decoded = decode_html(c->capture.body, header);
  Reply reply;
  reply.served = Served::kArchived;
  reply.body = rewrite_archived_page(decoded.utf8, c->capture.url, lookup_in(archive));
  return reply;
}

Reply raw_body(Archive& archive, int64_t capture_id) {
  Result<StoredCapture> c = archive.capture(capture_id, /*with_body=*/true);
  if (!c.ok()) return error_page(404, "Kho không có lần tải số " + std::to_string(capture_id));
  if (c->capture.body.empty()) return error_page(404, "Lần tải này không có thân trang.");
  const std::string type = media_type(header_value(c->capture.response_headers, "Content-Type"));
  if (type == "text/css") return stylesheet_reply(archive, *c);
  Reply reply;
  reply.content_type = image_type(type, c->capture.url);
  reply.served = Served::kArchived;
  if (is_plain_text(type)) {
    const std::string header =
        ascii::lowercase(header_value(c->capture.response_headers, "Content-Type"));
    reply.content_type = header.find("utf-8") != std::string::npos ? "text/plain; charset=utf-8"
                                                                   : "text/plain";
  }
  if (reply.content_type.empty()) {
    // Pages, PDFs, documents, anything else: never rendered in the reader's origin.
    reply.content_type = "application/octet-stream";
    reply.served = Served::kDownload;
    reply.filename = download_name(c->capture.url);
  }
  reply.body = std::move(c->capture.body);
  return reply;
}

Reply url_page(Archive& archive, std::string_view url) {
  const std::string wanted(url);
  Result<std::optional<ArticleVersion>> article = archive.latest_version(wanted);
  Reply reply;
  reply.status = 302;
  if (article.ok() && *article) {
    reply.location = "/article/" + std::to_string((*article)->article_id);
    return reply;
  }
  if (int64_t id = find_archived(archive, wanted); id != 0) {
    reply.location = "/capture/" + std::to_string(id);
    return reply;
  }
  return error_page(404, "Kho không có bản lưu nào của " + wanted);
}

}  // namespace provarc::web
