// survey/platform.cc: the platform preset chosen from markers in the pages (survey.h).
#include <string>
#include <vector>

#include "common/ascii.h"
#include "survey/survey.h"

namespace provarc {
namespace {

struct Family {
  const char* platform;
  std::vector<const char*> markers;  // searched without case
};

// docs/portals.md's markers of each family (issue 14).
const std::vector<Family>& families() {
  static const std::vector<Family> all = {
      {"sharepoint",
       {"/_layouts/", "__REQUESTDIGEST", "MicrosoftAjax", "content=\"Microsoft SharePoint",
        "_spPageContextInfo", "ms-rtestate"}},
      {"websphere", {"/wps/portal", "wpsPortlet", "/wps/wcm/", "WCM_GLOBAL_CONTEXT", "wptheme"}},
      {"liferay", {"/web/guest", "p_p_id", "Liferay.", "/c/portal/", "portlet-boundary"}},
      {"aspnet", {"__VIEWSTATE", ".aspx", "WebResource.axd", "__EVENTVALIDATION", "ctl00_"}},
  };
  return all;
}

bool contains_nocase(const std::string& haystack, const char* needle) {
  std::string_view n(needle);
  if (n.empty() || haystack.size() < n.size()) return false;
  for (size_t i = 0; i + n.size() <= haystack.size(); ++i) {
    if (ascii::to_lower(haystack[i]) != ascii::to_lower(n[0])) continue;
    if (ascii::iequals(std::string_view(haystack).substr(i, n.size()), n)) return true;
  }
  return false;
}

}  // namespace

PlatformGuess detect_platform(const std::vector<std::string>& bodies) {
  const std::string of = " of " + std::to_string(bodies.size()) + " page" +
                         (bodies.size() == 1 ? "" : "s");
  PlatformGuess best;
  size_t best_markers = 0;
  for (const Family& family : families()) {
    std::vector<std::string> evidence;
    for (const char* marker : family.markers) {
      int pages = 0;
      for (const std::string& body : bodies) pages += contains_nocase(body, marker) ? 1 : 0;
      if (pages > 0) evidence.push_back("`" + std::string(marker) + "` on " +
                                        std::to_string(pages) + of);
    }
    // Two markers at least; the families before ASP.NET win over it (they run on or beside it).
    if (evidence.size() < 2) continue;
    bool beats = best.platform == "generic" ||
                 (best.platform != "aspnet" && evidence.size() > best_markers &&
                  std::string(family.platform) != "aspnet");
    if (!beats) continue;
    best.platform = family.platform;
    best.evidence = evidence;
    best_markers = evidence.size();
  }
  if (best.platform == "generic") {
    best.evidence.push_back("no family showed two of its markers in " +
                            std::to_string(bodies.size()) + " pages (SharePoint `_layouts/`, "
                            "WebSphere `/wps/portal`, Liferay `/web/guest`, ASP.NET "
                            "`__VIEWSTATE`, ...)");
  }
  return best;
}

}  // namespace provarc
