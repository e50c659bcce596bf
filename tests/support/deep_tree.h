// tests/support/deep_tree.h: a chain of nested elements built by hand, for testing that walks
// over Gumbo trees are iterative. Document::parse() caps nesting at 512, so deeper trees cannot
// come from it; this one has no Gumbo allocations and frees itself.
#pragma once

#include <gumbo.h>

#include <string>
#include <vector>

namespace provarc::testing {

// `depth` nested elements of `tag`; the outermost has id="top", the innermost holds one text
// node `text`. Every element also has the class "level".
class DeepTree {
 public:
  DeepTree(size_t depth, GumboTag tag, std::string text)
      : text_(std::move(text)), nodes_(depth + 1), child_slots_(depth + 1) {
    id_.name = "id";
    id_.value = "top";
    class_.name = "class";
    class_.value = "level";
    attribute_slots_ = {&id_, &class_};
    for (size_t i = 0; i <= depth; ++i) {
      GumboNode& node = nodes_[i];
      node.parent = i == 0 ? nullptr : &nodes_[i - 1];
      node.index_within_parent = 0;
      if (i == depth) {  // the text node
        node.type = GUMBO_NODE_TEXT;
        node.v.text.text = text_.c_str();
        continue;
      }
      node.type = GUMBO_NODE_ELEMENT;
      node.v.element.tag = tag;
      node.v.element.tag_namespace = GUMBO_NAMESPACE_HTML;
      child_slots_[i] = &nodes_[i + 1];
      node.v.element.children = GumboVector{&child_slots_[i], 1, 1};
      // The outermost element has both attributes; the others only the class.
      node.v.element.attributes =
          i == 0 ? GumboVector{attribute_slots_.data(), 2, 2}
                 : GumboVector{attribute_slots_.data() + 1, 1, 1};
    }
  }
  DeepTree(const DeepTree&) = delete;
  DeepTree& operator=(const DeepTree&) = delete;

  GumboNode* root() { return &nodes_.front(); }
  GumboNode* innermost() { return &nodes_[nodes_.size() - 2]; }

 private:
  std::string text_;
  GumboAttribute id_{};
  GumboAttribute class_{};
  std::vector<void*> attribute_slots_;
  std::vector<GumboNode> nodes_;        // never resized after construction
  std::vector<void*> child_slots_;
};

}  // namespace provarc::testing
