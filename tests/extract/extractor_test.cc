// The extractor against small articles written for it (testdata/), with the
// shipped knowledge (data/extract/) and fixture actors and office holders.

#include "server/extract/extractor.h"

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "server/extract/tokens.h"
#include "tests/extract/extract_fixture.h"
#include "tests/support/temp_dir.h"

namespace rollcall::extract {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string kSource = ROLLCALL_SOURCE_DIR;
const std::string kTestdata = kSource + "/tests/extract/testdata";

// The shipped knowledge with the fixture office holders.
class ExtractorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto knowledge = fixture::LoadShippedKnowledge(
        dir_, testing::ReadFile(kTestdata + "/office-holders.jsonl"));
    ASSERT_TRUE(knowledge.ok()) << knowledge.status();
    knowledge_ = *knowledge;
    auto directory =
        fixture::DirectoryOf(testing::ReadFile(kTestdata + "/actors.jsonl"));
    ASSERT_TRUE(directory.ok()) << directory.status();
    directory_ = *directory;
  }

  absl::StatusOr<Extraction> Run(const std::string& text,
                                 const std::string& language,
                                 absl::CivilDay published) {
    v1::Document document = fixture::DocumentOf(text, language, published);
    return Extract(*knowledge_, *directory_, document, "events/test",
                   absl::Now());
  }

  Extraction RunFile(const std::string& name, const std::string& language) {
    auto extraction = Run(testing::ReadFile(kTestdata + "/" + name), language,
                          absl::CivilDay(2023, 7, 28));  // a Friday
    EXPECT_TRUE(extraction.ok()) << extraction.status();
    return extraction.ok() ? *extraction : Extraction{};
  }

  testing::TempDir dir_;
  std::shared_ptr<const Knowledge> knowledge_;
  std::shared_ptr<const ActorDirectory> directory_;
};

const v1::Draft* Find(const Extraction& e, const std::string& actor,
                      v1::Stance stance) {
  for (const auto& d : e.drafts) {
    if (d.statement().actor() == actor && d.statement().stance() == stance) {
      return &d;
    }
  }
  return nullptr;
}

bool HasAction(const v1::Draft& d, v1::ActionKind kind) {
  for (const auto& a : d.statement().actions()) {
    if (a.kind() == kind) return true;
  }
  return false;
}

// The span's text is the document's text between its code-point offsets.
void ExpectSpanPointsAtText(const std::string& text, const v1::TextSpan& span) {
  if (span.text().empty() && span.start() == 0 && span.end() == 0) return;
  std::vector<int32_t> offsets = CodePointOffsets(text);
  size_t begin = std::lower_bound(offsets.begin(), offsets.end(), span.start()) -
                 offsets.begin();
  size_t end = std::lower_bound(offsets.begin(), offsets.end(), span.end()) -
               offsets.begin();
  EXPECT_EQ(text.substr(begin, end - begin), span.text());
}

void ExpectEvidencePointsAtText(const Extraction& e) {
  const std::string& text = e.document.text();
  for (const auto& d : e.drafts) {
    ASSERT_EQ(d.evidence_size(), 1);
    const auto& ev = d.evidence(0);
    EXPECT_GT(ev.sentences_size(), 0);
    for (const auto& s : ev.sentences()) ExpectSpanPointsAtText(text, s);
    for (const auto& q : ev.quotes()) ExpectSpanPointsAtText(text, q);
    for (const auto& c : ev.stance_cues()) ExpectSpanPointsAtText(text, c);
    for (const auto& c : ev.action_cues()) ExpectSpanPointsAtText(text, c);
    ExpectSpanPointsAtText(text, ev.cue());
    ExpectSpanPointsAtText(text, ev.time_cue());
    ExpectSpanPointsAtText(text, ev.actor_mention().span());
    ExpectSpanPointsAtText(text, ev.actor_mention().antecedent());
    // The statement's quote is the quoted words, verbatim.
    for (const auto& q : ev.quotes()) {
      EXPECT_THAT(d.statement().quote(), HasSubstr(q.text()));
    }
  }
}

TEST_F(ExtractorTest, EnglishReportingVerbGivesStanceActionsAndDayWord) {
  Extraction e = RunFile("en-reactions.txt", "en");
  const v1::Draft* ecowas = Find(e, "actors/ecowas", v1::STANCE_CONDEMNS);
  ASSERT_NE(ecowas, nullptr);
  EXPECT_TRUE(HasAction(*ecowas, v1::ACTION_KIND_CONDEMN));
  EXPECT_TRUE(HasAction(*ecowas, v1::ACTION_KIND_DEMAND_RELEASE));
  EXPECT_EQ(ecowas->evidence(0).actor_mention().resolution(),
            v1::MENTION_RESOLUTION_NAME);
  EXPECT_EQ(ecowas->evidence(0).time_cue().text(), "Wednesday");
  // Published Friday 2023-07-28: "on Wednesday" is 2023-07-26.
  EXPECT_EQ(google::protobuf::util::TimeUtil::ToString(
                ecowas->statement().issue_time()),
            "2023-07-26T00:00:00Z");
  // The CAMEO and PLOVER codings come with the action.
  const auto& condemn = ecowas->statement().actions(0);
  ASSERT_GE(condemn.codings_size(), 2);
  EXPECT_EQ(condemn.codings(0).scheme(), "cameo");
  EXPECT_EQ(condemn.codings(0).code(), "111");
  EXPECT_EQ(condemn.codings(1).code(), "ACCUSE");
  ExpectEvidencePointsAtText(e);
}

TEST_F(ExtractorTest, ConditionalThreatIsHypotheticalAndJoinsTheBloc) {
  Extraction e = RunFile("en-reactions.txt", "en");
  // "The bloc also threatened to impose sanctions if ...": the bloc is
  // ECOWAS, the sanctions are contemplated.
  bool found = false;
  for (const auto& d : e.drafts) {
    if (d.statement().actor() == "actors/ecowas" &&
        HasAction(d, v1::ACTION_KIND_IMPOSE_SANCTIONS)) {
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ExtractorTest, OfficeHolderQuoteAndPronounResolveToTheirGovernment) {
  Extraction e = RunFile("en-reactions.txt", "en");
  const v1::Draft* us = Find(e, "actors/united-states", v1::STANCE_SUPPORTS);
  ASSERT_NE(us, nullptr);
  const auto& ev = us->evidence(0);
  EXPECT_EQ(ev.actor_mention().resolution(), v1::MENTION_RESOLUTION_OFFICE);
  EXPECT_EQ(us->statement().speaker().person_name(), "Antony Blinken");
  EXPECT_EQ(ev.cue().text(), "told reporters");
  ASSERT_GE(ev.quotes_size(), 2);
  EXPECT_EQ(ev.quotes(0).text(),
            "We stand with the people of Niger and their elected leaders");
  // "... he added": the second quotation is his too.
  EXPECT_EQ(ev.quotes(1).text(), "This is not a time for violence");
  ExpectEvidencePointsAtText(e);
}

TEST_F(ExtractorTest, OfficeHolderOutsideTheDatesOfTheOfficeIsNotGuessed) {
  auto e = Run("Antony Blinken said he condemned the coup.", "en",
               absl::CivilDay(2019, 5, 1));
  ASSERT_TRUE(e.ok()) << e.status();
  ASSERT_EQ(e->drafts.size(), 1u);
  EXPECT_EQ(e->drafts[0].statement().actor(), "");
  EXPECT_EQ(e->drafts[0].unresolved_mention(), "Antony Blinken");
  auto in_office = Run("Antony Blinken said he condemned the coup.", "en",
                       absl::CivilDay(2023, 5, 1));
  ASSERT_TRUE(in_office.ok());
  ASSERT_EQ(in_office->drafts.size(), 1u);
  EXPECT_EQ(in_office->drafts[0].statement().actor(), "actors/united-states");
  EXPECT_EQ(in_office->drafts[0].evidence(0).actor_mention().resolution(),
            v1::MENTION_RESOLUTION_OFFICE_HOLDER);
}

TEST_F(ExtractorTest, MetonymAndUnknownSpeakerAndNegation) {
  Extraction e = RunFile("en-reactions.txt", "en");
  const v1::Draft* kremlin = Find(e, "actors/russia", v1::STANCE_CONCERNED);
  ASSERT_NE(kremlin, nullptr);
  EXPECT_EQ(kremlin->evidence(0).actor_mention().resolution(),
            v1::MENTION_RESOLUTION_METONYM);
  // The Sahel Liberation Front is in no directory: a draft with the
  // mention and no actor.
  bool unresolved = false;
  for (const auto& d : e.drafts) {
    if (d.unresolved_mention() == "Sahel Liberation Front") {
      unresolved = true;
      EXPECT_EQ(d.statement().actor(), "");
      EXPECT_EQ(d.evidence(0).actor_mention().resolution(),
                v1::MENTION_RESOLUTION_UNRESOLVED);
    }
  }
  EXPECT_TRUE(unresolved);
  // "Russia did not condemn the coup": no condemnation.
  EXPECT_EQ(Find(e, "actors/russia", v1::STANCE_CONDEMNS), nullptr);
}

TEST_F(ExtractorTest, PrepositionalAttributionAndDemonymOffice) {
  Extraction e = RunFile("en-reactions.txt", "en");
  const v1::Draft* france = Find(e, "actors/france", v1::STANCE_CONCERNED);
  ASSERT_NE(france, nullptr);
  EXPECT_EQ(france->evidence(0).quotes(0).text(), "deeply concerned");
}

TEST_F(ExtractorTest, FrenchGuillemetsAccentsAndOffsetsInCodePoints) {
  Extraction e = RunFile("fr-reactions.txt", "fr");
  const v1::Draft* ecowas = Find(e, "actors/ecowas", v1::STANCE_CONDEMNS);
  ASSERT_NE(ecowas, nullptr);
  EXPECT_EQ(ecowas->evidence(0).time_cue().text(), "mercredi");
  EXPECT_TRUE(HasAction(*ecowas, v1::ACTION_KIND_DEMAND_RELEASE));
  const v1::Draft* france = Find(e, "actors/france", v1::STANCE_CONCERNED);
  ASSERT_NE(france, nullptr);
  EXPECT_EQ(france->statement().speaker().person_name(), "Catherine Colonna");
  EXPECT_EQ(france->evidence(0).quotes(0).text(),
            "Nous sommes préoccupés par la situation");
  EXPECT_EQ(france->evidence(0).cue().text(), "déclaré");
  const v1::Draft* russia = Find(e, "actors/russia", v1::STANCE_NEUTRAL);
  ASSERT_NE(russia, nullptr);
  EXPECT_EQ(russia->evidence(0).cue().text(), "Selon");
  ExpectEvidencePointsAtText(e);
}

TEST_F(ExtractorTest, FrenchThreatIsFuture) {
  Extraction e = RunFile("fr-reactions.txt", "fr");
  const v1::Draft* au = Find(e, "actors/african-union", v1::STANCE_CONDEMNS);
  ASSERT_NE(au, nullptr);
  EXPECT_TRUE(HasAction(*au, v1::ACTION_KIND_SUSPEND_MEMBERSHIP));
  EXPECT_EQ(au->statement().modality(), v1::MODALITY_FUTURE);
}

TEST_F(ExtractorTest, StateGovernmentAndJuntaResolveToTheBodiesOfTheState) {
  auto e = Run(
      "The Nigerien government condemned the coup in Niamey. The junta said "
      "on Thursday that it had closed the borders. Former foreign minister "
      "Jean Dupont denounced the takeover.",
      "en", absl::CivilDay(2023, 7, 28));
  ASSERT_TRUE(e.ok()) << e.status();
  const v1::Draft* government =
      Find(*e, "actors/niger-government", v1::STANCE_CONDEMNS);
  ASSERT_NE(government, nullptr);
  EXPECT_EQ(government->evidence(0).actor_mention().resolution(),
            v1::MENTION_RESOLUTION_OFFICE);
  // The junta reports its own act with no stance word: it supports it.
  const v1::Draft* junta =
      Find(*e, "actors/niger-coup-leaders", v1::STANCE_SUPPORTS);
  ASSERT_NE(junta, nullptr);
  EXPECT_TRUE(HasAction(*junta, v1::ACTION_KIND_CLOSE_BORDERS));
  // A former minister speaks for no government: his draft stays unresolved.
  bool former = false;
  for (const auto& d : e->drafts) {
    if (absl::StrContains(d.evidence(0).actor_mention().span().text(),
                          "Dupont")) {
      former = true;
      EXPECT_EQ(d.statement().actor(), "");
    }
  }
  EXPECT_TRUE(former);
  ExpectEvidencePointsAtText(*e);
}

TEST_F(ExtractorTest, LongAcronymWrittenAsAWordAndConcernOutranksSupport) {
  auto fr = Run("La Cédéao condamne le coup d'État au Niger.", "fr",
                absl::CivilDay(2023, 7, 28));
  ASSERT_TRUE(fr.ok()) << fr.status();
  EXPECT_NE(Find(*fr, "actors/ecowas", v1::STANCE_CONDEMNS), nullptr);
  auto en = Run(
      "Ecowas said it was deeply concerned and supported the people of Niger.",
      "en", absl::CivilDay(2023, 7, 28));
  ASSERT_TRUE(en.ok()) << en.status();
  EXPECT_NE(Find(*en, "actors/ecowas", v1::STANCE_CONCERNED), nullptr);
  EXPECT_EQ(Find(*en, "actors/ecowas", v1::STANCE_SUPPORTS), nullptr);
  // Two-letter acronyms are words when not in capitals: "Un" is not the UN.
  auto un = Run("Un diplomate condamne le coup d'État.", "fr",
                absl::CivilDay(2023, 7, 28));
  ASSERT_TRUE(un.ok()) << un.status();
  EXPECT_EQ(Find(*un, "actors/united-nations", v1::STANCE_CONDEMNS), nullptr);
}

TEST_F(ExtractorTest, EmbassySpeaksForItsStateAcrossAPlaceAndAnAdverbial) {
  // An embassy speaks for its state; "à Niamey" after it and "pour sa
  // part" before the agreeing participle ("s'est déclarée") keep it the
  // speaker of the quotation after.
  auto e = Run(
      "L'ambassade de Russie à Niamey s'est pour sa part déclarée "
      "« profondément préoccupée par les violences ».",
      "fr", absl::CivilDay(2020, 11, 3));
  ASSERT_TRUE(e.ok()) << e.status();
  const v1::Draft* russia = Find(*e, "actors/russia", v1::STANCE_CONCERNED);
  ASSERT_NE(russia, nullptr);
  EXPECT_EQ(russia->statement().quote(),
            "profondément préoccupée par les violences");
  EXPECT_EQ(Find(*e, "actors/niger", v1::STANCE_CONCERNED), nullptr);
  auto en = Run("The US embassy in Niamey said on Tuesday it was deeply "
                "concerned by the violence.",
                "en", absl::CivilDay(2020, 11, 3));
  ASSERT_TRUE(en.ok()) << en.status();
  EXPECT_NE(Find(*en, "actors/united-states", v1::STANCE_CONCERNED), nullptr);
}

TEST_F(ExtractorTest, FrenchFirstPersonPluralTakesAStance) {
  // "Nous condamnons", "nous suspendons notre coopération": Snowball
  // leaves "-ons", the lexicon lists the forms.
  auto e = Run(
      "« Nous condamnons fermement ce coup et nous suspendons notre "
      "coopération », a déclaré le ministre russe des Affaires étrangères.",
      "fr", absl::CivilDay(2023, 7, 28));
  ASSERT_TRUE(e.ok()) << e.status();
  const v1::Draft* russia = Find(*e, "actors/russia", v1::STANCE_CONDEMNS);
  ASSERT_NE(russia, nullptr);
  EXPECT_TRUE(HasAction(*russia, v1::ACTION_KIND_CONDEMN));
  EXPECT_TRUE(HasAction(*russia, v1::ACTION_KIND_SUSPEND_AID));
  auto oppose = Run(
      "« Nous nous opposons à ce coup », a déclaré le ministre russe des "
      "Affaires étrangères. L'ONU et l'Union africaine s'opposent aussi au "
      "coup.",
      "fr", absl::CivilDay(2023, 7, 28));
  ASSERT_TRUE(oppose.ok()) << oppose.status();
  EXPECT_NE(Find(*oppose, "actors/russia", v1::STANCE_CONDEMNS), nullptr);
  EXPECT_NE(Find(*oppose, "actors/african-union", v1::STANCE_CONDEMNS),
            nullptr);
}

TEST_F(ExtractorTest, CoupLeaderReportingWithoutAStanceWordSupports) {
  // A coup leader listed as president from the day of the coup speaks for
  // the junta, and a junta's report with no stance word supports its act.
  auto e = Run("General Abdourahamane Tiani said on Friday that he would "
               "lead the country.",
               "en", absl::CivilDay(2023, 7, 28));
  ASSERT_TRUE(e.ok()) << e.status();
  const v1::Draft* junta =
      Find(*e, "actors/niger-coup-leaders", v1::STANCE_SUPPORTS);
  ASSERT_NE(junta, nullptr);
  EXPECT_EQ(junta->statement().speaker().person_name(), "Abdourahamane Tiani");
}

TEST_F(ExtractorTest, GovernmentOfficeIsThatOfTheStateOpeningItsSentence) {
  // "a foreign ministry statement" is France's, the state that opens the
  // sentence, not that of Niger, named later in an aside and having a
  // government body of its own.
  auto e = Run(
      "Niger's government condemned the coup on Wednesday. France, a close "
      "partner of Niger, did not condemn it, calling instead in a foreign "
      "ministry statement for dialogue.",
      "en", absl::CivilDay(2023, 7, 28));
  ASSERT_TRUE(e.ok()) << e.status();
  bool france_dialogue = false;
  for (const auto& d : e->drafts) {
    if (HasAction(d, v1::ACTION_KIND_CALL_FOR_DIALOGUE)) {
      EXPECT_EQ(d.statement().actor(), "actors/france");
      france_dialogue |= d.statement().actor() == "actors/france";
    }
  }
  EXPECT_TRUE(france_dialogue);
}

TEST_F(ExtractorTest, AppositionWithARelativeClauseIsAnAside) {
  // ", the partner that Niger courted," is background: Russia condemns.
  auto e = Run("Russia, the partner that Niger courted, condemned the coup.",
               "en", absl::CivilDay(2023, 7, 28));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_NE(Find(*e, "actors/russia", v1::STANCE_CONDEMNS), nullptr);
  for (const auto& d : e->drafts) {
    EXPECT_NE(d.statement().actor(), "actors/niger-government");
  }
}

TEST_F(ExtractorTest, DisplayNameWithoutItsGlossNamesTheActor) {
  // "Forces for Renewal (FR)" is also named "Forces for Renewal".
  auto e = Run("The Forces for Renewal denounced the coup on Friday.", "en",
               absl::CivilDay(2023, 7, 28));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_NE(Find(*e, "actors/test-coalition", v1::STANCE_CONDEMNS), nullptr);
  // An alias the directory writes in lower case matches as written.
  auto fr = Run("La coalition du renouveau a dénoncé le coup d'État.", "fr",
                absl::CivilDay(2023, 7, 28));
  ASSERT_TRUE(fr.ok()) << fr.status();
  EXPECT_NE(Find(*fr, "actors/test-coalition", v1::STANCE_CONDEMNS), nullptr);
}

TEST_F(ExtractorTest, LanguageIsDetectedWhenNotGiven) {
  auto e = Run(testing::ReadFile(kTestdata + "/fr-reactions.txt"), "",
               absl::CivilDay(2023, 7, 28));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->document.language(), "fr");
  EXPECT_TRUE(e->document.language_detected());
}

TEST_F(ExtractorTest, HtmlLosesScriptsAndStylesAndOffsetsReferToItsText) {
  v1::Document document;
  document.set_html(
      "<html><head><style>p{color:red}</style><script>var said = \"ECOWAS "
      "condemned\";</script></head><body><h1>Niger</h1><p>The African Union "
      "&laquo;strongly condemned&raquo; the coup.</p><script>alert(1)</script>"
      "</body></html>");
  auto e = Extract(*knowledge_, *directory_, document, "events/test", absl::Now());
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->document.text(),
            "Niger\nThe African Union «strongly condemned» the coup.");
  EXPECT_TRUE(e->document.html().empty());
  ASSERT_EQ(e->drafts.size(), 1u);
  EXPECT_EQ(e->drafts[0].statement().actor(), "actors/african-union");
  EXPECT_EQ(e->drafts[0].statement().quote(), "strongly condemned");
  ExpectEvidencePointsAtText(*e);
}

TEST_F(ExtractorTest, BadDocumentsAreInvalidArgumentsNamingTheField) {
  v1::Document empty;
  auto e = Extract(*knowledge_, *directory_, empty, "events/test", absl::Now());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(e.status().message()), HasSubstr("document.text"));

  v1::Document huge;
  huge.set_text(std::string(10 << 20, 'a'));
  e = Extract(*knowledge_, *directory_, huge, "events/test", absl::Now());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(e.status().message()), HasSubstr("longer than"));

  v1::Document binary;
  binary.set_text(std::string("\x00\xff\xfe\x01garbage\x80", 12));
  e = Extract(*knowledge_, *directory_, binary, "events/test", absl::Now());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(e.status().message()), HasSubstr("not UTF-8"));

  v1::Document scripts;
  scripts.set_html("<script>var x = 1;</script><style>body{}</style>");
  e = Extract(*knowledge_, *directory_, scripts, "events/test", absl::Now());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(e.status().message()), HasSubstr("document.html: has no text"));
}

TEST_F(ExtractorTest, TextWithNoReactionGivesNoDraft) {
  auto e = Run("The weather in Niamey was hot on Tuesday.", "en",
               absl::CivilDay(2023, 7, 28));
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->drafts.empty());
}

TEST(KnowledgeTest, MissingDirectoryIsNotFoundAndBadLineNamesFileAndLine) {
  EXPECT_EQ(LoadKnowledge("/nonexistent").status().code(),
            absl::StatusCode::kNotFound);
  testing::TempDir dir;
  fs::create_directory(dir.File("en"));
  ASSERT_TRUE(testing::WriteFile(dir.File("languages.tsv"),
                                 "version\t1\nlanguage\tstemmer\nen\tenglish\n"));
  for (const char* file : {"stance.tsv", "actions.tsv", "modality.tsv",
                           "negation.tsv", "time.tsv", "offices.tsv",
                           "pronouns.tsv", "grammar.tsv"}) {
    fs::copy_file(kSource + "/data/extract/en/" + file, dir.File("en/") + file);
  }
  ASSERT_TRUE(testing::WriteFile(
      dir.File("en/cues.tsv"),
      "version\t1\nphrase\tspeaker\tconfidence\nsaid\tsomewhere\t0.9\n"));
  auto knowledge = LoadKnowledge(dir.path());
  EXPECT_EQ(knowledge.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(knowledge.status().message()),
              HasSubstr("en/cues.tsv:3"));
}

}  // namespace
}  // namespace rollcall::extract
