#ifndef ROLLCALL_SERVER_EXTRACT_TOKENS_H_
#define ROLLCALL_SERVER_EXTRACT_TOKENS_H_

// Words, sentences and quotations of a plain text.
//
// Every phrase the extractor matches (attribution cues, lexicon entries,
// actor names) is cut into tokens by the same Tokenize, so a name in the
// directory and the same name in an article give the same token sequence.
// Offsets are byte offsets into the UTF-8 text; CodePointOffsets converts
// them for the evidence.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace rollcall::extract {

enum class TokenKind : uint8_t {
  kWord,         // letters and digits; a French elision keeps its apostrophe
  kPunct,        // one punctuation character (or "..." / "--")
  kQuoteOpen,    // “ « „ or a straight " that opens
  kQuoteClose,   // ” » or a straight " that closes
  kQuoteStraight,  // a straight " before quotes are paired
  kLineBreak,    // a line break: always ends a sentence
};

struct Token {
  int32_t begin = 0;  // byte offset
  int32_t end = 0;
  TokenKind kind = TokenKind::kWord;
  bool capitalised = false;  // first letter upper case
  bool all_caps = false;     // two or more letters, all upper case
  std::string lower;         // lower-cased, apostrophes as '
};

// Cuts `text` into tokens. Hyphens inside words separate them without a
// token; "Niger's" gives "niger" and "'s"; "didn't" gives "did" and "n't";
// "l'Union" gives "l'" and "union".
std::vector<Token> Tokenize(absl::string_view text);

// Pairs quotation marks within each paragraph: straight quotes alternate,
// curly quotes and guillemets open and close. A quotation left open at the
// end of a paragraph closes there. Rewrites kQuoteStraight tokens.
struct Quotation {
  int first_token = 0;  // the opening mark
  int last_token = 0;   // the closing mark (or the paragraph's last token)
  int32_t begin = 0;    // byte range of the words inside, trimmed
  int32_t end = 0;
};
std::vector<Quotation> PairQuotations(std::vector<Token>& tokens);

// Sentences as token ranges [first, last). A sentence ends at . ! ? or an
// ellipsis followed (after closing quotes) by a capitalised word, an opening
// quote or the end, unless the period follows an abbreviation in
// `abbreviations` (lower case, without the period) or a single letter; and
// always at a line break.
struct Sentence {
  int first = 0;
  int last = 0;
};
std::vector<Sentence> SplitSentences(
    const std::vector<Token>& tokens,
    const std::vector<std::string>& abbreviations);

// Byte offset -> code point offset, for every byte offset of `text`
// (size text.size() + 1).
std::vector<int32_t> CodePointOffsets(absl::string_view text);

// Lower-cases a UTF-8 string (ASCII, Latin-1 and Latin Extended-A letters).
std::string LowerUtf8(absl::string_view text);

// Decodes one code point at text[*pos], advancing *pos; -1 on bad UTF-8.
int32_t DecodeUtf8(absl::string_view text, size_t* pos);

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_TOKENS_H_
