// What the extractor's unit tests share: the shipped knowledge
// (data/extract/) with fixture office holders, a directory of fixture
// actors, and a document published on a given day.
#ifndef ROLLCALL_TESTS_EXTRACT_EXTRACT_FIXTURE_H_
#define ROLLCALL_TESTS_EXTRACT_EXTRACT_FIXTURE_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "rollcall/v1/draft.pb.h"
#include "server/extract/extractor.h"
#include "tests/support/temp_dir.h"

namespace rollcall::extract::fixture {

// The repository's root and the fixtures' folder (tests/extract/testdata).
std::string SourceDir();
std::string TestdataDir();

// Links the shipped languages and lexicons into `dir`, writes
// `office_holders_jsonl` there as office-holders.jsonl (none when empty)
// and loads it all.
absl::StatusOr<std::shared_ptr<const Knowledge>> LoadShippedKnowledge(
    const rollcall::testing::TempDir& dir,
    absl::string_view office_holders_jsonl);

// The directory of the actors in `jsonl` (exchange records, one a line).
absl::StatusOr<std::shared_ptr<const ActorDirectory>> DirectoryOf(
    absl::string_view jsonl);

// A document of `text` in `language`, published at midnight UTC on `day`.
v1::Document DocumentOf(const std::string& text, const std::string& language,
                        absl::CivilDay day);

// A test of the extractor over the shipped knowledge with the office holders
// of `office_holders_jsonl` and a directory of the actors of `actors_jsonl`,
// extracting drafts for events/test.
class ExtractorFixture : public ::testing::Test {
 protected:
  ExtractorFixture(std::string actors_jsonl, std::string office_holders_jsonl)
      : actors_jsonl_(std::move(actors_jsonl)),
        office_holders_jsonl_(std::move(office_holders_jsonl)) {}
  void SetUp() override;

  // The drafts of `text` in `language`, published on `day`; none, with a
  // failure of the test, when the extractor refuses the document.
  Extraction ExtractText(const std::string& language, const std::string& text,
                         absl::CivilDay day);

  rollcall::testing::TempDir dir_;
  std::shared_ptr<const Knowledge> knowledge_;
  std::shared_ptr<const ActorDirectory> directory_;

 private:
  std::string actors_jsonl_;
  std::string office_holders_jsonl_;
};

// The first draft of `actor` in `extraction`, or nullptr.
const v1::Draft* DraftOf(const Extraction& extraction, absl::string_view actor);

}  // namespace rollcall::extract::fixture

#endif  // ROLLCALL_TESTS_EXTRACT_EXTRACT_FIXTURE_H_
