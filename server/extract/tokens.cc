#include "server/extract/tokens.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"

namespace rollcall::extract {
namespace {

bool IsLetter(int32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (c < 0xC0 || c == 0xD7 || c == 0xF7) return false;
  if (c >= 0x2000 && c <= 0x2BFF) return false;  // punctuation, symbols
  if (c >= 0x3000 && c <= 0x303F) return false;
  if (c >= 0xE000 && c <= 0xF8FF) return false;  // private use
  return c != 0xFEFF && c != 0xFFFD;
}
bool IsDigit(int32_t c) { return c >= '0' && c <= '9'; }
bool IsWordChar(int32_t c) { return IsLetter(c) || IsDigit(c); }
bool IsApostrophe(int32_t c) { return c == '\'' || c == 0x2019; }
bool IsHyphen(int32_t c) { return c == '-' || c == 0x2010 || c == 0x2011; }
bool IsSpace(int32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' ||
         c == 0xA0 || c == 0x202F || c == 0x2009 || c == 0x200B ||
         (c >= 0x2000 && c <= 0x200A);
}
bool IsUpper(int32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  if (c >= 0xC0 && c <= 0xDE) return c != 0xD7;
  if (c >= 0x100 && c <= 0x17F) return (c % 2) == 0;
  return false;
}
int32_t ToLower(int32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c >= 0x100 && c <= 0x17F && (c % 2) == 0) return c + 1;
  return c;
}
void AppendUtf8(int32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

int32_t PeekUtf8(absl::string_view text, size_t pos) {
  return pos < text.size() ? DecodeUtf8(text, &pos) : -1;
}

// French elisions keep their apostrophe: l' d' qu' n' s' j' c' m' t'.
bool IsElision(absl::string_view lower) {
  static const auto* kElisions = new absl::flat_hash_set<std::string>{
      "l", "d", "qu", "n", "s", "j", "c", "m", "t", "jusqu", "lorsqu",
      "puisqu"};
  return kElisions->contains(lower);
}

void PushWord(absl::string_view text, int32_t begin, int32_t end,
              std::vector<Token>* tokens) {
  Token token;
  token.begin = begin;
  token.end = end;
  token.kind = TokenKind::kWord;
  size_t pos = begin;
  int letters = 0, upper = 0;
  bool first = true;
  while (pos < static_cast<size_t>(end)) {
    int32_t c = DecodeUtf8(text, &pos);
    if (c < 0) break;
    if (IsApostrophe(c)) {
      token.lower.push_back('\'');
      continue;
    }
    if (IsLetter(c)) {
      ++letters;
      if (IsUpper(c)) ++upper;
      if (first) token.capitalised = IsUpper(c);
    }
    first = false;
    AppendUtf8(ToLower(c), &token.lower);
  }
  token.all_caps = letters >= 2 && upper == letters;
  tokens->push_back(std::move(token));
}

// A run of word characters, apostrophes and hyphens starting at `pos`:
// emits its words and returns the end of the run.
size_t ScanWord(absl::string_view text, size_t pos, std::vector<Token>* out) {
  size_t word_begin = pos;
  while (pos < text.size()) {
    size_t next = pos;
    int32_t c = DecodeUtf8(text, &next);
    if (IsWordChar(c)) {
      pos = next;
      continue;
    }
    int32_t after = PeekUtf8(text, next);
    if (IsHyphen(c) && IsWordChar(after)) {
      PushWord(text, word_begin, pos, out);
      pos = word_begin = next;
      continue;
    }
    if (IsApostrophe(c) && IsWordChar(after)) {
      std::string lower = LowerUtf8(text.substr(word_begin, pos - word_begin));
      size_t after_end = next;
      DecodeUtf8(text, &after_end);
      bool single_t = (after == 't' || after == 'T') &&
                      !IsWordChar(PeekUtf8(text, after_end));
      if (single_t && lower == "n") {
        PushWord(text, word_begin, after_end, out);  // "n't" alone, as in a lexicon
        return after_end;
      } else if (IsElision(lower)) {
        PushWord(text, word_begin, next, out);
        pos = word_begin = next;
      } else if (single_t && lower.size() > 1 && lower.back() == 'n') {
        PushWord(text, word_begin, pos - 1, out);  // "did" + "n't"
        PushWord(text, pos - 1, after_end, out);
        return after_end;

      } else {
        PushWord(text, word_begin, pos, out);  // "Niger" + "'s"
        word_begin = pos;
        pos = next;
      }
      continue;
    }
    break;
  }
  if (pos > word_begin) PushWord(text, word_begin, pos, out);
  return pos;
}

}  // namespace

int32_t DecodeUtf8(absl::string_view text, size_t* pos) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = *pos, n = text.size();
  unsigned char b = s[i];
  int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3
                                           : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > n) {
    *pos = i + 1;
    return -1;
  }
  int32_t c = len == 1 ? b : b & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    if ((s[i + k] & 0xC0) != 0x80) {
      *pos = i + 1;
      return -1;
    }
    c = (c << 6) | (s[i + k] & 0x3F);
  }
  *pos = i + len;
  return c;
}

std::string LowerUtf8(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    int32_t c = DecodeUtf8(text, &pos);
    if (c >= 0) AppendUtf8(IsApostrophe(c) ? '\'' : ToLower(c), &out);
  }
  return out;
}

std::vector<Token> Tokenize(absl::string_view text) {
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 5);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t next = pos;
    int32_t c = DecodeUtf8(text, &next);
    if (IsWordChar(c)) {
      pos = ScanWord(text, pos, &tokens);
      continue;
    }
    Token token;
    token.begin = static_cast<int32_t>(pos);
    token.kind = TokenKind::kPunct;
    if (c == '\n') {
      token.kind = TokenKind::kLineBreak;
    } else if (c == '"') {
      token.kind = TokenKind::kQuoteStraight;
    } else if (c == 0x201C || c == 0xAB || c == 0x201E) {
      token.kind = TokenKind::kQuoteOpen;
    } else if (c == 0x201D || c == 0xBB) {
      token.kind = TokenKind::kQuoteClose;
    } else if (c < 0 || IsSpace(c)) {
      pos = next;
      continue;
    }
    // "..." and "--" are one token.
    if ((c == '.' || c == '-') && PeekUtf8(text, next) == c) {
      while (PeekUtf8(text, next) == c) ++next;
    }
    token.end = static_cast<int32_t>(next);
    if (c == 0x2026) token.lower = "...";
    else token.lower = std::string(text.substr(pos, next - pos));
    tokens.push_back(std::move(token));
    pos = next;
  }
  return tokens;
}

std::vector<Quotation> PairQuotations(std::vector<Token>& tokens) {
  std::vector<Quotation> quotations;
  int open = -1;
  auto close = [&](int last) {
    Quotation q;
    q.first_token = open;
    q.last_token = last;
    // The words inside, from the first token to the last: spaces trimmed.
    // Punctuation that only leads back to the reporting words ("...," he
    // said) is not quoted.
    int final = last - 1;
    while (final > open && tokens[final].kind == TokenKind::kPunct &&
           (tokens[final].lower == "," || tokens[final].lower == ";" ||
            tokens[final].lower == ":")) {
      --final;
    }
    if (open < final) {
      q.begin = tokens[open + 1].begin;
      q.end = tokens[final].end;
      if (q.begin < q.end) quotations.push_back(q);
    }
    open = -1;
  };
  for (int i = 0; i < static_cast<int>(tokens.size()); ++i) {
    Token& t = tokens[i];
    if (t.kind == TokenKind::kLineBreak) {
      if (open >= 0) close(i);
      continue;
    }
    if (t.kind == TokenKind::kQuoteStraight) {
      t.kind = open >= 0 ? TokenKind::kQuoteClose : TokenKind::kQuoteOpen;
    }
    if (t.kind == TokenKind::kQuoteOpen && open < 0) {
      open = i;
    } else if (t.kind == TokenKind::kQuoteClose && open >= 0) {
      close(i);
    }
  }
  if (open >= 0) close(static_cast<int>(tokens.size()));
  return quotations;
}

std::vector<Sentence> SplitSentences(
    const std::vector<Token>& tokens,
    const std::vector<std::string>& abbreviations) {
  std::vector<Sentence> sentences;
  const int n = static_cast<int>(tokens.size());
  int first = 0;
  auto emit = [&](int last) {
    if (last > first) sentences.push_back({first, last});
    first = last;
  };
  for (int i = 0; i < n; ++i) {
    const Token& t = tokens[i];
    if (t.kind == TokenKind::kLineBreak) {
      emit(i);
      first = i + 1;
      continue;
    }
    if (t.kind != TokenKind::kPunct) continue;
    bool stop = t.lower == "." || t.lower == "!" || t.lower == "?" ||
                t.lower == "...";
    if (!stop) continue;
    if (t.lower == "." && i > 0 && tokens[i - 1].kind == TokenKind::kWord &&
        tokens[i - 1].end == t.begin) {
      const std::string& w = tokens[i - 1].lower;
      if (w.size() == 1 ||
          std::find(abbreviations.begin(), abbreviations.end(), w) !=
              abbreviations.end())
        continue;
    }
    int j = i + 1;
    while (j < n && (tokens[j].kind == TokenKind::kQuoteClose ||
                     (tokens[j].kind == TokenKind::kPunct &&
                      (tokens[j].lower == ")" || tokens[j].lower == "]"))))
      ++j;
    // A dash opening a heading ("... governance.\" - Condemnation - The")
    // starts a sentence too.
    bool dash = j < n && tokens[j].kind == TokenKind::kPunct &&
                (tokens[j].lower == "-" || tokens[j].lower == "--" ||
                 tokens[j].lower == "\xE2\x80\x94" ||
                 tokens[j].lower == "\xE2\x80\x93");
    bool next_starts = j >= n || tokens[j].capitalised || dash ||
                       tokens[j].kind == TokenKind::kQuoteOpen ||
                       tokens[j].kind == TokenKind::kQuoteStraight ||
                       tokens[j].kind == TokenKind::kLineBreak ||
                       (tokens[j].kind == TokenKind::kWord &&
                        !tokens[j].lower.empty() &&
                        tokens[j].lower[0] >= '0' && tokens[j].lower[0] <= '9');
    if (!next_starts) continue;
    emit(j);
    i = j - 1;
  }
  emit(n);
  return sentences;
}

std::vector<int32_t> CodePointOffsets(absl::string_view text) {
  std::vector<int32_t> offsets(text.size() + 1);
  int32_t cp = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    // A continuation byte belongs to the code point before it.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++cp;
    offsets[i] = cp - 1;
  }
  offsets[text.size()] = cp;
  return offsets;
}

}  // namespace rollcall::extract
