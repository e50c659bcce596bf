#include "tests/support/trap_web_families.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "tests/support/fixture_sites.h"

namespace provarc::testing::trapweb {

// ---- Shared

std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string day_month_year(const CivilTime& t) {
  return two_digits(t.day) + "/" + two_digits(t.month) + "/" + std::to_string(t.year);
}

std::string iso_day(const CivilTime& t) {
  return std::to_string(t.year) + "-" + two_digits(t.month) + "-" + two_digits(t.day);
}

std::string iso_minutes(const CivilTime& t) {
  return iso_day(t) + "T" + two_digits(t.hour) + ":" + two_digits(t.minute) + "+07:00";
}

std::string iso_seconds(const CivilTime& t) {
  return iso_day(t) + "T" + two_digits(t.hour) + ":" + two_digits(t.minute) + ":" +
         two_digits(t.second) + "+07:00";
}

namespace {

std::string fill(std::string pattern, const std::string& href, int n) {
  for (size_t at = pattern.find("{href}"); at != std::string::npos; at = pattern.find("{href}")) {
    pattern.replace(at, 6, href);
  }
  for (size_t at = pattern.find("{n}"); at != std::string::npos; at = pattern.find("{n}")) {
    pattern.replace(at, 3, std::to_string(n));
  }
  return pattern;
}

}  // namespace

std::string pager_html(const Page& page, int number, int last_page, const PagerMarkup& markup,
                       const std::function<std::string(int)>& target) {
  const bool beyond_end = page.spec->pager_beyond_end;
  int last = beyond_end ? number + 3 : std::min(last_page, number + 2);
  std::string html;
  for (int p = std::max(1, number - 2); p <= last; ++p) {
    html += p == number ? fill(markup.current, "", p) : fill(markup.link, page.link(target(p)), p);
  }
  if (beyond_end || number < last_page) {
    html += fill(markup.next, page.link(target(number + 1)), number + 1);
  }
  return html;
}

std::string vietnamese_weekday(const CivilTime& t) {
  // Sakamoto's method: 0 = Sunday.
  static const int offsets[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  int y = t.year - (t.month < 3 ? 1 : 0);
  int w = (y + y / 4 - y / 100 + y / 400 + offsets[t.month - 1] + t.day) % 7;
  static const char* const names[] = {"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư",
                                      "Thứ Năm",  "Thứ Sáu", "Thứ Bảy"};
  return names[w];
}

std::string body_paragraphs(const Article& a, const std::string& image_src,
                            const std::string& style) {
  std::string html;
  for (size_t i = 0; i < a.paragraphs.size(); ++i) {
    html += "<p" + style + ">" + html_escape(a.paragraphs[i]) + "</p>\n";
    if (i == 0 && a.image) {
      html += "<p style=\"text-align:center\"><img alt=\"\" src=\"" + html_escape(image_src) +
              "\" /></p>\n<p style=\"text-align:center\"><em>Quang cảnh hội nghị.</em></p>\n";
    }
  }
  return html;
}

std::string Page::plain(const std::string& target) const { return html_escape(target); }

std::string Page::link(const std::string& target) const { return html_escape(with_token(target)); }

namespace {

// `target` with `token` of `s` inserted where the site writes it.
std::string insert_token(const std::string& target, const SessionTokens& s,
                         const std::string& token) {
  if (token.empty() || s.where == SessionTokens::Where::kNone) return target;
  std::string t = target;
  switch (s.where) {
    case SessionTokens::Where::kQuery:
      t += (t.find('?') == std::string::npos ? "?" : "&") + s.name + "=" + token;
      break;
    case SessionTokens::Where::kPathParameter: {
      size_t q = t.find('?');
      t.insert(q == std::string::npos ? t.size() : q, ";" + s.name + "=" + token);
      break;
    }
    case SessionTokens::Where::kPathPrefix:
      t = "/" + token + t;
      break;
    case SessionTokens::Where::kNone:
      break;
  }
  return t;
}

// The query of `target` in another order, the same for the same page and target.
std::string shuffled(const std::string& target, uint64_t serial) {
  size_t q = target.find('?');
  if (q == std::string::npos) return target;
  std::vector<std::string> params;
  for (size_t start = q + 1; start <= target.size();) {
    size_t amp = target.find('&', start);
    if (amp == std::string::npos) amp = target.size();
    params.push_back(target.substr(start, amp - start));
    start = amp + 1;
  }
  if (params.size() < 2) return target;
  uint64_t x = serial * 0x9E3779B97F4A7C15ull + std::hash<std::string>{}(target);
  for (size_t i = params.size() - 1; i > 0; --i) {  // Fisher-Yates with splitmix64
    x += 0x9E3779B97F4A7C15ull;
    uint64_t z = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    std::swap(params[i], params[(z ^ (z >> 31)) % (i + 1)]);
  }
  std::string out = target.substr(0, q + 1);
  for (size_t i = 0; i < params.size(); ++i) out += (i ? "&" : "") + params[i];
  return out;
}

}  // namespace

std::string Page::with_token(const std::string& target) const {
  std::string t = target;
  if (!carry.empty() && t.substr(0, t.find('?')) == carry_path) {
    bool named = false;
    for (const std::string& name : carry_names) {
      named = named || t.find("?" + name + "=") != std::string::npos ||
              t.find("&" + name + "=") != std::string::npos;
    }
    if (!named) t += (t.find('?') == std::string::npos ? "?" : "&") + carry;
  }
  t = insert_token(t, spec->session, token);
  t = insert_token(t, spec->session2, token2);
  return spec->shuffle_params ? shuffled(t, serial) : t;
}

std::string Page::site_name() const {
  return "Sở Thông tin và Truyền thông tỉnh " + spec->province;
}

namespace {

using Key = UrlForm::Key;

UrlForm form(HitKind kind, const std::string& path, Key key = Key::kNone,
             std::vector<std::pair<std::string, std::string>> params = {},
             std::string key_param = "", int redirect = 0, bool icase = false) {
  auto flags = std::regex::ECMAScript | (icase ? std::regex::icase : std::regex::ECMAScript);
  UrlForm f;
  f.kind = kind;
  f.path = std::regex(path, flags);
  for (auto& [name, value] : params) f.params.emplace_back(name, std::regex(value, flags));
  f.key = key;
  f.key_param = std::move(key_param);
  f.redirect = redirect;
  return f;
}

std::string side_box_items(const Page& page) {
  std::string html;
  for (const SideLink& l : page.side) {
    html += "<li><a href=\"" + l.href + "\">" + html_escape(l.text) + "</a></li>";
  }
  return html;
}

// ==== SharePoint 2010 publishing site (docs/portals.md §2), Bắc Kạn's custom master. It links no
// page but news: the sharepoint preset takes any page of the site for an article (`sites try`
// says so of /SitePages/, /Lists/ and /Pages/ alike), which would be no identity problem.

class SharePoint : public Family {
 public:
  explicit SharePoint(const TrapSiteSpec& spec) : spec_(spec) {}

  std::string home() const override { return "/"; }
  std::string listing(int page) const override {
    return "/Pages/tin-tuc.aspx" + (page > 1 ? "?Page=" + std::to_string(page) : "");
  }
  std::string article(const Article& a, LinkPlace place) const override {
    std::string id = std::to_string(a.id);
    if (place == LinkPlace::kFeatured && spec_.case_variants) return "/pages/" + a.slug + ".aspx";
    if (place == LinkPlace::kLatest && spec_.redirect_aliases) {
      return "/Pages/chi-tiet-tin.aspx?ItemID=" + id;
    }
    if (place == LinkPlace::kRelated && spec_.redirect_aliases) return "/Default.aspx?ItemID=" + id;
    return "/Pages/" + a.slug + ".aspx";
  }
  std::string print(const Article& a) const override {
    return "/Pages/" + a.slug + ".aspx?PrintView=1";
  }
  std::string about() const override { return "/SitePages/gioi-thieu.aspx"; }
  std::string bomb() const override { return "/Pages/so-do-trang.aspx"; }
  bool case_insensitive() const override { return true; }
  std::vector<std::string> robots_disallow() const override { return {"/_layouts/", "/_vti_bin/"}; }

  std::vector<UrlForm> forms() const override {
    return {
        form(HitKind::kHome, "/", Key::kNone, {}, "", 0, true),
        form(HitKind::kListing, "/Pages/tin-tuc\\.aspx", Key::kNone, {}, "", 0, true),
        form(HitKind::kListing, "/Pages/tin-tuc\\.aspx", Key::kNumber, {{"Page", "(\\d+)"}}, "Page",
             0, true),
        form(HitKind::kPage, "/SitePages/gioi-thieu\\.aspx", Key::kNone, {}, "", 0, true),
        form(HitKind::kArticle, "/Pages/([a-z0-9-]+)\\.aspx", Key::kArticleSlug, {}, "", 0, true),
        form(HitKind::kTwin, "/Pages/([a-z0-9-]+)\\.aspx", Key::kArticleSlug, {{"PrintView", "1"}},
             "", 0, true),
        form(HitKind::kAlias, "/Default\\.aspx", Key::kArticleId, {{"ItemID", "(\\d+)"}}, "ItemID",
             301, true),
        form(HitKind::kAlias, "/Pages/chi-tiet-tin\\.aspx", Key::kArticleId, {{"ItemID", "(\\d+)"}},
             "ItemID", 302, true),
    };
  }
  std::vector<std::string> page_aliases() const override {
    std::vector<std::string> aliases;
    if (spec_.page_one_link) aliases.push_back("/Pages/tin-tuc.aspx?Page=1");
    if (spec_.case_variants) aliases.push_back("/pages/tin-tuc.aspx");
    return aliases;
  }

  std::string printed_date(const CivilTime& t) const override {
    return "(&nbsp;Cập nhật lúc: " + day_month_year(t) + " &nbsp;)";
  }
  std::string iso_date(const CivilTime& t) const override { return iso_day(t); }
  std::string listed_date(const CivilTime& t) const override { return day_month_year(t); }

  std::string home_page(const Page& page, const std::vector<const Article*>& featured,
                        const std::vector<const Article*>& latest) const override {
    std::string html =
        "<div class=\"tin-noi-bat\"><h2 class=\"ms-standardheader\">Tin nổi bật</h2>";
    for (const Article* a : featured) {
      html += "<div class=\"item\"><a href=\"" + page.link(article(*a, LinkPlace::kFeatured)) +
              "\">" + html_escape(a->title) + "</a><p class=\"summary\">" +
              html_escape(a->paragraphs[0]) + "</p></div>";
    }
    html += "</div><div class=\"tin-moi\"><h2 class=\"ms-standardheader\">Tin mới</h2><ul>";
    for (const Article* a : latest) {
      html += "<li><a href=\"" + page.link(article(*a, LinkPlace::kLatest)) + "\">" +
              html_escape(a->title) + "</a> <span>(" + listed_date(a->published) + ")</span></li>";
    }
    return chrome(page, "Trang chủ", "/", html + "</ul></div>", "");
  }

  std::string listing_page(const Page& page, int number, int last_page,
                           const std::vector<const Article*>& items) const override {
    std::string html =
        "<div class=\"news-list\"><h2 class=\"ms-standardheader\">Tin tức - Sự kiện"
        "</h2><ul class=\"dfwp-list\">";
    for (const Article* a : items) {
      html += "<li><div class=\"item\"><a href=\"" + page.link(article(*a, LinkPlace::kListing)) +
              "\">" + html_escape(a->title) + "</a> <span class=\"date\">(" +
              listed_date(a->published) + ")</span></div></li>";
    }
    html += "</ul><div class=\"paging\">Trang: ";
    html += pager_html(page, number, last_page,
                       {"<span class=\"current\">{n}</span> ", "<a href=\"{href}\">{n}</a> ",
                        "<a href=\"{href}\">Trang sau</a>"},
                       [this](int p) {
                         return p == 1 && spec_.page_one_link ? "/Pages/tin-tuc.aspx?Page=1"
                                                              : listing(p);
                       });
    return chrome(page, "Tin tức - Sự kiện", listing(number), html + "</div></div>", "");
  }

  std::string article_page(const Page& page, const Article& a,
                           const std::vector<const Article*>& related) const override {
    std::string html =
        "<div class=\"news-detail article\">\n<h1 class=\"news-title\">" + html_escape(a.title) +
        "</h1>\n<div class=\"news-date\">" + printed_date(a.published) +
        "</div>\n"
        "<div id=\"ctl00_PlaceHolderMain_ctl01_label\" style=\"display:none\">Page Content</div>\n"
        "<div id=\"ctl00_PlaceHolderMain_ctl01__ControlWrapper_RichHtmlField\" "
        "class=\"ms-rtestate-field\" style=\"display:inline\" "
        "aria-labelledby=\"ctl00_PlaceHolderMain_ctl01_label\">\n" +
        body_paragraphs(a, "/PublishingImages/tin-tuc/" + a.slug + ".jpg",
                        " style=\"text-align:justify\"") +
        "<p style=\"text-align:right\"><strong>" + html_escape(a.author) +
        "</strong></p>\n</div>\n<div class=\"by-line\"></div>\n</div>\n";
    if (spec_.print_twins) {
      html += "<div class=\"tools\"><a href=\"" + page.link(print(a)) + "\">In trang</a></div>\n";
    }
    html += "<div class=\"other-news\"><h3>Các tin khác</h3><ul>";
    for (const Article* r : related) {
      html += "<li><a href=\"" + page.link(article(*r, LinkPlace::kRelated)) + "\">" +
              html_escape(r->title) + "</a> <span>(" + listed_date(r->published) + ")</span></li>";
    }
    std::string canonical = "<link rel=\"canonical\" href=\"" +
                            html_escape(page.absolute(article(a, LinkPlace::kListing))) + "\" />\n";
    return chrome(page, a.title, article(a, LinkPlace::kListing), html + "</ul></div>", canonical);
  }

  std::string print_page(const Page& page, const Article& a) const override {
    return "<!DOCTYPE html><html><head><meta charset=\"utf-8\" /><title>In trang</title>"
           "<link rel=\"canonical\" href=\"" +
           html_escape(page.absolute(article(a, LinkPlace::kListing))) +
           "\" /></head><body onload=\"window.print()\"><h3>" + html_escape(a.title) + "</h3>" +
           body_paragraphs(a, "/PublishingImages/tin-tuc/" + a.slug + ".jpg", "") +
           "</body></html>";
  }

  std::string shell(const Page& page, const std::string& title,
                    const std::string& inner_html) const override {
    return chrome(page, title, "/Pages/trang.aspx",
                  "<h2 class=\"ms-standardheader\">" + html_escape(title) + "</h2>" + inner_html,
                  "");
  }

 private:
  std::string chrome(const Page& page, const std::string& title, const std::string& action,
                     const std::string& main, const std::string& head_extra) const {
    std::string listing_menu = spec_.case_variants ? "/pages/tin-tuc.aspx" : listing(1);
    return "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
           "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n"
           "<html dir=\"ltr\" lang=\"vi-VN\">\n<head>\n"
           "<meta http-equiv=\"X-UA-Compatible\" content=\"IE=8\" />\n"
           "<meta name=\"GENERATOR\" content=\"Microsoft SharePoint\" />\n"
           "<meta http-equiv=\"Content-type\" content=\"text/html; charset=utf-8\" />\n"
           "<title>" +
           html_escape(title) + "</title>\n" + head_extra +
           "<link rel=\"stylesheet\" type=\"text/css\" "
           "href=\"/_layouts/1033/styles/Themable/corev4.css?rev=Xy%3D%3D\" />\n"
           "<script type=\"text/javascript\">var _fV4UI=true;</script>\n</head>\n"
           "<body scroll=\"no\" class=\"v4master\">\n"
           "<form name=\"aspnetForm\" method=\"post\" action=\"" +
           html_escape(action) +
           "\" id=\"aspnetForm\">\n<div class=\"aspNetHidden\"><input type=\"hidden\" "
           "name=\"__VIEWSTATE\" id=\"__VIEWSTATE\" value=\"/wEPDwUBMA9kFgJmD2QWAgIBD2QWBA==\" />"
           "</div>\n<div id=\"TurnOnAccessibility\" style=\"display:none\" class=\"s4-notdlg "
           "noindex\"><a id=\"linkTurnOnAcc\" href=\"#\" class=\"ms-TurnOnAcc\">Turn on more "
           "accessible mode</a></div>\n<div class=\"s4-notdlg s4-skipribbonshortcut noindex\">"
           "<a href=\"javascript:;\" id=\"ctl00_A1\" class=\"ms-SkiptoNavigation\" "
           "accesskey=\"Y\">Skip Ribbon Commands</a></div>\n<div class=\"s4-notdlg noindex\">"
           "<a href=\"javascript:;\" id=\"ctl00_A2\" class=\"ms-SkiptoMainContent\" "
           "accesskey=\"X\">Skip to main content</a></div>\n"
           "<div id=\"s4-workspace\"><div id=\"s4-bodyContainer\">\n"
           "<div id=\"s4-titlerow\" class=\"s4-pr s4-notdlg\">\n<div class=\"banner\"><a href=\"" +
           page.link(home()) + "\"><img src=\"/PublishingImages/banner.jpg\" alt=\"" +
           html_escape(page.site_name()) +
           "\" /></a></div>\n<a name=\"startNavigation\"></a>\n"
           "<div class=\"menu-horizontal s4-notdlg\"><ul class=\"root static\">" +
           menu_item(page.link(home()), "Trang chủ") +
           menu_item(page.link(listing_menu), "Tin tức - Sự kiện") +
           "</ul></div>\n</div>\n<div id=\"s4-mainarea\" class=\"s4-pr s4-widecontentarea\">\n"
           "<div id=\"s4-leftpanel\" class=\"s4-notdlg\"><div class=\"menu vertical "
           "menu-vertical\"><ul><li><a href=\"" +
           page.link(listing(1)) + "\">Tin tức - Sự kiện</a></li>" + side_box_items(page) +
           "</ul></div></div>\n"
           "<div class=\"s4-ca s4-ca-dlgNoRibbon\" id=\"MSO_ContentTable\">\n"
           "<a name=\"mainContent\"></a>\n" +
           main +
           "\n</div>\n</div>\n"
           "<div class=\"footer s4-notdlg\">Cơ quan chủ quản: " +
           html_escape(page.site_name()) + "</div>\n</div></div>\n</form>\n</body>\n</html>\n";
  }

  static std::string menu_item(const std::string& href, const std::string& text) {
    return "<li class=\"static\"><a class=\"static menu-item\" href=\"" + href +
           "\"><span class=\"additional-background\"><span class=\"menu-item-text\">" + text +
           "</span></span></a></li>";
  }

  const TrapSiteSpec& spec_;
};

// ==== IBM WebSphere Portal 6 with WCM (docs/portals.md §3), Nghệ An 2018

class WebSphere : public Family {
 public:
  explicit WebSphere(const TrapSiteSpec& spec) : spec_(spec) {}

  std::string home() const override { return "/wps/portal/sotttt/trangchu"; }
  std::string listing(int page) const override {
    return "/wps/portal/sotttt/tintuc" +
           (page > 1 ? "?WCM_PI=1&" + std::string(kPageParam) + "=" + std::to_string(page) : "");
  }
  std::string article(const Article& a, LinkPlace place) const override {
    return "/wps/portal/sotttt/!ut/p/c5/" + state(place) +
           "/?WCM_GLOBAL_CONTEXT=/wps/wcm/connect/sotttt/tintuc/" + a.slug;
  }
  std::string print(const Article& a) const override {
    return article(a, LinkPlace::kListing) + "&print=1";
  }
  std::string about() const override { return "/wps/portal/sotttt/gioithieu"; }
  std::string bomb() const override { return "/wps/portal/sotttt/sodo"; }
  std::vector<std::string> robots_disallow() const override { return {"/wps/myportal/"}; }

  std::vector<UrlForm> forms() const override {
    const std::string item = "/wps/wcm/connect/sotttt/tintuc/([a-z0-9-]+)";
    return {
        form(HitKind::kHome, "/wps/portal/sotttt/trangchu"),
        form(HitKind::kListing, "/wps/portal/sotttt/tintuc"),
        form(HitKind::kListing, "/wps/portal/sotttt/tintuc", Key::kNumber,
             {{"WCM_PI", "1"}, {kPageParam, "(\\d+)"}}, kPageParam),
        form(HitKind::kPage, "/wps/portal/sotttt/gioithieu"),
        form(HitKind::kArticle, "/wps/portal/sotttt/!ut/p/c5/.+/", Key::kArticleSlug,
             {{"WCM_GLOBAL_CONTEXT", item}}, "WCM_GLOBAL_CONTEXT"),
        form(HitKind::kTwin, "/wps/portal/sotttt/!ut/p/c5/.+/", Key::kArticleSlug,
             {{"WCM_GLOBAL_CONTEXT", item}, {"print", "1"}}, "WCM_GLOBAL_CONTEXT"),
    };
  }

  // Java SimpleDateFormat "dd/MM/yyyy hh:mm a", English markers.
  std::string printed_date(const CivilTime& t) const override {
    int h12 = t.hour % 12 == 0 ? 12 : t.hour % 12;
    return "(" + listed_date(t) + " " + two_digits(h12) + ":" + two_digits(t.minute) +
           (t.hour < 12 ? " AM)" : " PM)");
  }
  std::string iso_date(const CivilTime& t) const override { return iso_minutes(t); }
  std::string listed_date(const CivilTime& t) const override { return day_month_year(t); }

  std::string home_page(const Page& page, const std::vector<const Article*>& featured,
                        const std::vector<const Article*>& latest) const override {
    std::vector<const Article*> all = featured;
    all.insert(all.end(), latest.begin(), latest.end());
    std::string html =
        "<div class=\"wcm-list\"><div class=\"title-cat\">Tin tức - Sự kiện</div><ul>";
    for (const Article* a : all) {
      html += "<li><a href=\"" + page.link(article(*a, LinkPlace::kFeatured)) + "\">" +
              html_escape(a->title) + "</a> <span>(" + listed_date(a->published) + ")</span></li>";
    }
    return chrome(page, html + "</ul></div>");
  }

  std::string listing_page(const Page& page, int number, int last_page,
                           const std::vector<const Article*>& items) const override {
    std::string html =
        "<div class=\"wcm-list\"><div class=\"title-cat\">Tin tức - Sự kiện</div><ul>";
    for (const Article* a : items) {
      html += "<li><a href=\"" + page.link(article(*a, LinkPlace::kListing)) + "\">" +
              html_escape(a->title) + "</a> <span>(" + listed_date(a->published) + ")</span></li>";
    }
    html += "</ul><div class=\"paging\">";
    html += pager_html(
        page, number, last_page,
        {"<b>{n}</b> ", "<a href=\"{href}\">{n}</a> ", "<a href=\"{href}\">Trang sau</a>"},
        [this](int p) { return listing(p); });
    return chrome(page, html + "</div></div>");
  }

  std::string article_page(const Page& page, const Article& a,
                           const std::vector<const Article*>& related) const override {
    std::string html =
        "<div class=\"wcm-article\">\n<div class=\"title-cat\">" + html_escape(a.title) +
        "</div>\n<h1 class=\"title\">" + html_escape(a.title) + " <span class=\"date\">" +
        printed_date(a.published) + "</span></h1>\n<div class=\"content\">\n" +
        body_paragraphs(a,
                        "/wps/wcm/connect/3f1c2a80-4b5e-4c7d-9a1e-0c2b9d6e7f10/anh-" +
                            std::to_string(a.number) + ".jpg?MOD=AJPERES",
                        "") +
        "<p style=\"text-align:right\"><strong>" + html_escape(a.author) +
        "</strong></p>\n"
        "</div>\n<div class=\"tools\">&nbsp;";
    if (spec_.print_twins) {
      html += "<a href=\"" + page.link(print(a)) +
              "\"><img src=\"/wps/themes/html/SoTTTT/images/print.gif\" alt=\"\"></a>";
    }
    html +=
        "&nbsp;|&nbsp; <a href=\"#top\">Đầu trang</a></div>\n"
        "<div class=\"tin-da-dua\"><b>Tin đã đưa:</b>\n<ul>";
    for (const Article* r : related) {
      html += "<li><a href=\"" + page.link(article(*r, LinkPlace::kRelated)) + "\">" +
              html_escape(r->title) + "</a> <span>(" + listed_date(r->published) + ")</span></li>";
    }
    std::string canonical = "<link rel=\"canonical\" href=\"" +
                            html_escape(page.absolute(article(a, LinkPlace::kListing))) + "\">\n";
    return chrome(page, html + "</ul></div>\n</div>", canonical);
  }

  std::string print_page(const Page& page, const Article& a) const override {
    return "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">\n<html lang=\"vi\">"
           "<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">"
           "<title>In bài viết</title><link rel=\"canonical\" href=\"" +
           html_escape(page.absolute(article(a, LinkPlace::kListing))) +
           "\"></head><body onload=\"window.print()\"><div class=\"print-content\"><h3>" +
           html_escape(a.title) + "</h3>" + body_paragraphs(a, "", "") + "</div></body></html>";
  }

  std::string shell(const Page& page, const std::string& title,
                    const std::string& inner_html) const override {
    return chrome(page, "<div class=\"title-cat\">" + html_escape(title) + "</div>" + inner_html);
  }

 private:
  static constexpr const char* kPageParam = "WCM_Page.9a1b2c3d4e5f40718293a4b5c6d7e8f9";

  // The navigation state of a portal URL: where the user came from. Without navigation_states
  // every link carries the listing's.
  std::string state(LinkPlace place) const {
    // One portal page's state blob, then the portlet's: "<page>/dl3/d3/<portlet>".
    static const std::string page =
        "04_SB8K8xLLM9MSSzPy8xBz9CP0os3gLAwMPJydDRwN3ZzdXA08L0xB3S09fQwN3Q6B8pFm8AQ7gaEBIt59Hfm6q"
        "fkFuhEGWiaIiAD_Z_-I!/dl3/d3/";
    static const std::string listing_state =
        page + "L2dJQSEvUUt3QS9ZQnZ3LzZfMEc1UTFLRzAwODRQMjAyTlBKN1VBUTMwRzY!";
    static const std::string home_state =
        page + "L2dBISEvZ0FBIS9nQSEh/Z7_0G5Q1KG0084P202NPJ7UAQ30G1";
    static const std::string related_state =
        page +
        "L0lDU0lKSWdrbUEhIS9JRFJBQUlpQ2dBek15cXchLzRKQ2lEb01OdEJqdEJIZ0EhIS83XzBHNVExS0cwMDg0UDIw"
        "Mk5QSjdVQVEzMEcy";
    if (!spec_.navigation_states) return listing_state;
    switch (place) {
      case LinkPlace::kListing:
        return listing_state;
      case LinkPlace::kFeatured:
      case LinkPlace::kLatest:
        return home_state;
      case LinkPlace::kRelated:
        return related_state;
    }
    return listing_state;
  }

  static std::string side_portlet(const std::string& title, const std::string& body) {
    return "<div class=\"wpsPortlet\"><table class=\"wpsPortletTitleBar\" width=\"100%\" "
           "cellpadding=\"0\" cellspacing=\"0\"><tr><td class=\"wpsPortletTitle\"><div "
           "class=\"dndHandle\">" +
           title +
           "</div></td><td class=\"wpsPortletIcons\"><a "
           "href=\"#skip\"><img src=\"/wps/themes/html/dot.gif\" alt=\"Skip portlet\" "
           "title=\"Skip portlet\" border=\"0\" width=\"1\" height=\"1\"></a><a "
           "href=\"javascript:void(0);\" class=\"wpsPortletMenu\"><img "
           "src=\"/wps/skins/html/IBM/menu_selected_disabled.gif\" alt=\"Portlet Menu\" "
           "title=\"Portlet Menu\" border=\"0\"></a></td></tr></table><div "
           "class=\"wpsPortletBody\">" +
           body + "</div></div>";
  }

  std::string chrome(const Page& page, const std::string& main,
                     const std::string& head_extra = "") const {
    return "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\" "
           "\"http://www.w3.org/TR/html4/loose.dtd\">\n<html lang=\"vi\" dir=\"ltr\">\n<head>\n"
           "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">\n"
           "<title>" +
           html_escape(page.site_name()) + "</title>\n" + head_extra +
           "<link rel=\"stylesheet\" href=\"/wps/themes/html/SoTTTT/styles.css\" "
           "type=\"text/css\">\n"
           "</head>\n<body class=\"portalBody\">\n<a name=\"top\"></a>\n<div id=\"header\"><img "
           "src=\"/wps/themes/html/SoTTTT/images/banner.jpg\" alt=\"\"></div>\n<div id=\"topnav\">"
           "<ul><li><a href=\"" +
           page.link(home()) + "\">Trang chủ</a></li><li><a href=\"" + page.link(about()) +
           "\">Giới thiệu</a></li><li><a href=\"" + page.link(listing(1)) +
           "\">Tin tức - Sự kiện</a></li></ul></div>\n<table class=\"layoutRow\" width=\"100%\" "
           "cellpadding=\"0\" cellspacing=\"0\"><tr>\n<td class=\"layoutColumn\" valign=\"top\" "
           "width=\"22%\">" +
           side_portlet("Văn bản chỉ đạo điều hành",
                        "&nbsp;<ul class=\"vanban\"><li>Quyết định số 1907/QĐ-UBND</li></ul>") +
           side_portlet("Liên kết", "<ul>" + side_box_items(page) + "</ul>") +
           "</td>\n<td class=\"layoutColumn\" valign=\"top\" width=\"78%\"><div "
           "class=\"wpsPortletBody\">\n" +
           main +
           "\n</div></td>\n</tr></table>\n<div "
           "id=\"footer\">Cơ quan chủ quản: " +
           html_escape(page.site_name()) + "</div>\n</body></html>\n";
  }

  const TrapSiteSpec& spec_;
};

// ==== ASP.NET WebForms news portal, en-US culture (docs/portals.md §4), Đồng Tháp 2018

class AspNet : public Family {
 public:
  explicit AspNet(const TrapSiteSpec& spec) : spec_(spec) {}

  std::string home() const override { return "/"; }
  std::string listing(int page) const override {
    return "/DanhSachTin.aspx?CatID=1" + (page > 1 ? "&Page=" + std::to_string(page) : "");
  }
  std::string article(const Article& a, LinkPlace) const override {
    return "/ChiTietTin.aspx?ID=" + std::to_string(a.id);
  }
  std::string print(const Article& a) const override {
    return "/ChiTietTin.aspx?ID=" + std::to_string(a.id) + "&print=1";
  }
  std::string about() const override { return "/GioiThieu.aspx"; }
  std::string bomb() const override { return "/SoDoTrang.aspx"; }
  bool case_insensitive() const override { return true; }
  std::vector<std::string> robots_disallow() const override { return {"/admin/"}; }

  std::vector<UrlForm> forms() const override {
    return {
        form(HitKind::kHome, "/", Key::kNone, {}, "", 0, true),
        form(HitKind::kHome, "/Default\\.aspx", Key::kNone, {}, "", 0, true),
        form(HitKind::kListing, "/DanhSachTin\\.aspx", Key::kNone, {{"CatID", "1"}}, "", 0, true),
        form(HitKind::kListing, "/DanhSachTin\\.aspx", Key::kNumber,
             {{"CatID", "1"}, {"Page", "(\\d+)"}}, "Page", 0, true),
        form(HitKind::kPage, "/GioiThieu\\.aspx", Key::kNone, {}, "", 0, true),
        form(HitKind::kArticle, "/ChiTietTin\\.aspx", Key::kArticleId, {{"ID", "(\\d+)"}}, "ID", 0,
             true),
        form(HitKind::kTwin, "/ChiTietTin\\.aspx", Key::kArticleId,
             {{"ID", "(\\d+)"}, {"print", "1"}}, "ID", 0, true),
    };
  }

  // .NET DateTime.ToString() under en-US: "M/d/yyyy h:mm:ss tt".
  std::string printed_date(const CivilTime& t) const override {
    int h12 = t.hour % 12 == 0 ? 12 : t.hour % 12;
    return "(" + listed_date(t) + " " + std::to_string(h12) + ":" + two_digits(t.minute) + ":" +
           two_digits(t.second) + (t.hour < 12 ? " AM)" : " PM)");
  }
  std::string iso_date(const CivilTime& t) const override { return iso_seconds(t); }
  std::string listed_date(const CivilTime& t) const override {
    return std::to_string(t.month) + "/" + std::to_string(t.day) + "/" + std::to_string(t.year);
  }

  std::string home_page(const Page& page, const std::vector<const Article*>& featured,
                        const std::vector<const Article*>& latest) const override {
    std::vector<const Article*> all = featured;
    all.insert(all.end(), latest.begin(), latest.end());
    return chrome(page, "Trang chủ", "./Default.aspx",
                  "<div class=\"box-news\"><span class=\"caption\">Tin mới</span>" +
                      item_list(page, all) + "</div>");
  }

  std::string listing_page(const Page& page, int number, int last_page,
                           const std::vector<const Article*>& items) const override {
    std::string html = "<div class=\"list-news\"><h2 class=\"caption\">Tin tức - Sự kiện</h2>" +
                       item_list(page, items) + "<div class=\"pager\">";
    html += pager_html(page, number, last_page,
                       {"<span>{n}</span>&nbsp;", "<a href=\"{href}\">{n}</a>&nbsp;",
                        "<a href=\"{href}\">Trang sau</a>"},
                       [this](int p) { return listing(p); });
    return chrome(page, "Tin tức - Sự kiện", "./DanhSachTin.aspx?CatID=1", html + "</div></div>");
  }

  std::string article_page(const Page& page, const Article& a,
                           const std::vector<const Article*>& related) const override {
    std::string html =
        "<div class=\"news-detail\">\n<h2 id=\"ctl00_ContentPlaceHolder1_lblTitle\" "
        "class=\"title\">" +
        html_escape(a.title) +
        "</h2>\n<span "
        "id=\"ctl00_ContentPlaceHolder1_lblDate\" class=\"date\">" +
        printed_date(a.published) +
        "</span>\n<div id=\"ctl00_ContentPlaceHolder1_divContent\" class=\"content\">\n"
        "<p>&nbsp;</p>\n" +
        body_paragraphs(a, "/Upload/TinTuc/" + std::to_string(a.id) + ".jpg",
                        " style=\"text-align:justify\"") +
        "<p style=\"text-align:right\"><strong>" + html_escape(a.author) +
        "</strong></p>\n</div>\n";
    if (spec_.print_twins) {
      html +=
          "<div class=\"tools\"><a href=\"" + page.link(print(a)) + "\">In bài viết</a></div>\n";
    }
    html += "<div class=\"other-news\"><span class=\"caption\">Các tin khác</span><ul>";
    for (const Article* r : related) {
      html += "<li><a href=\"" + page.link(article(*r, LinkPlace::kRelated)) + "\">" +
              html_escape(r->title) + "</a> (" + listed_date(r->published) + ")</li>";
    }
    return chrome(page, a.title, "./ChiTietTin.aspx?ID=" + std::to_string(a.id),
                  html + "</ul></div>\n</div>");
  }

  std::string print_page(const Page& page, const Article& a) const override {
    return "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
           "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html "
           "xmlns=\"http://www.w3.org/1999/xhtml\"><head><meta http-equiv=\"Content-Type\" "
           "content=\"text/html; charset=utf-8\" /><title>In bài viết</title><link "
           "rel=\"canonical\" href=\"" +
           html_escape(page.absolute(article(a, LinkPlace::kListing))) +
           "\" /></head><body onload=\"window.print()\"><div class=\"print\"><h3>" +
           html_escape(a.title) + "</h3>" + body_paragraphs(a, "", "") + "</div></body></html>";
  }

  std::string shell(const Page& page, const std::string& title,
                    const std::string& inner_html) const override {
    return chrome(page, title, "./Default.aspx",
                  "<h2 class=\"caption\">" + html_escape(title) + "</h2>" + inner_html);
  }

 private:
  std::string item_list(const Page& page, const std::vector<const Article*>& items) const {
    std::string html = "<ul>";
    for (const Article* a : items) {
      html += "<li><a href=\"" + page.link(article(*a, LinkPlace::kListing)) + "\">" +
              html_escape(a->title) + "</a> <span class=\"date\">(" + listed_date(a->published) +
              ")</span></li>";
    }
    return html + "</ul>";
  }

  std::string chrome(const Page& page, const std::string& title, const std::string& action,
                     const std::string& main) const {
    return "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
           "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
           "<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head><meta http-equiv=\"Content-Type\" "
           "content=\"text/html; charset=utf-8\" />\n<title>" +
           html_escape(title) + " - " + html_escape(page.site_name()) +
           "</title></head>\n<body>\n<form method=\"post\" "
           "action=\"" +
           html_escape(action) +
           "\" id=\"form1\">\n<div class=\"aspNetHidden\">"
           "<input type=\"hidden\" name=\"__VIEWSTATE\" id=\"__VIEWSTATE\" "
           "value=\"/wEPDwUKMTY1NDU2MTA1MmRk\" />\n<input type=\"hidden\" "
           "name=\"__EVENTVALIDATION\" id=\"__EVENTVALIDATION\" value=\"/wEdAATx9u5I\" /></div>\n"
           "<div id=\"header\"><div class=\"banner\">" +
           html_escape(page.site_name()) + "</div>\n<ul id=\"menu\"><li><a href=\"" +
           page.link(home()) + "\">Trang chủ</a></li><li><a href=\"" + page.link(about()) +
           "\">Giới thiệu</a></li><li><a href=\"" + page.link(listing(1)) +
           "\">Tin tức - Sự kiện</a></li></ul></div>\n<div id=\"left\"><div class=\"box\"><span "
           "class=\"caption\">Chuyên mục</span><ul><li><a href=\"" +
           page.link(listing(1)) + "\">Tin tức - Sự kiện</a></li>" + side_box_items(page) +
           "</ul></div></div>\n"
           "<div id=\"main\">\n" +
           main +
           "\n</div>\n<div id=\"footer\">Cơ quan chủ quản: " + html_escape(page.site_name()) +
           "</div>\n</form></body></html>\n";
  }

  const TrapSiteSpec& spec_;
};

// ==== ASP.NET path portal (docs/portals.md §5), Trà Vinh:
// /{sid}/{pageid}/{catid}/{id}/{cat}/{slug}

class AspNetPath : public Family {
 public:
  explicit AspNetPath(const TrapSiteSpec& spec) : spec_(spec) {}

  std::string home() const override { return "/"; }
  std::string listing(int page) const override {
    return "/1501/38995/68251/tin-tuc-su-kien" + (page > 1 ? "?page=" + std::to_string(page) : "");
  }
  std::string article(const Article& a, LinkPlace) const override {
    return "/1501/38995/68251/" + std::to_string(a.id) + "/tin-tuc-su-kien/" + a.slug;
  }
  std::string print(const Article& a) const override {
    return "/print/1501/" + std::to_string(a.id) + "/" + a.slug;
  }
  std::string about() const override { return "/1501/38996/0/gioi-thieu"; }
  std::string bomb() const override { return "/1501/38997/0/so-do-cong"; }
  bool case_insensitive() const override { return true; }
  std::vector<std::string> robots_disallow() const override { return {}; }

  std::vector<UrlForm> forms() const override {
    return {
        form(HitKind::kHome, "/", Key::kNone, {}, "", 0, true),
        form(HitKind::kListing, "/1501/38995/68251/tin-tuc-su-kien", Key::kNone, {}, "", 0, true),
        form(HitKind::kListing, "/1501/38995/68251/tin-tuc-su-kien", Key::kNumber,
             {{"page", "(\\d+)"}}, "page", 0, true),
        form(HitKind::kPage, "/1501/38996/0/gioi-thieu", Key::kNone, {}, "", 0, true),
        form(HitKind::kArticle, "/1501/38995/68251/(\\d+)/tin-tuc-su-kien/[a-z0-9-]+",
             Key::kArticleId, {}, "", 0, true),
        form(HitKind::kTwin, "/print/1501/(\\d+)/[a-z0-9-]+", Key::kArticleId, {}, "", 0, true),
    };
  }

  std::string printed_date(const CivilTime& t) const override {
    return "Ngày đăng: " + listed_date(t) + " " + two_digits(t.hour) + ":" + two_digits(t.minute);
  }
  std::string iso_date(const CivilTime& t) const override { return iso_minutes(t); }
  std::string listed_date(const CivilTime& t) const override { return day_month_year(t); }

  std::string home_page(const Page& page, const std::vector<const Article*>& featured,
                        const std::vector<const Article*>& latest) const override {
    std::vector<const Article*> all = featured;
    all.insert(all.end(), latest.begin(), latest.end());
    return chrome(page, "Trang chủ", "",
                  "<div class=\"box-news\"><div class=\"title-box\">Tin "
                  "nổi bật</div>" +
                      item_list(page, all) + "</div>");
  }

  std::string listing_page(const Page& page, int number, int last_page,
                           const std::vector<const Article*>& items) const override {
    std::string html = "<div class=\"list-news\"><div class=\"title-box\">Tin tức - Sự kiện</div>" +
                       item_list(page, items) + "<div class=\"pager\">";
    html += pager_html(page, number, last_page,
                       {"<span class=\"ButtonPageActive\">{n}</span>&nbsp;",
                        "<a class=\"ButtonPage\" href=\"{href}\">{n}</a>&nbsp;",
                        "<a class=\"ButtonPage\" href=\"{href}\">...</a>"},
                       [this](int p) { return listing(p); });
    return chrome(page, "Tin tức - Sự kiện", "", html + "</div></div>");
  }

  std::string article_page(const Page& page, const Article& a,
                           const std::vector<const Article*>& related) const override {
    std::string html =
        "<div class=\"news-detail\">\n<h1 class=\"title-news\">" + html_escape(a.title) +
        "</h1>\n<div class=\"date-news\">" + printed_date(a.published) +
        "</div>\n"
        "<div class=\"content-news\">\n" +
        body_paragraphs(a,
                        "/Upload/1501/" + std::to_string(a.published.year) + "/" +
                            std::to_string(a.published.month) + "/" + std::to_string(a.id) + ".jpg",
                        " style=\"text-align:justify\"") +
        "<p style=\"text-align:right\"><strong>" + html_escape(a.author) +
        "</strong></p>\n</div>\n";
    if (spec_.print_twins) {
      html += "<div class=\"tool-news\"><a href=\"" + page.link(print(a)) +
              "\"><img src=\"/Images/print.png\" alt=\"In trang\" /></a></div>\n";
    }
    html += "</div>\n<div class=\"other-news\"><div class=\"title-box\">Tin khác</div>" +
            item_list(page, related) + "</div>";
    std::string canonical = "<link rel=\"canonical\" href=\"" +
                            html_escape(page.absolute(article(a, LinkPlace::kListing))) + "\" />";
    return chrome(page, a.title, canonical, html);
  }

  std::string print_page(const Page& page, const Article& a) const override {
    return "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\" /><title>In trang"
           "</title><link rel=\"canonical\" href=\"" +
           html_escape(page.absolute(article(a, LinkPlace::kListing))) +
           "\" /></head><body onload=\"window.print()\"><div class=\"print-news\"><h3>" +
           html_escape(a.title) + "</h3>" + body_paragraphs(a, "", "") + "</div></body></html>";
  }

  std::string shell(const Page& page, const std::string& title,
                    const std::string& inner_html) const override {
    return chrome(page, title, "",
                  "<div class=\"title-box\">" + html_escape(title) + "</div>" + inner_html);
  }

 private:
  std::string item_list(const Page& page, const std::vector<const Article*>& items) const {
    std::string html = "<ul>";
    for (const Article* a : items) {
      html += "<li><a href=\"" + page.link(article(*a, LinkPlace::kListing)) + "\">" +
              html_escape(a->title) + "</a></li>";
    }
    return html + "</ul>";
  }

  std::string chrome(const Page& page, const std::string& title, const std::string& head_extra,
                     const std::string& main) const {
    return "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"vi\">\n<head>"
           "<meta charset=\"utf-8\" /><title>" +
           html_escape(title) + "</title>\n" + head_extra +
           "</head>\n<body>\n<form method=\"post\" action=\"./Default.aspx?sid=1501\" "
           "id=\"form1\">\n<div class=\"aspNetHidden\"><input type=\"hidden\" "
           "name=\"__VIEWSTATE\" id=\"__VIEWSTATE\" value=\"/wEPDwULLTE2MTY2ODcyMjlkZA==\" />"
           "</div>\n<div class=\"header\"><ul class=\"menu-top\"><li><a href=\"" +
           page.link(home()) + "\">Trang chủ</a></li><li><a href=\"" + page.link(about()) +
           "\">Giới thiệu</a></li><li><a href=\"" + page.link(listing(1)) +
           "\">Tin tức - Sự kiện</a></li>" + side_box_items(page) +
           "</ul></div>\n"
           "<div class=\"col-main\">\n" +
           main +
           "\n</div>\n<div class=\"col-right\"><div "
           "class=\"box-thongke\"><div class=\"title-box\">Thống kê truy cập</div><ul><li>Đang "
           "online: 81</li><li>Hôm nay: 1886</li><li>Tất cả: 1,891,451</li></ul></div></div>\n"
           "<div class=\"footer\">" +
           html_escape(page.site_name()) +
           "</div>\n</form></body>"
           "</html>\n";
  }

  const TrapSiteSpec& spec_;
};

// ==== Liferay 6.2 asset publisher (docs/portals.md §6)

class Liferay : public Family {
 public:
  explicit Liferay(const TrapSiteSpec& spec) : spec_(spec) {}

  std::string home() const override { return "/web/guest/trang-chu"; }
  std::string listing(int page) const override {
    if (page <= 1) return "/web/guest/tin-tuc";
    return "/web/guest/tin-tuc?p_p_id=" + std::string(kPortlet) +
           "&p_p_lifecycle=0&p_p_state=normal&p_p_mode=view&p_p_col_id=column-1&p_p_col_count=1&_" +
           kPortlet + "_delta=" + std::to_string(spec_.per_page) + "&_" + kPortlet +
           "_cur=" + std::to_string(page);
  }
  std::string article(const Article& a, LinkPlace place) const override {
    std::string base =
        "/web/guest/tin-tuc/-/asset_publisher/" + std::string(kInstance) + "/content/" + a.slug;
    if (!spec_.portlet_variants) return base;
    switch (place) {
      case LinkPlace::kListing:
        return base;
      case LinkPlace::kFeatured:
      case LinkPlace::kLatest:
        return base + "?p_p_id=" + kPortlet +
               "&p_p_lifecycle=0&p_p_state=normal&p_p_mode=view&p_p_col_id=column-2&p_p_col_count="
               "1";
      case LinkPlace::kRelated:
        return base + "?p_p_id=" + kPortlet + "&p_p_state=maximized&p_p_mode=view";
    }
    return base;
  }
  std::string print(const Article& a) const override {
    return "/web/guest/tin-tuc/-/asset_publisher/" + std::string(kInstance) + "/content/" + a.slug +
           "?p_p_id=" + kPortlet + "&p_p_state=pop_up&p_p_mode=view&_" + kPortlet +
           "_viewMode=print";
  }
  std::string about() const override { return "/web/guest/gioi-thieu"; }
  std::string bomb() const override { return "/web/guest/so-do-trang"; }
  std::vector<std::string> robots_disallow() const override {
    return {"/c/portal/login", "/group/"};
  }

  std::vector<UrlForm> forms() const override {
    const std::string content =
        "/web/guest/tin-tuc/-/asset_publisher/" + std::string(kInstance) + "/content/([a-z0-9-]+)";
    const std::string cur = "_" + std::string(kPortlet) + "_cur";
    return {
        form(HitKind::kHome, "/web/guest/trang-chu"),
        form(HitKind::kListing, "/web/guest/tin-tuc"),
        form(HitKind::kListing, "/web/guest/tin-tuc", Key::kNumber,
             {{"p_p_id", kPortlet}, {cur, "(\\d+)"}}, cur),
        form(HitKind::kPage, "/web/guest/gioi-thieu"),
        form(HitKind::kArticle, content, Key::kArticleSlug),
        form(HitKind::kTwin, content, Key::kArticleSlug,
             {{"_" + std::string(kPortlet) + "_viewMode", "print"}}),
    };
  }

  std::string printed_date(const CivilTime& t) const override { return listed_date(t); }
  std::string iso_date(const CivilTime& t) const override { return iso_day(t); }
  std::string listed_date(const CivilTime& t) const override { return day_month_year(t); }

  std::string home_page(const Page& page, const std::vector<const Article*>& featured,
                        const std::vector<const Article*>& latest) const override {
    std::vector<const Article*> all = featured;
    all.insert(all.end(), latest.begin(), latest.end());
    std::string html;
    for (const Article* a : all) {
      html += "<div class=\"asset-abstract\"><h3 class=\"asset-title\"><a href=\"" +
              page.link(article(*a, LinkPlace::kFeatured)) + "\">" + html_escape(a->title) +
              "</a></h3><div class=\"asset-summary\">" + html_escape(a->paragraphs[0]) +
              "</div></div>";
    }
    return chrome(page, "Trang chủ", "", portlet("Tin nổi bật", "column-2", html));
  }

  std::string listing_page(const Page& page, int number, int last_page,
                           const std::vector<const Article*>& items) const override {
    std::string html;
    for (const Article* a : items) {
      html += "<div class=\"asset-abstract\"><h3 class=\"asset-title\"><a href=\"" +
              page.link(article(*a, LinkPlace::kListing)) + "\">" + html_escape(a->title) +
              "</a></h3><span class=\"ngay-dang\">" + listed_date(a->published) + "</span></div>";
    }
    html += "<div class=\"taglib-page-iterator\"><ul class=\"pagination\">";
    html += pager_html(
        page, number, last_page,
        {"<li class=\"active\"><span>{n}</span></li>", "<li><a href=\"{href}\">{n}</a></li>",
         "<li><a href=\"{href}\">Tiếp theo &rarr;</a></li>"},
        [this](int p) { return listing(p); });
    return chrome(page, "Tin tức", "",
                  portlet("Tin tức - Sự kiện", "column-1", html + "</ul></div>"));
  }

  std::string article_page(const Page& page, const Article& a,
                           const std::vector<const Article*>& related) const override {
    std::string html =
        "<div class=\"taglib-header\"><h3 class=\"header-title\"><span>" + html_escape(a.title) +
        "</span></h3></div>\n<div class=\"asset-full-content default-asset-publisher "
        "show-asset-title\">\n<div class=\"asset-content\" id=\"_" +
        std::string(kPortlet) + "_" + std::to_string(a.id) +
        "\">\n<div class=\"journal-content-article\">\n"
        "<div class=\"ngay-dang\">" +
        printed_date(a.published) + "</div>\n" +
        body_paragraphs(a, "/documents/20143/0/anh-" + std::to_string(a.number) + ".jpg",
                        " style=\"text-align:justify\"") +
        "<p style=\"text-align:right\"><strong>" + html_escape(a.author) +
        "</strong></p>\n"
        "</div>\n</div>\n<div class=\"asset-metadata\"><span class=\"metadata-entry "
        "metadata-view-count\">Lượt xem: " +
        std::to_string(100 + a.number * 7) + "</span></div>\n";
    if (spec_.print_twins) {
      html +=
          "<div class=\"taglib-icon print\"><a href=\"" + page.link(print(a)) + "\">In</a></div>";
    }
    html += "</div>\n<div class=\"tin-khac\"><h4>Tin khác</h4><ul>";
    for (const Article* r : related) {
      html += "<li><a href=\"" + page.link(article(*r, LinkPlace::kRelated)) + "\">" +
              html_escape(r->title) + "</a></li>";
    }
    std::string canonical = "<link href=\"" +
                            html_escape(page.absolute(article(a, LinkPlace::kListing))) +
                            "\" rel=\"canonical\" />\n";
    return chrome(page, a.title, canonical,
                  portlet("Tin tức - Sự kiện", "column-1", html + "</ul></div>"));
  }

  std::string print_page(const Page& page, const Article& a) const override {
    return "<!DOCTYPE html>\n<html class=\"aui ltr\" dir=\"ltr\" lang=\"vi-VN\"><head><meta "
           "charset=\"utf-8\" /><title>In</title><link href=\"" +
           html_escape(page.absolute(article(a, LinkPlace::kListing))) +
           "\" rel=\"canonical\" /></head><body class=\"portal-popup\"><div "
           "class=\"journal-content-article\"><h3>" +
           html_escape(a.title) + "</h3>" + body_paragraphs(a, "", "") + "</div></body></html>";
  }

  std::string shell(const Page& page, const std::string& title,
                    const std::string& inner_html) const override {
    return chrome(page, title, "", portlet(title, "column-1", inner_html));
  }

 private:
  static constexpr const char* kInstance = "Kq8sMB0Z1Slo";
  static constexpr const char* kPortlet = "101_INSTANCE_Kq8sMB0Z1Slo";

  static std::string portlet(const std::string& title, const std::string& column,
                             const std::string& body) {
    return "<div class=\"portlet-boundary portlet-boundary_101_ portlet-static portlet-static-end "
           "portlet-asset-publisher\" id=\"p_p_id_" +
           std::string(kPortlet) + "_\" data-column=\"" + column + "\"><span id=\"p_" + kPortlet +
           "\"></span><section class=\"portlet\" "
           "id=\"portlet_" +
           kPortlet +
           "\"><header class=\"portlet-topper\"><h1 "
           "class=\"portlet-title\"><span class=\"portlet-title-text\">" +
           html_escape(title) +
           "</span></h1></header><div class=\"portlet-content\"><div class=\" "
           "portlet-content-container\"><div class=\"portlet-body\">" +
           body + "</div></div></div></section></div>";
  }

  std::string chrome(const Page& page, const std::string& title, const std::string& head_extra,
                     const std::string& main) const {
    return "<!DOCTYPE html>\n<html class=\"aui ltr\" dir=\"ltr\" lang=\"vi-VN\">\n<head>\n"
           "<title>" +
           html_escape(title) + " - " + html_escape(page.site_name()) +
           "</title>\n"
           "<meta content=\"initial-scale=1.0, width=device-width\" name=\"viewport\" />\n"
           "<meta content=\"text/html; charset=UTF-8\" http-equiv=\"content-type\" />\n" +
           head_extra +
           "<link href=\"/html/themes/classic/images/favicon.ico\" rel=\"Shortcut "
           "Icon\" />\n<script type=\"text/javascript\">var Liferay = {};</script>\n</head>\n"
           "<body class=\"yui3-skin-sam controls-visible guest-site signed-out public-page "
           "site\">\n"
           "<a href=\"#main-content\" id=\"skip-to-content\">Skip to Content</a>\n"
           "<div class=\"container-fluid\" id=\"wrapper\">\n<header id=\"banner\" role=\"banner\">"
           "<h1 class=\"site-title\"><a href=\"" +
           page.plain(home()) + "\">" + html_escape(page.site_name()) +
           "</a></h1><nav class=\"sort-pages modify-pages\" "
           "id=\"navigation\"><ul aria-label=\"Site Pages\" role=\"menubar\"><li><a href=\"" +
           page.plain(home()) + "\"><span>Trang chủ</span></a></li><li><a href=\"" +
           page.plain(about()) + "\"><span>Giới thiệu</span></a></li><li><a href=\"" +
           page.plain(listing(1)) +
           "\"><span>Tin tức</span></a></li></ul></nav></header>\n"
           "<div id=\"content\"><div class=\"portlet-layout row-fluid\"><div class=\"span8 "
           "portlet-column portlet-column-first\" id=\"column-1\">\n" +
           main +
           "\n</div><div "
           "class=\"span4 portlet-column portlet-column-last\" id=\"column-3\">" +
           portlet("Liên kết", "column-3", "<ul>" + side_box_items(page) + "</ul>") +
           "</div></div></div>\n<footer id=\"footer\" role=\"contentinfo\"><p>" +
           html_escape(page.site_name()) + "</p></footer>\n</div>\n</body>\n</html>\n";
  }

  const TrapSiteSpec& spec_;
};

// ==== A Vietnamese news CMS of no preset family (PHP-like "-detail" classes)

class NoPreset : public Family {
 public:
  explicit NoPreset(const TrapSiteSpec& spec) : spec_(spec) {}

  std::string home() const override { return "/"; }
  std::string listing(int page) const override {
    return "/tin-tuc" + (page > 1 ? "?page=" + std::to_string(page) : "");
  }
  std::string article(const Article& a, LinkPlace) const override {
    return "/tin-tuc/" + a.slug + "-" + std::to_string(a.id) + ".html";
  }
  std::string print(const Article& a) const override {
    return "/in-bai-viet/" + std::to_string(a.id) + ".html";
  }
  std::string about() const override { return "/gioi-thieu.html"; }
  std::string bomb() const override { return "/so-do-trang.html"; }
  std::vector<std::string> robots_disallow() const override { return {"/admin/"}; }

  std::vector<UrlForm> forms() const override {
    return {
        form(HitKind::kHome, "/"),
        form(HitKind::kListing, "/tin-tuc"),
        form(HitKind::kListing, "/tin-tuc", Key::kNumber, {{"page", "(\\d+)"}}, "page"),
        form(HitKind::kPage, "/gioi-thieu\\.html"),
        form(HitKind::kArticle, "/tin-tuc/[a-z0-9-]+-(\\d+)\\.html", Key::kArticleId),
        form(HitKind::kTwin, "/in-bai-viet/(\\d+)\\.html", Key::kArticleId),
    };
  }

  std::string printed_date(const CivilTime& t) const override {
    return vietnamese_weekday(t) + ", " + listed_date(t) + " - " + two_digits(t.hour) + ":" +
           two_digits(t.minute);
  }
  std::string iso_date(const CivilTime& t) const override { return iso_minutes(t); }
  std::string listed_date(const CivilTime& t) const override { return day_month_year(t); }

  std::string home_page(const Page& page, const std::vector<const Article*>& featured,
                        const std::vector<const Article*>& latest) const override {
    std::vector<const Article*> all = featured;
    all.insert(all.end(), latest.begin(), latest.end());
    return chrome(page, page.site_name(),
                  "<section class=\"home-news\"><h2 class=\"title-cate\">"
                  "Tin mới nhất</h2>" +
                      item_list(page, all, true) + "</section>",
                  all);
  }

  std::string listing_page(const Page& page, int number, int last_page,
                           const std::vector<const Article*>& items) const override {
    std::string html = "<section class=\"list-news\"><h1 class=\"title-cate\">Tin tức</h1>";
    html += items.empty() ? "<p class=\"no-data\">Chưa có tin bài trong mục này.</p>"
                          : item_list(page, items, true);
    html += "<nav class=\"pagination\">";
    html += pager_html(page, number, last_page,
                       {"<span class=\"active\">{n}</span>", "<a href=\"{href}\">{n}</a>",
                        "<a class=\"next\" href=\"{href}\">Trang sau</a>"},
                       [this](int p) { return listing(p); });
    return chrome(page, "Tin tức", html + "</nav></section>", items);
  }

  std::string article_page(const Page& page, const Article& a,
                           const std::vector<const Article*>& related) const override {
    std::string html = "<article class=\"detail-news\">\n<h1 class=\"title-detail\">" +
                       html_escape(a.title) + "</h1>\n<div class=\"date-detail\">" +
                       printed_date(a.published) +
                       "</div>\n"
                       "<div class=\"content-detail\">\n" +
                       body_paragraphs(a, "/uploads/news/" + std::to_string(a.id) + ".jpg", "") +
                       "</div>\n<div class=\"author-detail\">" + html_escape(a.author) + "</div>\n";
    if (spec_.print_twins) {
      html += "<div class=\"print-detail\"><a href=\"" + page.link(print(a)) +
              "\">In bài viết</a></div>";
    }
    html += "</article>\n<section class=\"related-news\"><h3>Tin liên quan</h3>" +
            item_list(page, related, true) + "</section>";
    return chrome(page, a.title, html, related);
  }

  std::string print_page(const Page& page, const Article& a) const override {
    return "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>In bài viết"
           "</title><link rel=\"canonical\" href=\"" +
           html_escape(page.absolute(article(a, LinkPlace::kListing))) +
           "\"></head><body onload=\"window.print()\"><h3>" + html_escape(a.title) + "</h3>" +
           body_paragraphs(a, "", "") + "</body></html>";
  }

  std::string shell(const Page& page, const std::string& title,
                    const std::string& inner_html) const override {
    return chrome(page, title,
                  "<section><h1 class=\"title-cate\">" + html_escape(title) + "</h1>" + inner_html +
                      "</section>",
                  {});
  }

 private:
  // Listing items link the clean URL; the "most read" box carries the session token.
  std::string item_list(const Page& page, const std::vector<const Article*>& items,
                        bool clean) const {
    std::string html = "<ul class=\"list-item\">";
    for (const Article* a : items) {
      std::string target = article(*a, LinkPlace::kListing);
      html += "<li><a href=\"" + (clean ? page.plain(target) : page.link(target)) + "\">" +
              html_escape(a->title) + "</a> <span class=\"time\">" + listed_date(a->published) +
              "</span></li>";
    }
    return html + "</ul>";
  }

  std::string chrome(const Page& page, const std::string& title, const std::string& main,
                     const std::vector<const Article*>& most_read) const {
    std::vector<const Article*> box(most_read.begin(),
                                    most_read.begin() + std::min<size_t>(5, most_read.size()));
    return "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
           html_escape(title) +
           "</title>\n<link rel=\"stylesheet\" href=\"/themes/default/css/"
           "style.css\">\n</head>\n<body>\n<header class=\"header\"><div class=\"logo\"><a "
           "href=\"" +
           page.link(home()) + "\">" + html_escape(page.site_name()) +
           "</a></div><nav "
           "class=\"main-menu\"><ul><li><a href=\"" +
           page.link(home()) +
           "\">Trang chủ</a></li>"
           "<li><a href=\"" +
           page.link(about()) + "\">Giới thiệu</a></li><li><a href=\"" + page.link(listing(1)) +
           "\">Tin tức</a></li></ul></nav></header>\n<div "
           "class=\"container\"><main class=\"main-content\">\n" +
           main +
           "\n</main>\n<aside "
           "class=\"sidebar\"><div class=\"box\"><h3>Tin xem nhiều</h3>" +
           item_list(page, box, false) + "</div><div class=\"box\"><h3>Liên kết</h3><ul>" +
           side_box_items(page) + "</ul></div></aside></div>\n<footer class=\"footer\">" +
           html_escape(page.site_name()) + "</footer>\n</body>\n</html>\n";
  }

  const TrapSiteSpec& spec_;
};

// ==== The second web's URL schemes (TrapSiteSpec::scheme == 2): the same markup, other URLs.
// Each family's article is reached through other URL forms than in the first web, and the
// forms a user never sees in a listing are aliases answered 200 (no redirect).

// SharePoint 2013 publishing site with a news subsite; the list item form of an article
// (`/Lists/TinTuc/DispForm.aspx?ID=`) and share links with utm_* parameters.
class SharePoint2 : public SharePoint {
 public:
  explicit SharePoint2(const TrapSiteSpec& spec) : SharePoint(spec), aliases_(spec.place_aliases) {}

  std::string home() const override { return "/"; }
  std::string listing(int page) const override {
    if (page <= 1) return "/tin-tuc/Pages/default.aspx";
    return "/tin-tuc/Pages/default.aspx?PageIndex=" + std::to_string(page) +
           "&View=%7B5F0E9A2C-3B1D-4C7E-9A8B-1D2E3F4A5B6C%7D";
  }
  std::string article(const Article& a, LinkPlace place) const override {
    std::string page = "/tin-tuc/Pages/" + a.slug + ".aspx";
    if (!aliases_) return page;
    if (place == LinkPlace::kLatest) {
      return "/Lists/TinTuc/DispForm.aspx?ID=" + std::to_string(a.id);
    }
    if (place == LinkPlace::kFeatured) {
      return page + "?utm_source=trang-chu&utm_medium=banner&utm_campaign=tin-noi-bat";
    }
    return page;
  }
  std::string print(const Article& a) const override {
    return "/tin-tuc/Pages/" + a.slug + ".aspx?layout=print";
  }
  std::string about() const override { return "/SitePages/gioi-thieu.aspx"; }
  std::string bomb() const override { return "/SitePages/so-do.aspx"; }
  std::vector<UrlForm> forms() const override {
    return {
        form(HitKind::kHome, "/", Key::kNone, {}, "", 0, true),
        form(HitKind::kListing, "/tin-tuc/Pages/default\\.aspx", Key::kNone, {}, "", 0, true),
        form(HitKind::kListing, "/tin-tuc/Pages/default\\.aspx", Key::kNumber,
             {{"PageIndex", "(\\d+)"}}, "PageIndex", 0, true),
        form(HitKind::kPage, "/SitePages/gioi-thieu\\.aspx", Key::kNone, {}, "", 0, true),
        form(HitKind::kArticle, "/tin-tuc/Pages/([a-z0-9-]+)\\.aspx", Key::kArticleSlug, {}, "", 0,
             true),
        form(HitKind::kTwin, "/tin-tuc/Pages/([a-z0-9-]+)\\.aspx", Key::kArticleSlug,
             {{"layout", "print"}}, "", 0, true),
        form(HitKind::kArticle, "/Lists/TinTuc/DispForm\\.aspx", Key::kArticleId,
             {{"ID", "(\\d+)"}}, "ID", 0, true),
    };
  }
  std::vector<std::string> page_aliases() const override { return {}; }

 private:
  bool aliases_;
};

// WebSphere Portal 8 with WCM: `!ut/p/z1/` navigation states and `?urile=wcm:path:` content
// paths, the direct `/wps/wcm/connect/` rendering of the same item, a print presentation
// template.
class WebSphere2 : public WebSphere {
 public:
  explicit WebSphere2(const TrapSiteSpec& spec) : WebSphere(spec), aliases_(spec.place_aliases) {}

  std::string home() const override { return "/wps/portal/sotttt/trang-chu"; }
  std::string listing(int page) const override {
    if (page <= 1) return "/wps/portal/sotttt/tin-tuc";
    return "/wps/portal/sotttt/tin-tuc?WCM_PI=1&" + std::string(kPage) + "=" +
           std::to_string(page) + "&" + kPageSize + "=10";
  }
  std::string article(const Article& a, LinkPlace place) const override {
    if (!aliases_) place = LinkPlace::kListing;
    if (place == LinkPlace::kLatest) return "/wps/wcm/connect/sotttt/tin-tuc/" + a.slug;
    return "/wps/portal/sotttt/!ut/p/z1/" + state(place) +
           "/dz/d5/L2dBISEvZ0FBIS9nQSEh/?urile=wcm%3Apath%3A%2Fsotttt%2Ftin-tuc%2F" + a.slug;
  }
  std::string print(const Article& a) const override {
    return "/wps/wcm/connect/sotttt/tin-tuc/" + a.slug +
           "?presentationtemplate=sotttt%2FPT-InBai";
  }
  std::string about() const override { return "/wps/portal/sotttt/gioi-thieu"; }
  std::string bomb() const override { return "/wps/portal/sotttt/so-do"; }
  std::vector<UrlForm> forms() const override {
    const std::string item = "wcm:path:/sotttt/tin-tuc/([a-z0-9-]+)";
    const std::string direct = "/wps/wcm/connect/sotttt/tin-tuc/([a-z0-9-]+)";
    return {
        form(HitKind::kHome, "/wps/portal/sotttt/trang-chu"),
        form(HitKind::kListing, "/wps/portal/sotttt/tin-tuc"),
        form(HitKind::kListing, "/wps/portal/sotttt/tin-tuc", Key::kNumber,
             {{"WCM_PI", "1"}, {kPage, "(\\d+)"}}, kPage),
        form(HitKind::kPage, "/wps/portal/sotttt/gioi-thieu"),
        form(HitKind::kArticle, "/wps/portal/sotttt/!ut/p/z1/.+/", Key::kArticleSlug,
             {{"urile", item}}, "urile"),
        form(HitKind::kArticle, direct, Key::kArticleSlug),
        form(HitKind::kTwin, direct, Key::kArticleSlug,
             {{"presentationtemplate", "sotttt/PT-InBai"}}),
    };
  }

 private:
  static constexpr const char* kPage = "WCM_Page.2b7c9e41d0a34f5c8e6b1a2d3c4e5f60";
  static constexpr const char* kPageSize = "WCM_PageSize.2b7c9e41d0a34f5c8e6b1a2d3c4e5f60";
  bool aliases_;

  static std::string state(LinkPlace place) {
    switch (place) {
      case LinkPlace::kFeatured:
      case LinkPlace::kLatest:
        return "hY_NDAwNDQ0OLgAc5OXb1NDY0MDQ38LMxMzQ0dvY0NvD_P8qAD9AMN0V2C1JEBz-Uvw";
      case LinkPlace::kRelated:
        return "jY_LDoIwFES_hS_oLZWHy1oJEEEsTLFbEhYkEBE2xPDbatza7hObsvqwU5Oycd8mGwV";
      case LinkPlace::kListing:
        break;
    }
    return "04_Sj9CPykssy0xPLMnMz0vMAfIjo8zivQ0MvAwMTQ393d2cDTyDvD1C3SyNjAyCzfQLsh0VAXsc8Xc";
  }
};

// ASP.NET WebForms with a `News/` folder: Detail.aspx?cat=&newsid= (parameter order is the
// page's), a Print.aspx twin.
class AspNet2 : public AspNet {
 public:
  explicit AspNet2(const TrapSiteSpec& spec) : AspNet(spec) {}

  std::string listing(int page) const override {
    return "/News/List.aspx?cat=3" + (page > 1 ? "&pg=" + std::to_string(page) : "");
  }
  std::string article(const Article& a, LinkPlace) const override {
    return "/News/Detail.aspx?cat=3&newsid=" + std::to_string(a.id);
  }
  std::string print(const Article& a) const override {
    return "/News/Print.aspx?newsid=" + std::to_string(a.id);
  }
  std::string bomb() const override { return "/SoDo.aspx"; }
  std::vector<UrlForm> forms() const override {
    return {
        form(HitKind::kHome, "/", Key::kNone, {}, "", 0, true),
        form(HitKind::kHome, "/Default\\.aspx", Key::kNone, {}, "", 0, true),
        form(HitKind::kListing, "/News/List\\.aspx", Key::kNone, {{"cat", "3"}}, "", 0, true),
        form(HitKind::kListing, "/News/List\\.aspx", Key::kNumber, {{"cat", "3"}, {"pg", "(\\d+)"}},
             "pg", 0, true),
        form(HitKind::kPage, "/GioiThieu\\.aspx", Key::kNone, {}, "", 0, true),
        form(HitKind::kArticle, "/News/Detail\\.aspx", Key::kArticleId, {{"newsid", "(\\d+)"}},
             "newsid", 0, true),
        form(HitKind::kTwin, "/News/Print\\.aspx", Key::kArticleId, {{"newsid", "(\\d+)"}},
             "newsid", 0, true),
    };
  }
};

// Trà Vinh's path portal under another site id: "Tin khác" and the home page's latest news link
// the old `Default.aspx?sid=&pageid=&catid=&id=&catname=&title=` form (200, the same article),
// the featured box share links with utm_*, print twins at `/in-bai/<id>`.
class AspNetPath2 : public AspNetPath {
 public:
  explicit AspNetPath2(const TrapSiteSpec& spec)
      : AspNetPath(spec), aliases_(spec.place_aliases) {}

  std::string listing(int page) const override {
    return "/1446/38995/68251/tin-tuc" + (page > 1 ? "?page=" + std::to_string(page) : "");
  }
  std::string article(const Article& a, LinkPlace place) const override {
    std::string id = std::to_string(a.id);
    switch (aliases_ ? place : LinkPlace::kListing) {
      case LinkPlace::kListing:
        break;
      case LinkPlace::kFeatured:
        return "/1446/38995/68251/" + id + "/tin-tuc/" + a.slug +
               "?utm_source=zalo&utm_medium=social&utm_campaign=chia-se";
      case LinkPlace::kLatest:
      case LinkPlace::kRelated:
        return "/Default.aspx?sid=1446&pageid=38995&catid=68251&id=" + id +
               "&catname=tin-tuc&title=" + a.slug;
    }
    return "/1446/38995/68251/" + id + "/tin-tuc/" + a.slug;
  }
  std::string print(const Article& a) const override { return "/in-bai/" + std::to_string(a.id); }
  std::string about() const override { return "/1446/38996/0/gioi-thieu"; }
  std::string bomb() const override { return "/1446/38997/0/so-do"; }
  std::vector<UrlForm> forms() const override {
    return {
        form(HitKind::kHome, "/", Key::kNone, {}, "", 0, true),
        form(HitKind::kListing, "/1446/38995/68251/tin-tuc", Key::kNone, {}, "", 0, true),
        form(HitKind::kListing, "/1446/38995/68251/tin-tuc", Key::kNumber, {{"page", "(\\d+)"}},
             "page", 0, true),
        form(HitKind::kPage, "/1446/38996/0/gioi-thieu", Key::kNone, {}, "", 0, true),
        form(HitKind::kArticle, "/1446/38995/68251/(\\d+)/tin-tuc/[a-z0-9-]+", Key::kArticleId, {},
             "", 0, true),
        form(HitKind::kArticle, "/Default\\.aspx", Key::kArticleId,
             {{"sid", "1446"}, {"id", "(\\d+)"}}, "id", 0, true),
        form(HitKind::kTwin, "/in-bai/(\\d+)", Key::kArticleId, {}, "", 0, true),
    };
  }

 private:
  bool aliases_;
};

// Liferay 7 with display pages (`/web/sotttt/-/<urlTitle>`): the asset publisher's own form of
// the same article with a `_redirect`, p_p_state maximized/exclusive variants, a
// `p_p_mode=print` pop-up twin, the Liferay 7 portlet id in the pager.
class Liferay2 : public Liferay {
 public:
  explicit Liferay2(const TrapSiteSpec& spec)
      : Liferay(spec), per_page_(spec.per_page), aliases_(spec.place_aliases) {}

  std::string home() const override { return "/web/sotttt/trang-chu"; }
  std::string listing(int page) const override {
    if (page <= 1) return "/web/sotttt/tin-tuc";
    return "/web/sotttt/tin-tuc?p_p_id=" + std::string(kPortlet7) +
           "&p_p_lifecycle=0&p_p_state=normal&p_p_mode=view&_" + kPortlet7 +
           "_delta=" + std::to_string(per_page_) + "&_" + kPortlet7 +
           "_cur=" + std::to_string(page);
  }
  std::string article(const Article& a, LinkPlace place) const override {
    std::string display = "/web/sotttt/-/" + a.slug;
    switch (aliases_ ? place : LinkPlace::kListing) {
      case LinkPlace::kListing:
        break;
      case LinkPlace::kFeatured:
        return "/web/sotttt/tin-tuc/-/asset_publisher/hT4kR9wQm2Xz/content/" + a.slug + "?_" +
               kPortlet7 + "_redirect=%2Fweb%2Fsotttt%2Ftrang-chu";
      case LinkPlace::kLatest:
        return display + "?p_p_state=maximized&p_p_mode=view";
      case LinkPlace::kRelated:
        return display + "?p_p_id=" + kPortlet7 + "&p_p_lifecycle=0&p_p_state=exclusive";
    }
    return display;
  }
  std::string print(const Article& a) const override {
    return "/web/sotttt/-/" + a.slug + "?p_p_state=pop_up&p_p_mode=print";
  }
  std::string about() const override { return "/web/sotttt/gioi-thieu"; }
  std::string bomb() const override { return "/web/sotttt/so-do-trang"; }
  std::vector<UrlForm> forms() const override {
    const std::string cur = "_" + std::string(kPortlet7) + "_cur";
    return {
        form(HitKind::kHome, "/web/sotttt/trang-chu"),
        form(HitKind::kListing, "/web/sotttt/tin-tuc"),
        form(HitKind::kListing, "/web/sotttt/tin-tuc", Key::kNumber,
             {{"p_p_id", kPortlet7}, {cur, "(\\d+)"}}, cur),
        form(HitKind::kPage, "/web/sotttt/gioi-thieu"),
        form(HitKind::kArticle, "/web/sotttt/-/([a-z0-9-]+)", Key::kArticleSlug),
        form(HitKind::kArticle,
             "/web/sotttt/tin-tuc/-/asset_publisher/hT4kR9wQm2Xz/content/([a-z0-9-]+)",
             Key::kArticleSlug),
        form(HitKind::kTwin, "/web/sotttt/-/([a-z0-9-]+)", Key::kArticleSlug,
             {{"p_p_mode", "print"}}),
    };
  }

 private:
  static constexpr const char* kPortlet7 =
      "com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_hT4kR9wQm2Xz";
  int per_page_;
  bool aliases_;
};

// The CMS with `/bai-viet/<id>/<slug>` articles, `/chuyen-muc/tin-tuc?trang=N` listings and
// `/in-bai/<id>` print twins.
class NoPreset2 : public NoPreset {
 public:
  explicit NoPreset2(const TrapSiteSpec& spec) : NoPreset(spec) {}

  std::string listing(int page) const override {
    return "/chuyen-muc/tin-tuc" + (page > 1 ? "?trang=" + std::to_string(page) : "");
  }
  std::string article(const Article& a, LinkPlace) const override {
    return "/bai-viet/" + std::to_string(a.id) + "/" + a.slug;
  }
  std::string print(const Article& a) const override { return "/in-bai/" + std::to_string(a.id); }
  std::string about() const override { return "/gioi-thieu"; }
  std::string bomb() const override { return "/so-do-trang"; }
  std::vector<UrlForm> forms() const override {
    return {
        form(HitKind::kHome, "/"),
        form(HitKind::kListing, "/chuyen-muc/tin-tuc"),
        form(HitKind::kListing, "/chuyen-muc/tin-tuc", Key::kNumber, {{"trang", "(\\d+)"}},
             "trang"),
        form(HitKind::kPage, "/gioi-thieu"),
        form(HitKind::kArticle, "/bai-viet/(\\d+)/[a-z0-9-]+", Key::kArticleId),
        form(HitKind::kTwin, "/in-bai/(\\d+)", Key::kArticleId),
    };
  }
};

}  // namespace

std::unique_ptr<Family> make_family(const TrapSiteSpec& spec) {
  const bool second = spec.scheme == 2;
  switch (spec.family) {
    case PortalFamily::kSharePoint:
      if (second) return std::make_unique<SharePoint2>(spec);
      return std::make_unique<SharePoint>(spec);
    case PortalFamily::kWebSphere:
      if (second) return std::make_unique<WebSphere2>(spec);
      return std::make_unique<WebSphere>(spec);
    case PortalFamily::kAspNet:
      if (second) return std::make_unique<AspNet2>(spec);
      return std::make_unique<AspNet>(spec);
    case PortalFamily::kAspNetPath:
      if (second) return std::make_unique<AspNetPath2>(spec);
      return std::make_unique<AspNetPath>(spec);
    case PortalFamily::kLiferay:
      if (second) return std::make_unique<Liferay2>(spec);
      return std::make_unique<Liferay>(spec);
    case PortalFamily::kNoPreset:
      if (second) return std::make_unique<NoPreset2>(spec);
      return std::make_unique<NoPreset>(spec);
  }
  throw std::invalid_argument("unknown portal family");
}

}  // namespace provarc::testing::trapweb
