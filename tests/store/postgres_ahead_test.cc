// PostgresStore's creates decided ahead of their transaction
// (postgres_creates_ahead.cc): a small group is decided on the assumption
// that nothing in the store bears on it and written in one round trip only
// if that holds. These tests make it not hold in each way it can (an
// earlier request id, a duplicate candidate, a missing reference, another
// instance's commit, a commit time ahead of this clock, a connection that
// broke while idle) and check that the outcome is the one the rules give,
// with a gap-free log. Skipped without ROLLCALL_TEST_POSTGRES.

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/time_util.h"
#include "server/store/pg_db.h"
#include "server/store/postgres_store.h"
#include "tests/store/store_test_support.h"
#include "tests/support/test_postgres.h"

namespace rollcall::testing {
namespace {

using ::testing::HasSubstr;

class PostgresAheadTest : public PostgresStoreFixture {
 protected:
  // A connection to the store's schema, to change it behind the stores' backs.
  std::unique_ptr<PgConnection> Admin() {
    absl::StatusOr<std::unique_ptr<PgConnection>> admin = PgConnection::Open(
        options_.conninfo, absl::StrCat("SET search_path TO \"", options_.schema, "\""));
    EXPECT_TRUE(admin.ok()) << admin.status();
    return admin.ok() ? *std::move(admin) : nullptr;
  }
};

// Lone creates and small batches, each meeting the store otherwise than
// assumed in one way: each gets the outcome the rules give, and only the
// creates that pass take sequences. Before each, a create the store is as
// assumed for (no request id, no duplicate check), so that the next group
// is decided ahead again.
TEST_F(PostgresAheadTest, ACreateDecidedAheadGetsTheRulesOutcomeWhateverTheStoreHolds) {
  std::unique_ptr<PostgresStore> store = OpenOrDie();
  ASSERT_TRUE(store != nullptr);
  SeedNigerRollCall(*store);
  int64_t sequence = 0;
  auto clean = [&] {
    absl::StatusOr<v1::Statement> created =
        store->CreateStatement(Request(Quoted("actors/france", Words(sequence + 500))));
    ASSERT_TRUE(created.ok()) << created.status();
    EXPECT_EQ(created->sequence(), ++sequence);
  };
  absl::StatusOr<v1::Statement> first =
      store->CreateStatement(CheckedRequest(Quoted("actors/ecowas", kQuote), "r1"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->sequence(), ++sequence);

  // An earlier request of the same id: its statement, nothing written.
  clean();
  absl::StatusOr<v1::Statement> retried =
      store->CreateStatement(CheckedRequest(Quoted("actors/ecowas", kQuote), "r1"));
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->name(), first->name());
  clean();
  absl::Status reused =
      store->CreateStatement(CheckedRequest(Quoted("actors/ecowas", "Other words"), "r1"))
          .status();
  EXPECT_EQ(reused.code(), absl::StatusCode::kInvalidArgument) << reused;
  EXPECT_THAT(reused.message(), HasSubstr("request_id"));

  // A duplicate candidate: near-identical is refused, different is recorded.
  clean();
  absl::Status duplicate =
      store->CreateStatement(CheckedRequest(Quoted("actors/ecowas", kQuote))).status();
  EXPECT_EQ(duplicate.code(), absl::StatusCode::kAlreadyExists) << duplicate;
  EXPECT_THAT(duplicate.message(), HasSubstr(first->name()));
  clean();
  absl::StatusOr<v1::Statement> different = store->CreateStatement(
      CheckedRequest(Quoted("actors/ecowas", "The bloc will meet in Abuja on Thursday")));
  ASSERT_TRUE(different.ok()) << different.status();
  EXPECT_EQ(different->sequence(), ++sequence);

  // Missing references.
  clean();
  absl::Status no_event =
      store->CreateStatement(Request(MakeStatement("actors/niger", "events/none")))
          .status();
  EXPECT_EQ(no_event.code(), absl::StatusCode::kFailedPrecondition) << no_event;
  EXPECT_THAT(no_event.message(), HasSubstr("statement.event"));
  clean();
  v1::Statement joint = Quoted("actors/niger", "Jointly");
  joint.add_joint_with("actors/nobody");
  absl::Status no_actor = store->CreateStatement(Request(joint)).status();
  EXPECT_EQ(no_actor.code(), absl::StatusCode::kFailedPrecondition) << no_actor;
  EXPECT_THAT(no_actor.message(), HasSubstr("statement.joint_with[0]"));

  // A batch written in part: the duplicate in its middle fails alone.
  clean();
  absl::StatusOr<std::vector<absl::StatusOr<v1::Statement>>> each =
      store->CreateEachStatement({Request(Quoted("actors/niger", "Niger speaks"), "e1"),
                                  CheckedRequest(Quoted("actors/ecowas", kQuote), "e2"),
                                  Request(Quoted("actors/benin", "Benin speaks"), "e3")});
  ASSERT_TRUE(each.ok()) << each.status();
  ASSERT_EQ(each->size(), 3u);
  ASSERT_TRUE((*each)[0].ok()) << (*each)[0].status();
  EXPECT_EQ((*each)[1].status().code(), absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE((*each)[2].ok()) << (*each)[2].status();
  EXPECT_EQ((*each)[0]->sequence(), ++sequence);
  EXPECT_EQ((*each)[2]->sequence(), ++sequence);
  // All or none: a missing event in the middle writes nothing.
  clean();
  absl::Status all =
      store
          ->CreateStatements({Request(Quoted("actors/niger", "One")),
                              Request(MakeStatement("actors/niger", "events/x")),
                              Request(Quoted("actors/niger", "Three"))})
          .status();
  EXPECT_EQ(all.code(), absl::StatusCode::kFailedPrecondition) << all;
  EXPECT_THAT(all.message(), HasSubstr("requests[1].statement.event"));
  clean();
  ExpectGapFreeLog(*store, sequence);

  // The actor kind column comes from the actors table.
  StatementQuery query;
  query.filter.actor_kinds.push_back(v1::ACTOR_KIND_REGIONAL_BLOC);
  query.page_size = 100;
  absl::StatusOr<StatementPage> blocs = store->ListStatements(query);
  ASSERT_TRUE(blocs.ok()) << blocs.status();
  EXPECT_EQ(blocs->statements.size(), 2u);
}

// Another instance's commit between two of this one's: the head this
// instance knows is behind, so its group is decided again on what that
// commit wrote (a request id, a quote) and given the next sequences.
TEST_F(PostgresAheadTest, AnotherInstancesCommitsAreSeenByTheNextGroup) {
  std::unique_ptr<PostgresStore> a = OpenOrDie();
  std::unique_ptr<PostgresStore> b = OpenOrDie();
  ASSERT_TRUE(a != nullptr && b != nullptr);
  SeedNigerRollCall(*a);
  int64_t created = 0;
  for (int i = 0; i < 20; ++i) {
    const std::string quote = Words(i + 1);
    const std::string id = absl::StrCat("round-", i);
    PostgresStore& first = i % 2 == 0 ? *a : *b;
    PostgresStore& second = i % 2 == 0 ? *b : *a;
    absl::StatusOr<v1::Statement> written =
        first.CreateStatement(Request(Quoted("actors/ecowas", quote), id));
    ASSERT_TRUE(written.ok()) << written.status();
    EXPECT_EQ(written->sequence(), ++created);
    // At once through the other instance, decided ahead on the head it
    // knew: written after it. Then the same request id gets the same
    // statement, and the same quote without it is refused.
    absl::StatusOr<v1::Statement> next =
        second.CreateStatement(Request(Quoted("actors/niger", Words(1000 + i))));
    ASSERT_TRUE(next.ok()) << next.status();
    EXPECT_EQ(next->sequence(), ++created);
    absl::StatusOr<v1::Statement> retried =
        second.CreateStatement(CheckedRequest(Quoted("actors/ecowas", quote), id));
    ASSERT_TRUE(retried.ok()) << retried.status();
    EXPECT_EQ(retried->name(), written->name());
    absl::Status duplicate =
        second.CreateStatement(CheckedRequest(Quoted("actors/ecowas", quote))).status();
    EXPECT_EQ(duplicate.code(), absl::StatusCode::kAlreadyExists) << duplicate;
    // As assumed again: the next group of this instance is decided ahead.
    absl::StatusOr<v1::Statement> last =
        second.CreateStatement(Request(Quoted("actors/niger", Words(2000 + i))));
    ASSERT_TRUE(last.ok()) << last.status();
    EXPECT_EQ(last->sequence(), ++created);
  }
  ExpectGapFreeLog(*a, created);
  ExpectGapFreeLog(*b, created);
}

// An instance whose clock is ahead committed last (log_head's last commit
// time is an hour from now): this one's commit times do not go back.
TEST_F(PostgresAheadTest, ACommitTimeAheadOfThisClockIsNotGoneBackOn) {
  std::unique_ptr<PostgresStore> store = OpenOrDie();
  ASSERT_TRUE(store != nullptr);
  SeedNigerRollCall(*store);
  ASSERT_TRUE(store->CreateStatement(Request(Quoted("actors/niger", "Before"))).ok());
  const int64_t ahead = absl::ToUnixMicros(absl::Now() + absl::Hours(1));
  std::unique_ptr<PgConnection> admin = Admin();
  ASSERT_TRUE(admin != nullptr);
  ASSERT_TRUE(
      admin->Query("UPDATE log_head SET last_commit_micros = ?", PgParams().Int(ahead))
          .ok());
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<v1::Statement> created = store->CreateStatement(
        Request(Quoted("actors/niger", absl::StrCat("After ", i))));
    ASSERT_TRUE(created.ok()) << created.status();
    EXPECT_GE(ToUnixMicros(created->create_time()), ahead);
    EXPECT_EQ(created->sequence(), 2 + i);
  }
  absl::StatusOr<std::vector<LoggedChange>> changes = store->ReadChanges(0, 100);
  ASSERT_TRUE(changes.ok()) << changes.status();
  for (size_t i = 1; i < changes->size(); ++i) {
    EXPECT_GE((*changes)[i].commit_time_micros, ahead);
  }
  ExpectGapFreeLog(*store, 4);
}

// The writer's connection ended while idle (a database restart): the next
// group's round trip fails, the store reconnects, finds that group not
// written, and writes it once.
TEST_F(PostgresAheadTest, AGroupWhoseConnectionBrokeIsWrittenOnce) {
  const std::string application = absl::StrCat(options_.schema, "-cut");
  const std::string conninfo = absl::StrCat(
      options_.conninfo, options_.conninfo.find('?') == std::string::npos ? "?" : "&",
      "application_name=", application);
  std::unique_ptr<PostgresStore> store = OpenOrDie(conninfo);
  ASSERT_TRUE(store != nullptr);
  SeedNigerRollCall(*store);
  ASSERT_TRUE(
      store->CreateStatement(Request(Quoted("actors/niger", "Before"), "b")).ok());
  std::unique_ptr<PgConnection> admin = Admin();
  ASSERT_TRUE(admin != nullptr);
  absl::StatusOr<PgResult> cut = admin->Query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?",
      PgParams().Text(application));
  ASSERT_TRUE(cut.ok()) << cut.status();
  ASSERT_GE(cut->rows(), 3) << "the writer, readers and listener";
  absl::SleepFor(absl::Milliseconds(200));  // the backends end
  absl::StatusOr<v1::Statement> after =
      store->CreateStatement(Request(Quoted("actors/niger", "After"), "a"));
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->sequence(), 2);
  absl::StatusOr<v1::Statement> again =
      store->CreateStatement(Request(Quoted("actors/niger", "After"), "a"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->name(), after->name());
  ExpectGapFreeLog(*store, 2);
}

}  // namespace
}  // namespace rollcall::testing
