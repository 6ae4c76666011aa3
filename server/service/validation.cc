#include "server/service/validation.h"

#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"
#include "server/common/names.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"

namespace rollcall {
namespace {

std::string Path(absl::string_view parent, absl::string_view field) {
  return absl::StrCat(parent, ".", field);
}

std::string Index(absl::string_view parent, absl::string_view field, int i) {
  return absl::StrCat(parent, ".", field, "[", i, "]");
}

absl::Status CheckLength(absl::string_view text, size_t max, absl::string_view path) {
  if (text.size() > max) {
    return FieldError(path, absl::StrCat("is longer than ", max, " bytes"));
  }
  // Valid UTF-8, but no text means it, and PostgreSQL's text cannot hold it.
  if (absl::StrContains(text, '\0')) {
    return FieldError(path, "must not contain NUL characters");
  }
  return absl::OkStatus();
}

absl::Status CheckRequired(absl::string_view text, size_t max, absl::string_view path) {
  if (absl::StripAsciiWhitespace(text).empty()) return FieldError(path, "is required");
  return CheckLength(text, max, path);
}

absl::Status CheckCount(int count, absl::string_view path) {
  if (count > kMaxRepeated) {
    return FieldError(path, absl::StrCat("has more than ", kMaxRepeated, " items"));
  }
  return absl::OkStatus();
}

// An enum value must be one this server knows; `required` also rejects 0.
template <typename IsValid>
absl::Status CheckEnum(int value, IsValid is_valid, bool required,
                       absl::string_view path) {
  if (!is_valid(value)) {
    return FieldError(path, absl::StrCat("has unknown value ", value));
  }
  if (required && value == 0) return FieldError(path, "is required");
  return absl::OkStatus();
}

absl::Status CheckActorName(absl::string_view name, absl::string_view path) {
  return ParseName(name, kActorsCollection, path).status();
}

// An optional timestamp: valid when present.
absl::Status CheckTime(bool present, const google::protobuf::Timestamp& ts,
                       absl::string_view path) {
  return present ? ValidateTimestamp(ts, path) : absl::OkStatus();
}

absl::Status CheckOrdered(bool has_start, const google::protobuf::Timestamp& start,
                          bool has_end, const google::protobuf::Timestamp& end,
                          absl::string_view end_path, absl::string_view start_name) {
  if (has_start && has_end && ToAbslTime(end) < ToAbslTime(start)) {
    return FieldError(end_path, absl::StrCat("is before ", start_name));
  }
  return absl::OkStatus();
}

absl::Status CheckUrl(absl::string_view url, absl::string_view path) {
  if (url.empty()) return absl::OkStatus();
  if (!absl::StartsWith(url, "http://") && !absl::StartsWith(url, "https://")) {
    return FieldError(path, "must be an absolute http:// or https:// URL");
  }
  for (char c : url) {
    if (absl::ascii_isspace(c) || absl::ascii_iscntrl(c)) {
      return FieldError(path, "must not contain spaces or control characters");
    }
  }
  return CheckLength(url, 2048, path);
}

absl::Status CheckLanguage(absl::string_view tag, absl::string_view path) {
  if (tag.empty()) return absl::OkStatus();
  bool ok = tag.size() <= 35 && absl::ascii_isalpha(tag.front());
  for (char c : tag) ok = ok && (absl::ascii_isalnum(c) || c == '-');
  if (!ok) {
    return FieldError(path, absl::StrCat("\"", absl::CHexEscape(tag),
                                         "\" is not a BCP-47 tag such as en, fr, ar"));
  }
  return absl::OkStatus();
}

absl::Status ValidateCoding(const v1::Coding& coding, absl::string_view path) {
  RETURN_IF_ERROR(CheckRequired(coding.scheme(), 64, Path(path, "scheme")));
  RETURN_IF_ERROR(CheckRequired(coding.code(), 64, Path(path, "code")));
  RETURN_IF_ERROR(
      CheckRequired(coding.codebook_version(), 64, Path(path, "codebook_version")));
  RETURN_IF_ERROR(CheckCount(coding.modes_size(), Path(path, "modes")));
  return CheckCount(coding.contexts_size(), Path(path, "contexts"));
}

absl::Status ValidateAction(const v1::Action& action, absl::string_view path) {
  RETURN_IF_ERROR(
      CheckEnum(action.kind(), v1::ActionKind_IsValid, true, Path(path, "kind")));
  if (action.kind() == v1::ACTION_KIND_OTHER) {
    RETURN_IF_ERROR(
        CheckRequired(action.description(), kMaxShortText, Path(path, "description")));
  }
  RETURN_IF_ERROR(
      CheckLength(action.description(), kMaxLongText, Path(path, "description")));
  RETURN_IF_ERROR(CheckCount(action.targets_size(), Path(path, "targets")));
  for (int i = 0; i < action.targets_size(); ++i) {
    RETURN_IF_ERROR(CheckActorName(action.targets(i), Index(path, "targets", i)));
  }
  RETURN_IF_ERROR(
      CheckTime(action.has_deadline(), action.deadline(), Path(path, "deadline")));
  RETURN_IF_ERROR(CheckTime(action.has_effective_from(), action.effective_from(),
                            Path(path, "effective_from")));
  RETURN_IF_ERROR(CheckTime(action.has_effective_to(), action.effective_to(),
                            Path(path, "effective_to")));
  RETURN_IF_ERROR(CheckOrdered(action.has_effective_from(), action.effective_from(),
                               action.has_effective_to(), action.effective_to(),
                               Path(path, "effective_to"), "effective_from"));
  RETURN_IF_ERROR(CheckCount(action.codings_size(), Path(path, "codings")));
  for (int i = 0; i < action.codings_size(); ++i) {
    RETURN_IF_ERROR(ValidateCoding(action.codings(i), Index(path, "codings", i)));
  }
  return absl::OkStatus();
}

absl::Status ValidateSource(const v1::Source& source, absl::string_view path) {
  if (source.publisher().empty() && source.url().empty() && source.title().empty()) {
    return FieldError(path, "needs at least a publisher, a url or a title");
  }
  RETURN_IF_ERROR(
      CheckLength(source.publisher(), kMaxShortText, Path(path, "publisher")));
  RETURN_IF_ERROR(CheckLength(source.title(), kMaxShortText * 2, Path(path, "title")));
  RETURN_IF_ERROR(CheckUrl(source.url(), Path(path, "url")));
  RETURN_IF_ERROR(CheckUrl(source.archive_url(), Path(path, "archive_url")));
  RETURN_IF_ERROR(CheckLength(source.excerpt(), kMaxLongText, Path(path, "excerpt")));
  RETURN_IF_ERROR(
      CheckEnum(source.medium(), v1::SourceMedium_IsValid, false, Path(path, "medium")));
  RETURN_IF_ERROR(CheckTime(source.has_publish_time(), source.publish_time(),
                            Path(path, "publish_time")));
  return CheckTime(source.has_retrieve_time(), source.retrieve_time(),
                   Path(path, "retrieve_time"));
}

}  // namespace

absl::Status ValidateCountryCode(absl::string_view code, absl::string_view path) {
  if (code.empty()) return absl::OkStatus();
  bool ok = code.size() == 3;
  for (char c : code) ok = ok && absl::ascii_isupper(c);
  if (!ok) {
    return FieldError(path, absl::StrCat("\"", absl::CHexEscape(code),
                                         "\" is not an ISO 3166-1 alpha-3 code such "
                                         "as NER"));
  }
  return absl::OkStatus();
}

absl::Status ValidateLabels(const google::protobuf::Map<std::string, std::string>& labels,
                            absl::string_view path) {
  if (labels.size() > kMaxLabels) {
    return FieldError(path, absl::StrCat("has more than ", kMaxLabels, " labels"));
  }
  for (const auto& [key, value] : labels) {
    bool ok = !key.empty() && key.size() <= 63 && absl::ascii_islower(key.front());
    for (char c : key) {
      ok = ok &&
           (absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_' || c == '-');
    }
    if (!ok) {
      return FieldError(path, absl::StrCat("key \"", absl::CHexEscape(key),
                                           "\" must be 1-63 characters of a-z, 0-9, "
                                           "_ and -, starting with a letter"));
    }
    RETURN_IF_ERROR(CheckLength(value, 256, absl::StrCat(path, ".", key)));
  }
  return absl::OkStatus();
}

absl::Status ValidateRequestId(absl::string_view request_id, absl::string_view path) {
  if (request_id.size() > static_cast<size_t>(kMaxRequestIdLength)) {
    return FieldError(
        path, absl::StrCat("is longer than ", kMaxRequestIdLength, " characters"));
  }
  for (char c : request_id) {
    if (!absl::ascii_isalnum(c) && !absl::StrContains("-_.:/", c)) {
      return FieldError(path, "may hold only letters, digits and -_.:/");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateActor(const v1::Actor& actor, absl::string_view path) {
  RETURN_IF_ERROR(
      CheckRequired(actor.display_name(), kMaxShortText, Path(path, "display_name")));
  RETURN_IF_ERROR(
      CheckEnum(actor.kind(), v1::ActorKind_IsValid, true, Path(path, "kind")));
  RETURN_IF_ERROR(ValidateCountryCode(actor.country_code(), Path(path, "country_code")));
  RETURN_IF_ERROR(CheckCount(actor.member_of_size(), Path(path, "member_of")));
  for (int i = 0; i < actor.member_of_size(); ++i) {
    const v1::Membership& m = actor.member_of(i);
    const std::string at = Index(path, "member_of", i);
    RETURN_IF_ERROR(CheckActorName(m.organisation(), Path(at, "organisation")));
    if (!actor.name().empty() && m.organisation() == actor.name()) {
      return FieldError(Path(at, "organisation"),
                        "an actor cannot be a member of itself");
    }
    RETURN_IF_ERROR(
        CheckTime(m.has_start_time(), m.start_time(), Path(at, "start_time")));
    RETURN_IF_ERROR(CheckTime(m.has_end_time(), m.end_time(), Path(at, "end_time")));
    RETURN_IF_ERROR(CheckOrdered(m.has_start_time(), m.start_time(), m.has_end_time(),
                                 m.end_time(), Path(at, "end_time"), "start_time"));
  }
  RETURN_IF_ERROR(CheckCount(actor.aliases_size(), Path(path, "aliases")));
  for (int i = 0; i < actor.aliases_size(); ++i) {
    RETURN_IF_ERROR(
        CheckRequired(actor.aliases(i), kMaxShortText, Index(path, "aliases", i)));
  }
  RETURN_IF_ERROR(CheckCount(actor.identifiers_size(), Path(path, "identifiers")));
  for (int i = 0; i < actor.identifiers_size(); ++i) {
    const std::string at = Index(path, "identifiers", i);
    RETURN_IF_ERROR(CheckRequired(actor.identifiers(i).scheme(), 64, Path(at, "scheme")));
    RETURN_IF_ERROR(
        CheckRequired(actor.identifiers(i).value(), kMaxShortText, Path(at, "value")));
  }
  return absl::OkStatus();
}

namespace {

// Each side: a known role and an actor name, each actor at most once.
absl::Status ValidateEventSides(const v1::Event& event, absl::string_view path) {
  RETURN_IF_ERROR(CheckCount(event.sides_size(), Path(path, "sides")));
  std::set<std::string> actors;
  for (int i = 0; i < event.sides_size(); ++i) {
    const v1::EventSide& side = event.sides(i);
    const std::string at = Index(path, "sides", i);
    RETURN_IF_ERROR(
        CheckEnum(side.role(), v1::SideRole_IsValid, true, Path(at, "role")));
    RETURN_IF_ERROR(CheckActorName(side.actor(), Path(at, "actor")));
    if (!actors.insert(side.actor()).second) {
      return FieldError(Path(at, "actor"),
                        absl::StrCat(side.actor(), " is already on a side"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateEvent(const v1::Event& event, absl::string_view path) {
  RETURN_IF_ERROR(CheckRequired(event.title(), kMaxShortText, Path(path, "title")));
  RETURN_IF_ERROR(CheckLength(event.summary(), kMaxLongText, Path(path, "summary")));
  RETURN_IF_ERROR(ValidateCountryCode(event.country_code(), Path(path, "country_code")));
  if (!event.has_start_time()) return FieldError(Path(path, "start_time"), "is required");
  RETURN_IF_ERROR(ValidateTimestamp(event.start_time(), Path(path, "start_time")));
  RETURN_IF_ERROR(
      CheckTime(event.has_end_time(), event.end_time(), Path(path, "end_time")));
  RETURN_IF_ERROR(CheckOrdered(true, event.start_time(), event.has_end_time(),
                               event.end_time(), Path(path, "end_time"), "start_time"));
  RETURN_IF_ERROR(ValidateEventSides(event, path));
  return ValidateLabels(event.labels(), Path(path, "labels"));
}

absl::Status ValidateStatement(const v1::Statement& statement, absl::string_view path) {
  RETURN_IF_ERROR(
      ParseName(statement.event(), kEventsCollection, Path(path, "event")).status());
  RETURN_IF_ERROR(CheckActorName(statement.actor(), Path(path, "actor")));
  RETURN_IF_ERROR(CheckLength(statement.speaker().person_name(), kMaxShortText,
                              Path(path, "speaker.person_name")));
  RETURN_IF_ERROR(CheckLength(statement.speaker().office(), kMaxShortText,
                              Path(path, "speaker.office")));
  RETURN_IF_ERROR(CheckCount(statement.joint_with_size(), Path(path, "joint_with")));
  for (int i = 0; i < statement.joint_with_size(); ++i) {
    const std::string at = Index(path, "joint_with", i);
    RETURN_IF_ERROR(CheckActorName(statement.joint_with(i), at));
    if (statement.joint_with(i) == statement.actor()) {
      return FieldError(at, "repeats the statement's own actor");
    }
  }
  if (statement.stance() == v1::STANCE_UNSPECIFIED ||
      !v1::Stance_IsValid(statement.stance())) {
    return FieldError(Path(path, "stance"),
                      "is required: one of CONDEMNS, CRITICISES, CONCERNED, "
                      "NEUTRAL, SUPPORTS");
  }
  if (!statement.stance_toward().empty()) {
    RETURN_IF_ERROR(
        CheckActorName(statement.stance_toward(), Path(path, "stance_toward")));
  }
  RETURN_IF_ERROR(CheckEnum(statement.modality(), v1::Modality_IsValid, false,
                            Path(path, "modality")));
  RETURN_IF_ERROR(CheckCount(statement.actions_size(), Path(path, "actions")));
  for (int i = 0; i < statement.actions_size(); ++i) {
    RETURN_IF_ERROR(ValidateAction(statement.actions(i), Index(path, "actions", i)));
  }
  if (absl::StripAsciiWhitespace(statement.quote()).empty() &&
      absl::StripAsciiWhitespace(statement.summary()).empty()) {
    return FieldError(Path(path, "quote"), "is required unless a summary is given");
  }
  RETURN_IF_ERROR(CheckLength(statement.quote(), kMaxLongText, Path(path, "quote")));
  RETURN_IF_ERROR(CheckLength(statement.summary(), kMaxLongText, Path(path, "summary")));
  RETURN_IF_ERROR(CheckLanguage(statement.language(), Path(path, "language")));
  if (!statement.has_issue_time())
    return FieldError(Path(path, "issue_time"), "is required");
  RETURN_IF_ERROR(ValidateTimestamp(statement.issue_time(), Path(path, "issue_time")));
  RETURN_IF_ERROR(CheckEnum(statement.issue_time_precision(), v1::TimePrecision_IsValid,
                            false, Path(path, "issue_time_precision")));
  RETURN_IF_ERROR(CheckCount(statement.sources_size(), Path(path, "sources")));
  for (int i = 0; i < statement.sources_size(); ++i) {
    RETURN_IF_ERROR(ValidateSource(statement.sources(i), Index(path, "sources", i)));
  }
  return ValidateLabels(statement.labels(), Path(path, "labels"));
}

}  // namespace rollcall
