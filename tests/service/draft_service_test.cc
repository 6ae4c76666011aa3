// DraftService through a real server on a real channel, reading documents
// with the real extractor and its shipped knowledge (data/extract):
// recording drafts from articles, merging reports of one reaction,
// duplicates of recorded statements, review (accept, correct, reject) and
// its effect on the record and the change stream. The articles are short
// wire paragraphs whose reading is unambiguous, so that each test checks a
// rule of the service; what the extractor finds in harder prose is
// extract_test's and the gold sets' concern.

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/service/draft_service.h"
#include "tests/service/draft_fixture.h"

namespace rollcall::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kQuote[] = "We condemn in the strongest terms the attempted coup in Niger";

// ECOWAS condemns the coup, in the words of the president of its Commission.
constexpr char kEcowasCondemns[] =
    "Niamey (AFP) - ECOWAS on Wednesday condemned the coup in Niger.\n\n"
    "\"We condemn in the strongest terms the attempted coup in Niger,\" the president of "
    "the ECOWAS Commission, Omar Touray, said in a statement.\n";

// The same reaction reported in French.
constexpr char kCedeaoCondamne[] =
    "Niamey (AFP) - La CEDEAO a condamné mercredi le coup d'État au Niger.\n\n"
    "« Nous condamnons avec la plus grande fermeté la tentative de coup d'État au Niger », "
    "a déclaré le président de la Commission de la CEDEAO, Omar Touray, dans un "
    "communiqué.\n";

// A reaction by a person the directory does not know.
constexpr char kUnknownPerson[] =
    "Niamey (AFP) - Soldiers detained the president on Wednesday.\n\n"
    "Opposition leader Moussa Diallo said he condemned the coup.\n";

// An article in which ECOWAS demands `demand`.
std::string EcowasDemands(const std::string& demand) {
  return absl::StrCat("Abuja (AFP) - ECOWAS on Wednesday condemned the coup in Niger.\n\n",
                      "\"We demand ", demand, ",\" the bloc said in a statement.\n");
}

// DraftTest (draft_fixture.h) with the record's statements.
class DraftServiceTest : public DraftTest {
 protected:
  std::vector<v1::Statement> AllStatements() {
    v1::ListStatementsRequest request;
    request.set_show_retracted(true);
    v1::ListStatementsResponse response;
    grpc::Status status = statements_->ListStatements(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.statements().begin(), response.statements().end()};
  }
  // The one draft by `actor` that extracting `request` proposes.
  v1::Draft OneDraftBy(const std::string& actor, const v1::ExtractDraftsRequest& request) {
    v1::ExtractDraftsResponse response = ExtractOrDie(request);
    std::vector<v1::Draft> drafts = DraftsBy(response, actor);
    EXPECT_EQ(drafts.size(), 1u) << response.DebugString();
    return drafts.empty() ? v1::Draft() : drafts[0];
  }
  // The pending draft of ECOWAS condemning the coup, from an AFP wire.
  v1::Draft EcowasDraft() {
    return OneDraftBy("actors/ecowas", Document("https://afp.example/niger-1", kEcowasCondemns));
  }
};

// The statements a subscription from the beginning delivers before it is
// caught up.
std::vector<std::string> StreamedStatements(v1::StatementService::Stub& statements) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::SubscribeStatementsRequest request;
  request.set_from_beginning(true);
  auto stream = statements.SubscribeStatements(&context, request);
  std::vector<std::string> names;
  v1::SubscribeStatementsResponse response;
  while (stream->Read(&response)) {
    for (const v1::StatementChange& change : response.changes()) {
      names.push_back(change.statement().name());
    }
    if (response.has_caught_up()) break;
  }
  context.TryCancel();
  stream->Finish();
  return names;
}

TEST_F(DraftServiceTest, ExtractedDraftsArePendingAndAreNotStatements) {
  v1::Draft draft = EcowasDraft();
  EXPECT_THAT(draft.name(), HasSubstr("drafts/"));
  EXPECT_EQ(draft.state(), v1::DRAFT_STATE_PENDING);
  EXPECT_EQ(draft.statement().actor(), "actors/ecowas");
  EXPECT_EQ(draft.statement().stance(), v1::STANCE_CONDEMNS);
  EXPECT_EQ(draft.statement().quote(), kQuote);
  ASSERT_EQ(draft.evidence_size(), 1);
  v1::GetDocumentRequest get_document;
  get_document.set_name(draft.evidence(0).document());
  v1::Document document;
  ASSERT_TRUE(drafts_->GetDocument(Context().get(), get_document, &document).ok());
  EXPECT_THAT(document.text(), HasSubstr("Niamey (AFP) - ECOWAS"));
  EXPECT_EQ(document.event(), kEvent);

  v1::GetDraftRequest get;
  get.set_name(draft.name());
  v1::Draft got;
  ASSERT_TRUE(drafts_->GetDraft(Context().get(), get, &got).ok());
  EXPECT_EQ(got.SerializeAsString(), draft.SerializeAsString());
  EXPECT_TRUE(AllStatements().empty());
  EXPECT_TRUE(StreamedStatements(*statements_).empty());
}

TEST_F(DraftServiceTest, AcceptingCreatesExactlyOneStatementStreamedOnceAndAgainReturnsIt) {
  v1::Draft draft = EcowasDraft();
  v1::AcceptDraftRequest request;
  request.set_name(draft.name());
  request.set_etag(draft.etag());
  v1::AcceptDraftResponse accepted;
  grpc::Status status = Accept(request, &accepted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(accepted.draft().state(), v1::DRAFT_STATE_ACCEPTED);
  EXPECT_EQ(accepted.draft().statement_name(), accepted.statement().name());
  EXPECT_TRUE(accepted.draft().has_review_time());
  EXPECT_NE(accepted.draft().etag(), draft.etag());
  EXPECT_EQ(accepted.statement().quote(), kQuote);
  EXPECT_EQ(accepted.statement().actor(), "actors/ecowas");
  EXPECT_EQ(accepted.statement().speaker().person_name(), "Omar Alieu Touray");

  v1::AcceptDraftResponse again;
  request.clear_etag();
  ASSERT_TRUE(Accept(request, &again).ok());
  EXPECT_EQ(again.statement().name(), accepted.statement().name());
  EXPECT_EQ(again.draft().etag(), accepted.draft().etag());

  std::vector<v1::Statement> recorded = AllStatements();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].name(), accepted.statement().name());
  EXPECT_THAT(StreamedStatements(*statements_), ElementsAre(accepted.statement().name()));
  EXPECT_THAT(ListDrafts("state = ACCEPTED"), ::testing::SizeIs(1));
  EXPECT_TRUE(ListDrafts("state = pending").empty());
}

TEST_F(DraftServiceTest, ConcurrentAcceptsOfOneDraftRecordOneStatement) {
  v1::Draft draft = EcowasDraft();
  constexpr int kAccepts = 8;
  std::vector<std::string> names(kAccepts);
  std::vector<grpc::Status> statuses(kAccepts);
  std::vector<std::thread> threads;
  for (int i = 0; i < kAccepts; ++i) {
    threads.emplace_back([&, i] {
      v1::AcceptDraftRequest request;
      request.set_name(draft.name());
      v1::AcceptDraftResponse response;
      statuses[i] = Accept(request, &response);
      names[i] = response.statement().name();
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int i = 0; i < kAccepts; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    EXPECT_EQ(names[i], names[0]);
  }
  ASSERT_EQ(AllStatements().size(), 1u);
  EXPECT_THAT(StreamedStatements(*statements_), ElementsAre(names[0]));
}

TEST_F(DraftServiceTest, ReportsOfOneReactionExtractedAtOnceAreOneDraft) {
  constexpr int kReports = 8;
  std::vector<std::string> names(kReports);
  std::vector<std::thread> threads;
  for (int i = 0; i < kReports; ++i) {
    threads.emplace_back([&, i] {
      v1::ExtractDraftsResponse response;
      grpc::Status status =
          Extract(Document(absl::StrCat("https://wire.example/", i), kEcowasCondemns),
                  &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      std::vector<v1::Draft> ecowas = DraftsBy(response, "actors/ecowas");
      if (ecowas.size() == 1) names[i] = ecowas[0].name();
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<v1::Draft> drafts = ListDrafts("actor = \"actors/ecowas\"");
  ASSERT_EQ(drafts.size(), 1u);
  EXPECT_EQ(drafts[0].evidence_size(), kReports);
  for (const std::string& name : names) EXPECT_EQ(name, drafts[0].name());
}

TEST_F(DraftServiceTest, RejectingCreatesNothingAndARejectedDraftCannotBeAccepted) {
  v1::Draft draft = EcowasDraft();
  v1::RejectDraftRequest reject;
  reject.set_name(draft.name());
  v1::Draft rejected;
  EXPECT_EQ(drafts_->RejectDraft(Context().get(), reject, &rejected).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT)
      << "a reason is required";
  reject.set_reason("not a reaction");
  reject.set_etag("r999");
  EXPECT_EQ(drafts_->RejectDraft(Context().get(), reject, &rejected).error_code(),
            grpc::StatusCode::ABORTED);
  reject.set_etag(draft.etag());
  ASSERT_TRUE(drafts_->RejectDraft(Context().get(), reject, &rejected).ok());
  EXPECT_EQ(rejected.state(), v1::DRAFT_STATE_REJECTED);
  EXPECT_EQ(rejected.reject_reason(), "not a reaction");
  v1::Draft again;
  reject.clear_etag();
  ASSERT_TRUE(drafts_->RejectDraft(Context().get(), reject, &again).ok());
  EXPECT_EQ(again.etag(), rejected.etag()) << "rejecting again changes nothing";

  v1::AcceptDraftRequest accept;
  accept.set_name(draft.name());
  v1::AcceptDraftResponse response;
  grpc::Status status = Accept(accept, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("rejected"));
  EXPECT_TRUE(AllStatements().empty());
  EXPECT_TRUE(StreamedStatements(*statements_).empty());
}

TEST_F(DraftServiceTest, AcceptWithCorrectionsRecordsTheCorrectedStatement) {
  v1::Draft draft = EcowasDraft();
  v1::AcceptDraftRequest request;
  request.set_name(draft.name());
  request.mutable_statement()->set_stance(v1::STANCE_CRITICISES);
  request.mutable_statement()->set_summary("ECOWAS criticises the junta.");
  request.mutable_update_mask()->add_paths("stance");
  request.mutable_update_mask()->add_paths("summary");
  v1::AcceptDraftResponse accepted;
  grpc::Status status = Accept(request, &accepted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(accepted.statement().stance(), v1::STANCE_CRITICISES);
  EXPECT_EQ(accepted.statement().summary(), "ECOWAS criticises the junta.");
  EXPECT_EQ(accepted.statement().quote(), kQuote) << "fields outside the mask are kept";

  v1::Draft other = EcowasDraft();  // already extracted: the same draft
  EXPECT_EQ(other.name(), draft.name());
  v1::Draft benin =
      OneDraftBy("actors/benin", Document("https://afp.example/benin", kBeninCallsForCalm));
  v1::AcceptDraftRequest bad;
  bad.set_name(benin.name());
  bad.mutable_update_mask()->add_paths("creator");
  EXPECT_EQ(Accept(bad, &accepted).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  bad.mutable_update_mask()->Clear();
  bad.mutable_update_mask()->add_paths("actor");
  bad.mutable_statement()->set_actor("actors/atlantis");
  EXPECT_EQ(Accept(bad, &accepted).error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << "the statement's actor must exist, as for CreateStatement";
  EXPECT_EQ(AllStatements().size(), 1u);
}

TEST_F(DraftServiceTest, UnresolvedMentionHasNoActorAndNeedsOneToBeAccepted) {
  v1::ExtractDraftsResponse response =
      ExtractOrDie(Document("https://afp.example/diallo", kUnknownPerson));
  ASSERT_EQ(response.drafts_size(), 1) << response.DebugString();
  const v1::Draft& draft = response.drafts(0);
  EXPECT_TRUE(draft.statement().actor().empty());
  EXPECT_THAT(draft.unresolved_mention(), HasSubstr("Moussa Diallo"));

  v1::AcceptDraftRequest request;
  request.set_name(draft.name());
  v1::AcceptDraftResponse accepted;
  grpc::Status status = Accept(request, &accepted);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr(draft.unresolved_mention()));
  EXPECT_TRUE(AllStatements().empty());

  request.mutable_statement()->set_actor("actors/niger");
  request.mutable_update_mask()->add_paths("actor");
  status = Accept(request, &accepted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(accepted.statement().actor(), "actors/niger");
}

TEST_F(DraftServiceTest, AnEnglishAndAFrenchReportOfOneReactionAreOneDraftWithTwoSources) {
  v1::Draft afp = EcowasDraft();
  v1::ExtractDraftsResponse french = ExtractOrDie(
      Document("https://lemonde.example/niger", kCedeaoCondamne, "fr"));
  std::vector<v1::Draft> ecowas = DraftsBy(french, "actors/ecowas");
  ASSERT_EQ(ecowas.size(), 1u) << french.DebugString();
  const v1::Draft& merged = ecowas[0];
  EXPECT_EQ(merged.name(), afp.name());
  ASSERT_EQ(merged.evidence_size(), 2);
  EXPECT_EQ(merged.evidence(0).document(), afp.evidence(0).document());
  EXPECT_EQ(merged.evidence(1).document(), french.document().name());
  ASSERT_EQ(merged.statement().sources_size(), 2);
  EXPECT_EQ(merged.statement().sources(0).url(), "https://afp.example/niger-1");
  EXPECT_EQ(merged.statement().sources(1).url(), "https://lemonde.example/niger");
  EXPECT_EQ(merged.statement().quote(), kQuote) << "the first report's proposal stands";

  // Another stance by the same actor is another reaction.
  v1::Draft other = OneDraftBy(
      "actors/ecowas", Document("https://reuters.example/niger-mediation", kEcowasWelcomes));
  EXPECT_NE(other.statement().stance(), v1::STANCE_CONDEMNS);
  EXPECT_NE(other.name(), afp.name());
  EXPECT_EQ(other.statement().sources(0).publisher(), "Reuters");
  EXPECT_THAT(ListDrafts(absl::StrCat("document = \"", french.document().name(), "\"")),
              ::testing::SizeIs(1));
  EXPECT_THAT(ListDrafts("actor = \"actors/ecowas\" AND event = \"events/niger-coup-2023\""),
              ::testing::SizeIs(2));
}

TEST_F(DraftServiceTest, ADraftWithAsManySourcesAsAStatementMayHaveTakesNoMore) {
  constexpr int kMaxSources = 100;  // kMaxRepeated, as ValidateStatement checks it
  std::string first;
  for (int i = 0; i < kMaxSources; ++i) {
    v1::Draft draft =
        OneDraftBy("actors/ecowas", Document(absl::StrCat("https://wire.example/", i),
                                             kEcowasCondemns));
    if (i == 0) first = draft.name();
    ASSERT_EQ(draft.name(), first);
  }
  v1::Draft next = OneDraftBy("actors/ecowas",
                              Document("https://wire.example/more", kEcowasCondemns));
  EXPECT_NE(next.name(), first);
  v1::AcceptDraftRequest request;
  request.set_name(first);
  v1::AcceptDraftResponse accepted;
  grpc::Status status = Accept(request, &accepted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(accepted.statement().sources_size(), kMaxSources);
}

TEST_F(DraftServiceTest, DraftRepeatingARecordedStatementSaysWhichAndNeedsAllowDuplicate) {
  v1::Statement recorded = MakeStatement("actors/ecowas");
  recorded.set_quote(kQuote);
  recorded = CreateStatementOrDie(recorded);
  v1::Draft draft = EcowasDraft();
  EXPECT_EQ(draft.duplicate_of(), recorded.name());

  v1::AcceptDraftRequest request;
  request.set_name(draft.name());
  v1::AcceptDraftResponse accepted;
  grpc::Status status = Accept(request, &accepted);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(status.error_message(), HasSubstr(recorded.name()));
  EXPECT_EQ(AllStatements().size(), 1u);
  request.set_allow_duplicate(true);
  status = Accept(request, &accepted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(AllStatements().size(), 2u);
}

TEST_F(DraftServiceTest, ValidateOnlyRecordsNothingAndReextractingReturnsTheSameDocument) {
  v1::ExtractDraftsRequest request =
      Document("", kEcowasCondemns);
  request.set_validate_only(true);
  v1::ExtractDraftsResponse preview = ExtractOrDie(request);
  ASSERT_EQ(DraftsBy(preview, "actors/ecowas").size(), 1u) << preview.DebugString();
  EXPECT_TRUE(preview.document().name().empty());
  for (const v1::Draft& draft : preview.drafts()) EXPECT_TRUE(draft.name().empty());
  EXPECT_TRUE(ListDrafts("").empty());

  request.set_validate_only(false);
  v1::ExtractDraftsResponse first = ExtractOrDie(request);
  EXPECT_FALSE(first.already_extracted());
  v1::ExtractDraftsResponse again = ExtractOrDie(request);
  EXPECT_TRUE(again.already_extracted());
  EXPECT_EQ(again.document().name(), first.document().name());
  ASSERT_EQ(again.drafts_size(), first.drafts_size());
  for (int i = 0; i < first.drafts_size(); ++i) {
    EXPECT_EQ(again.drafts(i).name(), first.drafts(i).name());
  }
  EXPECT_THAT(ListDrafts(""), ::testing::SizeIs(first.drafts_size()));
}

TEST_F(DraftServiceTest, BadDocumentsAreInvalidArgumentNamingTheFieldAndRecordNothing) {
  struct Case {
    std::string name;
    v1::ExtractDraftsRequest request;
    std::string field;
  };
  std::vector<Case> cases;
  cases.push_back({"empty", Document("", ""), "document.text"});
  cases.push_back({"blank", Document("", " \n\t "), "document.text"});
  cases.push_back(
      {"over the limit",
       Document("", std::string(kMaxDocumentBytes + 1, 'a')), "document.text"});
  cases.push_back({"binary", Document("", std::string("PK\x03\x04\x14\x00\x08", 7)),
                   "document.text"});
  v1::ExtractDraftsRequest both = Document("", "text");
  both.mutable_document()->set_html("<p>text</p>");
  cases.push_back({"text and html", both, "document.html"});
  cases.push_back({"bad url", Document("ftp://example.org/x", "text"), "document.url"});
  cases.push_back({"bad language", Document("", "text", "english!"), "document.language"});
  v1::ExtractDraftsRequest no_event = Document("", "text");
  no_event.set_event("niger");
  cases.push_back({"bad event", no_event, "event"});
  for (const Case& c : cases) {
    v1::ExtractDraftsResponse response;
    grpc::Status status = Extract(c.request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.name;
    EXPECT_EQ(status.error_message().rfind(c.field + ":", 0), 0u)
        << c.name << ": " << status.error_message();
  }
  v1::ExtractDraftsRequest missing = Document("", "text");
  missing.set_event("events/atlantis-coup");
  v1::ExtractDraftsResponse response;
  EXPECT_EQ(Extract(missing, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(ListDrafts("").empty());
}

TEST_F(DraftServiceTest, BinaryGarbageThatIsNotUtf8IsInvalidArgumentAndRecordsNothing) {
  v1::ExtractDraftsResponse response;
  grpc::Status status =
      Extract(Document("", std::string("\xff\xfe\x00\x01garbage\x89PNG", 15)), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("document: is not readable"));
  EXPECT_THAT(status.error_message(), HasSubstr("UTF-8"));
  EXPECT_TRUE(ListDrafts("").empty());
}

TEST_F(DraftServiceTest, MessagesOverTheServersLimitAreResourceExhausted) {
  v1::ExtractDraftsResponse response;
  grpc::Status status =
      Extract(Document("", std::string(options_.max_message_bytes + 1, 'a')), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(DraftServiceTest, ListPagesWithTokensAndRefusesBadFilters) {
  const std::vector<std::string> demands = {
      "the immediate release of President Bazoum", "a return to constitutional order",
      "the reopening of every border crossing", "safe passage for humanitarian convoys",
      "elections before the end of next year"};
  for (size_t i = 0; i < demands.size(); ++i) {
    OneDraftBy("actors/ecowas",
               Document(absl::StrCat("https://afp.example/", i), EcowasDemands(demands[i])));
  }
  v1::ListDraftsRequest request;
  request.set_page_size(2);
  request.set_filter("state = PENDING");
  std::vector<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    v1::ListDraftsResponse response;
    ASSERT_TRUE(drafts_->ListDrafts(Context().get(), request, &response).ok());
    for (const v1::Draft& draft : response.drafts()) seen.push_back(draft.statement().quote());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_THAT(seen, ElementsAre(HasSubstr(demands[0]), HasSubstr(demands[1]),
                                HasSubstr(demands[2]), HasSubstr(demands[3]),
                                HasSubstr(demands[4])));
  request.set_filter("state = REJECTED");
  v1::ListDraftsResponse response;
  EXPECT_EQ(drafts_->ListDrafts(Context().get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT)
      << "a token from another filter";
  for (const char* bad : {"colour = \"red\"", "state = LOST", "event = \"actors/x\"",
                          "actor = \"actors/a\" AND actor = \"actors/b\""}) {
    v1::ListDraftsRequest list;
    list.set_filter(bad);
    grpc::Status status = drafts_->ListDrafts(Context().get(), list, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_THAT(status.error_message(), HasSubstr("filter")) << bad;
  }
}

TEST_F(DraftServiceTest, DraftsSurviveARestart) {
  v1::Draft draft = EcowasDraft();
  RestartServer();
  drafts_ = v1::DraftService::NewStub(channel_);
  v1::GetDraftRequest get;
  get.set_name(draft.name());
  v1::Draft got;
  ASSERT_TRUE(drafts_->GetDraft(Context().get(), get, &got).ok());
  EXPECT_EQ(got.SerializeAsString(), draft.SerializeAsString());
}

}  // namespace
}  // namespace rollcall::testing
