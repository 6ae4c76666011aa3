// The Store contract, run against every implementation.

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/field_error.h"
#include "server/common/names.h"
#include "server/common/time_util.h"
#include "tests/store/store_test_support.h"

namespace rollcall::testing {
namespace {

using ::testing::HasSubstr;

class StoreConformanceTest : public StoreTestBase {
 protected:
  v1::Statement CreateOrDie(const v1::Statement& statement,
                            const std::string& request_id = "") {
    absl::StatusOr<v1::Statement> created =
        store().CreateStatement(Request(statement, request_id));
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(v1::Statement());
  }
  v1::Statement EcowasStatement() {
    return MakeStatement("actors/ecowas", "events/niger-coup-2023");
  }
  absl::StatusOr<v1::Statement> Retract(const std::string& name) {
    return store().UpdateStatement(name, [](v1::Statement& s) {
      s.set_state(v1::STATEMENT_STATE_RETRACTED);
      s.mutable_retraction()->set_reason("misattributed");
      return absl::OkStatus();
    });
  }
  absl::StatusOr<v1::Statement> SetSummary(const std::string& name,
                                           const std::string& summary) {
    return store().UpdateStatement(name, [summary](v1::Statement& s) {
      s.set_summary(summary);
      return absl::OkStatus();
    });
  }
};

// ---- Actors and events ---------------------------------------------------

TEST_P(StoreConformanceTest, CreatedActorIsReturnedByGetWithOutputFields) {
  absl::StatusOr<v1::Actor> created = store().CreateActor(MakeActor("niger"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->has_create_time());
  EXPECT_FALSE(created->etag().empty());
  absl::StatusOr<v1::Actor> got = store().GetActor("actors/niger");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->SerializeAsString(), created->SerializeAsString());
}

TEST_P(StoreConformanceTest, CreatingAnExistingActorIsAlreadyExists) {
  ASSERT_TRUE(store().CreateActor(MakeActor("niger")).ok());
  EXPECT_EQ(store().CreateActor(MakeActor("niger")).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_P(StoreConformanceTest, GettingOrUpdatingAMissingActorIsNotFound) {
  EXPECT_EQ(store().GetActor("actors/atlantis").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store()
                .UpdateActor("actors/atlantis", [](v1::Actor&) { return absl::OkStatus(); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreConformanceTest, MembershipOfAMissingOrItselfIsFailedPrecondition) {
  absl::Status status =
      store().CreateActor(MakeActor("niger", v1::ACTOR_KIND_STATE, {"actors/atlantis"}))
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("member_of[0].organisation"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("actors/atlantis"));
  EXPECT_EQ(store().GetActor("actors/niger").status().code(), absl::StatusCode::kNotFound);

  ASSERT_TRUE(store().CreateActor(MakeActor("niger")).ok());
  status = store()
               .UpdateActor("actors/niger",
                            [](v1::Actor& actor) {
                              actor.add_member_of()->set_organisation("actors/niger");
                              return absl::OkStatus();
                            })
               .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(StoreConformanceTest, UpdateActorAppliesTheMutationAndChangesTheEtag) {
  absl::StatusOr<v1::Actor> created = store().CreateActor(MakeActor("niger"));
  ASSERT_TRUE(created.ok());
  absl::StatusOr<v1::Actor> updated =
      store().UpdateActor("actors/niger", [](v1::Actor& actor) {
        actor.set_display_name("Republic of the Niger");
        return absl::OkStatus();
      });
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name(), "Republic of the Niger");
  EXPECT_NE(updated->etag(), created->etag());
  EXPECT_EQ(updated->create_time().seconds(), created->create_time().seconds());
  EXPECT_EQ(store().GetActor("actors/niger")->display_name(), "Republic of the Niger");
}

TEST_P(StoreConformanceTest, ListActorsFiltersByKindCountryAndCurrentMembership) {
  SeedNigerRollCall(store());
  ASSERT_TRUE(store()
                  .UpdateActor("actors/benin",
                               [](v1::Actor& actor) {
                                 actor.set_country_code("BEN");
                                 *actor.mutable_member_of(0)->mutable_end_time() =
                                     ToTimestamp(absl::Now() - absl::Hours(1));
                                 return absl::OkStatus();
                               })
                  .ok());
  ActorQuery query;
  query.filter.member_of = {"actors/ecowas"};
  absl::StatusOr<ActorPage> page = store().ListActors(query);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->actors.size(), 1u) << "benin's membership has ended";
  EXPECT_EQ(page->actors[0].name(), "actors/niger");

  query = ActorQuery();
  query.filter.kinds = {v1::ACTOR_KIND_REGIONAL_BLOC};
  EXPECT_EQ(store().ListActors(query)->actors.size(), 2u);
  query.filter = ActorFilter();
  query.filter.country_codes = {"BEN"};
  ASSERT_EQ(store().ListActors(query)->actors.size(), 1u);
}

TEST_P(StoreConformanceTest, ListActorsPagesByNameWithoutGaps) {
  SeedNigerRollCall(store());
  ActorQuery query;
  query.page_size = 2;
  std::vector<std::string> names;
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<ActorPage> page = store().ListActors(query);
    ASSERT_TRUE(page.ok());
    for (const v1::Actor& actor : page->actors) names.push_back(actor.name());
    if (!page->next_after_name.has_value()) break;
    query.after_name = page->next_after_name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"actors/african-union", "actors/benin",
                                             "actors/ecowas", "actors/france",
                                             "actors/niger"}));
}

TEST_P(StoreConformanceTest, EventsAreCreatedOnceUpdatedAndListedNewestFirst) {
  ASSERT_TRUE(store().CreateEvent(MakeEvent("older", absl::FromUnixSeconds(1000))).ok());
  v1::Event labelled = MakeEvent("newer", absl::FromUnixSeconds(2000));
  (*labelled.mutable_labels())["region"] = "sahel";
  labelled.set_country_code("NER");
  ASSERT_TRUE(store().CreateEvent(labelled).ok());
  ASSERT_TRUE(store().CreateEvent(MakeEvent("also-older", absl::FromUnixSeconds(1000))).ok());
  EXPECT_EQ(store().CreateEvent(MakeEvent("older")).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store().GetEvent("events/missing").status().code(), absl::StatusCode::kNotFound);

  EventQuery query;
  query.page_size = 1;
  std::vector<std::string> names;
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<EventPage> page = store().ListEvents(query);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::Event& event : page->events) names.push_back(event.name());
    if (!page->next.has_value()) break;
    query.after = page->next;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"events/newer", "events/also-older",
                                             "events/older"}));

  query = EventQuery();
  query.filter.labels = {{"region", "sahel"}};
  EXPECT_EQ(store().ListEvents(query)->events.size(), 1u);
  query.filter.labels = {{"region", "maghreb"}};
  EXPECT_TRUE(store().ListEvents(query)->events.empty());
  query.filter = EventFilter();
  query.filter.country_codes = {"NER"};
  EXPECT_EQ(store().ListEvents(query)->events.size(), 1u);

  absl::StatusOr<v1::Event> updated = store().UpdateEvent("events/older", [](v1::Event& e) {
    e.set_title("Renamed");
    return absl::OkStatus();
  });
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(store().GetEvent("events/older")->title(), "Renamed");
  EXPECT_NE(updated->etag(), store().GetEvent("events/also-older")->etag())
      << "an update changes the etag";
}

// ---- Statements ----------------------------------------------------------

TEST_P(StoreConformanceTest, CreateStatementSetsNameRevisionStateSequenceAndTimes) {
  SeedNigerRollCall(store());
  v1::Statement created = CreateOrDie(EcowasStatement());
  EXPECT_TRUE(created.name().rfind("statements/", 0) == 0) << created.name();
  EXPECT_EQ(created.revision(), 1);
  EXPECT_EQ(created.state(), v1::STATEMENT_STATE_ACTIVE);
  EXPECT_EQ(created.sequence(), 1);
  EXPECT_FALSE(created.etag().empty());
  EXPECT_TRUE(created.has_create_time());
  EXPECT_EQ(store().HeadSequence(), 1);
  absl::StatusOr<v1::Statement> got = store().GetStatement(created.name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->SerializeAsString(), created.SerializeAsString());
  EXPECT_EQ(store().GetStatement("statements/snotthere").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreConformanceTest, MissingReferencesAreFailedPreconditionNamingTheField) {
  SeedNigerRollCall(store());
  struct Case {
    std::function<void(v1::Statement&)> break_it;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](v1::Statement& s) { s.set_event("events/atlantis"); }, "statement.event"},
      {[](v1::Statement& s) { s.set_actor("actors/atlantis"); }, "statement.actor"},
      {[](v1::Statement& s) {
         s.add_joint_with("actors/niger");
         s.add_joint_with("actors/atlantis");
       },
       "statement.joint_with[1]"},
      {[](v1::Statement& s) { s.set_stance_toward("actors/atlantis"); },
       "statement.stance_toward"},
      {[](v1::Statement& s) {
         v1::Action* action = s.add_actions();
         action->set_kind(v1::ACTION_KIND_DEMAND_RELEASE);
         action->add_targets("actors/niger");
         action->add_targets("actors/atlantis");
       },
       "statement.actions[0].targets[1]"},
  };
  for (const Case& c : cases) {
    v1::Statement statement = EcowasStatement();
    c.break_it(statement);
    absl::Status status = store().CreateStatement(Request(statement)).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << c.field;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.field));
    EXPECT_THAT(std::string(status.message()), HasSubstr("atlantis"));
  }
  EXPECT_EQ(store().HeadSequence(), 0);
}

TEST_P(StoreConformanceTest, EverythingAcknowledgedSurvivesReopen) {
  SeedNigerRollCall(store());
  v1::Statement first = CreateOrDie(EcowasStatement(), "req-1");
  absl::StatusOr<v1::Statement> second = SetSummary(first.name(), "corrected");
  ASSERT_TRUE(second.ok());
  Reopen();
  EXPECT_EQ(store().HeadSequence(), 2);
  absl::StatusOr<v1::Statement> got = store().GetStatement(first.name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->SerializeAsString(), second->SerializeAsString());
  EXPECT_TRUE(store().GetActor("actors/niger").ok());
  EXPECT_TRUE(store().GetEvent("events/niger-coup-2023").ok());
  EXPECT_EQ(store().ReadChanges(0, 10)->size(), 2u);
  EXPECT_EQ(CreateOrDie(EcowasStatement()).sequence(), 3) << "the log continues";
}

TEST_P(StoreConformanceTest, SequencesStayGapFreeUnderEightConcurrentWriters) {
  SeedNigerRollCall(store());
  constexpr int kThreads = 8;
  constexpr int kOpsPerThread = 25;
  std::atomic<int> acknowledged{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      absl::BitGen bits;
      std::vector<std::string> mine;
      for (int i = 0; i < kOpsPerThread; ++i) {
        const int op = mine.empty() ? 0 : absl::Uniform(bits, 0, 3);
        absl::Status status;
        if (op == 0) {
          absl::StatusOr<v1::Statement> s = store().CreateStatement(Request(EcowasStatement()));
          status = s.status();
          if (s.ok()) mine.push_back(s->name());
        } else if (op == 1) {
          status = SetSummary(mine.back(), absl::StrCat("t", t, " op", i)).status();
        } else {
          status = Retract(mine.back()).status();
          mine.pop_back();
        }
        if (status.ok()) ++acknowledged;
        else ADD_FAILURE() << status;
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  const int n = acknowledged.load();
  EXPECT_EQ(store().HeadSequence(), n);
  absl::StatusOr<std::vector<LoggedChange>> changes = store().ReadChanges(0, n + 10);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(static_cast<int>(changes->size()), n);
  std::map<std::string, int64_t> last_revision;
  for (int i = 0; i < n; ++i) {
    const LoggedChange& change = (*changes)[i];
    ASSERT_EQ(change.sequence, i + 1) << "gap or reordering";
    v1::Statement statement;
    ASSERT_TRUE(statement.ParseFromString(change.statement));
    EXPECT_EQ(statement.sequence(), change.sequence);
    int64_t& revision = last_revision[statement.name()];
    EXPECT_EQ(statement.revision(), revision + 1);
    revision = statement.revision();
    if (i > 0) {
      EXPECT_GE(change.commit_time_micros, (*changes)[i - 1].commit_time_micros);
    }
  }
  for (const auto& [name, revision] : last_revision) {
    absl::StatusOr<RevisionPage> history = store().ListStatementRevisions(name, 0, 100);
    ASSERT_TRUE(history.ok());
    ASSERT_EQ(static_cast<int64_t>(history->revisions.size()), revision);
    absl::StatusOr<v1::Statement> current = store().GetStatement(name);
    ASSERT_TRUE(current.ok());
    EXPECT_EQ(history->revisions.back().SerializeAsString(), current->SerializeAsString());
  }
  for (const LoggedChange& change : *changes) {
    v1::Statement statement;
    ASSERT_TRUE(statement.ParseFromString(change.statement));
    absl::StatusOr<RevisionPage> one =
        store().ListStatementRevisions(statement.name(), statement.revision() - 1, 1);
    ASSERT_TRUE(one.ok());
    ASSERT_EQ(one->revisions.size(), 1u);
    EXPECT_EQ(one->revisions[0].SerializeAsString(), statement.SerializeAsString());
  }
}

// Names are valid resource ids and sort in the order the statements were
// created (NewStatementId), whether alone, from concurrent writers (group
// commits) or in a batch: the indexes keyed by name then grow at their end.
TEST_P(StoreConformanceTest, StatementNamesAreValidIdsInTheOrderOfCreation) {
  SeedNigerRollCall(store());
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        absl::StatusOr<v1::Statement> created =
            store().CreateStatement(Request(EcowasStatement()));
        EXPECT_TRUE(created.ok()) << created.status();
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  std::vector<NewStatement> batch(20, Request(EcowasStatement()));
  ASSERT_TRUE(store().CreateStatements(batch).ok());
  Reopen();
  CreateOrDie(EcowasStatement());
  absl::StatusOr<std::vector<LoggedChange>> changes = store().ReadChanges(0, 1000);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 101u);
  std::string previous;
  for (const LoggedChange& change : *changes) {
    v1::Statement statement;
    ASSERT_TRUE(statement.ParseFromString(change.statement));
    EXPECT_TRUE(ParseName(statement.name(), kStatementsCollection, "name").ok())
        << statement.name();
    EXPECT_EQ(statement.name().size(), std::string("statements/").size() + 16)
        << statement.name();
    EXPECT_GT(statement.name(), previous) << "sequence " << change.sequence;
    previous = statement.name();
  }
}

TEST_P(StoreConformanceTest, RetryWithSameRequestIdReturnsFirstStatementEvenAfterReopen) {
  SeedNigerRollCall(store());
  v1::Statement first = CreateOrDie(EcowasStatement(), "req-1");
  v1::Statement again = CreateOrDie(EcowasStatement(), "req-1");
  EXPECT_EQ(again.name(), first.name());
  EXPECT_EQ(store().HeadSequence(), 1) << "a retry is not a new change";
  Reopen();
  EXPECT_EQ(CreateOrDie(EcowasStatement(), "req-1").name(), first.name());
  EXPECT_EQ(store().HeadSequence(), 1);
  EXPECT_NE(CreateOrDie(EcowasStatement(), "req-2").name(), first.name());
}

TEST_P(StoreConformanceTest, RequestIdReusedForDifferentContentIsInvalidArgument) {
  SeedNigerRollCall(store());
  CreateOrDie(EcowasStatement(), "req-1");
  v1::Statement different = EcowasStatement();
  different.set_actor("actors/niger");
  absl::Status status = store().CreateStatement(Request(different, "req-1")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(status), "request_id");
  EXPECT_EQ(store().HeadSequence(), 1);
}

TEST_P(StoreConformanceTest, HistoryKeepsEveryRevisionWithItsChangeKind) {
  SeedNigerRollCall(store());
  v1::Statement created = CreateOrDie(EcowasStatement());
  ASSERT_TRUE(SetSummary(created.name(), "second").ok());
  absl::StatusOr<v1::Statement> retracted = Retract(created.name());
  ASSERT_TRUE(retracted.ok()) << retracted.status();
  EXPECT_EQ(retracted->state(), v1::STATEMENT_STATE_RETRACTED);
  EXPECT_EQ(retracted->revision(), 3);
  EXPECT_TRUE(retracted->retraction().has_retract_time());
  EXPECT_EQ(retracted->update_time().SerializeAsString(),
            retracted->retraction().retract_time().SerializeAsString());

  absl::StatusOr<RevisionPage> first = store().ListStatementRevisions(created.name(), 0, 2);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->revisions.size(), 2u);
  EXPECT_EQ(first->revisions[1].summary(), "second");
  ASSERT_EQ(first->next_after_revision, 2);
  absl::StatusOr<RevisionPage> rest = store().ListStatementRevisions(created.name(), 2, 2);
  ASSERT_EQ(rest->revisions.size(), 1u);
  EXPECT_FALSE(rest->next_after_revision.has_value());
  EXPECT_EQ(rest->revisions[0].state(), v1::STATEMENT_STATE_RETRACTED);

  std::vector<v1::ChangeKind> kinds;
  absl::StatusOr<std::vector<LoggedChange>> changes = store().ReadChanges(0, 10);
  ASSERT_TRUE(changes.ok()) << changes.status();
  for (const LoggedChange& change : *changes) {
    kinds.push_back(change.kind);
  }
  EXPECT_EQ(kinds, (std::vector<v1::ChangeKind>{v1::CHANGE_KIND_CREATED,
                                                v1::CHANGE_KIND_UPDATED,
                                                v1::CHANGE_KIND_RETRACTED}));
  EXPECT_EQ(store().ListStatementRevisions("statements/snothere", 0, 10).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreConformanceTest, ChangingARetractedStatementIsFailedPrecondition) {
  SeedNigerRollCall(store());
  v1::Statement created = CreateOrDie(EcowasStatement());
  ASSERT_TRUE(Retract(created.name()).ok());
  absl::Status status = SetSummary(created.name(), "too late").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("retracted"));
  EXPECT_EQ(Retract(created.name()).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store().HeadSequence(), 2);
}

TEST_P(StoreConformanceTest, AbortedMutationWritesNothingAndConsumesNoSequence) {
  SeedNigerRollCall(store());
  v1::Statement created = CreateOrDie(EcowasStatement());
  absl::Status status =
      store().UpdateStatement(created.name(), [](v1::Statement& s) {
        s.set_summary("should not stick");
        return absl::AbortedError("etag mismatch");
      }).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(store().GetStatement(created.name())->SerializeAsString(),
            created.SerializeAsString());
  EXPECT_EQ(store().HeadSequence(), 1);
  EXPECT_EQ(SetSummary(created.name(), "next")->sequence(), 2);
}

TEST_P(StoreConformanceTest, BatchWithOneBadItemWritesNothing) {
  SeedNigerRollCall(store());
  std::vector<NewStatement> batch = {Request(EcowasStatement(), "batch-0"),
                                     Request(EcowasStatement()),
                                     Request(MakeStatement("actors/atlantis",
                                                           "events/niger-coup-2023"))};
  absl::Status status = store().CreateStatements(batch).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(std::string(status.message()).rfind("requests[2].statement.actor", 0), 0u)
      << status.message();
  EXPECT_EQ(store().HeadSequence(), 0);
  EXPECT_TRUE(store().ReadChanges(0, 10)->empty());

  batch[2] = Request(MakeStatement("actors/niger", "events/niger-coup-2023"));
  absl::StatusOr<std::vector<v1::Statement>> created = store().CreateStatements(batch);
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->size(), 3u);
  EXPECT_EQ((*created)[2].actor(), "actors/niger");
  EXPECT_EQ((*created)[0].sequence(), 1) << "the failed batch consumed no sequence";
  EXPECT_EQ((*created)[2].sequence(), 3);
  EXPECT_EQ(CreateOrDie(EcowasStatement(), "batch-0").name(), (*created)[0].name())
      << "the request id of the failed batch was not recorded, the second one was";
}

TEST_P(StoreConformanceTest, CreateEachRecordsTheGoodItemsAndAnswersEachInOrder) {
  SeedNigerRollCall(store());
  v1::Statement first = CreateOrDie(EcowasStatement(), "each-0");
  std::vector<NewStatement> requests = {
      Request(EcowasStatement(), "each-0"),  // a retry: the first statement
      Request(MakeStatement("actors/nobody", "events/niger-coup-2023")),
      Request(EcowasStatement(), "each-2"),
      Request(MakeStatement("actors/niger", "events/niger-coup-2023"), "each-2"),
      Request(MakeStatement("actors/niger", "events/niger-coup-2023"))};
  absl::StatusOr<std::vector<absl::StatusOr<v1::Statement>>> results =
      store().CreateEachStatement(requests);
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), requests.size());
  ASSERT_TRUE((*results)[0].ok());
  EXPECT_EQ((*results)[0]->name(), first.name());
  EXPECT_EQ((*results)[1].status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT((*results)[1].status().message(), HasSubstr("statement.actor"));
  ASSERT_TRUE((*results)[2].ok()) << (*results)[2].status();
  EXPECT_EQ((*results)[2]->sequence(), 2);
  EXPECT_EQ((*results)[3].status().code(), absl::StatusCode::kInvalidArgument)
      << "request_id reused for other content within the same call";
  ASSERT_TRUE((*results)[4].ok()) << (*results)[4].status();
  EXPECT_EQ((*results)[4]->sequence(), 3) << "a failed item takes no sequence";
  EXPECT_EQ(store().HeadSequence(), 3);
  Reopen();
  for (int i : {2, 4}) {
    absl::StatusOr<v1::Statement> stored = store().GetStatement((*results)[i]->name());
    ASSERT_TRUE(stored.ok()) << stored.status();
    EXPECT_EQ(stored->SerializeAsString(), (*results)[i]->SerializeAsString());
  }
}

TEST_P(StoreConformanceTest, CommitListenerIsCalledWithTheNewHead) {
  std::vector<int64_t> heads;
  absl::Mutex mu;
  store().SetCommitListener([&](int64_t head) {
    absl::MutexLock lock(&mu);
    heads.push_back(head);
  });
  SeedNigerRollCall(store());
  v1::Statement created = CreateOrDie(EcowasStatement());
  ASSERT_TRUE(store().CreateStatements({Request(EcowasStatement()),
                                        Request(EcowasStatement())}).ok());
  ASSERT_TRUE(SetSummary(created.name(), "x").ok());
  EXPECT_FALSE(Retract("statements/snothere").ok());
  absl::MutexLock lock(&mu);
  EXPECT_EQ(heads, (std::vector<int64_t>{1, 3, 4}))
      << "actor and event writes and failed writes do not notify";
}

TEST_P(StoreConformanceTest, SequenceBeforeIsTheLastChangeCommittedBeforeTheTime) {
  SeedNigerRollCall(store());
  EXPECT_EQ(store().SequenceBefore(absl::Now()).value_or(-1), 0);
  CreateOrDie(EcowasStatement());
  std::vector<LoggedChange> changes = *store().ReadChanges(0, 10);
  const absl::Time first_commit = absl::FromUnixMicros(changes[0].commit_time_micros);
  EXPECT_EQ(store().SequenceBefore(first_commit).value_or(-1), 0);
  EXPECT_EQ(store().SequenceBefore(first_commit + absl::Nanoseconds(1)).value_or(-1), 1);
  EXPECT_EQ(store().SequenceBefore(absl::Now() + absl::Hours(1)).value_or(-1), 1);
}

// ---- Duplicates ------------------------------------------------------------

class StoreDuplicateTest : public StoreConformanceTest {
 protected:
  static constexpr char kQuote[] =
      "We condemn in the strongest terms the coup d'état against the elected "
      "government of Niger.";
  // Issued at 2023-07-26T12:00:00Z, as MakeStatement's default.
  static v1::Statement Quoted(const std::string& actor, const std::string& quote,
                              absl::Duration after = absl::ZeroDuration()) {
    v1::Statement statement = MakeStatement(actor, "events/niger-coup-2023",
                                            absl::FromUnixSeconds(1690372800) + after);
    statement.set_quote(quote);
    return statement;
  }
  absl::StatusOr<v1::Statement> Create(const v1::Statement& statement,
                                       const std::string& request_id = "") {
    return store().CreateStatement(CheckedRequest(statement, request_id));
  }
  void SetUp() override {
    StoreConformanceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    SeedNigerRollCall(store());
    absl::StatusOr<v1::Statement> existing = Create(Quoted("actors/ecowas", kQuote));
    ASSERT_TRUE(existing.ok()) << existing.status();
    existing_ = *existing;
  }
  v1::Statement existing_;
};

TEST_P(StoreDuplicateTest, RewordedNearIdenticalQuoteIsRefusedNamingTheExisting) {
  // Other case, punctuation and accents, and one word of 14 changed.
  const v1::Statement reworded =
      Quoted("actors/ecowas",
             "WE CONDEMN -- in the firmest terms -- the coup d'etat against the elected "
             "Government of NIGER!",
             absl::Hours(6));
  absl::Status status = Create(reworded).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(status.message(),
            absl::StrCat("statement.quote: near-identical to ", existing_.name(),
                         " by actors/ecowas on events/niger-coup-2023 (similarity 0.86); "
                         "set allow_duplicate to record it anyway"));
  std::optional<ConflictingResource> conflict = ConflictingResourceOf(status);
  ASSERT_TRUE(conflict.has_value());
  EXPECT_EQ(conflict->resource_name, existing_.name());
  EXPECT_EQ(conflict->resource_type, "type.googleapis.com/rollcall.v1.Statement");
  EXPECT_EQ(store().HeadSequence(), 1) << "nothing was written";
}

TEST_P(StoreDuplicateTest, TheSameQuoteUpToADayApartIsRefusedTwoDaysApartAccepted) {
  EXPECT_EQ(Create(Quoted("actors/ecowas", kQuote, absl::Hours(24))).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Create(Quoted("actors/ecowas", kQuote, -absl::Hours(24))).status().code(),
            absl::StatusCode::kAlreadyExists);
  absl::StatusOr<v1::Statement> later =
      Create(Quoted("actors/ecowas", kQuote, absl::Hours(48)));
  EXPECT_TRUE(later.ok()) << later.status();
}

TEST_P(StoreDuplicateTest, TheSameQuoteByAnotherActorOrOnAnotherEventIsAccepted) {
  absl::StatusOr<v1::Statement> other_actor = Create(Quoted("actors/niger", kQuote));
  EXPECT_TRUE(other_actor.ok()) << other_actor.status();
  ASSERT_TRUE(store().CreateEvent(MakeEvent("niger-sanctions-2023")).ok());
  v1::Statement other_event = Quoted("actors/ecowas", kQuote);
  other_event.set_event("events/niger-sanctions-2023");
  absl::StatusOr<v1::Statement> created = Create(other_event);
  EXPECT_TRUE(created.ok()) << created.status();
}

TEST_P(StoreDuplicateTest, ATranslationIsNotADuplicate) {
  absl::StatusOr<v1::Statement> french = Create(
      Quoted("actors/ecowas",
             "Nous condamnons dans les termes les plus forts le coup d'État contre le "
             "gouvernement élu du Niger.",
             absl::Hours(1)));
  EXPECT_TRUE(french.ok()) << french.status();
}

TEST_P(StoreDuplicateTest, AllowDuplicateRecordsItAnyway) {
  NewStatement request = CheckedRequest(Quoted("actors/ecowas", kQuote));
  request.allow_duplicate = true;
  absl::StatusOr<v1::Statement> created = store().CreateStatement(request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_NE(created->name(), existing_.name());
}

TEST_P(StoreDuplicateTest, ARetractedStatementIsNotDuplicated) {
  ASSERT_TRUE(Retract(existing_.name()).ok());
  absl::StatusOr<v1::Statement> created = Create(Quoted("actors/ecowas", kQuote));
  EXPECT_TRUE(created.ok()) << created.status();
}

TEST_P(StoreDuplicateTest, ASummaryOnlyStatementIsNeverADuplicate) {
  v1::Statement summary_only = Quoted("actors/niger", "");
  summary_only.set_summary("Niger's government condemned the coup.");
  ASSERT_TRUE(Create(summary_only).ok());
  absl::StatusOr<v1::Statement> again = Create(summary_only);
  EXPECT_TRUE(again.ok()) << again.status();
}

TEST_P(StoreDuplicateTest, ARetryWithTheSameRequestIdReturnsTheOriginal) {
  const v1::Statement statement = Quoted("actors/niger", kQuote);
  absl::StatusOr<v1::Statement> first = Create(statement, "req-dup");
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::Statement> retry = Create(statement, "req-dup");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name(), first->name());
  EXPECT_EQ(Create(statement, "req-other").status().code(),
            absl::StatusCode::kAlreadyExists)
      << "another request id is a new statement, a duplicate";
}

TEST_P(StoreDuplicateTest, ABatchItemDuplicatingAnEarlierItemIsRefusedNamingIt) {
  const v1::Statement statement = Quoted("actors/niger", kQuote);
  absl::Status status =
      store()
          .CreateStatements({CheckedRequest(statement), CheckedRequest(statement)})
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(std::string(status.message()).rfind("requests[1].statement.quote: ", 0), 0u)
      << status.message();
  EXPECT_TRUE(ConflictingResourceOf(status).has_value());
  EXPECT_EQ(store().HeadSequence(), 1) << "the batch wrote nothing";
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreDuplicateTest, ::testing::ValuesIn(AllStoreFactories()),
                         FactoryName);

INSTANTIATE_TEST_SUITE_P(Stores, StoreConformanceTest, ::testing::ValuesIn(AllStoreFactories()),
                         FactoryName);

}  // namespace
}  // namespace rollcall::testing
