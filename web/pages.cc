// The reader's pages over articles: the sites, a site's articles by date, an article and its
// versions, the word diff of two versions, the runs. Every string from the archive goes through
// Html's escaping; every link is to a path of the reader built here.
#include <algorithm>

#include "archive/text_diff.h"
#include "parsers/article.h"
#include "web/pages.h"

namespace provarc::web {
namespace {

constexpr int kArticlesPerPage = 50;
constexpr int kRunsPerPage = 20;
constexpr int kCapturesShown = 50;

// The link to an article (and to one of its versions, when `version` > 0).
Html article_link(int64_t id, std::string_view title, int version = 0) {
  Html html;
  html << "<a href=\"/article/" << id;
  if (version > 0) html << "?version=" << version;
  html << "\">";
  if (title.empty()) html << "<span class=\"muted\">(không có tiêu đề)</span>";
  else html << title;
  html << "</a>";
  return html;
}

Html site_link(std::string_view site) {
  Html html;
  html << "<a href=\"/site/" << percent_encode(site) << "\">" << site << "</a>";
  return html;
}

// "4 trong 6 trang bài viết không khớp quy tắc thân bài hoặc thiếu tiêu đề, ngày" and examples.
Html template_alarm(const RunSiteCounts& counts) {
  Html html;
  html << "<p class=\"alarm\">⚠ Mẫu trang có thể đã thay đổi: " << counts.suspect << " trong "
       << counts.parsed
       << " trang bài viết không khớp quy tắc thân bài hoặc thiếu tiêu đề hay ngày đăng.</p>";
  if (!counts.examples.empty()) {
    html << "<ul class=\"muted\">";
    for (const std::string& url : counts.examples) {
      html << "<li><a href=\"/url?u=" << percent_encode(url) << "\"><code class=\"url\">" << url
           << "</code></a></li>";
    }
    html << "</ul>";
  }
  return html;
}

Html site_row(const SiteSummary& s) {
  Html row;
  row << "<tr><td>" << site_link(s.site) << "</td><td class=\"num\">" << s.articles
      << "</td><td class=\"num\">" << s.versions << "</td><td class=\"num hide-narrow\">"
      << s.gone << "</td><td class=\"num hide-narrow\">" << s.captures << "</td><td>";
  if (s.last_crawl_run == 0) {
    row << "<span class=\"muted\">chưa thu thập</span>";
  } else {
    row << format_archive_time(s.last_crawl_started_at) << " <a href=\"/runs?before="
        << s.last_crawl_run + 1 << "\">lượt " << s.last_crawl_run << "</a>";
    if (s.last_crawl_ended_at.empty()) row << " <span class=\"badge\">chưa xong</span>";
  }
  row << "</td><td>";
  if (s.last_crawl_run == 0) {
    row << "<span class=\"muted\">—</span>";
  } else if (s.last_crawl.template_changed) {
    row << "<a class=\"alarm\" href=\"/site/" << percent_encode(s.site)
        << "\">⚠ có thể đã đổi</a>";
  } else {
    row << "ổn";
  }
  row << "</td></tr>";
  return row;
}

// The body of an article: its blocks as paragraphs, headings, captions, lists and table rows.
Html article_body(const Article& article) {
  Html html;
  html << "<div class=\"body\">";
  bool in_list = false;
  for (const Block& block : article.blocks) {
    if (block.kind == "list_item" && !in_list) html << "<ul>";
    if (block.kind != "list_item" && in_list) html << "</ul>";
    in_list = block.kind == "list_item";
    if (block.kind == "heading") html << "<h3>" << block.text << "</h3>";
    else if (block.kind == "list_item") html << "<li>" << block.text << "</li>";
    else if (block.kind == "caption") html << "<p class=\"caption\">" << block.text << "</p>";
    else if (block.kind == "table_row") html << "<p class=\"row\">" << block.text << "</p>";
    else html << "<p>" << block.text << "</p>";
  }
  if (in_list) html << "</ul>";
  html << "</div>";
  return html;
}

Html article_images(Archive& archive, const Article& article) {
  Html html;
  if (article.images.empty()) return html;
  html << "<h2>Ảnh</h2>";
  for (const Image& image : article.images) {
    const int64_t capture = find_archived(archive, image.url);
    html << "<figure>";
    if (capture != 0) {
      html << "<a href=\"/capture/" << capture << "\"><img src=\"/raw/" << capture << "\" alt=\""
           << image.caption << "\" loading=\"lazy\"></a>";
    } else {
      html << "<div class=\"missing\">Ảnh chưa được lưu trong kho: <code class=\"url\">"
           << image.url << "</code></div>";
    }
    if (!image.caption.empty()) html << "<figcaption>" << image.caption << "</figcaption>";
    html << "</figure>";
  }
  return html;
}

Html article_attachments(Archive& archive, const Article& article) {
  Html html;
  if (article.attachments.empty()) return html;
  html << "<h2>Tệp đính kèm</h2><ul>";
  for (const Attachment& attachment : article.attachments) {
    const std::string& name = attachment.text.empty() ? attachment.url : attachment.text;
    const int64_t capture = find_archived(archive, attachment.url);
    html << "<li>";
    if (capture != 0) {
      html << "<a href=\"/raw/" << capture << "\">" << name << "</a> <span class=\"muted\">("
           << "tải về từ kho)</span>";
    } else {
      html << name << " <span class=\"muted\">(chưa được lưu)</span>";
    }
    html << "<br><code class=\"url\">" << attachment.url << "</code></li>";
  }
  html << "</ul>";
  return html;
}

Html versions_table(const ArticleSummary& article, const std::vector<ArticleVersion>& versions,
                    int shown) {
  Html html;
  html << "<h2>Các phiên bản</h2><div class=\"table-wrap\"><table><thead><tr><th>#</th>"
          "<th>Thu thập lúc</th><th>Tiêu đề</th><th>So sánh</th>"
          "<th class=\"hide-narrow\">Bộ đọc</th></tr></thead><tbody>";
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    const ArticleVersion& v = *it;
    html << "<tr><td>";
    if (v.number == shown) html << "<strong>" << v.number << "</strong>";
    else html << article_link(article.id, std::to_string(v.number), v.number);
    html << "</td><td>" << format_archive_time(v.captured_at) << "</td><td>" << v.title
         << "</td><td>";
    if (v.number > 1) {
      html << "<a href=\"/article/" << article.id << "/diff?from=" << v.number - 1
           << "&amp;to=" << v.number << "\">với bản " << v.number - 1 << "</a>";
    }
    html << "</td><td class=\"hide-narrow\"><code>" << v.parser_version << "</code></td></tr>";
  }
  html << "</tbody></table></div>";
  return html;
}

Html captures_table(Archive& archive, const std::string& url) {
  Html html;
  Result<std::vector<StoredCapture>> captures = archive.captures_of(url, kCapturesShown);
  if (!captures.ok() || captures->empty()) return html;
  html << "<h2>Các lần tải trang</h2><div class=\"table-wrap\"><table><thead><tr>"
          "<th>Lúc</th><th>Trả lời</th><th class=\"num\">Cỡ</th><th></th></tr></thead><tbody>";
  for (const StoredCapture& c : *captures) {
    html << "<tr><td>" << format_archive_time(c.capture.fetched_at) << "</td><td>";
    if (c.capture.outcome == CaptureOutcome::kError) {
      html << "lỗi: " << c.capture.error;
    } else if (c.capture.outcome == CaptureOutcome::kNotModified) {
      html << "304 không đổi";
    } else {
      html << c.capture.status;
    }
    html << "</td><td class=\"num\">" << format_bytes(c.body_size) << "</td><td><a href=\"/capture/"
         << c.id << "\">xem</a></td></tr>";
  }
  html << "</tbody></table></div>";
  return html;
}

// The article's facts: dates, author, where and when it was fetched, which version this is.
Html article_meta(const ArticleSummary& summary, const Article& article,
                  const ArticleVersion& version) {
  Html html;
  html << "<dl class=\"meta\">";
  if (article.published) {
    html << "<dt>Ngày đăng</dt><dd><time datetime=\"" << *article.published << "\">"
         << format_article_date(*article.published) << "</time></dd>";
  }
  if (article.updated) {
    html << "<dt>Cập nhật</dt><dd><time datetime=\"" << *article.updated << "\">"
         << format_article_date(*article.updated) << "</time></dd>";
  }
  if (article.author) html << "<dt>Tác giả</dt><dd>" << *article.author << "</dd>";
  html << "<dt>Địa chỉ gốc</dt><dd><code class=\"url\">" << summary.url << "</code></dd>"
       << "<dt>Thu thập lúc</dt><dd>" << format_archive_time(version.captured_at)
       << " · <a href=\"/capture/" << version.capture_id << "\">xem trang như đã lưu</a></dd>"
       << "<dt>Phiên bản</dt><dd>" << version.number << " trong " << summary.version_count
       << "</dd></dl>";
  if (summary.gone) {
    html << "<p class=\"notice\">Trang này đã bị gỡ: máy chủ trả lời " << summary.gone->status
         << " lúc " << format_archive_time(summary.gone->since)
         << ". Kho vẫn giữ mọi phiên bản.</p>";
  }
  return html;
}

// Renders a word diff as paragraphs ("\n\n" in the text), insertions and deletions marked.
Html render_word_diff(const std::vector<DiffPiece>& pieces) {
  Html html;
  html << "<div class=\"body diff\"><p>";
  for (const DiffPiece& piece : pieces) {
    std::string_view text = piece.text;
    for (;;) {
      size_t brk = text.find("\n\n");
      std::string_view part = text.substr(0, brk);
      if (!part.empty()) {
        if (piece.op == DiffOp::kInsert) html << "<ins>" << part << "</ins>";
        else if (piece.op == DiffOp::kDelete) html << "<del>" << part << "</del>";
        else html << part;
      }
      if (brk == std::string_view::npos) break;
      html << "</p><p>";
      text.remove_prefix(brk + 2);
    }
  }
  html << "</p></div>";
  return html;
}

// One field that differs between two versions: "Tiêu đề: <del>old</del> <ins>new</ins>".
void field_change(Html& html, const char* label, const std::optional<std::string>& from,
                  const std::optional<std::string>& to) {
  if (from == to) return;
  html << "<dt>" << std::string_view(label) << "</dt><dd>";
  if (from) html << "<del>" << *from << "</del> ";
  if (to) html << "<ins>" << *to << "</ins>";
  html << "</dd>";
}

std::optional<std::string> non_empty(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

}  // namespace

Reply sites_page(Archive& archive) {
  Result<std::vector<SiteSummary>> sites = archive.site_summaries();
  if (!sites.ok()) return error_page(500, sites.error());
  Html content;
  content << "<h1>Các trang đã lưu</h1>";
  if (sites->empty()) {
    content << "<p>Kho chưa có trang nào. Chạy <code>provarc crawl</code> hoặc "
               "<code>provarc import</code> trước.</p>";
    return page("Các trang", content);
  }
  content << "<div class=\"table-wrap\"><table><thead><tr><th>Trang</th>"
             "<th class=\"num\">Bài viết</th><th class=\"num\">Phiên bản</th>"
             "<th class=\"num hide-narrow\">Đã gỡ</th><th class=\"num hide-narrow\">Lần tải</th>"
             "<th>Thu thập gần nhất</th><th>Mẫu trang</th></tr></thead><tbody>";
  for (const SiteSummary& s : *sites) content << site_row(s);
  content << "</tbody></table></div>";
  return page("Các trang", content);
}

Reply site_page(Archive& archive, std::string_view site, int64_t page_number) {
  page_number = std::max<int64_t>(page_number, 1);
  Result<ArticlePage> articles =
      archive.site_articles(site, (page_number - 1) * kArticlesPerPage, kArticlesPerPage);
  if (!articles.ok()) return error_page(500, articles.error());
  if (articles->total == 0) return error_page(404, "Kho không có bài viết nào của trang này.");
  const int64_t pages = (articles->total + kArticlesPerPage - 1) / kArticlesPerPage;
  Html content;
  content << "<h1>" << site << "</h1><p class=\"meta\">" << articles->total
          << " bài viết, mới nhất trước · trang " << page_number << "/" << pages << "</p>";
  Result<std::vector<SiteSummary>> sites = archive.site_summaries();
  if (sites.ok()) {
    for (const SiteSummary& s : *sites) {
      if (s.site == site && s.last_crawl.template_changed) content << template_alarm(s.last_crawl);
    }
  }
  std::string month = "-";
  for (const ArticleSummary& a : articles->articles) {
    // A heading for each month, as the articles are by date.
    std::string this_month = a.published ? a.published->substr(0, 7) : "";
    if (this_month != month) {
      if (month != "-") content << "</ul>";
      month = this_month;
      content << "<h2 class=\"month\">";
      if (month.size() == 7) content << "Tháng " << month.substr(5, 2) << "/" << month.substr(0, 4);
      else content << "Không rõ ngày đăng";
      content << "</h2><ul class=\"articles\">";
    }
    content << "<li>" << article_link(a.id, a.title) << "<span class=\"date\">";
    if (a.published) content << format_article_date(*a.published) << " · ";
    content << a.version_count << " phiên bản";
    if (a.gone) content << " · <span class=\"badge warn\">đã gỡ</span>";
    content << "</span></li>";
  }
  if (month != "-") content << "</ul>";
  content << "<nav class=\"pager\"><span>";
  if (page_number > 1) {
    content << "<a href=\"/site/" << percent_encode(site) << "?page=" << page_number - 1
            << "\">← Mới hơn</a>";
  }
  content << "</span><span>";
  if (page_number < pages) {
    content << "<a href=\"/site/" << percent_encode(site) << "?page=" << page_number + 1
            << "\">Cũ hơn →</a>";
  }
  content << "</span></nav>";
  return page(site, content);
}

Reply article_page(Archive& archive, int64_t article_id, int version) {
  Result<std::optional<ArticleSummary>> summary = archive.article(article_id);
  if (!summary.ok()) return error_page(500, summary.error());
  if (!*summary) return error_page(404, "Kho không có bài viết số " + std::to_string(article_id));
  const ArticleSummary& a = **summary;
  Result<std::vector<ArticleVersion>> versions = archive.versions(a.url);
  if (!versions.ok()) return error_page(500, versions.error());
  if (versions->empty()) {
    Result<std::string> why = archive.last_parse_error(a.url);
    Html content;
    content << "<h1>Chưa đọc được bài viết</h1><p><code class=\"url\">" << a.url
            << "</code></p><p>Mọi lần đọc trang này đều thất bại"
            << (why.ok() && !why->empty() ? ": " + *why : std::string()) << ".</p>"
            << captures_table(archive, a.url);
    return page("Chưa đọc được", content);
  }
  const int shown = version > 0 ? version : versions->back().number;
  auto found = std::find_if(versions->begin(), versions->end(),
                            [&](const ArticleVersion& v) { return v.number == shown; });
  if (found == versions->end()) return error_page(404, "Bài viết không có phiên bản này.");
  Result<Article> article = article_from_json(found->json);
  if (!article.ok()) return error_page(500, "Phiên bản lưu bị hỏng: " + article.error());
  Html content;
  content << "<p class=\"meta\">" << site_link(a.site) << "</p><h1>"
          << (article->title.empty() ? std::string("(không có tiêu đề)") : article->title)
          << "</h1>";
  if (shown != versions->back().number) {
    content << "<p class=\"notice\">Đây là phiên bản " << shown << ", không phải bản mới nhất. "
            << article_link(a.id, "Xem bản mới nhất") << " hoặc <a href=\"/article/" << a.id
            << "/diff?from=" << shown << "&amp;to=" << versions->back().number
            << "\">so sánh với nó</a>.</p>";
  }
  content << article_meta(a, *article, *found) << article_body(*article)
          << article_images(archive, *article) << article_attachments(archive, *article)
          << versions_table(a, *versions, shown) << captures_table(archive, a.url);
  return page(article->title.empty() ? a.url : article->title, content);
}

Reply diff_page(Archive& archive, int64_t article_id, int from, int to) {
  Result<std::optional<ArticleSummary>> summary = archive.article(article_id);
  if (!summary.ok()) return error_page(500, summary.error());
  if (!*summary) return error_page(404, "Kho không có bài viết số " + std::to_string(article_id));
  const ArticleSummary& a = **summary;
  Result<std::vector<ArticleVersion>> versions = archive.versions(a.url);
  if (!versions.ok()) return error_page(500, versions.error());
  if (to <= 0 && !versions->empty()) to = versions->back().number;
  if (from <= 0) from = to - 1;
  auto version = [&](int number) -> const ArticleVersion* {
    for (const ArticleVersion& v : *versions) {
      if (v.number == number) return &v;
    }
    return nullptr;
  };
  const ArticleVersion* old_version = version(from);
  const ArticleVersion* new_version = version(to);
  if (old_version == nullptr || new_version == nullptr) {
    return error_page(404, "Bài viết không có hai phiên bản này để so sánh.");
  }
  Result<Article> before = article_from_json(old_version->json);
  Result<Article> after = article_from_json(new_version->json);
  if (!before.ok() || !after.ok()) {
    return error_page(500, "Phiên bản lưu bị hỏng: " +
                               (before.ok() ? after.error() : before.error()));
  }
  Html content;
  content << "<p class=\"meta\">" << site_link(a.site) << " · " << article_link(a.id, after->title)
          << "</p><h1>So sánh phiên bản " << from << " và " << to << "</h1>"
          << "<p class=\"meta\">Bản " << from << ": thu thập lúc "
          << format_archive_time(old_version->captured_at) << " · bản " << to
          << ": thu thập lúc " << format_archive_time(new_version->captured_at)
          << ". <del>Phần bị xoá</del> và <ins>phần được thêm</ins> được đánh dấu.</p>";
  Html fields;
  field_change(fields, "Tiêu đề", non_empty(before->title), non_empty(after->title));
  field_change(fields, "Ngày đăng", before->published, after->published);
  field_change(fields, "Cập nhật", before->updated, after->updated);
  field_change(fields, "Tác giả", before->author, after->author);
  if (!fields.empty()) content << "<dl class=\"meta\">" << fields << "</dl>";
  const std::string old_text = before->text(), new_text = after->text();
  if (old_text == new_text) {
    content << "<p class=\"notice\">Nội dung bài không đổi giữa hai phiên bản.</p>";
  }
  content << render_word_diff(word_diff(old_text, new_text));
  return page("So sánh phiên bản", content);
}

Reply runs_page(Archive& archive, int64_t before_run_id) {
  Result<std::vector<RunRecord>> runs = archive.recent_runs(kRunsPerPage, before_run_id);
  if (!runs.ok()) return error_page(500, runs.error());
  Html content;
  content << "<h1>Các lượt thu thập</h1>";
  if (runs->empty()) content << "<p>Chưa có lượt nào.</p>";
  for (const RunRecord& run : *runs) {
    const char* kind = run.kind == "crawl"     ? "thu thập"
                       : run.kind == "import"  ? "nhập tệp"
                       : run.kind == "reparse" ? "đọc lại"
                                               : nullptr;
    content << "<h2>Lượt " << run.id << " · "
            << (kind != nullptr ? std::string(kind) : run.kind) << "</h2><p class=\"meta\">"
            << "Bắt đầu " << format_archive_time(run.started_at);
    if (run.ended_at.empty()) {
      content << " · <span class=\"badge\">chưa kết thúc (đang chạy, hoặc đã bị dừng)</span>";
    } else {
      content << " · kết thúc " << format_archive_time(run.ended_at);
    }
    content << "</p>";
    if (run.site_counts.empty()) continue;
    content << "<div class=\"table-wrap\"><table><thead><tr><th>Trang</th>"
               "<th class=\"num\">Tải</th><th class=\"num\">Mới</th><th class=\"num\">Đổi</th>"
               "<th class=\"num hide-narrow\">Không đổi</th>"
               "<th class=\"num hide-narrow\">Đã gỡ</th>"
               "<th class=\"num\">Lỗi</th><th class=\"num hide-narrow\">Dung lượng</th>"
               "<th class=\"num hide-narrow\">Thời gian</th><th>Mẫu trang</th></tr></thead><tbody>";
    for (const RunSiteCounts& c : run.site_counts) {
      content << "<tr><td>" << site_link(c.site) << "</td><td class=\"num\">" << c.fetched
              << "</td><td class=\"num\">" << c.new_articles << "</td><td class=\"num\">"
              << c.changed << "</td><td class=\"num hide-narrow\">" << c.unchanged + c.not_modified
              << "</td><td class=\"num hide-narrow\">" << c.gone << "</td><td class=\"num\">"
              << c.errors + c.failed << "</td><td class=\"num hide-narrow\">"
              << format_bytes(c.bytes) << "</td><td class=\"num hide-narrow\">"
              << format_duration(c.duration_ms) << "</td><td>";
      if (c.template_changed) content << "<span class=\"alarm\">⚠ có thể đã đổi</span>";
      else content << "ổn";
      content << "</td></tr>";
    }
    content << "</tbody></table></div>";
  }
  if (runs->size() == static_cast<size_t>(kRunsPerPage)) {
    content << "<nav class=\"pager\"><span></span><a href=\"/runs?before=" << runs->back().id
            << "\">Cũ hơn →</a></nav>";
  }
  return page("Các lượt thu thập", content);
}

}  // namespace provarc::web
