#include "tests/extract/extract_fixture.h"

#include <filesystem>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "rollcall/v1/exchange.pb.h"

namespace rollcall::extract::fixture {

std::string SourceDir() { return ROLLCALL_SOURCE_DIR; }
std::string TestdataDir() { return SourceDir() + "/tests/extract/testdata"; }

absl::StatusOr<std::shared_ptr<const Knowledge>> LoadShippedKnowledge(
    const rollcall::testing::TempDir& dir,
    absl::string_view office_holders_jsonl) {
  for (const char* entry : {"languages.tsv", "en", "fr"}) {
    std::filesystem::create_symlink(SourceDir() + "/data/extract/" + entry,
                                    dir.File(entry));
  }
  if (!office_holders_jsonl.empty() &&
      !rollcall::testing::WriteFile(dir.File("office-holders.jsonl"),
                                    std::string(office_holders_jsonl))) {
    return absl::InternalError("cannot write office-holders.jsonl");
  }
  return LoadKnowledge(dir.path());
}

absl::StatusOr<std::shared_ptr<const ActorDirectory>> DirectoryOf(
    absl::string_view jsonl) {
  std::vector<v1::Actor> actors;
  for (absl::string_view line : absl::StrSplit(jsonl, '\n')) {
    if (line.empty()) continue;
    v1::ExchangeRecord record;
    auto parsed =
        google::protobuf::util::JsonStringToMessage(std::string(line), &record);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("fixture actor ", line, ": ", parsed.ToString()));
    }
    actors.push_back(record.actor());
  }
  return BuildActorDirectory(actors);
}

v1::Document DocumentOf(const std::string& text, const std::string& language,
                        absl::CivilDay day) {
  v1::Document document;
  document.set_text(text);
  document.set_language(language);
  *document.mutable_publish_time() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(
          absl::ToUnixSeconds(absl::FromCivil(day, absl::UTCTimeZone())));
  return document;
}

void ExtractorFixture::SetUp() {
  auto knowledge = LoadShippedKnowledge(dir_, office_holders_jsonl_);
  ASSERT_TRUE(knowledge.ok()) << knowledge.status();
  knowledge_ = *knowledge;
  auto directory = DirectoryOf(actors_jsonl_);
  ASSERT_TRUE(directory.ok()) << directory.status();
  directory_ = *directory;
}

Extraction ExtractorFixture::ExtractText(const std::string& language,
                                         const std::string& text,
                                         absl::CivilDay day) {
  auto extraction = Extract(*knowledge_, *directory_,
                            DocumentOf(text, language, day), "events/test",
                            absl::Now());
  EXPECT_TRUE(extraction.ok()) << extraction.status();
  return extraction.ok() ? *std::move(extraction) : Extraction{};
}

const v1::Draft* DraftOf(const Extraction& extraction, absl::string_view actor) {
  for (const auto& draft : extraction.drafts) {
    if (draft.statement().actor() == actor) return &draft;
  }
  return nullptr;
}

}  // namespace rollcall::extract::fixture
