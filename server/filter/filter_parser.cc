#include "server/filter/filter_parser.h"

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "server/common/field_error.h"
#include "server/common/names.h"
#include "server/common/status_macros.h"

namespace rollcall {
namespace {

constexpr absl::string_view kLabelsPrefix = "labels.";
constexpr int kMaxLabelKeyLength = 63;
// Deep nesting adds nothing to a conjunction; the cap bounds the recursion.

bool IsLabelKey(absl::string_view key) {
  if (key.empty() || key.size() > kMaxLabelKeyLength) return false;
  return absl::c_all_of(key, [](char c) {
    return absl::ascii_islower(static_cast<unsigned char>(c)) ||
           absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

// A recursive-descent parser over the tokens of one filter.
class Parser {
 public:
  Parser(std::vector<Token> tokens, absl::string_view field, const FilterGrammar& grammar)
      : tokens_(std::move(tokens)), field_(field), grammar_(grammar) {}

  absl::StatusOr<std::vector<Disjunction>> Run() {
    std::vector<Disjunction> disjunctions;
    if (Peek().kind == TokenKind::kEnd) return disjunctions;
    while (true) {
      ASSIGN_OR_RETURN(Disjunction disjunction, ParseDisjunction(0));
      disjunctions.push_back(std::move(disjunction));
      const Token& next = Peek();
      if (next.kind == TokenKind::kEnd) break;
      if (next.kind == TokenKind::kAnd) {
        Advance();
        continue;
      }
      if (next.kind == TokenKind::kRightParen) {
        return Error("unmatched", next, "no \"(\" before it");
      }
      return Error("expected AND or end of filter, got", next,
                   "restrictions are joined by AND");
    }
    RETURN_IF_ERROR(CheckAlternativesNotRepeated(disjunctions));
    return disjunctions;
  }

 private:
  const Token& Peek() const { return tokens_[index_]; }

  // Returns the current token and moves past it, staying on kEnd.
  const Token& Advance() {
    const Token& token = tokens_[index_];
    if (token.kind != TokenKind::kEnd) ++index_;
    return token;
  }

  absl::Status Error(absl::string_view problem, const Token& token,
                     absl::string_view hint = "") const {
    return TokenError(field_, problem, token, hint);
  }

  bool IsAlternativeField(absl::string_view name) const {
    return absl::c_linear_search(grammar_.alternative_fields, name);
  }

  absl::StatusOr<Disjunction> ParseDisjunction(int depth) {
    Disjunction disjunction;
    RETURN_IF_ERROR(ParseAtom(disjunction, depth));
    while (Peek().kind == TokenKind::kOr) {
      const Token& or_token = Advance();
      const size_t first_new = disjunction.size();
      RETURN_IF_ERROR(ParseAtom(disjunction, depth));
      for (size_t i = first_new; i < disjunction.size(); ++i) {
        RETURN_IF_ERROR(CheckJoinable(disjunction[0], disjunction[i], or_token));
      }
    }
    return disjunction;
  }

  absl::Status CheckJoinable(const Restriction& first, const Restriction& other,
                             const Token& or_token) const {
    if (first.field != other.field) {
      return Error(absl::StrCat("restrictions on ", first.field, " and ", other.field,
                                " are joined by"),
                   or_token,
                   "OR is only allowed between values of one field; use AND "
                   "or separate queries");
    }
    if (!IsAlternativeField(first.field)) {
      return Error(absl::StrCat("restrictions on ", first.field, " cannot be joined by"),
                   or_token,
                   absl::StrCat("OR is only allowed between values of ",
                                absl::StrJoin(grammar_.alternative_fields, ", ")));
    }
    return absl::OkStatus();
  }

  absl::Status ParseAtom(Disjunction& out, int depth) {
    if (Peek().kind != TokenKind::kLeftParen) {
      ASSIGN_OR_RETURN(Restriction restriction, ParseRestriction());
      out.push_back(std::move(restriction));
      return absl::OkStatus();
    }
    const Token& open = Advance();
    if (depth >= grammar_.max_depth) {
      return Error(
          "too deeply nested", open,
          absl::StrCat("at most ", grammar_.max_depth, " levels of parentheses"));
    }
    ASSIGN_OR_RETURN(Disjunction inner, ParseDisjunction(depth + 1));
    const Token& close = Peek();
    if (close.kind == TokenKind::kAnd) {
      return Error("unexpected", close,
                   "parentheses may only group values of one field joined "
                   "by OR");
    }
    if (close.kind != TokenKind::kRightParen) {
      return Error("expected \")\", got", close,
                   absl::StrCat("to close the \"(\" at position ", open.position));
    }
    Advance();
    for (Restriction& restriction : inner) out.push_back(std::move(restriction));
    return absl::OkStatus();
  }

  absl::StatusOr<Restriction> ParseRestriction() {
    const Token& first = Advance();
    if (++restrictions_ > grammar_.max_restrictions) {
      return Error("too many restrictions: the next one is", first,
                   absl::StrCat("at most ", grammar_.max_restrictions,
                                " restrictions are allowed"));
    }
    if (first.kind == TokenKind::kString && !grammar_.bare_string_field.empty()) {
      Token op{TokenKind::kOperator, ":", first.position};
      return Restriction{std::string(grammar_.bare_string_field), first, std::move(op),
                         first};
    }
    if (first.kind != TokenKind::kIdentifier) {
      return Error("expected a restriction, got", first, FieldsHint());
    }
    RETURN_IF_ERROR(CheckField(first));
    const Token& op = Advance();
    if (op.kind != TokenKind::kOperator || op.text == ",") {
      return Error(absl::StrCat("expected an operator after ", first.text, ", got"), op,
                   "for example =");
    }
    const Token& value = Advance();
    if (value.kind != TokenKind::kString && value.kind != TokenKind::kIdentifier) {
      return Error(
          absl::StrCat("expected a value after ", first.text, " ", op.text, ", got"),
          value, "string values are quoted");
    }
    return Restriction{first.text, first, op, value};
  }

  absl::Status CheckField(const Token& token) const {
    if (absl::c_linear_search(grammar_.fields, token.text)) {
      return absl::OkStatus();
    }
    if (grammar_.labels && absl::StartsWith(token.text, kLabelsPrefix)) {
      if (IsLabelKey(token.text.substr(kLabelsPrefix.size()))) {
        return absl::OkStatus();
      }
      return Error("invalid label key in", token,
                   "a key is 1-63 characters of a-z, 0-9, '_' and '-'");
    }
    return Error("unknown field", token, FieldsHint());
  }

  std::string FieldsHint() const {
    std::string hint =
        absl::StrCat("expected one of ", absl::StrJoin(grammar_.fields, ", "));
    if (grammar_.labels) absl::StrAppend(&hint, ", labels.KEY");
    if (!grammar_.bare_string_field.empty()) {
      absl::StrAppend(&hint, ", or a quoted ", grammar_.bare_string_field);
    }
    return hint;
  }

  absl::Status CheckAlternativesNotRepeated(
      const std::vector<Disjunction>& disjunctions) const {
    absl::flat_hash_map<std::string, int> first_position;
    for (const Disjunction& disjunction : disjunctions) {
      const Restriction& restriction = disjunction.front();
      if (!IsAlternativeField(restriction.field)) continue;
      auto [it, inserted] =
          first_position.emplace(restriction.field, restriction.field_token.position);
      if (inserted) continue;
      return Error("second restriction on", restriction.field_token,
                   absl::StrCat(restriction.field, " is already restricted at position ",
                                it->second, "; join its values with OR"));
    }
    return absl::OkStatus();
  }

  std::vector<Token> tokens_;
  size_t index_ = 0;
  int restrictions_ = 0;
  absl::string_view field_;
  const FilterGrammar& grammar_;
};

}  // namespace

absl::StatusOr<std::vector<Disjunction>> ParseDisjunctions(absl::string_view text,
                                                           absl::string_view field,
                                                           const FilterGrammar& grammar) {
  if (text.size() > static_cast<size_t>(grammar.max_length)) {
    Token beyond{TokenKind::kOperator, std::string(text.substr(grammar.max_length, 1)),
                 grammar.max_length + 1};
    return TokenError(
        field,
        absl::StrCat("is ", text.size(),
                     " characters long; the first one over "
                     "the limit is"),
        beyond, absl::StrCat("at most ", grammar.max_length, " characters are allowed"));
  }
  ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text, field));
  return Parser(std::move(tokens), field, grammar).Run();
}

absl::Status ForEachRestriction(
    absl::string_view text, absl::string_view field, const FilterGrammar& grammar,
    const std::function<absl::Status(const Restriction&)>& apply) {
  ASSIGN_OR_RETURN(std::vector<Disjunction> disjunctions,
                   ParseDisjunctions(text, field, grammar));
  for (const Disjunction& disjunction : disjunctions) {
    for (const Restriction& restriction : disjunction) {
      RETURN_IF_ERROR(apply(restriction));
    }
  }
  return absl::OkStatus();
}

absl::Status RequireOperator(const Restriction& restriction,
                             const std::vector<absl::string_view>& allowed,
                             absl::string_view field) {
  if (absl::c_linear_search(allowed, restriction.op.text)) {
    return absl::OkStatus();
  }
  std::string hint =
      absl::StrCat(restriction.field, allowed.size() == 1 ? " takes only " : " takes ",
                   absl::StrJoin(allowed, " or "));
  if (restriction.op.text == "!=") {
    absl::StrAppend(&hint,
                    "; negation is not supported, list the wanted values "
                    "joined by OR instead");
  }
  return TokenError(field, "unsupported operator", restriction.op, hint);
}

absl::StatusOr<int> ParseEnumRestriction(
    const Restriction& restriction, const google::protobuf::EnumDescriptor& descriptor,
    absl::string_view prefix, absl::string_view field) {
  RETURN_IF_ERROR(RequireOperator(restriction, {"="}, field));
  std::string name = absl::AsciiStrToUpper(restriction.value.text);
  if (!absl::StartsWith(name, prefix)) name = absl::StrCat(prefix, name);
  const google::protobuf::EnumValueDescriptor* value = descriptor.FindValueByName(name);
  if (value != nullptr && value->number() != 0) return value->number();
  std::vector<std::string> names;
  for (int i = 0; i < descriptor.value_count(); ++i) {
    if (descriptor.value(i)->number() == 0) continue;
    names.push_back(std::string(absl::StripPrefix(descriptor.value(i)->name(), prefix)));
  }
  return TokenError(field, absl::StrCat("unknown ", restriction.field), restriction.value,
                    absl::StrCat("expected one of ", absl::StrJoin(names, ", ")));
}

absl::StatusOr<std::string> ParseNameRestriction(const Restriction& restriction,
                                                 absl::string_view collection,
                                                 absl::string_view field) {
  RETURN_IF_ERROR(RequireOperator(restriction, {"="}, field));
  const std::string& value = restriction.value.text;
  std::string name = absl::StrContains(value, '/') ? value : MakeName(collection, value);
  if (ParseName(name, collection, restriction.field).ok()) return name;
  return TokenError(field, absl::StrCat("invalid ", restriction.field), restriction.value,
                    absl::StrCat("expected a name like \"", collection,
                                 "/{id}\" or a bare id: 1-63 characters of a-z, 0-9 and "
                                 "'-', starting with a letter"));
}

absl::StatusOr<std::string> ParseCountryCodeRestriction(const Restriction& restriction,
                                                        absl::string_view field) {
  RETURN_IF_ERROR(RequireOperator(restriction, {"="}, field));
  std::string code = absl::AsciiStrToUpper(restriction.value.text);
  const bool valid = code.size() == 3 && absl::c_all_of(code, [](char c) {
                       return absl::ascii_isupper(static_cast<unsigned char>(c));
                     });
  if (valid) return code;
  return TokenError(field, absl::StrCat("invalid ", restriction.field), restriction.value,
                    "expected an ISO 3166-1 alpha-3 code such as \"NER\"");
}

absl::StatusOr<std::pair<std::string, std::string>> ParseLabelRestriction(
    const Restriction& restriction, absl::string_view field) {
  RETURN_IF_ERROR(RequireOperator(restriction, {"="}, field));
  return std::make_pair(std::string(absl::StripPrefix(restriction.field, kLabelsPrefix)),
                        restriction.value.text);
}

void AppendCanonical(std::string& out, absl::string_view name,
                     std::vector<std::string> values) {
  SortUnique(values);
  if (values.empty()) return;
  if (!out.empty()) out.push_back(';');
  absl::StrAppend(&out, name, "=[",
                  absl::StrJoin(values, ",",
                                [](std::string* to, const std::string& value) {
                                  absl::StrAppend(to, "\"", absl::CHexEscape(value),
                                                  "\"");
                                }),
                  "]");
}

std::string EnumValueName(int number,
                          const google::protobuf::EnumDescriptor& descriptor) {
  const google::protobuf::EnumValueDescriptor* value =
      descriptor.FindValueByNumber(number);
  return value != nullptr ? value->name() : absl::StrCat(number);
}

std::vector<std::string> LabelTexts(
    const std::vector<std::pair<std::string, std::string>>& labels) {
  std::vector<std::string> texts;
  texts.reserve(labels.size());
  for (const auto& [key, value] : labels) {
    texts.push_back(absl::StrCat(key, "=", value));
  }
  return texts;
}

}  // namespace rollcall
