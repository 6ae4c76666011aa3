#include "client/cli/review.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/cli/draft_views.h"
#include "client/cli/names.h"
#include "client/cli/rpc.h"
#include "client/cli/statement_flags.h"
#include "client/cli/values.h"

namespace rollcall::cli {
namespace {

enum class Outcome { kAccepted, kRejected, kSkipped, kQuit };

void ShowDraft(const v1::Draft& draft, int index, int total, std::ostream& out,
               bool colour) {
  const v1::Statement& s = draft.statement();
  out << "\n[" << index << "/" << total << "] " << draft.name() << "\n";
  out << "  actor:   " << DraftActor(draft) << "\n";
  out << "  stance:  " << Label(s.stance());
  if (!s.stance_toward().empty()) out << " → " << ResourceId(s.stance_toward());
  out << "\n";
  std::vector<std::string> actions;
  for (const v1::Action& action : s.actions()) actions.push_back(Label(action.kind()));
  if (!actions.empty()) out << "  actions: " << absl::StrJoin(actions, ", ") << "\n";
  if (!s.speaker().person_name().empty() || !s.speaker().office().empty()) {
    out << "  speaker: " << s.speaker().person_name()
        << (s.speaker().office().empty() ? "" : " (" + s.speaker().office() + ")")
        << "\n";
  }
  if (!draft.duplicate_of().empty()) {
    out << "  repeats " << draft.duplicate_of() << " (already recorded)\n";
  }
  out << RenderEvidence(draft, colour);
}

// Asks "QUESTION [current]: "; Enter keeps `current`.
absl::StatusOr<std::string> AskWithDefault(Prompter& prompter,
                                           const std::string& question,
                                           const std::string& current) {
  absl::StatusOr<std::string> answer =
      prompter.AskLine(absl::StrCat(question, " [", current, "]: "));
  if (!answer.ok() || !answer->empty()) return answer;
  return current;
}

// Asks `question` with `current` as default until `parse` accepts the
// answer (Enter keeps `current`); prints the parser's error before asking
// again. Returns the answer.
absl::StatusOr<std::string> AskField(
    Prompter& prompter, std::ostream& out, const std::string& question,
    const std::string& current,
    const std::function<absl::Status(const std::string&)>& parse) {
  while (true) {
    absl::StatusOr<std::string> answer = AskWithDefault(prompter, question, current);
    if (!answer.ok() || *answer == current) return answer;
    absl::Status valid = parse(*answer);
    if (valid.ok()) return answer;
    out << valid.message() << "\n";
  }
}

// Edits one string field: `set` stores the answer; `path` joins the mask
// when it changed. "-" clears an optional field.
absl::Status EditText(Prompter& prompter, std::ostream& out, const std::string& question,
                      const std::string& current, const char* path,
                      google::protobuf::FieldMask* mask,
                      const std::function<void(const std::string&)>& set) {
  auto answer = AskField(prompter, out, question, current,
                         [](const std::string&) { return absl::OkStatus(); });
  if (!answer.ok()) return answer.status();
  if (*answer == current) return absl::OkStatus();
  set(*answer == "-" ? "" : *answer);
  mask->add_paths(path);
  return absl::OkStatus();
}

absl::Status EditStance(Prompter& prompter, std::ostream& out, v1::Statement* s,
                        google::protobuf::FieldMask* mask) {
  const v1::Stance before = s->stance();
  auto answer =
      AskField(prompter, out, "Stance", Label(before), [&](const std::string& text) {
        auto stance = ParseEnum<v1::Stance>("stance", text);
        if (stance.ok()) s->set_stance(*stance);
        return stance.status();
      });
  if (!answer.ok()) return answer.status();
  if (s->stance() != before) mask->add_paths("stance");
  return absl::OkStatus();
}

absl::Status EditActions(Prompter& prompter, std::ostream& out, v1::Statement* s,
                         google::protobuf::FieldMask* mask) {
  std::vector<std::string> labels;
  for (const v1::Action& action : s->actions()) labels.push_back(Label(action.kind()));
  std::vector<v1::Action> parsed;
  auto answer = AskField(
      prompter, out, "Actions (comma-separated, - for none)", absl::StrJoin(labels, ","),
      [&](const std::string& text) {
        parsed.clear();
        for (absl::string_view kind : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
          kind = absl::StripAsciiWhitespace(kind);
          if (kind == "-") continue;
          auto value = ParseEnum<v1::ActionKind>("action", kind);
          if (!value.ok()) return value.status();
          parsed.emplace_back().set_kind(*value);
        }
        return absl::OkStatus();
      });
  if (!answer.ok()) return answer.status();
  if (*answer == absl::StrJoin(labels, ",")) return absl::OkStatus();
  s->clear_actions();
  for (v1::Action& action : parsed) *s->add_actions() = std::move(action);
  mask->add_paths("actions");
  return absl::OkStatus();
}

// Asks for each correctable field with the proposal as default; sets the
// changed ones in `statement` and names them in `mask`. Then asks, as
// `statements add` does, for whatever a statement still needs.
absl::Status EditFields(Prompter& prompter, std::ostream& out, v1::Statement* s,
                        google::protobuf::FieldMask* mask) {
  std::vector<std::function<absl::Status()>> steps = {
      [&] {
        return EditText(
            prompter, out, "Actor", ResourceId(s->actor()), "actor", mask,
            [s](const std::string& v) { s->set_actor(v.empty() ? "" : ActorName(v)); });
      },
      [&] { return EditStance(prompter, out, s, mask); },
      [&] {
        return EditText(prompter, out, "Stance toward (- for none)",
                        ResourceId(s->stance_toward()), "stance_toward", mask,
                        [s](const std::string& v) {
                          s->set_stance_toward(v.empty() ? "" : ActorName(v));
                        });
      },
      [&] { return EditActions(prompter, out, s, mask); },
      [&] {
        return EditText(prompter, out, "Speaker (- for none)", s->speaker().person_name(),
                        "speaker", mask, [s](const std::string& v) {
                          s->mutable_speaker()->set_person_name(v);
                        });
      },
      [&] {
        return EditText(prompter, out, "Quote (- for none)", s->quote(), "quote", mask,
                        [s](const std::string& v) { s->set_quote(v); });
      },
  };
  for (const auto& step : steps) {
    if (absl::Status status = step(); !status.ok()) return status;
  }
  const bool had_issue_time = s->has_issue_time();
  const bool had_summary = !s->summary().empty();
  absl::Status asked = AskForMissingFields(prompter, s);
  if (!asked.ok()) return asked;
  if (s->has_issue_time() && !had_issue_time) {
    mask->add_paths("issue_time");
    mask->add_paths("issue_time_precision");
  }
  if (!had_summary && !s->summary().empty()) mask->add_paths("summary");
  return absl::OkStatus();
}

// Accepts `draft` with the corrections in `request`; on a duplicate, shows
// it and asks whether to record anyway.
absl::StatusOr<Outcome> Accept(DraftClient& client, const v1::Draft& draft,
                               v1::AcceptDraftRequest request, Prompter& prompter,
                               std::ostream& out) {
  request.set_name(draft.name());
  request.set_etag(draft.etag());
  if (request.statement().actor().empty() && draft.statement().actor().empty()) {
    auto actor = prompter.AskRequired(absl::StrCat(
        "The actor is unresolved (\"", draft.unresolved_mention(), "\"). Actor"));
    if (!actor.ok()) return actor.status();
    if (!request.has_statement()) *request.mutable_statement() = draft.statement();
    request.mutable_statement()->set_actor(ActorName(*actor));
    request.mutable_update_mask()->add_paths("actor");
  }
  absl::StatusOr<v1::AcceptDraftResponse> accepted = client.AcceptDraft(request);
  if (absl::IsAlreadyExists(accepted.status())) {
    out << "  " << StatusLine(accepted.status()) << "\n";
    auto answer =
        prompter.AskValid("Record it anyway?", {"y", "n"}, [](const std::string& text) {
          return text == "y" || text == "n"
                     ? absl::OkStatus()
                     : absl::InvalidArgumentError("Answer y or n.");
        });
    if (!answer.ok()) return answer.status();
    if (*answer == "n") return Outcome::kSkipped;
    request.set_allow_duplicate(true);
    accepted = client.AcceptDraft(request);
  }
  if (!accepted.ok()) return accepted.status();
  out << "  accepted: " << accepted->statement().name() << "\n";
  return Outcome::kAccepted;
}

absl::StatusOr<Outcome> Reject(DraftClient& client, const v1::Draft& draft,
                               Prompter& prompter, std::ostream& out) {
  auto reason = prompter.AskRequired("Reason (e.g. not a reaction, misattributed)");
  if (!reason.ok()) return reason.status();
  v1::RejectDraftRequest request;
  request.set_name(draft.name());
  request.set_reason(*reason);
  request.set_etag(draft.etag());
  absl::StatusOr<v1::Draft> rejected = client.RejectDraft(request);
  if (!rejected.ok()) return rejected.status();
  out << "  rejected\n";
  return Outcome::kRejected;
}

absl::StatusOr<Outcome> ReviewOne(DraftClient& client, const v1::Draft& draft,
                                  Prompter& prompter, std::ostream& out) {
  auto choice = prompter.AskValid(
      "[a]ccept [e]dit [r]eject [s]kip [q]uit", {}, [](const std::string& text) {
        return text == "a" || text == "e" || text == "r" || text == "s" || text == "q"
                   ? absl::OkStatus()
                   : absl::InvalidArgumentError("Answer a, e, r, s or q.");
      });
  if (!choice.ok()) return choice.status();
  if (*choice == "s") return Outcome::kSkipped;
  if (*choice == "q") return Outcome::kQuit;
  if (*choice == "r") return Reject(client, draft, prompter, out);
  v1::AcceptDraftRequest request;
  if (*choice == "e") {
    *request.mutable_statement() = draft.statement();
    absl::Status edited = EditFields(prompter, out, request.mutable_statement(),
                                     request.mutable_update_mask());
    if (!edited.ok()) return edited;
  }
  return Accept(client, draft, std::move(request), prompter, out);
}

// Errors after which the same draft may be offered again: the server
// refused this answer (a bad correction, a missing actor).
bool IsRefusal(const absl::Status& status) {
  return absl::IsInvalidArgument(status) || absl::IsFailedPrecondition(status) ||
         absl::IsAlreadyExists(status);
}

// Errors after which the draft is passed over: someone else changed or
// removed it since it was read.
bool IsStale(const absl::Status& status) {
  return absl::IsAborted(status) || absl::IsNotFound(status);
}

}  // namespace

absl::StatusOr<ReviewCounts> ReviewDrafts(DraftClient& client,
                                          const std::vector<v1::Draft>& drafts,
                                          Prompter& prompter, std::ostream& out,
                                          bool colour) {
  std::vector<const v1::Draft*> pending;
  for (const v1::Draft& draft : drafts) {
    if (draft.state() == v1::DRAFT_STATE_PENDING) pending.push_back(&draft);
  }
  ReviewCounts counts;
  const int total = static_cast<int>(pending.size());
  for (int i = 0; i < total; ++i) {
    const v1::Draft& draft = *pending[i];
    ShowDraft(draft, i + 1, total, out, colour);
    absl::StatusOr<Outcome> outcome = ReviewOne(client, draft, prompter, out);
    if (!outcome.ok() && IsRefusal(outcome.status())) {
      out << "  refused: " << StatusLine(outcome.status()) << "\n";
      --i;  // offer the same draft again
      continue;
    }
    if (!outcome.ok() && IsStale(outcome.status())) {
      out << "  passed over: " << StatusLine(outcome.status()) << "\n";
      ++counts.skipped;
      continue;
    }
    if (!outcome.ok()) return outcome.status();
    if (*outcome == Outcome::kQuit) break;
    if (*outcome == Outcome::kAccepted) ++counts.accepted;
    if (*outcome == Outcome::kRejected) ++counts.rejected;
    if (*outcome == Outcome::kSkipped) ++counts.skipped;
  }
  out << "\nReviewed: " << counts.accepted << " accepted, " << counts.rejected
      << " rejected, " << counts.skipped << " skipped.\n";
  return counts;
}

}  // namespace rollcall::cli
