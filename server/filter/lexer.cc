#include "server/filter/lexer.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"

namespace rollcall {
namespace {

// How much of an unterminated string an error message quotes.
constexpr size_t kSnippetLength = 20;

bool IsIdentifierStart(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool IsIdentifierChar(char c) { return IsIdentifierStart(c) || c == '.' || c == '-'; }

class Lexer {
 public:
  Lexer(absl::string_view text, absl::string_view field) : text_(text), field_(field) {}

  absl::StatusOr<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < text_.size() &&
             absl::ascii_isspace(static_cast<unsigned char>(text_[pos_]))) {
        ++pos_;
      }
      if (pos_ == text_.size()) break;
      absl::StatusOr<Token> token = Next();
      if (!token.ok()) return token.status();
      tokens.push_back(*std::move(token));
    }
    tokens.push_back(Token{TokenKind::kEnd, "", Position(text_.size())});
    return tokens;
  }

 private:
  static int Position(size_t offset) { return static_cast<int>(offset) + 1; }

  absl::StatusOr<Token> Next() {
    const size_t start = pos_;
    const char c = text_[pos_];
    if (c == '"') return String();
    if (IsIdentifierStart(c)) return Word();
    if (c == '(' || c == ')') {
      ++pos_;
      return Token{c == '(' ? TokenKind::kLeftParen : TokenKind::kRightParen,
                   std::string(1, c), Position(start)};
    }
    if (c == '<' || c == '>' || c == '!') {
      const bool with_equals = pos_ + 1 < text_.size() && text_[pos_ + 1] == '=';
      if (c == '!' && !with_equals) return UnexpectedCharacter();
      pos_ += with_equals ? 2 : 1;
      return Operator(start);
    }
    if (c == '=' || c == ':' || c == ',') {
      ++pos_;
      return Operator(start);
    }
    return UnexpectedCharacter();
  }

  Token Operator(size_t start) const {
    return Token{TokenKind::kOperator, std::string(text_.substr(start, pos_ - start)),
                 Position(start)};
  }

  Token Word() {
    const size_t start = pos_;
    while (pos_ < text_.size() && IsIdentifierChar(text_[pos_])) ++pos_;
    absl::string_view word = text_.substr(start, pos_ - start);
    TokenKind kind = TokenKind::kIdentifier;
    if (absl::EqualsIgnoreCase(word, "and")) kind = TokenKind::kAnd;
    if (absl::EqualsIgnoreCase(word, "or")) kind = TokenKind::kOr;
    return Token{kind, std::string(word), Position(start)};
  }

  absl::StatusOr<Token> String() {
    const size_t start = pos_++;
    std::string contents;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return Token{TokenKind::kString, std::move(contents), Position(start)};
      }
      if (c == '\\') {
        const char escaped = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
        if (escaped != '"' && escaped != '\\') {
          Token bad{TokenKind::kOperator, std::string(text_.substr(pos_, 2)),
                    Position(pos_)};
          return TokenError(field_, "invalid escape", bad,
                            "only \\\" and \\\\ may follow a backslash");
        }
        contents.push_back(escaped);
        pos_ += 2;
        continue;
      }
      contents.push_back(c);
      ++pos_;
    }
    Token unterminated{TokenKind::kOperator,
                       std::string(text_.substr(start, kSnippetLength)), Position(start)};
    return TokenError(field_, "unterminated string", unterminated,
                      "missing the closing \"");
  }

  absl::Status UnexpectedCharacter() const {
    Token bad{TokenKind::kOperator, std::string(1, text_[pos_]), Position(pos_)};
    return TokenError(field_, "unexpected character", bad);
  }

  absl::string_view text_;
  absl::string_view field_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view text,
                                            absl::string_view field) {
  return Lexer(text, field).Run();
}

std::string DescribeToken(const Token& token) {
  if (token.kind == TokenKind::kEnd) return "end of filter";
  // Strings come out as they would be written; identifiers are quoted too so
  // that the token stands out from the sentence around it.
  return absl::StrCat("\"", absl::CHexEscape(token.text), "\"");
}

absl::Status TokenError(absl::string_view field, absl::string_view problem,
                        const Token& token, absl::string_view hint) {
  std::string message =
      absl::StrCat(problem, " ", DescribeToken(token), " at position ", token.position);
  if (!hint.empty()) absl::StrAppend(&message, " (", hint, ")");
  return FieldError(field, message);
}

}  // namespace rollcall
