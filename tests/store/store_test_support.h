#ifndef ROLLCALL_TESTS_STORE_STORE_TEST_SUPPORT_H_
#define ROLLCALL_TESTS_STORE_STORE_TEST_SUPPORT_H_

// Shared pieces of the store tests: a temporary directory per test, a
// factory that opens a Store of one implementation, and resource builders.

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "server/store/postgres_store.h"
#include "server/store/store.h"
#include "tests/support/temp_dir.h"

namespace rollcall::testing {

// Opens the store kept in `dir` (creating it if empty). Opening the same
// directory again after the previous store was destroyed must see
// everything that store acknowledged.
struct StoreFactory {
  std::string name;
  std::function<absl::StatusOr<std::unique_ptr<Store>>(const std::string& dir)> open;
  // Set if this store cannot be tested here (the test is skipped).
  std::string skip_reason;
};

// Prints the factory's name in test output.
void PrintTo(const StoreFactory& factory, std::ostream* out);

StoreFactory SqliteStoreFactory();
// A store in a schema of its own on $ROLLCALL_TEST_POSTGRES
// (tests/support/test_postgres.h); skipped without it.
StoreFactory PostgresStoreFactory();
// Both, for INSTANTIATE_TEST_SUITE_P.
std::vector<StoreFactory> AllStoreFactories();

// A fixture over one Store implementation, with the store kept in a
// temporary directory that Reopen opens again.
class StoreTestBase : public ::testing::TestWithParam<StoreFactory> {
 protected:
  // Skips the test if the store cannot be tested here, and fails it if the
  // store does not open; subclasses check IsSkipped() and HasFatalFailure()
  // after calling it.
  void SetUp() override;
  // Closes the store (if open) and opens the same directory again.
  void Reopen();
  Store& store() { return *store_; }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

// A PostgresStore on a schema of its own in the test server
// (ROLLCALL_TEST_POSTGRES); the test is skipped without one.
class PostgresStoreFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  // Opens a store on options_ (with `conninfo` instead, if given); fails
  // the test and returns null if it does not open.
  std::unique_ptr<PostgresStore> OpenOrDie(const std::string& conninfo = "");

  TempDir dir_;
  PostgresStoreOptions options_;
};

// Names the instantiation after the factory ("Sqlite").
std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info);

v1::Actor MakeActor(const std::string& id, v1::ActorKind kind = v1::ACTOR_KIND_STATE,
                    const std::vector<std::string>& member_of = {});
v1::Event MakeEvent(const std::string& id,
                    absl::Time start = absl::FromUnixSeconds(1690329600));  // 2023-07-26
// An ACTIVE statement by `actor` about `event`, issued at `issue_time`.
v1::Statement MakeStatement(const std::string& actor, const std::string& event,
                            absl::Time issue_time = absl::FromUnixSeconds(1690372800));
// A request to record `statement` as is: allow_duplicate is set, since most
// tests record the same statement many times on purpose.
NewStatement Request(const v1::Statement& statement, const std::string& request_id = "");
// A request that the store checks for duplicates (allow_duplicate unset).
NewStatement CheckedRequest(const v1::Statement& statement,
                            const std::string& request_id = "");

// The names of the store's statements whose text matches `word` (all of
// them for ""), as one page of up to 1,000; fails the test on error.
std::vector<std::string> NamesMatching(Store& store, const std::string& word = "");

// Expects the store's change log to hold changes 1..n, each once, in order.
void ExpectGapFreeLog(Store& store, int64_t n);

// A statement by `actor` about events/niger-coup-2023 quoting `quote`.
v1::Statement Quoted(const std::string& actor, const std::string& quote);
// Three words no other n shares, so that no two quotes built from them are
// near-identical (the duplicate check).
std::string Words(int n);
inline constexpr char kQuote[] =
    "ECOWAS demands the immediate release of President Bazoum and the restoration "
    "of constitutional order in Niger";

// Creates actors/{niger, ecowas, african-union, france} (niger and benin are
// members of ecowas) and events/niger-coup-2023; fails the test on error.
void SeedNigerRollCall(Store& store);

}  // namespace rollcall::testing

#endif  // ROLLCALL_TESTS_STORE_STORE_TEST_SUPPORT_H_
