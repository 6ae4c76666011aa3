#ifndef ROLLCALL_SERVER_FILTER_EVENT_FILTER_H_
#define ROLLCALL_SERVER_FILTER_EVENT_FILTER_H_

// The ListEvents filter: `country_code = "NER" AND labels.region = "sahel"`.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rollcall {

struct EventFilter {
  std::vector<std::string> country_codes;  // OR
  std::vector<std::pair<std::string, std::string>> labels;  // AND

  std::string Canonical() const;
};

// INVALID_ARGUMENT naming `field` on any error.
absl::StatusOr<EventFilter> ParseEventFilter(absl::string_view text,
                                             absl::string_view field);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_FILTER_EVENT_FILTER_H_
