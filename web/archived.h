// web/archived.h: archived pages made fit to show: their markup re-written from a Gumbo parse
// with nothing that runs or fetches, their links and images pointed at the archive. Pure,
// thread-safe (the lookup is the caller's).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace provarc::web {

// The capture of the archive that serves an absolute URL (the newest with a body), 0 when the
// archive has none. Called once per distinct URL of a page.
using ArchiveLookup = std::function<int64_t(const std::string& absolute_url)>;

// What rewrite_archived_page() did, for the page's header and the tests.
struct RewriteCounts {
  int archived = 0;  // links and resources pointed at a capture of the archive
  int dead = 0;      // links and resources the archive does not hold: removed
  int removed = 0;   // elements removed (scripts, frames, objects, meta, base, ...)
};

// Rewrites the archived HTML page `utf8` (decoded, as html/text.h decode_html gives), fetched
// from `page_url`, into a standalone UTF-8 document that the reader serves in a sandboxed frame:
// - parsed by Gumbo and serialized again element by element (never edited as text), with a
//   <meta charset="utf-8"> first in <head>;
// - removed with their content: script, noscript, template, iframe, frame(set), object, embed,
//   applet, base, meta, link (but stylesheets the archive holds), svg, math, and the obsolete
//   raw-text elements; unknown elements are unwrapped (their content kept); comments dropped;
// - attributes: event handlers (on*), form targets, pings, srcset and every other attribute
//   that makes a browser fetch or navigate are removed; href of a and area becomes
//   "/capture/<id>" with target="_top" when the archive holds the URL (resolved against the
//   page and its <base>), and is removed otherwise (a dead link, titled with the original URL);
//   src, poster and background of images and media become "/raw/<id>" or are removed; style
//   attributes and <style> elements go through rewrite_archived_css();
// - a lazy-loaded image (no src, or a data: placeholder) takes its data-src or data-original.
// Nothing in the result can make a browser request a URL outside the reader.
std::string rewrite_archived_page(std::string_view utf8, std::string_view page_url,
                                  const ArchiveLookup& lookup, RewriteCounts* counts = nullptr);

// Rewrites CSS from `base_url` (a stylesheet's URL, or its page's): every url(...) becomes
// url("/raw/<id>") when the archive holds it, else `none`. nullopt when the CSS cannot be read
// safely without a full CSS parser (backslash escapes, @import, image-set()): the caller drops
// it. `counts`, when given, counts the URLs as rewrite_archived_page does.
std::optional<std::string> rewrite_archived_css(std::string_view css, std::string_view base_url,
                                                const ArchiveLookup& lookup,
                                                RewriteCounts* counts = nullptr);

}  // namespace provarc::web
