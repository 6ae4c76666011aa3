#include "server/text/text_search.h"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace rollcall {
namespace {

// One instance of FTS5's unicode61 tokenizer, configured as the index is.
// A tokenizer instance keeps a scratch buffer, so each thread has its own.
class Tokenizer {
 public:
  Tokenizer() {
    if (sqlite3_open_v2(":memory:", &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY,
                        nullptr) != SQLITE_OK) {
      Abort("cannot open an in-memory SQLite database");
    }
    fts5_api* api = nullptr;
    sqlite3_stmt* select = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT fts5(?1)", -1, &select, nullptr) != SQLITE_OK) {
      Abort("this SQLite has no FTS5");
    }
    sqlite3_bind_pointer(select, 1, &api, "fts5_api_ptr", nullptr);
    sqlite3_step(select);
    sqlite3_finalize(select);
    if (api == nullptr) Abort("this SQLite has no FTS5 API");
    void* user_data = nullptr;
    if (api->xFindTokenizer(api, "unicode61", &user_data, &methods_) != SQLITE_OK) {
      Abort("FTS5 has no unicode61 tokenizer");
    }
    // kFts5Tokenizer's arguments after the tokenizer's name.
    const char* args[] = {"remove_diacritics", "2"};
    if (methods_.xCreate(user_data, args, 2, &tokenizer_) != SQLITE_OK) {
      Abort("cannot create the unicode61 tokenizer");
    }
  }

  ~Tokenizer() {
    if (tokenizer_ != nullptr) methods_.xDelete(tokenizer_);
    sqlite3_close(db_);
  }

  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  std::vector<std::string> Tokens(absl::string_view text) {
    std::vector<std::string> tokens;
    methods_.xTokenize(tokenizer_, &tokens, FTS5_TOKENIZE_DOCUMENT, text.data(),
                       static_cast<int>(text.size()), &Tokenizer::OnToken);
    return tokens;
  }

 private:
  static int OnToken(void* context, int /*flags*/, const char* token, int size,
                     int /*start*/, int /*end*/) {
    static_cast<std::vector<std::string>*>(context)->emplace_back(token, size);
    return SQLITE_OK;
  }

  [[noreturn]] static void Abort(const char* what) {
    // The build links Debian's SQLite, which has FTS5; without it nothing
    // about search can work, so fail loudly rather than match wrongly.
    fprintf(stderr, "rollcall text search: %s\n", what);
    std::abort();
  }

  sqlite3* db_ = nullptr;
  fts5_tokenizer methods_{};
  Fts5Tokenizer* tokenizer_ = nullptr;
};

}  // namespace

std::vector<std::string> SearchTokens(absl::string_view text) {
  thread_local Tokenizer tokenizer;
  return tokenizer.Tokens(text);
}

std::string SearchPhrase::ToString() const {
  return absl::StrCat(absl::StrJoin(tokens, " "), prefix ? "*" : "");
}

std::string SearchPhrase::ToFts5Query() const {
  // Tokens hold only letters and digits, so the quoted string needs no
  // escaping; FTS5 tokenises it again into the same tokens.
  return absl::StrCat("\"", absl::StrJoin(tokens, " "), "\"", prefix ? " *" : "");
}

std::string SearchPhrase::ToTsQuery() const {
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    // Tokens hold only letters and digits: quoting needs no escapes.
    absl::StrAppend(&out, i == 0 ? "" : " <-> ", "'", tokens[i], "'");
  }
  if (prefix) out.append(":*");
  return out;
}

std::string TsVectorLiteral(absl::string_view text) {
  constexpr int kMaxPosition = 16383;
  constexpr size_t kMaxPositionsPerToken = 256;
  std::map<std::string, std::vector<int>> positions;
  const std::vector<std::string> tokens = SearchTokens(text);
  for (size_t i = 0; i < tokens.size() && i < kMaxPosition; ++i) {
    std::vector<int>& at = positions[tokens[i]];
    if (at.size() < kMaxPositionsPerToken) at.push_back(static_cast<int>(i) + 1);
  }
  std::string out;
  for (const auto& [token, at] : positions) {
    absl::StrAppend(&out, out.empty() ? "" : " ", "'", token, "':", absl::StrJoin(at, ","));
  }
  return out;
}

bool SearchPhrase::MatchesTokens(const std::vector<std::string>& text_tokens) const {
  if (tokens.empty() || text_tokens.size() < tokens.size()) return false;
  const size_t last = tokens.size() - 1;
  for (size_t start = 0; start + tokens.size() <= text_tokens.size(); ++start) {
    bool all = true;
    for (size_t i = 0; i < tokens.size() && all; ++i) {
      const std::string& word = text_tokens[start + i];
      all = (prefix && i == last) ? absl::StartsWith(word, tokens[i]) : word == tokens[i];
    }
    if (all) return true;
  }
  return false;
}

absl::StatusOr<SearchPhrase> ParseSearchPhrase(absl::string_view term) {
  SearchPhrase phrase;
  absl::string_view text = absl::StripAsciiWhitespace(term);
  phrase.prefix = absl::ConsumeSuffix(&text, "*");
  phrase.tokens = SearchTokens(text);
  if (phrase.tokens.empty()) {
    return absl::InvalidArgumentError(
        "a text term needs at least one word (letters or digits)");
  }
  return phrase;
}

SearchPhrase SearchPhraseFromString(absl::string_view canonical) {
  SearchPhrase phrase;
  phrase.prefix = absl::ConsumeSuffix(&canonical, "*");
  phrase.tokens = absl::StrSplit(canonical, ' ', absl::SkipEmpty());
  return phrase;
}

}  // namespace rollcall
