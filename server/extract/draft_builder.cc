#include "server/extract/draft_builder.h"

#include <algorithm>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "server/extract/stance_rules.h"

namespace rollcall::extract {
namespace {

constexpr char kCameoVersion[] = "1.1b3";
constexpr char kPloverVersion[] = "2.0";
constexpr size_t kMaxSummaryBytes = 600;

// Which stance wins when a reaction has several: the strongest position.
// Concern outranks support: "concerned ... we support the people of X" is
// concern about the event, support of its victims.
int Rank(v1::Stance stance) {
  switch (stance) {
    case v1::STANCE_CONDEMNS: return 5;
    case v1::STANCE_CRITICISES: return 4;
    case v1::STANCE_CONCERNED: return 3;
    case v1::STANCE_SUPPORTS: return 2;
    case v1::STANCE_NEUTRAL: return 1;
    default: return 0;
  }
}

// Stances an actor's words without a stance of their own may join.
int Side(v1::Stance stance) {
  switch (stance) {
    case v1::STANCE_CONDEMNS:
    case v1::STANCE_CRITICISES:
    case v1::STANCE_CONCERNED: return 1;
    case v1::STANCE_SUPPORTS: return 2;
    default: return 3;
  }
}

float ActorConfidence(v1::MentionResolution resolution) {
  switch (resolution) {
    case v1::MENTION_RESOLUTION_NAME: return 0.95f;
    case v1::MENTION_RESOLUTION_ALIAS: return 0.9f;
    case v1::MENTION_RESOLUTION_OFFICE_HOLDER: return 0.85f;
    case v1::MENTION_RESOLUTION_DEMONYM:
    case v1::MENTION_RESOLUTION_METONYM: return 0.75f;
    case v1::MENTION_RESOLUTION_OFFICE: return 0.7f;
    case v1::MENTION_RESOLUTION_PRONOUN: return 0.6f;
    default: return 0.0f;
  }
}

// One draft being assembled from the reactions of one actor and stance.
struct Accumulator {
  std::string key;  // the actor, or "?" and the unresolved mention
  v1::Stance stance = v1::STANCE_NEUTRAL;
  bool stance_given = false;  // by a stance or action word
  float stance_confidence = 0.3f;
  const Reaction* first = nullptr;
  // The first group of its reactions that names a person speaking, or -1.
  int speaker = -1;
  std::vector<int> sentences, quotations;
  std::vector<int> stances, actions;
  v1::Modality modality = v1::MODALITY_ASSERTED;
  std::string stance_toward;
  int time = -1;
  bool merged = false;
  // Its actions are only ruled out ("did not close its borders"), recorded
  // with MODALITY_NEGATED; they do not join another draft.
  bool ruled_out = false;
  // Its only stance is one not taken ("did not condemn"): it joins the
  // actor's other words, if any.
  bool negated_only = false;
};

class DraftBuilder {
 public:
  explicit DraftBuilder(const DraftContext& c)
      : c_(c), a_(*c.text), cp_(CodePointOffsets(a_.text)) {}

  std::vector<v1::Draft> Build(const std::vector<Reaction>& reactions);

 private:
  void Add(const Reaction& r);
  void Absorb(Accumulator* into, const Accumulator& from) const;
  void RuledOut(const Reaction& r, Accumulator* acc) const;
  v1::Draft Finish(const Accumulator& acc) const;
  void Evidence(const Accumulator& acc, v1::Draft* draft) const;
  void Statement(const Accumulator& acc, v1::Draft* draft) const;
  v1::TextSpan Span(int32_t begin, int32_t end) const {
    v1::TextSpan span;
    span.set_start(cp_[begin]);
    span.set_end(cp_[end]);
    span.set_text(a_.text.substr(begin, end - begin));
    return span;
  }
  v1::TextSpan Tokens(int begin, int end) const {
    return Span(a_.tokens[begin].begin, a_.tokens[end - 1].end);
  }
  std::string StanceToward(const Reaction& r, const std::string& actor) const;
  bool InsideOpposedAction(const Reaction& r, const LexiconMatch& word) const;

  const DraftContext& c_;
  const AnnotatedText& a_;
  std::vector<int32_t> cp_;
  std::vector<Accumulator> drafts_;
  absl::flat_hash_map<std::string, std::vector<int>> by_key_;  // into drafts_
};

std::string DraftBuilder::StanceToward(const Reaction& r,
                                       const std::string& actor) const {
  int from = -1;
  for (size_t i = 0; i < r.stances.size(); ++i) {
    const LexiconMatch& m = a_.stances[r.stances[i]];
    if (c_.language->stance_entries[m.entry].stance == v1::STANCE_SUPPORTS) {
      from = m.end;
      break;
    }
  }
  for (size_t i = 0; i < r.actions.size() && from < 0; ++i) {
    const LexiconMatch& m = a_.actions[r.actions[i]];
    if (c_.language->action_entries[m.entry].implied_stance ==
        v1::STANCE_SUPPORTS) {
      from = m.end;
    }
  }
  if (from < 0) return "";
  int s = a_.sentence_of[from - 1];
  auto g = std::lower_bound(a_.groups.begin(), a_.groups.end(), from,
                            [](const Group& x, int t) { return x.begin < t; });
  for (; g != a_.groups.end() && g->sentence == s; ++g) {
    if (!g->actor.empty() && g->actor != actor && !g->pronoun) return g->actor;
  }
  return "";
}

// "Paused $700 million in economic support": a stance word inside an action
// that implies another stance is part of the action, not a stance; so is
// one right after it or its object's complement, which qualifies that
// object ("blocked a statement endorsing the sanctions", "ont bloqué une
// déclaration du Conseil de sécurité soutenant les sanctions").
bool DraftBuilder::InsideOpposedAction(const Reaction& r,
                                       const LexiconMatch& word) const {
  v1::Stance stance = c_.language->stance_entries[word.entry].stance;
  auto complement = [&](int begin, int end) {
    for (int t = begin; t < end; ++t) {
      auto g = std::upper_bound(
          a_.groups.begin(), a_.groups.end(), t,
          [](int token, const Group& x) { return token < x.begin; });
      bool named = g != a_.groups.begin() && std::prev(g)->end > t;
      if (!named && !c_.language->genitives.contains(a_.lower[t]) &&
          !c_.language->joiners.contains(a_.lower[t])) {
        return false;
      }
    }
    return true;
  };
  for (size_t i = 0; i < r.actions.size(); ++i) {
    const LexiconMatch& m = a_.actions[r.actions[i]];
    v1::Stance implied = c_.language->action_entries[m.entry].implied_stance;
    bool inside = m.begin <= word.begin &&
                  (word.end <= m.end || complement(m.end, word.begin));
    if (!r.action_negated[i] && inside &&
        implied != v1::STANCE_UNSPECIFIED && implied != stance) {
      return true;
    }
  }
  return false;
}

void DraftBuilder::Add(const Reaction& r) {
  const Group& resolved = a_.groups[r.resolved];
  Accumulator acc;
  acc.key = resolved.actor.empty()
                ? "?" + a_.text.substr(a_.tokens[resolved.begin].begin,
                                       a_.tokens[resolved.end - 1].end -
                                           a_.tokens[resolved.begin].begin)
                : resolved.actor;
  acc.first = &r;
  if (resolved.person_like && !resolved.person.empty()) acc.speaker = r.resolved;
  // "Its spokesman, X": the speaker is the mention's, the actor the
  // antecedent's.
  const Group& mention = a_.groups[r.mention];
  if (mention.possessive && !mention.person.empty()) acc.speaker = r.mention;
  acc.sentences = r.sentences;
  acc.quotations = r.quotations;
  acc.modality = r.modality;
  acc.time = r.time;
  bool negated_stance = false;
  for (size_t i = 0; i < r.stances.size(); ++i) {
    if (r.stance_negated[i]) {
      negated_stance = true;
      continue;
    }
    if (InsideOpposedAction(r, a_.stances[r.stances[i]])) continue;
    acc.stances.push_back(r.stances[i]);
    const StanceEntry& e =
        c_.language->stance_entries[a_.stances[r.stances[i]].entry];
    if (!acc.stance_given || Rank(e.stance) > Rank(acc.stance)) {
      acc.stance = e.stance;
      acc.stance_confidence = e.confidence;
      acc.stance_given = true;
    }
  }
  bool implied = false;
  for (size_t i = 0; i < r.actions.size(); ++i) {
    if (r.action_negated[i] ||
        NamedAsObject(a_, *c_.language, r, a_.actions[r.actions[i]])) {
      continue;
    }
    acc.actions.push_back(r.actions[i]);
    const ActionEntry& e =
        c_.language->action_entries[a_.actions[r.actions[i]].entry];
    if (acc.stance_given || e.implied_stance == v1::STANCE_UNSPECIFIED) continue;
    if (!implied || Rank(e.implied_stance) > Rank(acc.stance)) {
      acc.stance = e.implied_stance;
      acc.stance_confidence = 0.5f;
      implied = true;
    }
  }
  if (acc.actions.empty() && !acc.stance_given) RuledOut(r, &acc);
  if (!acc.stance_given && !implied && negated_stance) {
    acc.stance_given = true;  // "did not condemn": said, and neutral
    acc.stance_confidence = 0.5f;
    acc.negated_only = true;
  } else if (!acc.stance_given &&
             (!implied || Rank(acc.stance) <= Rank(v1::STANCE_CONCERNED)) &&
             resolved.kind == v1::ACTOR_KIND_NON_STATE_GROUP) {
    // A junta announcing what it has done or promises ("decided to put an
    // end to the regime", "borders are closed", "elections will be held")
    // supports its own act.
    acc.stance = v1::STANCE_SUPPORTS;
    acc.stance_confidence = 0.4f;
    implied = true;
  } else if (!acc.stance_given && !implied && r.decided) {
    // An actor reporting its own decision with no word of stance ("I have
    // decided to conduct a special military operation") supports it.
    acc.stance = v1::STANCE_SUPPORTS;
    acc.stance_confidence = 0.4f;
    implied = true;
  }
  if (acc.stance == v1::STANCE_SUPPORTS) {
    acc.stance_toward = StanceToward(r, resolved.actor);
  }
  // Words with no stance of their own join the actor's draft on the same
  // side; words with none at all join any draft of the actor.
  std::vector<int>& same_key = by_key_[acc.key];
  for (int index : same_key) {
    Accumulator& d = drafts_[index];
    bool join = d.stance == acc.stance || acc.negated_only ||
                (!acc.stance_given && !implied) ||
                (!acc.stance_given && Side(d.stance) == Side(acc.stance));
    if (join) {
      Absorb(&d, acc);
      return;
    }
  }
  acc.stance_given = acc.stance_given || implied;
  same_key.push_back(drafts_.size());
  drafts_.push_back(std::move(acc));
}

// A reaction that only rules actions out ("Guinea will not close its
// borders", "the army ruled out any negotiation") records them, negated.
void DraftBuilder::RuledOut(const Reaction& r, Accumulator* acc) const {
  for (size_t i = 0; i < r.actions.size(); ++i) {
    const LexiconMatch& m = a_.actions[r.actions[i]];
    // "Did not condemn" is no act of condemning: a stance word's act is not
    // recorded when it is negated.
    bool stance_word = std::any_of(
        r.stances.begin(), r.stances.end(), [&](int s) {
          return a_.stances[s].begin < m.end && m.begin < a_.stances[s].end;
        });
    if (r.action_negated[i] && !stance_word) acc->actions.push_back(r.actions[i]);
  }
  if (!acc->actions.empty()) {
    acc->ruled_out = true;
    acc->modality = v1::MODALITY_NEGATED;
  }
}

void DraftBuilder::Absorb(Accumulator* into, const Accumulator& from) const {
  if (into->ruled_out && !from.ruled_out) {
    // What is said outweighs what is ruled out.
    into->actions.clear();
    into->modality = from.modality;
    into->ruled_out = false;
  }
  auto merge = [](std::vector<int>* to, const std::vector<int>& more) {
    for (int x : more) {
      if (std::find(to->begin(), to->end(), x) == to->end()) to->push_back(x);
    }
    std::sort(to->begin(), to->end());
  };
  merge(&into->sentences, from.sentences);
  merge(&into->quotations, from.quotations);
  merge(&into->stances, from.stances);
  if (!from.ruled_out || into->ruled_out) merge(&into->actions, from.actions);
  // What one of its reactions asserts, the draft asserts ("ECOWAS threatens
  // sanctions" in a headline, "ECOWAS condemned" in the text).
  if (from.modality == v1::MODALITY_ASSERTED && !from.ruled_out) {
    into->modality = v1::MODALITY_ASSERTED;
  }
  if (into->time < 0) into->time = from.time;
  if (into->speaker < 0) into->speaker = from.speaker;
  if (into->stance_toward.empty()) into->stance_toward = from.stance_toward;
}

std::vector<v1::Draft> DraftBuilder::Build(
    const std::vector<Reaction>& reactions) {
  for (const Reaction& r : reactions) Add(r);
  // A draft made only of words without a stance, or of a stance not taken,
  // joins a later draft of the same actor that has one ("Egypt did not
  // condemn the takeover, calling instead for calm").
  for (Accumulator& d : drafts_) {
    if (d.stance_given && !d.negated_only) continue;
    for (int index : by_key_[d.key]) {
      Accumulator& other = drafts_[index];
      if (&other != &d && !other.merged && other.stance_given &&
          !other.negated_only) {
        Absorb(&other, d);
        d.merged = true;
        break;
      }
    }
  }
  // One position per actor and side: an actor that condemns and is
  // concerned in one article is recorded as condemning; support and
  // neutral reports (a mediation) stay apart.
  for (Accumulator& d : drafts_) {
    if (d.merged) continue;
    for (int index : by_key_[d.key]) {
      Accumulator& other = drafts_[index];
      if (&other == &d || other.merged || Side(other.stance) != 1 ||
          Side(d.stance) != 1 || Rank(other.stance) < Rank(d.stance)) {
        continue;
      }
      if (Rank(other.stance) == Rank(d.stance) && index < (&d - drafts_.data())) {
        continue;
      }
      Absorb(&other, d);
      d.merged = true;
      break;
    }
  }
  std::vector<v1::Draft> drafts;
  for (const Accumulator& d : drafts_) {
    if (d.merged) continue;
    // Someone the directory does not know, quoted with no stance or action
    // word and no office (a witness, an analyst), is colour, not a
    // reaction.
    const Group& who = a_.groups[d.first->resolved];
    if (who.actor.empty() && !d.stance_given && d.actions.empty() &&
        who.office.empty()) {
      continue;
    }
    drafts.push_back(Finish(d));
  }
  return drafts;
}

void DraftBuilder::Evidence(const Accumulator& acc, v1::Draft* draft) const {
  v1::DraftEvidence* e = draft->add_evidence();
  for (int s : acc.sentences) {
    const auto& sentence = a_.sentences[s];
    *e->add_sentences() = Tokens(sentence.first, sentence.last);
  }
  for (int q : acc.quotations) {
    *e->add_quotes() = Span(a_.quotations[q].begin, a_.quotations[q].end);
  }
  const Reaction& r = *acc.first;
  if (r.cue >= 0) *e->mutable_cue() = Tokens(a_.cues[r.cue].begin, a_.cues[r.cue].end);
  for (int i : acc.stances) {
    *e->add_stance_cues() = Tokens(a_.stances[i].begin, a_.stances[i].end);
  }
  std::vector<v1::ActionKind> seen;
  for (int i : acc.actions) {
    v1::ActionKind kind = c_.language->action_entries[a_.actions[i].entry].kind;
    if (kind != v1::ACTION_KIND_OTHER &&
        std::find(seen.begin(), seen.end(), kind) != seen.end()) {
      continue;
    }
    seen.push_back(kind);
    *e->add_action_cues() = Tokens(a_.actions[i].begin, a_.actions[i].end);
  }
  if (acc.time >= 0) {
    *e->mutable_time_cue() = Tokens(a_.times[acc.time].begin, a_.times[acc.time].end);
  }
  const Group& mention = a_.groups[r.mention];
  const Group& resolved = a_.groups[r.resolved];
  v1::ActorMention* m = e->mutable_actor_mention();
  *m->mutable_span() = Tokens(mention.begin, mention.end);
  m->set_actor(resolved.actor);
  if (mention.pronoun) {
    m->set_resolution(resolved.actor.empty()
                          ? v1::MENTION_RESOLUTION_UNRESOLVED
                          : v1::MENTION_RESOLUTION_PRONOUN);
    *m->mutable_antecedent() = Tokens(resolved.begin, resolved.end);
  } else {
    m->set_resolution(resolved.resolution);
  }
  if (!resolved.person.empty() || !resolved.office.empty()) {
    m->mutable_person()->set_person_name(resolved.person);
    m->mutable_person()->set_office(resolved.office);
  }
  if (resolved.actor.empty()) {
    draft->set_unresolved_mention(Tokens(resolved.begin, resolved.end).text());
  }
}

void DraftBuilder::Statement(const Accumulator& acc, v1::Draft* draft) const {
  v1::Statement* st = draft->mutable_statement();
  const Reaction& r = *acc.first;
  const Group& resolved = a_.groups[r.resolved];
  st->set_event(c_.event);
  st->set_actor(resolved.actor);
  // Who spoke: the first person among its reactions ("Paris condemned
  // ...; « ... », a dénoncé le président français").
  const Group& speaker = a_.groups[acc.speaker >= 0 ? acc.speaker : r.resolved];
  if (speaker.person_like && (!speaker.person.empty() || !speaker.office.empty())) {
    st->mutable_speaker()->set_person_name(speaker.person);
    st->mutable_speaker()->set_office(speaker.office);
  }
  st->set_stance(acc.stance);
  st->set_stance_toward(acc.stance_toward);
  st->set_modality(acc.modality);
  std::vector<std::pair<v1::ActionKind, std::string>> seen;
  for (int i : acc.actions) {
    const ActionEntry& entry = c_.language->action_entries[a_.actions[i].entry];
    // Each kind once; each distinct measure or demand of the catch-all
    // ACTION_KIND_OTHER once, described by the words that report it.
    std::pair<v1::ActionKind, std::string> key(
        entry.kind, entry.kind == v1::ACTION_KIND_OTHER
                        ? ActionDescription(a_, *c_.language, a_.actions[i])
                        : "");
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    v1::Action* action = st->add_actions();
    action->set_kind(entry.kind);
    action->set_description(key.second);
    if (!entry.cameo.empty()) {
      v1::Coding* coding = action->add_codings();
      coding->set_scheme("cameo");
      coding->set_codebook_version(kCameoVersion);
      coding->set_code(entry.cameo);
    }
    if (!entry.plover.empty()) {
      v1::Coding* coding = action->add_codings();
      coding->set_scheme("plover");
      coding->set_codebook_version(kPloverVersion);
      coding->set_code(entry.plover);
      if (!entry.plover_mode.empty()) coding->add_modes(entry.plover_mode);
    }
  }
  std::vector<std::string> quotes;
  for (int q : acc.quotations) {
    quotes.push_back(a_.text.substr(a_.quotations[q].begin,
                                    a_.quotations[q].end - a_.quotations[q].begin));
  }
  st->set_quote(absl::StrJoin(quotes, " [...] "));
  const auto& first = a_.sentences[acc.sentences.front()];
  std::string summary = Tokens(first.first, first.last).text();
  if (summary.size() > kMaxSummaryBytes) {
    size_t cut = kMaxSummaryBytes;
    while (cut > 0 && (static_cast<unsigned char>(summary[cut]) & 0xC0) == 0x80) --cut;
    summary = summary.substr(0, cut) + "…";
  }
  st->set_summary(summary);
  st->set_language(c_.document->language());
  absl::CivilDay day = c_.day;
  if (acc.time >= 0) {
    const TimeEntry& t = c_.language->time_entries[a_.times[acc.time].entry];
    if (t.weekday) {
      int today = (static_cast<int>(absl::GetWeekday(day)) + 7 -
                   static_cast<int>(absl::Weekday::monday)) % 7;
      day -= (today - t.value + 7) % 7;
    } else {
      day += t.value;
    }
  }
  *st->mutable_issue_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
      absl::ToUnixSeconds(absl::FromCivil(day, absl::UTCTimeZone())));
  st->set_issue_time_precision(v1::TIME_PRECISION_DAY);
  v1::Source* source = st->add_sources();
  source->set_publisher(c_.document->publisher());
  source->set_url(c_.document->url());
  source->set_title(c_.document->title());
  source->set_medium(c_.document->medium());
  if (c_.document->has_publish_time()) {
    *source->mutable_publish_time() = c_.document->publish_time();
  }
}

v1::Draft DraftBuilder::Finish(const Accumulator& acc) const {
  v1::Draft draft;
  Statement(acc, &draft);
  Evidence(acc, &draft);
  const Group& resolved = a_.groups[acc.first->resolved];
  const Group& mention = a_.groups[acc.first->mention];
  v1::DraftConfidence* c = draft.mutable_confidence();
  c->set_actor(mention.pronoun && !resolved.actor.empty()
                   ? 0.6f : ActorConfidence(resolved.resolution));
  c->set_speaker(draft.statement().has_speaker() ? 0.7f : 0.0f);
  c->set_stance(acc.stance_confidence);
  c->set_actions(draft.statement().actions_size() > 0 ? 0.7f : 0.0f);
  c->set_quote(draft.statement().quote().empty() ? 0.0f : 0.9f);
  c->set_issue_time(acc.time >= 0 ? 0.8f : 0.5f);
  c->set_modality(acc.modality == v1::MODALITY_ASSERTED ? 0.7f : 0.6f);
  return draft;
}

}  // namespace

std::vector<v1::Draft> BuildDrafts(const DraftContext& context,
                                   const std::vector<Reaction>& reactions) {
  return DraftBuilder(context).Build(reactions);
}

}  // namespace rollcall::extract
