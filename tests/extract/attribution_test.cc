// Who said what, where the sentence's shape misleads: a name after a
// preposition following the cue ("a rappelé sur Twitter que"), the object
// of an action, an actor's own decision. Small articles inline, the shipped language
// knowledge (data/extract/) and fixture actors.

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "server/extract/extractor.h"
#include "tests/extract/extract_fixture.h"
#include "tests/support/temp_dir.h"

namespace rollcall::extract {
namespace {

constexpr char kActors[] = R"(
{"actor":{"name":"actors/united-states","displayName":"United States","kind":"ACTOR_KIND_STATE","countryCode":"USA","aliases":["US","États-Unis"],"demonyms":["American","américain"]}}
{"actor":{"name":"actors/france","displayName":"France","kind":"ACTOR_KIND_STATE","countryCode":"FRA","demonyms":["French","français"],"metonyms":["Paris"]}}
{"actor":{"name":"actors/mali","displayName":"Mali","kind":"ACTOR_KIND_STATE","countryCode":"MLI","demonyms":["Malian","malien"]}}
{"actor":{"name":"actors/mali-government","displayName":"Government of Mali","kind":"ACTOR_KIND_GOVERNMENT_BODY","countryCode":"MLI"}}
{"actor":{"name":"actors/russia","displayName":"Russia","kind":"ACTOR_KIND_STATE","countryCode":"RUS","aliases":["Russie"],"demonyms":["Russian"]}}
{"actor":{"name":"actors/china","displayName":"China","kind":"ACTOR_KIND_STATE","countryCode":"CHN","aliases":["Chine"],"demonyms":["Chinese"]}}
{"actor":{"name":"actors/un-security-council","displayName":"United Nations Security Council","kind":"ACTOR_KIND_INTERNATIONAL_ORGANISATION","aliases":["Security Council","Conseil de sécurité"]}}
{"actor":{"name":"actors/united-arab-emirates","displayName":"United Arab Emirates","kind":"ACTOR_KIND_STATE","countryCode":"ARE","aliases":["UAE"],"demonyms":["Emirati"]}}
{"actor":{"name":"actors/ecowas","displayName":"Economic Community of West African States","kind":"ACTOR_KIND_REGIONAL_BLOC","aliases":["ECOWAS","CEDEAO"]}}
)";

class AttributionTest : public fixture::ExtractorFixture {
 protected:
  AttributionTest() : ExtractorFixture(kActors, "") {}

  Extraction Run(const std::string& language, const std::string& text) {
    return ExtractText(language, text, absl::CivilDay(2020, 8, 19));
  }
};

using fixture::DraftOf;

TEST_F(AttributionTest, NameAfterAPrepositionFollowingTheCueIsNotTheSpeaker) {
  // "sur Twitter", "in English": where or how it was said.
  Extraction fr = Run(
      "fr",
      "L'envoyé spécial américain, Peter Pham, a rappelé sur "
      "Twitter que « les États-Unis s'opposent à tout changement de "
      "gouvernement anticonstitutionnel ».");
  const v1::Draft* us = DraftOf(fr, "actors/united-states");
  ASSERT_NE(us, nullptr);
  EXPECT_EQ(us->statement().stance(), v1::STANCE_CONDEMNS);
  for (const auto& d : fr.drafts) EXPECT_NE(d.unresolved_mention(), "Twitter");
  Extraction en = Run(
      "en",
      "The French foreign minister spoke to reporters in Bamako. \"We "
      "condemn this coup,\" he said in English.");
  const v1::Draft* france = DraftOf(en, "actors/france");
  ASSERT_NE(france, nullptr);
  EXPECT_EQ(france->statement().stance(), v1::STANCE_CONDEMNS);
  for (const auto& d : en.drafts) EXPECT_NE(d.unresolved_mention(), "English");
}

TEST_F(AttributionTest, BlockingAStatementCriticisesWhatItEndorses) {
  // The council is the object of "blocked", and "endorsing" qualifies the
  // statement blocked: neither speaks.
  for (const auto& [language, text] : std::vector<
           std::pair<std::string, std::string>>{
           {"en",
            "Russia and China blocked a Security Council statement endorsing "
            "the sanctions on Tuesday."},
           {"fr",
            "La Russie et la Chine ont bloqué une déclaration du Conseil de "
            "sécurité soutenant les sanctions."}}) {
    Extraction e = Run(language, text);
    for (const char* actor : {"actors/russia", "actors/china"}) {
      const v1::Draft* d = DraftOf(e, actor);
      ASSERT_NE(d, nullptr) << language << " " << actor;
      EXPECT_EQ(d->statement().stance(), v1::STANCE_CRITICISES) << language;
      ASSERT_EQ(d->statement().actions_size(), 1) << language;
      EXPECT_EQ(d->statement().actions(0).kind(), v1::ACTION_KIND_OTHER);
    }
    EXPECT_EQ(DraftOf(e, "actors/un-security-council"), nullptr) << language;
  }
}

TEST_F(AttributionTest, WestAfricanLeadersAreTheBlocInTheShippedDirectory) {
  std::ifstream in(fixture::SourceDir() + "/data/actors.jsonl");
  std::stringstream jsonl;
  jsonl << in.rdbuf();
  auto shipped = fixture::DirectoryOf(jsonl.str());
  ASSERT_TRUE(shipped.ok()) << shipped.status();
  for (const auto& [language, text] : std::vector<
           std::pair<std::string, std::string>>{
           {"en", "West African leaders condemned the coup on Sunday."},
           {"fr", "Les dirigeants ouest-africains ont condamné le coup "
                  "d'État dimanche."}}) {
    v1::Document document = fixture::DocumentOf(
        text, language, absl::CivilDay(2021, 9, 6));
    auto e = Extract(*knowledge_, **shipped, document, "events/test",
                     absl::Now());
    ASSERT_TRUE(e.ok()) << e.status();
    ASSERT_EQ(e->drafts.size(), 1u) << language;
    EXPECT_EQ(e->drafts[0].statement().actor(), "actors/ecowas") << language;
    EXPECT_EQ(e->drafts[0].statement().stance(), v1::STANCE_CONDEMNS);
  }
}

TEST_F(AttributionTest, ActorReportingItsOwnDecisionSupportsIt) {
  Extraction en = Run(
      "en",
      "\"I have decided to conduct a special operation,\" the Russian "
      "president said.");
  const v1::Draft* russia = DraftOf(en, "actors/russia");
  ASSERT_NE(russia, nullptr);
  EXPECT_EQ(russia->statement().stance(), v1::STANCE_SUPPORTS);
  EXPECT_LT(russia->confidence().stance(), 0.5f);
  Extraction fr = Run(
      "fr", "Le gouvernement malien a décidé de se retirer de l'organisation.");
  const v1::Draft* mali = DraftOf(fr, "actors/mali-government");
  ASSERT_NE(mali, nullptr);
  EXPECT_EQ(mali->statement().stance(), v1::STANCE_SUPPORTS);
  // A decision with a stance of its own keeps it: sanctions condemn.
  Extraction sanctions = Run(
      "en", "ECOWAS decided to impose sanctions on Mali on Sunday.");
  const v1::Draft* ecowas = DraftOf(sanctions, "actors/ecowas");
  ASSERT_NE(ecowas, nullptr);
  EXPECT_EQ(ecowas->statement().stance(), v1::STANCE_CONDEMNS);
}

TEST_F(AttributionTest, StanceWordInCapitalsInsideASentenceIsPartOfAName) {
  Extraction name = Run(
      "en", "France hosted envoys of the Rapid Support Forces on Sunday.");
  EXPECT_TRUE(name.drafts.empty());
  // At the start of a sentence a capital is no name.
  Extraction word = Run("en", "Support for the transition, France said.");
  const v1::Draft* france = DraftOf(word, "actors/france");
  ASSERT_NE(france, nullptr);
  EXPECT_EQ(france->statement().stance(), v1::STANCE_SUPPORTS);
}

TEST_F(AttributionTest, DemonymCoordinatedWithAQualifyingNameQualifiesToo) {
  // "his Russian and Emirati counterparts": neither speaks; the speaker
  // before does.
  Extraction e = Run(
      "en",
      "The French foreign minister said he had spoken with his Russian and "
      "Emirati counterparts and called for an end to the fighting.");
  EXPECT_EQ(DraftOf(e, "actors/russia"), nullptr);
  EXPECT_EQ(DraftOf(e, "actors/united-arab-emirates"), nullptr);
  EXPECT_NE(DraftOf(e, "actors/france"), nullptr);
  // Coordinated states still speak together.
  Extraction both = Run(
      "en", "Russia and China have called for an end to the fighting.");
  EXPECT_NE(DraftOf(both, "actors/russia"), nullptr);
  EXPECT_NE(DraftOf(both, "actors/china"), nullptr);
}

TEST_F(AttributionTest, ActSaidNotToBeTheSolutionIsCriticised) {
  Extraction en = Run(
      "en", "The French foreign minister said military takeovers were not "
            "the solution.");
  const v1::Draft* france = DraftOf(en, "actors/france");
  ASSERT_NE(france, nullptr);
  EXPECT_EQ(france->statement().stance(), v1::STANCE_CRITICISES);
  Extraction fr = Run(
      "fr", "Le ministre français des Affaires étrangères a estimé que le "
            "retrait « n'est pas une solution ».");
  france = DraftOf(fr, "actors/france");
  ASSERT_NE(france, nullptr);
  EXPECT_EQ(france->statement().stance(), v1::STANCE_CRITICISES);
}

TEST_F(AttributionTest, ProcessSaidToBeMarredIsCriticisedAndJugeIsACue) {
  // « a jugé que » reports what the speaker said; a process « entaché »
  // is criticised, as one "marred" is.
  Extraction fr = Run(
      "fr", "Le ministre français des Affaires étrangères a de son côté jugé "
            "que le scrutin avait été « entaché » par les violences.");
  const v1::Draft* france = DraftOf(fr, "actors/france");
  ASSERT_NE(france, nullptr);
  EXPECT_EQ(france->statement().stance(), v1::STANCE_CRITICISES);
  EXPECT_FALSE(france->evidence(0).cue().text().empty());
  Extraction en = Run(
      "en", "The French foreign minister said the vote had been marred by "
            "irregularities.");
  france = DraftOf(en, "actors/france");
  ASSERT_NE(france, nullptr);
  EXPECT_EQ(france->statement().stance(), v1::STANCE_CRITICISES);
}

}  // namespace
}  // namespace rollcall::extract
