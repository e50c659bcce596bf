// The reader's search page: the form (words, site, dates, old versions), the results of
// Archive::search() (archive/search.h, the folding and query language of `provarc search`) with
// their snippets' matched words marked, and the pager. Every string from the archive or the
// request goes through Html's escaping; every link is built here from percent-encoded values.
#include <algorithm>

#include "web/pages.h"

namespace provarc::web {
namespace {

constexpr int kHitsPerPage = 20;
// Archive::search() counts every match before it pages, so a page far down costs what the first
// does; the cap only keeps the offset an int.
constexpr int64_t kMaxPage = 100000;

// The link to another page of the same search: every filter kept, percent-encoded.
std::string search_url(const SearchParams& params, int64_t page_number) {
  std::string url = "/search?q=" + percent_encode(params.query);
  if (!params.site.empty()) url += "&site=" + percent_encode(params.site);
  if (!params.since.empty()) url += "&since=" + percent_encode(params.since);
  if (!params.until.empty()) url += "&until=" + percent_encode(params.until);
  if (params.all_versions) url += "&versions=all";
  if (page_number > 1) url += "&page=" + std::to_string(page_number);
  return url;
}

// The form, filled with the request: the words, the site (from the archive's sites), the dates
// and whether old versions count. Plain GET, no script.
Html search_form(Archive& archive, const SearchParams& params) {
  Html html;
  html << "<form class=\"search-form\" action=\"/search\" method=\"get\">"
          "<p><label>Từ cần tìm <input type=\"search\" name=\"q\" value=\""
       << params.query
       << "\" placeholder=\"dong thap, &quot;chuyen doi so&quot;, vien thong NOT buu\"></label>"
          "</p><p class=\"filters\"><label>Trang <select name=\"site\">"
          "<option value=\"\">Mọi trang</option>";
  Result<std::vector<std::string>> sites = archive.article_sites();
  if (sites.ok()) {
    for (const std::string& site : *sites) {
      html << "<option value=\"" << site << "\"";
      if (site == params.site) html << " selected";
      html << ">" << site << "</option>";
    }
  }
  html << "</select></label> <label>Từ ngày <input type=\"date\" name=\"since\" value=\""
       << params.since << "\"></label> <label>Đến ngày <input type=\"date\" name=\"until\" value=\""
       << params.until
       << "\"></label> <label><input type=\"checkbox\" name=\"versions\" value=\"all\"";
  if (params.all_versions) html << " checked";
  html << "> Tìm cả trong các phiên bản cũ</label> <button type=\"submit\">Tìm</button></p>"
          "</form>";
  return html;
}

Html search_help() {
  Html html;
  html << "<div class=\"notice\"><p>Gõ có dấu hay không dấu đều được: <code>dong thap</code> "
          "tìm thấy «Đồng Tháp», <code>DONG THAP</code> cũng vậy. Tìm trong tiêu đề, tác giả và "
          "nội dung phiên bản mới nhất của mỗi bài.</p><ul>"
          "<li><code>chuyen doi so</code>: bài có đủ ba từ, ở bất kỳ đâu</li>"
          "<li><code>\"chuyen doi so\"</code>: đúng cụm từ này, theo thứ tự này</li>"
          "<li><code>vien thong OR buu chinh</code>: một trong hai vế</li>"
          "<li><code>vien thong NOT 5G</code>: có vế trước mà không có vế sau</li>"
          "<li><code>thong*</code>: các từ bắt đầu bằng «thong»</li></ul>"
          "<p>Khi lọc theo ngày, bài không rõ ngày đăng bị bỏ qua.</p></div>";
  return html;
}

// A snippet with its matched words in <mark>. Built through Html (not render_snippet()'s string)
// so that the snippet's text is escaped by the same rule as everything else on the page.
Html snippet_html(const std::vector<SnippetPart>& snippet) {
  Html html;
  for (const SnippetPart& part : snippet) {
    if (part.matched) html << "<mark>" << part.text << "</mark>";
    else html << part.text;
  }
  return html;
}

Html hit_item(const SearchHit& hit) {
  Html html;
  html << "<li><a class=\"title\" href=\"/article/" << hit.article_id;
  if (hit.version_number != hit.version_count) html << "?version=" << hit.version_number;
  html << "\">";
  if (hit.title.empty()) html << "<span class=\"muted\">(không có tiêu đề)</span>";
  else html << hit.title;
  html << "</a><span class=\"date\"><a href=\"/site/" << percent_encode(hit.site) << "\">"
       << hit.site << "</a>";
  if (hit.published) html << " · " << format_article_date(*hit.published);
  if (hit.version_count > 1) {
    html << " · khớp phiên bản " << hit.version_number << " trong " << hit.version_count;
  }
  html << "</span><p class=\"snippet\">" << snippet_html(hit.snippet) << "</p></li>";
  return html;
}

Html pager(const SearchParams& params, int64_t page_number, int64_t total) {
  const int64_t pages = std::min((total + kHitsPerPage - 1) / kHitsPerPage, kMaxPage);
  Html html;
  html << "<nav class=\"pager\"><span>";
  if (page_number > 1) {
    html << "<a href=\"" << search_url(params, std::min(page_number - 1, pages))
         << "\">← Trang trước</a>";
  }
  html << "</span><span>";
  if (page_number < pages) {
    html << "<a href=\"" << search_url(params, page_number + 1) << "\">Trang sau →</a>";
  }
  html << "</span></nav>";
  return html;
}

}  // namespace

Reply search_page(Archive& archive, const SearchParams& params) {
  Html content;
  content << "<h1>Tìm kiếm</h1>" << search_form(archive, params);
  if (params.query.find_first_not_of(" \t\r\n") == std::string::npos) {
    return page("Tìm kiếm", content << search_help(), params.query);
  }
  const int64_t page_number = std::clamp<int64_t>(params.page, 1, kMaxPage);
  SearchRequest request;
  request.query = params.query;
  request.site = params.site;
  request.since = params.since;
  request.until = params.until;
  request.all_versions = params.all_versions;
  request.limit = kHitsPerPage;
  request.offset = static_cast<int>((page_number - 1) * kHitsPerPage);
  Result<SearchResults> results = archive.search(request);
  if (!results.ok()) {
    // A query or filter the archive refuses is the request's fault (400), told with the
    // archive's reason and the syntax; anything else is the archive's (500).
    const bool bad_request = results.code() == ErrorCode::kInvalidInput;
    content << "<p class=\"alarm\">";
    if (bad_request) content << "Câu tìm kiếm chưa đúng: ";
    else content << "Không tìm được: ";
    content << results.error() << "</p>";
    if (bad_request) content << search_help();
    Reply reply = page("Tìm kiếm", content, params.query);
    reply.status = bad_request ? 400 : 500;
    return reply;
  }
  const int64_t first = request.offset + 1;
  const int64_t last = request.offset + static_cast<int64_t>(results->hits.size());
  content << "<p class=\"meta\">";
  if (results->total == 0) {
    content << "Không có bài viết nào khớp với «" << params.query << "».";
  } else if (results->hits.empty()) {
    content << results->total << " bài viết khớp với «" << params.query
            << "», không có trang kết quả này.";
  } else {
    content << results->total << " bài viết khớp với «" << params.query << "» · hiển thị "
            << first << "–" << last << ", liên quan nhất trước";
  }
  content << "</p><ol class=\"results\" start=\"" << first << "\">";
  for (const SearchHit& hit : results->hits) content << hit_item(hit);
  content << "</ol>" << pager(params, page_number, results->total);
  return page(params.query + " · Tìm kiếm", content, params.query);
}

}  // namespace provarc::web
