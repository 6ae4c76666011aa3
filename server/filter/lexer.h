#ifndef ROLLCALL_SERVER_FILTER_LEXER_H_
#define ROLLCALL_SERVER_FILTER_LEXER_H_

// The tokenizer shared by the statement, actor and event filters.
//
// Tokens:
//   identifier  [A-Za-z0-9_][A-Za-z0-9_.-]*   e.g. stance, labels.region,
//                                             niger-coup-2023
//   string      "..." with the escapes backslash-quote and backslash-backslash
//   operator    =  !=  :  <  <=  >  >=  ,
//   parentheses (  )
//   keywords    AND  OR  (case-insensitive; otherwise identifiers)
// Whitespace separates tokens and is otherwise ignored.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rollcall {

enum class TokenKind {
  kIdentifier,
  kString,
  kOperator,
  kLeftParen,
  kRightParen,
  kAnd,
  kOr,
  kEnd,  // after the last token
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  // The spelling, except for strings: their decoded contents, without the
  // quotes and with escapes resolved.
  std::string text;
  // 1-based character position of the token's first character in the input
  // (input length + 1 for kEnd).
  int position = 0;
};

// Splits `text` into tokens; the last one is always kEnd. On an unexpected
// character, an unterminated string or an unknown escape, returns
// INVALID_ARGUMENT naming `field`, the position and the offending text.
absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view text,
                                            absl::string_view field);

// The token as a user would recognise it in a message, in double quotes:
// `"stance"`, `"release"`, `"<="`, or `end of filter`.
std::string DescribeToken(const Token& token);

// INVALID_ARGUMENT naming `field`, with the message
// "{problem} {token} at position {n}" followed by " ({hint})" if `hint` is
// not empty.
absl::Status TokenError(absl::string_view field, absl::string_view problem,
                        const Token& token, absl::string_view hint = "");

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_FILTER_LEXER_H_
