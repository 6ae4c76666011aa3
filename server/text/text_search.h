#ifndef ROLLCALL_SERVER_TEXT_TEXT_SEARCH_H_
#define ROLLCALL_SERVER_TEXT_TEXT_SEARCH_H_

// Free-text search terms, tokenised exactly as the store's full-text index
// tokenises quotes and summaries: by SQLite FTS5's own `unicode61`
// tokenizer (letters and digits of every script are kept, case is folded
// and diacritics removed, so "Condamné" finds "condamne" and Arabic words
// are words). ListStatements asks the index; subscriptions match changes in
// memory with the same tokens, so both always agree.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rollcall {

// The tokenizer clause of the index, for CREATE VIRTUAL TABLE ... USING fts5.
inline constexpr char kFts5Tokenizer[] = "unicode61 remove_diacritics 2";

// The tokens of `text` as the index sees them.
std::vector<std::string> SearchTokens(absl::string_view text);

// A search term: a phrase of one or more words, matched as consecutive
// tokens of the quote or of the summary; with a trailing `*` its last word
// is a prefix ("condemn*" finds "condemns" and "condemnation").
struct SearchPhrase {
  std::vector<std::string> tokens;
  bool prefix = false;

  // The canonical text: the tokens joined by spaces, then "*" for a prefix.
  std::string ToString() const;
  // The FTS5 query for this phrase: "tok1 tok2" or "tok1 tok2" *.
  std::string ToFts5Query() const;
  // The PostgreSQL tsquery literal for this phrase: 'tok1' <-> 'tok2':*
  // (see TsVectorLiteral).
  std::string ToTsQuery() const;
  // Whether the phrase occurs in `tokens` (SearchTokens of one column).
  bool MatchesTokens(const std::vector<std::string>& text_tokens) const;
};

// The PostgreSQL tsvector literal holding `text`'s tokens at their
// positions ('tok':1,5 'tok2':2), so that PostgreSQL searches exactly the
// tokens this file makes, without a text search configuration of its own.
// PostgreSQL keeps positions up to 16383 and 256 of them per token: a
// phrase beyond those bounds of a very long text is not found there.
std::string TsVectorLiteral(absl::string_view text);

// Parses a user's term. INVALID_ARGUMENT (with a message for the user) if it
// has no word to search for.
absl::StatusOr<SearchPhrase> ParseSearchPhrase(absl::string_view term);

// The inverse of SearchPhrase::ToString.
SearchPhrase SearchPhraseFromString(absl::string_view canonical);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_TEXT_TEXT_SEARCH_H_
