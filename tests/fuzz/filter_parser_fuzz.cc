// Fuzzes the filter language: the lexer and the statement, actor and event
// filter parsers, with the input as the filter text.

#include <cstddef>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "server/filter/actor_filter.h"
#include "server/filter/event_filter.h"
#include "server/filter/lexer.h"
#include "server/filter/statement_filter.h"
#include "tests/fuzz/fuzz_check.h"

namespace rollcall::fuzz {
namespace {

// Tokens end with kEnd at length + 1, and positions increase within the text.
void CheckTokens(absl::string_view text) {
  auto tokens = Tokenize(text, "filter");
  RequireOkOrFieldError(tokens.status(), "filter");
  if (!tokens.ok()) return;
  Require(!tokens->empty() && tokens->back().kind == TokenKind::kEnd,
          "tokens do not end with kEnd");
  const int end = static_cast<int>(text.size()) + 1;
  Require(tokens->back().position == end, "kEnd is not at length + 1");
  int previous = 0;
  for (const Token& token : *tokens) {
    Require(token.position > previous && token.position <= end,
            absl::StrCat("token position ", token.position, " out of order"));
    previous = token.position;
  }
}

// A filter that parses has a canonical form, the same on every parse.
template <typename Parse>
void CheckFilter(absl::string_view text, Parse parse) {
  auto filter = parse(text, "filter");
  RequireOkOrFieldError(filter.status(), "filter");
  if (!filter.ok()) return;
  auto again = parse(text, "filter");
  Require(again.ok() && again->Canonical() == filter->Canonical(),
          "parsing the same text twice differs");
}

}  // namespace
}  // namespace rollcall::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollcall;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::CheckTokens(text);
  fuzz::CheckFilter(text, [](absl::string_view filter, absl::string_view field) {
    return ParseStatementFilter(filter, field);  // with the default limits
  });
  fuzz::CheckFilter(text, ParseActorFilter);
  fuzz::CheckFilter(text, ParseEventFilter);
  return 0;
}
