// html/dom.cc: the Gumbo document (RAII) and the tree helpers its readers share.
//
// Three facts about Debian's Gumbo 0.10.1, measured, shape this file:
// 1. gumbo_destroy_output() recurses once per tree level: 100 000 nested elements need ~3 MB of
//    stack and crash a thread with a 2 MB stack. We never call it. Gumbo allocates everything
//    through the allocator in its options, so every Document gets a ParseArena that lists each
//    block, and the destructor frees the list: no walk, no recursion, and nodes detached by
//    remove_node() are freed with the rest.
// 2. Gumbo's parse time grows with the square of the nesting depth (each block start tag looks
//    for an open <p> down the whole stack of open elements): 100 000 nested <div>s take 10 s.
//    Browsers cap the parser's tree depth at 512: Blink and WebKit insert deeper elements as
//    siblings of the innermost one. We do the same in the text before parsing: before a start
//    tag 512 levels deep we insert the end tag of the innermost open element, and drop that
//    element's own end tag when it comes (flatten_deep_nesting, a conservative model of the
//    tree builder). Every element and attribute is kept; only the shape changes. A page can
//    still cost ~6 us per start tag at depth 512 (25 s for 20 MB of hostile markup), and the
//    model can be fooled by exotic markup: the time budget of (3) is the backstop.
// 3. Gumbo re-creates unclosed formatting elements (<b>, <font>, ...) in every new block: a
//    165 kB page with 500 of them becomes 10 million nodes and 3.6 GB. No cheap pre-scan can
//    predict this, so the arena has a budget (memory and time); a parse that exceeds it is
//    abandoned by longjmp out of the allocator, its blocks are freed, and an empty page stands
//    in (Document::exceeded_budget()).
// Measured on a 50 MB page of ordinary markup: 3.2 s to parse, 640 MB resident at peak.

#include "html/dom.h"

#include <array>
#include <chrono>
#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "common/ascii.h"
#include "common/url.h"

namespace provarc {

// ---------------------------------------------------------------------------------------------
// ParseArena: every block Gumbo allocates for one Document. Small blocks (nodes, vectors, short
// strings: nearly all of Gumbo's) are carved from 64 KiB slabs and recycled through free lists
// per size class, since a malloc and free per block cost as much as the tokenizer's own work;
// large blocks are malloc'ed on an intrusive list. The destructor gives the slabs back to its
// thread's SlabPool and frees the list.

namespace {

constexpr size_t kSlabBytes = 64 * 1024;

// Slabs that the Documents of one thread gave back, kept for the next ones (at most
// kPooledSlabs). Freeing each page's slabs let glibc return the top of its heap to the kernel,
// and the next page fault it in again: eight page faults a page, 3% of the extraction's time.
class SlabPool {
 public:
  static constexpr size_t kPooledSlabs = 32;  // 2 MiB a thread

  // A slab of kSlabBytes from the pool, or from malloc; nullptr when out of memory.
  static void* take() {
    if (state_ == State::kAlive && !instance().slabs_.empty()) {
      void* slab = instance().slabs_.back();
      instance().slabs_.pop_back();
      return slab;
    }
    return std::malloc(kSlabBytes);
  }

  // Keeps `slab` for the next take(), or frees it when the pool is full or already destroyed.
  static void give_back(void* slab) {
    if (state_ == State::kUnborn) instance();  // made once there is something to keep
    if (state_ == State::kAlive && instance().slabs_.size() < kPooledSlabs) {
      instance().slabs_.push_back(slab);
      return;
    }
    std::free(slab);
  }

 private:
  // Whether this thread's pool exists yet, or was destroyed already at thread exit (a Document
  // destroyed then frees its slabs directly). Trivially destructible, so always readable.
  enum class State : unsigned char { kUnborn, kAlive, kDead };

  SlabPool() {
    slabs_.reserve(kPooledSlabs);
    state_ = State::kAlive;
  }
  ~SlabPool() {
    state_ = State::kDead;
    for (void* slab : slabs_) std::free(slab);
  }
  static SlabPool& instance() {
    thread_local SlabPool pool;
    return pool;
  }

  static thread_local State state_;
  std::vector<void*> slabs_;
};

thread_local SlabPool::State SlabPool::state_ = SlabPool::State::kUnborn;

}  // namespace

class ParseArena {
 public:
  // A parse may use `byte_budget` bytes of live allocations and run until `deadline`.
  ParseArena(size_t byte_budget, std::chrono::steady_clock::time_point deadline)
      : byte_budget_(byte_budget), deadline_(deadline) {}
  ~ParseArena() { release_all(); }
  ParseArena(const ParseArena&) = delete;
  ParseArena& operator=(const ParseArena&) = delete;

  // Gumbo options that allocate from this arena and record no parse errors (we never read them,
  // and recording them costs time).
  GumboOptions gumbo_options() {
    GumboOptions options = kGumboDefaultOptions;
    options.allocator = &ParseArena::allocate;
    options.deallocator = &ParseArena::deallocate;
    options.userdata = this;
    options.max_errors = 0;
    options.stop_on_first_error = false;
    return options;
  }

  // Runs Gumbo over `text`. Returns nullptr when the budget ran out mid-parse; the arena then
  // still holds the abandoned parse's blocks (release_all() frees them). This function must not
  // own objects with destructors: allocate() leaves it by longjmp.
  GumboOutput* parse_within_budget(const GumboOptions* options, const char* text, size_t size) {
    if (setjmp(escape_) != 0) {
      escape_armed_ = false;
      return nullptr;
    }
    escape_armed_ = true;
    GumboOutput* output = gumbo_parse_with_options(options, text, size);
    escape_armed_ = false;
    return output;
  }

  // Frees every block still allocated.
  void release_all() {
    while (head_.next != &head_) {
      Large* block = head_.next;
      unlink(block);
      std::free(block);
    }
    for (void* slab : slabs_) SlabPool::give_back(slab);
    slabs_.clear();
    slab_next_ = slab_end_ = nullptr;
    free_lists_.fill(nullptr);
    live_bytes_ = 0;
  }

  // Lifts the budget (for the empty page that replaces an abandoned parse).
  void remove_budget() {
    byte_budget_ = SIZE_MAX;
    deadline_ = std::chrono::steady_clock::time_point::max();
  }

 private:
  // In front of every payload: its size class (kLarge for malloc'ed blocks) and byte size.
  // 16 bytes, so payloads stay aligned like malloc's.
  struct alignas(16) Tag {
    uint64_t size_class;
    uint64_t size;
  };
  // In front of a large block's Tag: its links on the list of large blocks.
  struct alignas(16) Large {
    Large* prev;
    Large* next;
  };
  static constexpr uint64_t kLarge = ~uint64_t{0};
  static constexpr size_t kGranule = 16;
  static constexpr size_t kSmallClasses = 32;  // payloads up to 512 bytes

  // How often allocate() reads the clock: reading it costs about as much as a small malloc.
  static constexpr uint64_t kClockEvery = 4096;

  static void* allocate(void* userdata, size_t size) {
    auto* arena = static_cast<ParseArena*>(userdata);
    if (arena->escape_armed_ && arena->over_budget(size)) std::longjmp(arena->escape_, 1);
    void* payload = size <= kSmallClasses * kGranule ? arena->allocate_small(size)
                                                     : arena->allocate_large(size);
    if (payload == nullptr) {
      // Gumbo does not check for NULL: abandon the parse, or stop before a wild write.
      if (arena->escape_armed_) std::longjmp(arena->escape_, 1);
      std::abort();
    }
    return payload;
  }

  static void deallocate(void* userdata, void* payload) {
    if (payload == nullptr) return;
    auto* arena = static_cast<ParseArena*>(userdata);
    Tag* tag = static_cast<Tag*>(payload) - 1;
    arena->live_bytes_ -= tag->size;
    if (tag->size_class == kLarge) {
      Large* block = reinterpret_cast<Large*>(tag) - 1;
      arena->unlink(block);
      std::free(block);
      return;
    }
    // The payload holds the free list's link until the block is handed out again.
    *static_cast<void**>(payload) = arena->free_lists_[tag->size_class];
    arena->free_lists_[tag->size_class] = payload;
  }

  void* allocate_small(size_t size) {
    size_t size_class = size == 0 ? 0 : (size - 1) / kGranule;
    size_t bytes = (size_class + 1) * kGranule;
    live_bytes_ += bytes;
    if (void* payload = free_lists_[size_class]) {
      free_lists_[size_class] = *static_cast<void**>(payload);
      return payload;
    }
    if (slab_end_ - slab_next_ < static_cast<ptrdiff_t>(sizeof(Tag) + bytes)) {
      auto* slab = static_cast<char*>(SlabPool::take());
      if (slab == nullptr) return nullptr;
      slabs_.push_back(slab);
      slab_next_ = slab;
      slab_end_ = slab + kSlabBytes;
    }
    Tag* tag = reinterpret_cast<Tag*>(slab_next_);
    tag->size_class = size_class;
    tag->size = bytes;
    slab_next_ += sizeof(Tag) + bytes;
    return tag + 1;
  }

  void* allocate_large(size_t size) {
    auto* block = static_cast<Large*>(std::malloc(sizeof(Large) + sizeof(Tag) + size));
    if (block == nullptr) return nullptr;
    block->prev = &head_;
    block->next = head_.next;
    head_.next->prev = block;
    head_.next = block;
    Tag* tag = reinterpret_cast<Tag*>(block + 1);
    tag->size_class = kLarge;
    tag->size = size;
    live_bytes_ += size;
    return tag + 1;
  }

  bool over_budget(size_t size) {
    if (size > byte_budget_ || live_bytes_ > byte_budget_ - size) return true;
    if (++allocations_ % kClockEvery != 0) return false;
    return std::chrono::steady_clock::now() > deadline_;
  }

  void unlink(Large* block) {
    block->prev->next = block->next;
    block->next->prev = block->prev;
  }

  Large head_{&head_, &head_};  // sentinel of the circular list; the arena never moves
  std::vector<void*> slabs_;
  char* slab_next_ = nullptr;
  char* slab_end_ = nullptr;
  std::array<void*, kSmallClasses> free_lists_{};
  size_t live_bytes_ = 0;
  size_t byte_budget_;
  std::chrono::steady_clock::time_point deadline_;
  uint64_t allocations_ = 0;
  std::jmp_buf escape_;
  bool escape_armed_ = false;
};

namespace {

// The budget of one parse. Ordinary markup needs about 13 bytes of Gumbo memory per byte of
// text and parses at 15 MB/s; these bounds leave room for slow machines and sanitizers.
size_t byte_budget_for(size_t text_size) { return 64 * 1024 * 1024 + 32 * text_size; }
std::chrono::steady_clock::duration time_budget_for(size_t text_size) {
  return std::chrono::seconds(10) + std::chrono::seconds(text_size / (1024 * 1024));
}

// ---------------------------------------------------------------------------------------------
// flatten_deep_nesting: a tag scanner that models the stack of open elements well enough to
// find start tags nested absurdly deep. Over-estimating depth only flattens a little more than
// needed; the rules below (void elements, implied end tags, end tags closing the nearest match)
// keep real pages, including ones with unclosed <p>, <li>, <td> and <font>, far below the cap.

// Searches of the model's stack go at most this deep too; Gumbo's own searches of its stack of
// open elements for the same tags cost as much, so the scan never dominates the parse.
constexpr size_t kMaxNesting = 512;

// Elements that never have content or end tags.
bool is_void(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_AREA: case GUMBO_TAG_BASE: case GUMBO_TAG_BASEFONT: case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_BR: case GUMBO_TAG_COL: case GUMBO_TAG_EMBED: case GUMBO_TAG_FRAME:
    case GUMBO_TAG_HR: case GUMBO_TAG_IMAGE: case GUMBO_TAG_IMG: case GUMBO_TAG_INPUT:
    case GUMBO_TAG_KEYGEN: case GUMBO_TAG_LINK: case GUMBO_TAG_META: case GUMBO_TAG_PARAM:
    case GUMBO_TAG_SOURCE: case GUMBO_TAG_TRACK: case GUMBO_TAG_WBR:
    // The parser merges repeated <html>, <head>, <body> and <frameset>; they never nest.
    case GUMBO_TAG_HTML: case GUMBO_TAG_HEAD: case GUMBO_TAG_BODY: case GUMBO_TAG_FRAMESET:
      return true;
    default:
      return false;
  }
}

// Elements whose content is text up to their end tag (script data, RAWTEXT, RCDATA).
bool is_raw_text(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_TITLE:
    case GUMBO_TAG_XMP: case GUMBO_TAG_IFRAME: case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES:
      return true;
    default:
      return false;
  }
}

// Elements at which the search for an element "in scope" stops.
bool is_scope_boundary(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_APPLET: case GUMBO_TAG_CAPTION: case GUMBO_TAG_HTML: case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_MARQUEE: case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_BUTTON:
      return true;
    default:
      return false;
  }
}

// The HTML5 "special" category, minus the scope boundaries: an end tag of an ordinary element
// (<span>, <em>, unknown tags) does not close anything past one of these.
bool is_special(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_CENTER: case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR: case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
    case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_LI: case GUMBO_TAG_LISTING:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV: case GUMBO_TAG_OL:
    case GUMBO_TAG_P: case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_SELECT:
    case GUMBO_TAG_SUMMARY: case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT: case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TR: case GUMBO_TAG_UL:
      return true;
    default:
      return is_scope_boundary(tag);
  }
}

// Formatting elements end through the adoption agency, which reaches past special elements.
bool is_formatting(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_A: case GUMBO_TAG_B: case GUMBO_TAG_BIG: case GUMBO_TAG_CODE:
    case GUMBO_TAG_EM: case GUMBO_TAG_FONT: case GUMBO_TAG_I: case GUMBO_TAG_NOBR:
    case GUMBO_TAG_S: case GUMBO_TAG_SMALL: case GUMBO_TAG_STRIKE: case GUMBO_TAG_STRONG:
    case GUMBO_TAG_TT: case GUMBO_TAG_U:
      return true;
    default:
      return false;
  }
}

// For a start tag that implicitly ends open elements (<p>, <li>, <td>, ...): whether `open`,
// an element on the stack, is one it ends, and where the search for one stops.
bool implicitly_ends(GumboTag start, GumboTag open) {
  switch (start) {
    case GUMBO_TAG_P: return open == GUMBO_TAG_P;
    case GUMBO_TAG_LI: return open == GUMBO_TAG_LI;
    case GUMBO_TAG_DT: case GUMBO_TAG_DD: return open == GUMBO_TAG_DT || open == GUMBO_TAG_DD;
    case GUMBO_TAG_OPTION: return open == GUMBO_TAG_OPTION;
    case GUMBO_TAG_OPTGROUP: return open == GUMBO_TAG_OPTGROUP || open == GUMBO_TAG_OPTION;
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: return open == GUMBO_TAG_TD || open == GUMBO_TAG_TH;
    case GUMBO_TAG_TR:
      return open == GUMBO_TAG_TR || open == GUMBO_TAG_TD || open == GUMBO_TAG_TH;
    case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT:
      return open == GUMBO_TAG_THEAD || open == GUMBO_TAG_TBODY || open == GUMBO_TAG_TFOOT ||
             open == GUMBO_TAG_TR || open == GUMBO_TAG_TD || open == GUMBO_TAG_TH;
    case GUMBO_TAG_RB: case GUMBO_TAG_RT: case GUMBO_TAG_RTC: case GUMBO_TAG_RP:
      return open == GUMBO_TAG_RB || open == GUMBO_TAG_RT || open == GUMBO_TAG_RTC ||
             open == GUMBO_TAG_RP;
    default: return false;
  }
}
// Whether end tag `end` reaches past `open` to its element, as </table> closes an open cell.
bool end_tag_passes(GumboTag end, GumboTag open) {
  switch (end) {
    case GUMBO_TAG_TABLE:
      return open == GUMBO_TAG_CAPTION || open == GUMBO_TAG_COLGROUP ||
             open == GUMBO_TAG_THEAD || open == GUMBO_TAG_TBODY || open == GUMBO_TAG_TFOOT ||
             open == GUMBO_TAG_TR || open == GUMBO_TAG_TD || open == GUMBO_TAG_TH;
    case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT:
      return open == GUMBO_TAG_TR || open == GUMBO_TAG_TD || open == GUMBO_TAG_TH;
    case GUMBO_TAG_TR: return open == GUMBO_TAG_TD || open == GUMBO_TAG_TH;
    default: return false;
  }
}
bool stops_implied_end(GumboTag start, GumboTag open) {
  switch (start) {
    case GUMBO_TAG_LI: return open == GUMBO_TAG_UL || open == GUMBO_TAG_OL;
    case GUMBO_TAG_DT: case GUMBO_TAG_DD: return open == GUMBO_TAG_DL;
    case GUMBO_TAG_OPTION: case GUMBO_TAG_OPTGROUP: return open == GUMBO_TAG_SELECT;
    case GUMBO_TAG_RB: case GUMBO_TAG_RT: case GUMBO_TAG_RTC: case GUMBO_TAG_RP:
      return open == GUMBO_TAG_RUBY;
    default: return is_scope_boundary(open);
  }
}

// A tag as the scanner sees it.
struct ScannedTag {
  GumboTag tag = GUMBO_TAG_UNKNOWN;
  std::string_view name;   // as written
  size_t end = 0;          // index just past the closing '>'
  bool self_closing = false;
};

GumboTag tag_from_name(std::string_view name) {
  std::array<char, 16> lower;  // no known tag name is longer
  if (name.size() > lower.size()) return GUMBO_TAG_UNKNOWN;
  for (size_t i = 0; i < name.size(); ++i) lower[i] = ascii::to_lower(name[i]);
  return gumbo_tagn_enum(lower.data(), static_cast<unsigned>(name.size()));
}

// Reads the tag whose name starts at `name_start` (just past "<" or "</"). Returns false when the
// tag never closes (the rest of the text is then inside it).
bool scan_tag(std::string_view html, size_t name_start, ScannedTag* out) {
  size_t i = name_start;
  while (i < html.size() && !ascii::is_html_space(html[i]) && html[i] != '/' && html[i] != '>') ++i;
  out->name = html.substr(name_start, i - name_start);
  out->tag = tag_from_name(out->name);
  // Attributes: only a quote right after '=' (and optional spaces) starts a quoted value that
  // may contain '>', as in the HTML tokenizer.
  bool after_equals = false;
  for (; i < html.size(); ++i) {
    char c = html[i];
    if (c == '>') {
      out->self_closing = i > name_start && html[i - 1] == '/';
      out->end = i + 1;
      return true;
    }
    if (after_equals && (c == '"' || c == '\'')) {
      size_t close = html.find(c, i + 1);
      if (close == std::string_view::npos) return false;
      i = close;
      after_equals = false;
    } else if (c == '=') {
      after_equals = true;
    } else if (!ascii::is_html_space(c)) {
      after_equals = false;
    }
  }
  return false;
}

// Index of the "</name" that ends a raw-text element whose content starts at `from`, or
// html.size() when it never ends.
size_t find_raw_text_end(std::string_view html, size_t from, std::string_view name) {
  for (size_t at = html.find("</", from); at != std::string_view::npos;
       at = html.find("</", at + 2)) {
    size_t after = at + 2 + name.size();
    if (after > html.size()) break;
    if (!ascii::iequals(html.substr(at + 2, name.size()), name)) continue;
    if (after == html.size() || ascii::is_html_space(html[after]) || html[after] == '/' ||
        html[after] == '>') {
      return at;
    }
  }
  return html.size();
}

// The scanner's model of the stack of open elements.
class NestingModel {
 public:
  // Records a start tag. Returns the name of the element to close before it (the innermost one,
  // when the stack is full, so that the new element becomes its sibling), or "" for none.
  std::string_view start(const ScannedTag& t) {
    if (t.tag == GUMBO_TAG_SVG || t.tag == GUMBO_TAG_MATH) {
      if (t.self_closing) return {};
      ++foreign_depth_;
    }
    if (is_void(t.tag) || (t.self_closing && foreign_depth_ > 0)) return {};
    end_implied_by(t.tag);
    std::string_view closed;
    if (open_.size() >= kMaxNesting) {
      closed = open_.back().name;
      ++closed_early_[open_.back().tag];
      open_.pop_back();
    }
    open_.push_back({t.tag, t.name});
    return closed;
  }

  // Records an end tag. Returns false when it belongs to an element closed early by start(),
  // whose end tag is already in the text: this one must then be dropped.
  bool end(const ScannedTag& t) {
    if ((t.tag == GUMBO_TAG_SVG || t.tag == GUMBO_TAG_MATH) && foreign_depth_ > 0) {
      --foreign_depth_;
    }
    if (closed_early_[t.tag] > 0) {
      --closed_early_[t.tag];
      return false;
    }
    close_nearest(t.tag);
    return true;
  }

 private:
  struct OpenElement {
    GumboTag tag;
    std::string_view name;  // as written, for the end tag start() may insert
  };

  // Pops the elements `start` implicitly ends, as <p> ends an open <p> and <tr> ends the open
  // cell and row: up to and including the lowest one before a boundary.
  void end_implied_by(GumboTag start) {
    size_t keep = open_.size();
    for (size_t i = open_.size(); i > 0; --i) {
      GumboTag open = open_[i - 1].tag;
      if (implicitly_ends(start, open)) {
        keep = i - 1;
      } else if (stops_implied_end(start, open)) {
        break;
      }
    }
    open_.resize(keep);
  }

  // Pops up to and including the nearest open `tag`, unless an element that the end tag
  // cannot reach past comes first.
  void close_nearest(GumboTag tag) {
    bool ordinary = !is_special(tag) && !is_formatting(tag);
    for (size_t i = open_.size(); i > 0; --i) {
      GumboTag open = open_[i - 1].tag;
      if (open == tag) {
        open_.resize(i - 1);
        return;
      }
      if (end_tag_passes(tag, open)) continue;
      if (is_scope_boundary(open) || (ordinary && is_special(open))) return;
    }
  }

  std::vector<OpenElement> open_;  // at most kMaxNesting entries
  std::array<size_t, GUMBO_TAG_LAST + 1> closed_early_{};  // per tag: end tags still to drop
  int foreign_depth_ = 0;  // inside <svg> or <math>, where "/>" closes an element
};

// One change to the text: [begin, end) becomes `insert`.
struct Edit {
  size_t begin;
  size_t end;
  std::string_view insert;  // an element name: the edit inserts "</name>"; "" removes
};

// Returns `html` with no element nested deeper than kMaxNesting: deeper start tags are preceded
// by the end tag of the innermost open element, whose own end tag is removed later. Linear in
// the size of `html`; copies it once.
std::string flatten_deep_nesting(std::string_view html) {
  NestingModel model;
  std::vector<Edit> edits;
  size_t i = 0;
  while (i < html.size()) {
    size_t lt = html.find('<', i);
    if (lt == std::string_view::npos) break;
    std::string_view rest = html.substr(lt);
    if (rest.substr(0, 4) == "<!--") {
      size_t close = html.find("-->", lt + 4);
      i = close == std::string_view::npos ? html.size() : close + 3;
      continue;
    }
    if (rest.size() > 1 && (rest[1] == '!' || rest[1] == '?')) {  // doctype, bogus comment
      size_t close = html.find('>', lt);
      i = close == std::string_view::npos ? html.size() : close + 1;
      continue;
    }
    bool is_end = rest.size() > 1 && rest[1] == '/';
    size_t name_start = lt + (is_end ? 2 : 1);
    if (name_start >= html.size() || !ascii::is_alpha(html[name_start])) {
      i = lt + 1;  // a '<' in text
      continue;
    }
    ScannedTag tag;
    if (!scan_tag(html, name_start, &tag)) break;
    i = tag.end;
    if (is_end) {
      if (!model.end(tag)) edits.push_back({lt, tag.end, {}});
      continue;
    }
    if (tag.tag == GUMBO_TAG_PLAINTEXT) break;  // everything after it is text
    if (is_raw_text(tag.tag)) {
      i = find_raw_text_end(html, tag.end, tag.name);
      continue;  // a leaf: its end tag closes nothing the model holds
    }
    std::string_view close_first = model.start(tag);
    if (!close_first.empty()) edits.push_back({lt, lt, close_first});
  }

  if (edits.empty()) return std::string(html);
  std::string flat;
  flat.reserve(html.size() + html.size() / 8);
  size_t kept_from = 0;
  for (const Edit& edit : edits) {
    flat.append(html.substr(kept_from, edit.begin - kept_from));
    if (!edit.insert.empty()) flat.append("</").append(edit.insert).append(">");
    kept_from = edit.end;
  }
  flat.append(html.substr(kept_from));
  return flat;
}

// ---------------------------------------------------------------------------------------------
// Tree helpers.

// The children of an element, template or document node; nullptr for text and comments.
GumboVector* children_of(GumboNode* node) {
  switch (node->type) {
    case GUMBO_NODE_DOCUMENT:
      return &node->v.document.children;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      return &node->v.element.children;
    default:
      return nullptr;
  }
}

GumboNode* child_at(const GumboVector* children, size_t index) {
  return static_cast<GumboNode*>(children->data[index]);
}

// The first element child of `root` with tag `tag`, or nullptr.
GumboNode* find_child(GumboNode* root, GumboTag tag) {
  if (root == nullptr || !is_element(root)) return nullptr;
  const GumboVector& children = root->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    GumboNode* child = child_at(&children, i);
    if (is_element(child) && child->v.element.tag == tag) return child;
  }
  return nullptr;
}

// Subtrees text_content() leaves out: code, styles, fallbacks and inert templates.
bool hides_text(const GumboNode* node) {
  if (node->type == GUMBO_NODE_TEMPLATE) return true;
  switch (node->v.element.tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
      return true;
    default:
      return false;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Document

Document::Document() = default;

// arena_ frees every block Gumbo allocated: output_, the tree, and subtrees remove_node() cut.
Document::~Document() = default;

std::unique_ptr<Document> Document::parse(std::string_view utf8) {
  std::unique_ptr<Document> doc(new Document());
  doc->text_ = flatten_deep_nesting(utf8);
  doc->arena_ = std::make_unique<ParseArena>(
      byte_budget_for(doc->text_.size()),
      std::chrono::steady_clock::now() + time_budget_for(doc->text_.size()));
  GumboOptions options = doc->arena_->gumbo_options();
  doc->output_ = doc->arena_->parse_within_budget(&options, doc->text_.data(), doc->text_.size());
  if (doc->output_ == nullptr) {
    doc->arena_->release_all();
    doc->arena_->remove_budget();
    doc->text_.clear();
    doc->exceeded_budget_ = true;
    doc->output_ = doc->arena_->parse_within_budget(&options, "", 0);
  }
  return doc;
}

GumboNode* Document::root() const { return output_->root; }
GumboNode* Document::head() const { return find_child(output_->root, GUMBO_TAG_HEAD); }
GumboNode* Document::body() const { return find_child(output_->root, GUMBO_TAG_BODY); }

// ---------------------------------------------------------------------------------------------
// Node helpers

bool is_element(const GumboNode* node) {
  return node != nullptr &&
         (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE);
}

std::string tag_name(const GumboNode* node) {
  if (!is_element(node)) return "";
  const GumboElement& element = node->v.element;
  std::string name;
  if (element.tag != GUMBO_TAG_UNKNOWN) {
    name = gumbo_normalized_tagname(element.tag);
  } else {
    GumboStringPiece original = element.original_tag;  // "<my-tag attr=...>"
    if (original.data != nullptr && original.length >= 2 && original.data[0] == '<') {
      gumbo_tag_from_original_text(&original);
      name.assign(original.data, original.length);
    }
  }
  for (char& c : name) c = ascii::to_lower(c);
  return name;
}

const GumboAttribute* find_attribute(const GumboNode* node, std::string_view name) {
  if (!is_element(node)) return nullptr;
  const GumboVector& attributes = node->v.element.attributes;
  for (unsigned i = 0; i < attributes.length; ++i) {
    auto* attribute = static_cast<const GumboAttribute*>(attributes.data[i]);
    if (ascii::iequals(attribute->name, name)) return attribute;
  }
  return nullptr;
}

std::string attr(const GumboNode* node, std::string_view name) {
  const GumboAttribute* attribute = find_attribute(node, name);
  return attribute != nullptr ? std::string(attribute->value) : std::string();
}

bool has_attr(const GumboNode* node, std::string_view name) {
  return find_attribute(node, name) != nullptr;
}

bool has_class(const GumboNode* node, std::string_view name) {
  const GumboAttribute* attribute = find_attribute(node, "class");
  if (attribute == nullptr || name.empty()) return false;
  std::string_view classes = attribute->value;
  size_t i = 0;
  while (i < classes.size()) {
    while (i < classes.size() && ascii::is_html_space(classes[i])) ++i;
    size_t start = i;
    while (i < classes.size() && !ascii::is_html_space(classes[i])) ++i;
    if (classes.substr(start, i - start) == name) return true;
  }
  return false;
}

std::vector<GumboNode*> element_children(const GumboNode* node) {
  std::vector<GumboNode*> elements;
  GumboVector* children = node != nullptr ? children_of(const_cast<GumboNode*>(node)) : nullptr;
  if (children == nullptr) return elements;
  for (unsigned i = 0; i < children->length; ++i) {
    GumboNode* child = child_at(children, i);
    if (is_element(child)) elements.push_back(child);
  }
  return elements;
}

void walk(GumboNode* node, const std::function<bool(GumboNode*)>& visit) {
  if (node == nullptr) return;
  std::vector<GumboNode*> pending = {node};
  while (!pending.empty()) {
    GumboNode* current = pending.back();
    pending.pop_back();
    if (!visit(current)) continue;
    // Read the children only now: the visitor may have removed some.
    GumboVector* children = children_of(current);
    if (children == nullptr) continue;
    for (unsigned i = children->length; i > 0; --i) pending.push_back(child_at(children, i - 1));
  }
}

std::string document_base_url(const Document& doc, std::string_view page_url) {
  const GumboNode* base = nullptr;
  std::vector<const GumboNode*> pending = {doc.root()};
  while (!pending.empty() && base == nullptr) {
    const GumboNode* node = pending.back();
    pending.pop_back();
    // Template contents are not in the document (HTML standard 4.12.3); SVG and MathML subtrees
    // hold no HTML <base> worth looking for.
    if (node->type != GUMBO_NODE_ELEMENT ||
        node->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) {
      continue;
    }
    if (node->v.element.tag == GUMBO_TAG_BASE && has_attr(node, "href")) {
      base = node;
      continue;
    }
    const GumboVector& children = node->v.element.children;
    for (unsigned i = children.length; i > 0; --i) {
      pending.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
    }
  }
  if (base == nullptr) return std::string(page_url);
  std::string href(trim_url(attr(base, "href")));
  Result<std::string> resolved =
      page_url.empty() ? Result<std::string>(href) : resolve_url(page_url, href);
  if (resolved.ok() && parse_url(*resolved).ok()) return *resolved;
  return std::string(page_url);
}

std::string text_content(const GumboNode* node) {
  std::string text;
  if (node == nullptr) return text;
  std::vector<const GumboNode*> pending = {node};
  while (!pending.empty()) {
    const GumboNode* current = pending.back();
    pending.pop_back();
    switch (current->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        text += current->v.text.text;
        break;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE:
      case GUMBO_NODE_DOCUMENT: {
        if (current->type != GUMBO_NODE_DOCUMENT) {
          if (hides_text(current)) break;
          if (current->v.element.tag == GUMBO_TAG_BR) text += '\n';
        }
        const GumboVector* children = children_of(const_cast<GumboNode*>(current));
        for (unsigned i = children->length; i > 0; --i) {
          pending.push_back(child_at(children, i - 1));
        }
        break;
      }
      default:  // comments
        break;
    }
  }
  return text;
}

void remove_node(GumboNode* node) {
  if (node == nullptr || node->parent == nullptr) return;
  GumboVector* siblings = children_of(node->parent);
  if (siblings != nullptr) {
    size_t index = node->index_within_parent;
    if (index >= siblings->length || child_at(siblings, index) != node) {
      // Not where Gumbo said: find it rather than cut the wrong node.
      index = siblings->length;
      for (size_t i = 0; i < siblings->length && index == siblings->length; ++i) {
        if (child_at(siblings, i) == node) index = i;
      }
    }
    if (index < siblings->length) {
      for (size_t i = index + 1; i < siblings->length; ++i) {
        siblings->data[i - 1] = siblings->data[i];
        child_at(siblings, i - 1)->index_within_parent = i - 1;
      }
      --siblings->length;
    }
  }
  // The node stays in its Document's arena, which frees it; nothing else points to it now.
  node->parent = nullptr;
  node->index_within_parent = 0;
}

bool contains(const GumboNode* ancestor, const GumboNode* node) {
  if (ancestor == nullptr) return false;
  for (; node != nullptr; node = node->parent) {
    if (node == ancestor) return true;
  }
  return false;
}

}  // namespace provarc
