// parsers/extract.cc: the order in which an article is read. One parse and one walk of the rules;
// the body decided first (fields.h), then each field from its finder's candidates; the body's
// blocks cleaned by the text rules (lines.h); every decision recorded in article.provenance.
#include "parsers/extract.h"

#include <algorithm>
#include <chrono>
#include <unordered_set>

#include "html/dom.h"
#include "html/text.h"
#include "parsers/blocks.h"
#include "parsers/dates.h"
#include "parsers/fields.h"
#include "parsers/lines.h"
#include "parsers/page.h"

namespace provarc {

namespace {

using namespace internal;

// The extraction's time budget (ExtractRules::time_budget_ms).
struct Deadline {
  std::chrono::steady_clock::time_point at;
  int64_t budget_ms = 0;
};

Deadline deadline_for(size_t page_bytes, const ExtractRules& rules) {
  int64_t ms = rules.time_budget_ms > 0
                   ? rules.time_budget_ms
                   : 10'000 + 1'000 * static_cast<int64_t>(page_bytes / (1024 * 1024));
  return {std::chrono::steady_clock::now() + std::chrono::milliseconds(ms), ms};
}

Status over_budget(const Deadline& deadline, const char* stage) {
  if (std::chrono::steady_clock::now() <= deadline.at) return Status::Ok();
  return fail("extraction took longer than its time budget of " +
              std::to_string(deadline.budget_ms) + " ms (while " + stage + ")");
}

// Keeps the first max_images images and max_attachments attachments of distinct URLs (a hash
// set: a page of 80 000 document links took 15 s with a linear search per link) and says in
// article->truncated what was left out.
void keep_media(BodyContent content, const ExtractRules& rules, Article* article) {
  std::string truncated;
  const size_t images = content.images.size();
  if (images > rules.max_images) {
    content.images.resize(rules.max_images);
    truncated = "kept " + std::to_string(rules.max_images) + " of " + std::to_string(images) +
                " images";
  }
  article->images = std::move(content.images);
  std::unordered_set<std::string_view> seen;  // views of content.attachments, left unchanged
  size_t distinct = 0;
  for (const Attachment& a : content.attachments) {
    if (!seen.insert(a.url).second) continue;
    ++distinct;
    if (article->attachments.size() < rules.max_attachments) article->attachments.push_back(a);
  }
  if (distinct > rules.max_attachments) {
    truncated += (truncated.empty() ? "kept " : "; kept ") +
                 std::to_string(rules.max_attachments) + " of " + std::to_string(distinct) +
                 " attachments";
  }
  if (!truncated.empty()) article->truncated = truncated + " (the extraction's caps)";
}


// The fields decided before the body is read (their elements are then kept out of it), and the
// candidates the body's own lines add to.
struct Fields {
  std::vector<Candidate> titles, published, bylines;
  Choice title, date, author;
  std::optional<Candidate> updated, lead;
  bool lead_rule_rejected = false;
};

// Finds every element candidate and decides what can be decided before the body is read.
Fields find_fields(const PageContext& page) {
  Fields f;
  f.titles = find_titles(page);
  f.title = decide_title(f.titles, page.rules);
  f.published = find_published(page, f.title.chosen);
  f.date = decide_first(f.published);
  f.updated = find_updated(page, f.date.chosen);
  f.bylines = find_bylines(page);
  f.author = decide_author(f.bylines, page.rules);
  f.lead = find_lead(page, &f.lead_rule_rejected);
  return f;
}

// The elements the fields were read from stay out of the body text, unless one holds the body.
void exclude_field_elements(const Fields& f, const GumboNode* body, NodeSet* excluded) {
  auto exclude = [&](const Candidate* c) {
    if (c != nullptr && c->node != nullptr && !contains(c->node, body)) excluded->insert(c->node);
  };
  for (const Candidate& c : f.titles) {
    if (c.rule && &c == f.title.chosen) exclude(&c);
  }
  if (f.date.chosen != nullptr && f.date.chosen->rule) exclude(f.date.chosen);
  if (f.updated) exclude(&*f.updated);
  if (f.author.chosen != nullptr) exclude(f.author.chosen);
  if (f.lead) exclude(&*f.lead);
}

// Bytes of `text` that are neither white space nor a separator a tool row puts between its links.
size_t bytes_besides_separators(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return c != ' ' && c != '|' && c != '-' && c != '/' && c != '.' && c != ',';
  }));
}

// A block that is nothing but links to page tools and separators ("<a href=javascript:
// window.print()>In tin</a> | <a href=javascript:history.back()>Quay lại</a>"): a tool row by its
// markup, whatever its words (is_tools_row judges the words).
bool is_tool_link_row(const RawBlock& block) {
  return block.tool_link_bytes > 0 && bytes_besides_separators(block.text) <= block.tool_link_bytes;
}

// A block that is mostly a link to an attachment ("Tài liệu đính kèm: <a href=….xlsx>…</a>").
bool is_attachment_line(const RawBlock& block) {
  return block.file_link_bytes > 0 && 2 * block.file_link_bytes >= bytes_besides_separators(block.text);
}

// The text rules that need no field: the body ends at a related-articles heading; link lists,
// chrome lines, tool rows and (before the first real block) breadcrumbs go.
std::vector<RawBlock> clean_blocks(std::vector<RawBlock> raw, const ExtractRules& rules) {
  cut_related_boxes(&raw, rules);
  drop_link_lists(&raw);
  std::vector<RawBlock> kept;
  for (RawBlock& block : raw) {
    if (!block.image_only) {
      strip_glued_chrome(&block.text, rules);
      if (block.text.empty() || is_chrome_line(block.text, rules) ||
          is_tools_row(block.text, rules) || is_tool_link_row(block)) {
        continue;
      }
      if (kept.size() < 3 && is_breadcrumb(block.text, block.link_bytes)) continue;
    }
    kept.push_back(std::move(block));
  }
  return kept;
}

// The body's first line as a title candidate, when it reads as a headline: a heading or bold, or
// followed by a date line or by itself with its date (templates that print the headline, then
// the date, as the first lines of the content: Liferay, SharePoint and WCM web parts).
std::optional<Candidate> body_first_line(const std::vector<RawBlock>& kept,
                                         const ExtractRules& rules) {
  std::vector<const RawBlock*> lines;
  for (const RawBlock& block : kept) {
    if (!block.image_only) lines.push_back(&block);
    if (lines.size() == 3) break;
  }
  if (lines.empty()) return std::nullopt;
  std::string iso;
  // A date line before the headline (WCM templates print "Thứ hai, 05/11/2018 09:20 AM" first).
  bool dated = lines.size() > 1 && is_date_line(lines[0]->text, rules, &iso);
  if (dated) lines.erase(lines.begin());
  const RawBlock& first = *lines[0];
  std::string title = strip_title(first.text, rules);
  size_t words = count_words(title);
  if (words < 3 || words > 40 || ends_sentence(title)) return std::nullopt;
  bool styled = first.kind == "heading" || first.strong;
  for (size_t i = 1; i < lines.size() && !styled && !dated; ++i) {
    // strip_title only removes words: a line of fewer words than the title is no copy of it.
    dated = is_date_line(lines[i]->text, rules, &iso) ||
            (count_words(lines[i]->text) >= words && strip_title(lines[i]->text, rules) == title);
  }
  if (!styled && !dated) return std::nullopt;
  return Candidate{title, first.text, nullptr, "body-first-line", false};
}

// Drops the headline repeated at the top of the body and the date lines there; returns the first
// such date line as a candidate ("body-date-line").
std::optional<Candidate> drop_field_lines(std::vector<RawBlock>* blocks, const std::string& title,
                                          const ExtractRules& rules) {
  std::optional<Candidate> date;
  std::vector<RawBlock> kept;
  for (RawBlock& block : *blocks) {
    if (!block.image_only) {
      // The headline repeated inside the body (Liferay templates, WCM title elements).
      if (kept.size() < 3 && !title.empty() &&
          (block.text == title ||
           (block.text.rfind(title, 0) == 0 && strip_title(block.text, rules) == title))) {
        // The repeat may carry the date: "headline (03/09/2018 08:15 AM)".
        auto found = find_labelled_date(block.text, rules.date_order);
        if (found && !date) date = Candidate{found->iso, block.text, nullptr, "in-title", false};
        continue;
      }
      std::string iso;
      if (kept.size() < 4 && is_date_line(block.text, rules, &iso)) {
        if (!date) date = Candidate{iso, block.text, nullptr, "body-date-line", false};
        continue;
      }
    }
    kept.push_back(std::move(block));
  }
  *blocks = std::move(kept);
  return date;
}

// Captions: the text right after an image, when it reads as one.
void mark_captions(std::vector<RawBlock>* kept, std::vector<Image>* images) {
  for (size_t i = 1; i < kept->size(); ++i) {
    RawBlock& block = (*kept)[i];
    const RawBlock& previous = (*kept)[i - 1];
    if (block.image_only || !previous.image_only || previous.images.empty()) continue;
    bool looks_like_caption = block.kind == "caption" || block.emphasised || block.centered ||
                              block.caption_hint;
    if (!looks_like_caption || count_words(block.text) > 60) continue;
    block.kind = "caption";
    Image& image = (*images)[previous.images.back()];
    if (image.caption.empty()) image.caption = block.text;
  }
}

// The body's closing line as a byline: short, styled or very short, no final period (portals.md
// §2 "Author": a right-aligned or bold closing paragraph). Its index in *index.
std::optional<Candidate> closing_line(const std::vector<RawBlock>& kept, const ExtractRules& rules,
                                      size_t* index) {
  if (!rules.author_from_last_block) return std::nullopt;
  for (size_t i = kept.size(); i-- > 0;) {
    if (kept[i].image_only) continue;
    // A photo credit or an attachment's line after the byline stays in the text, and the line
    // before it is read.
    if (is_photo_credit(kept[i].text) || is_attachment_line(kept[i])) continue;
    const RawBlock& last = kept[i];
    size_t words = count_words(last.text);
    bool short_line = words <= static_cast<size_t>(rules.author_max_words) &&
                      last.text.size() <= 120;
    bool styled = last.right_aligned || last.strong || last.emphasised || words <= 4;
    if (i == 0 || last.kind != "paragraph" || !short_line || !styled ||
        ends_sentence(last.text) || !has_letter(last.text)) {
      return std::nullopt;
    }
    *index = i;
    return Candidate{strip_byline_label(last.text), last.text, nullptr, "closing-line", false};
  }
  return std::nullopt;
}

// A labelled byline at the top of the body ("Bài, ảnh: Ngọc Trinh" printed between the date line
// and the text inside the body element): among the first three lines, short, no final period, and
// opening with a byline label — the label and the place are two signals, and a line of the text
// is neither short nor labelled. "Nguồn:" there names a source, not the author (as beside the
// body). Its index in *index.
std::optional<Candidate> top_byline(const std::vector<RawBlock>& kept, size_t* index) {
  size_t lines = 0;
  for (size_t i = 0; i < kept.size() && lines < 3; ++i) {
    if (kept[i].image_only) continue;
    ++lines;
    const std::string& text = kept[i].text;
    if (kept[i].kind == "paragraph" && has_byline_label(text) && !text.starts_with("Nguồn") &&
        text.size() <= 120 && count_words(text) <= 12 && !ends_sentence(text)) {
      *index = i;
      return Candidate{strip_byline_label(text), text, nullptr, "labelled", false};
    }
  }
  return std::nullopt;
}

// Puts every text field of `article` in NFC, as article.h promises. Text read from the DOM is not
// NFC by construction even though decode_html() normalised the page: Gumbo decodes character
// references ("&#835;") afterwards, and text joined across nodes can put a combining mark right
// after its base ("e</b>&#769;").
void normalize_text_to_nfc(Article& article) {
  normalize_nfc(&article.title);
  if (article.author) normalize_nfc(&*article.author);
  for (Block& block : article.blocks) normalize_nfc(&block.text);
  for (Image& image : article.images) normalize_nfc(&image.caption);
  for (Attachment& attachment : article.attachments) normalize_nfc(&attachment.text);
}

std::string no_body_message(const ExtractRules& rules) {
  if (rules.body.empty()) return "no article body: the generic fallback found no paragraph";
  return "no article body: no body rule of platform \"" + rules.platform + "\" matched" +
         (rules.generic_fallback ? " and the generic fallback found no paragraph" : "");
}

// Reads the body's blocks, decides the fields that need them (title from the first line, date
// from the top lines, byline from the closing line) and fills `article`.
void read_article(const PageContext& page, Fields& f, const std::string& base, Article& article) {
  const ExtractRules& rules = page.rules;
  BodyContent content = read_body(page.body, page.excluded, base, rules);
  if (f.lead) {
    RawBlock lead;
    lead.kind = "paragraph";
    lead.text = f.lead->value;
    content.blocks.insert(content.blocks.begin(), std::move(lead));
  }
  std::vector<RawBlock> kept = clean_blocks(std::move(content.blocks), rules);
  bool weak_title = f.title.chosen == nullptr || f.title.chosen->finder == "head-title" ||
                    f.title.chosen->finder == "anchor";
  // Read only when it can matter: the first line is often a long paragraph, and the title
  // patterns over it cost 9 M instructions of the 156-page profile (bench/README.md).
  if (auto first = weak_title ? body_first_line(kept, rules) : std::nullopt) {
    f.titles.push_back(std::move(*first));
    f.title = decide_title(f.titles, rules);
  }
  if (f.title.chosen != nullptr) article.title = f.title.chosen->value;
  std::optional<Candidate> top_date = drop_field_lines(&kept, article.title, rules);
  if (top_date) f.published.push_back(std::move(*top_date));
  if (auto meta = meta_published(page)) f.published.push_back(std::move(*meta));
  f.date = decide_first(f.published);
  if (f.date.chosen != nullptr) article.published = f.date.chosen->value;
  if (!f.updated) f.updated = find_updated(page, f.date.chosen);
  if (f.updated) article.updated = f.updated->value;

  mark_captions(&kept, &content.images);
  size_t closing = 0;
  if (f.author.chosen == nullptr) {
    if (auto line = top_byline(kept, &closing)) {
      f.bylines.push_back(std::move(*line));
      f.author = decide_author(f.bylines, rules);
      if (f.author.chosen == &f.bylines.back()) kept.erase(kept.begin() + static_cast<long>(closing));
    }
  }
  if (f.author.chosen == nullptr) {
    if (auto line = closing_line(kept, rules, &closing)) {
      f.bylines.push_back(std::move(*line));
      f.author = decide_author(f.bylines, rules);
      if (f.author.chosen == &f.bylines.back()) kept.erase(kept.begin() + static_cast<long>(closing));
    }
  }
  if (f.author.chosen != nullptr) article.author = f.author.chosen->value;

  for (RawBlock& block : kept) {
    if (!block.image_only) article.blocks.push_back(Block{block.kind, std::move(block.text)});
  }
  keep_media(std::move(content), rules, &article);
}

// True when the chosen date's own text printed a weekday that overruled the site's date order
// (dates.h FoundDate::weekday_decided): its provenance says so ("generic:beside-title+weekday").
bool weekday_decided(const Candidate* date, const ExtractRules& rules) {
  if (date == nullptr || date->raw.empty()) return false;
  std::optional<FoundDate> found = find_labelled_date(date->raw, rules.date_order);
  if (!found) found = find_date(date->raw, rules.date_order);
  return found && found->weekday_decided && date->value.starts_with(found->iso.substr(0, 10));
}

// What decided each field (article.h Provenance). A field the rules cover that a generic finder
// had to decide is a "fallback:" — for body, title and published whenever their rules did not
// answer; for the others only when their rule answered something implausible (most pages have no
// byline element and no lead outside the body: that is no sign of a changed template).
Provenance provenance_of_fields(const Fields& f, const ExtractRules& rules,
                                const std::string& body) {
  Provenance p;
  p.body = body;
  p.title = provenance_of(f.title.chosen, !rules.title.empty() || f.title.rule_rejected);
  p.published = provenance_of(f.date.chosen, !rules.date.empty() || f.date.rule_rejected);
  if (weekday_decided(f.date.chosen, rules)) p.published += "+weekday";
  p.updated = provenance_of(f.updated ? &*f.updated : nullptr, false);
  p.author = provenance_of(f.author.chosen, f.author.rule_rejected);
  p.lead = provenance_of(f.lead ? &*f.lead : nullptr, f.lead_rule_rejected);
  return p;
}

}  // namespace

std::string parser_program_version() { return PROVARC_VERSION; }

std::string parser_version(const ExtractRules& rules) {
  std::string version = parser_program_version();
  if (!rules.digest.empty()) version += "+" + rules.digest.substr(0, 12);
  return version;
}

Result<Article> extract_article(std::string_view bytes, std::string_view content_type,
                                std::string_view url, const ExtractRules& rules,
                                const ExtractHints& hints) {
  const Deadline deadline = deadline_for(bytes.size(), rules);
  DecodedText decoded = decode_html(bytes, content_type);
  std::unique_ptr<Document> doc = Document::parse(decoded.utf8);
  if (doc->exceeded_budget()) {
    return fail("page too complex to parse: Gumbo exceeded its memory or time budget on " +
                std::to_string(bytes.size()) + " bytes");
  }
  if (Status late = over_budget(deadline, "parsing"); !late.ok()) return late.failure();
  GumboNode* root = doc->root();
  Article article;
  article.url = std::string(url);
  article.parser_version = parser_version(rules);

  NodeSet excluded;
  const RuleMatches matches = find_rule_matches(root, rules);
  const BodyChoice body = choose_body(root, rules, matches, &excluded);
  if (body.node == nullptr) return fail(no_body_message(rules));
  if (Status late = over_budget(deadline, "finding the body"); !late.ok()) return late.failure();

  NearTexts near_texts;
  PageContext page{*doc, rules, matches, excluded, body.node, hints, &near_texts};
  Fields fields = find_fields(page);
  exclude_field_elements(fields, body.node, &excluded);
  page.near_texts = nullptr;  // the excluded set changed: texts read before may hold its elements
  read_article(page, fields, document_base_url(*doc, url), article);
  if (article.blocks.empty()) {
    return fail("no article body: the body element (" + body.provenance + ") holds no text");
  }
  if (Status late = over_budget(deadline, "reading the body"); !late.ok()) return late.failure();
  article.provenance = provenance_of_fields(fields, rules, body.provenance);
  normalize_text_to_nfc(article);
  return article;
}

Result<Article> extract_article(std::string_view bytes, std::string_view content_type,
                                std::string_view url, const ExtractRules& rules) {
  return extract_article(bytes, content_type, url, rules, ExtractHints{});
}

}  // namespace provarc
