#include "tests/store/store_test_support.h"

#include <stdlib.h>

#include <filesystem>

#include "gtest/gtest.h"
#include "server/common/fingerprint.h"
#include "server/common/time_util.h"
#include "server/store/postgres_store.h"
#include "server/store/sqlite_store.h"
#include "tests/support/test_postgres.h"

namespace rollcall::testing {

void PrintTo(const StoreFactory& factory, std::ostream* out) { *out << factory.name; }

StoreFactory SqliteStoreFactory() {
  return {"Sqlite", [](const std::string& dir) -> absl::StatusOr<std::unique_ptr<Store>> {
            SqliteStoreOptions options;
            options.path = dir + "/rollcall.db";
            absl::StatusOr<std::unique_ptr<SqliteStore>> store =
                SqliteStore::Open(options);
            if (!store.ok()) return store.status();
            return std::unique_ptr<Store>(*std::move(store));
          }};
}

StoreFactory PostgresStoreFactory() {
  StoreFactory factory;
  factory.name = "Postgres";
  const std::optional<std::string> url = TestPostgres();
  if (!url.has_value()) factory.skip_reason = kNoTestPostgres;
  factory.open = [url](const std::string& dir) -> absl::StatusOr<std::unique_ptr<Store>> {
    PostgresStoreOptions options;
    options.conninfo = url.value_or("");
    options.schema = PostgresSchemaFor(dir);
    absl::StatusOr<std::unique_ptr<PostgresStore>> store = PostgresStore::Open(options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(*std::move(store));
  };
  return factory;
}

std::vector<StoreFactory> AllStoreFactories() {
  return {SqliteStoreFactory(), PostgresStoreFactory()};
}

void StoreTestBase::SetUp() {
  if (!GetParam().skip_reason.empty()) GTEST_SKIP() << GetParam().skip_reason;
  Reopen();
}

void StoreTestBase::Reopen() {
  store_.reset();
  absl::StatusOr<std::unique_ptr<Store>> store = GetParam().open(dir_.path());
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = *std::move(store);
}

std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

v1::Actor MakeActor(const std::string& id, v1::ActorKind kind,
                    const std::vector<std::string>& member_of) {
  v1::Actor actor;
  actor.set_name("actors/" + id);
  actor.set_display_name(id);
  actor.set_kind(kind);
  for (const std::string& organisation : member_of) {
    actor.add_member_of()->set_organisation(organisation);
  }
  return actor;
}

v1::Event MakeEvent(const std::string& id, absl::Time start) {
  v1::Event event;
  event.set_name("events/" + id);
  event.set_title("Event " + id);
  *event.mutable_start_time() = ToTimestamp(start);
  return event;
}

v1::Statement MakeStatement(const std::string& actor, const std::string& event,
                            absl::Time issue_time) {
  v1::Statement statement;
  statement.set_actor(actor);
  statement.set_event(event);
  statement.set_stance(v1::STANCE_CONDEMNS);
  statement.set_quote("We condemn the unconstitutional change of government.");
  *statement.mutable_issue_time() = ToTimestamp(issue_time);
  return statement;
}

NewStatement Request(const v1::Statement& statement, const std::string& request_id) {
  NewStatement request;
  request.statement = statement;
  request.request_id = request_id;
  request.fingerprint = MessageFingerprint(statement);
  request.allow_duplicate = true;
  return request;
}

NewStatement CheckedRequest(const v1::Statement& statement,
                            const std::string& request_id) {
  NewStatement request = Request(statement, request_id);
  request.allow_duplicate = false;
  return request;
}

void PostgresStoreFixture::SetUp() {
  if (!TestPostgres().has_value()) GTEST_SKIP() << kNoTestPostgres;
  options_.conninfo = *TestPostgres();
  options_.schema = PostgresSchemaFor(dir_.path());
}

std::unique_ptr<PostgresStore> PostgresStoreFixture::OpenOrDie(const std::string& conninfo) {
  PostgresStoreOptions options = options_;
  if (!conninfo.empty()) options.conninfo = conninfo;
  absl::StatusOr<std::unique_ptr<PostgresStore>> store = PostgresStore::Open(options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

void ExpectGapFreeLog(Store& store, int64_t n) {
  absl::StatusOr<std::vector<LoggedChange>> changes = store.ReadChanges(0, 100000);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(static_cast<int64_t>(changes->size()), n);
  for (size_t i = 0; i < changes->size(); ++i) {
    EXPECT_EQ((*changes)[i].sequence, static_cast<int64_t>(i + 1));
  }
}

std::vector<std::string> NamesMatching(Store& store, const std::string& word) {
  StatementQuery query;
  if (!word.empty()) query.filter.texts = {word};
  query.page_size = 1000;
  absl::StatusOr<StatementPage> page = store.ListStatements(query);
  EXPECT_TRUE(page.ok()) << page.status();
  std::vector<std::string> names;
  if (page.ok()) {
    for (const v1::Statement& s : page->statements) names.push_back(s.name());
  }
  return names;
}

v1::Statement Quoted(const std::string& actor, const std::string& quote) {
  v1::Statement statement = MakeStatement(actor, "events/niger-coup-2023");
  statement.set_quote(quote);
  return statement;
}

std::string Words(int n) {
  std::string words;
  const int64_t seeds[] = {int64_t{n} * 7919 + 1, int64_t{n} * 104729 + 7,
                           int64_t{n} * 15485863 + 3};
  for (int64_t seed : seeds) {
    if (!words.empty()) words.push_back(' ');
    for (int64_t x = seed; x > 0; x /= 26) words.push_back(static_cast<char>('a' + x % 26));
  }
  return words;
}

void SeedNigerRollCall(Store& store) {
  ASSERT_TRUE(store.CreateActor(MakeActor("ecowas", v1::ACTOR_KIND_REGIONAL_BLOC)).ok());
  ASSERT_TRUE(
      store.CreateActor(MakeActor("african-union", v1::ACTOR_KIND_REGIONAL_BLOC)).ok());
  ASSERT_TRUE(store
                  .CreateActor(MakeActor("niger", v1::ACTOR_KIND_STATE,
                                         {"actors/ecowas", "actors/african-union"}))
                  .ok());
  ASSERT_TRUE(
      store.CreateActor(MakeActor("benin", v1::ACTOR_KIND_STATE, {"actors/ecowas"}))
          .ok());
  ASSERT_TRUE(store.CreateActor(MakeActor("france", v1::ACTOR_KIND_STATE)).ok());
  ASSERT_TRUE(store.CreateEvent(MakeEvent("niger-coup-2023")).ok());
}

}  // namespace rollcall::testing
