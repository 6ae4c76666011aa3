// What the extractor's unit tests share: the shipped knowledge
// (data/extract/) with fixture office holders, a directory of fixture
// actors, and a document published on a given day.
#ifndef ROLLCALL_TESTS_EXTRACT_EXTRACT_FIXTURE_H_
#define ROLLCALL_TESTS_EXTRACT_EXTRACT_FIXTURE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
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

}  // namespace rollcall::extract::fixture

#endif  // ROLLCALL_TESTS_EXTRACT_EXTRACT_FIXTURE_H_
