// What a reaction says once its actor is known: stance, actions with their
// descriptions, modality and negation, on small synthetic articles with the
// shipped knowledge (data/extract/) and the fixture actors.

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/extract/extractor.h"
#include "tests/extract/extract_fixture.h"
#include "tests/support/temp_dir.h"

namespace rollcall::extract {
namespace {


const std::string kSource = ROLLCALL_SOURCE_DIR;
const std::string kTestdata = kSource + "/tests/extract/testdata";

class StanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto knowledge = fixture::LoadShippedKnowledge(dir_, "");
    ASSERT_TRUE(knowledge.ok()) << knowledge.status();
    knowledge_ = *knowledge;
    auto directory =
        fixture::DirectoryOf(testing::ReadFile(kTestdata + "/actors.jsonl"));
    ASSERT_TRUE(directory.ok()) << directory.status();
    directory_ = *directory;
  }

  // The drafts of `text`, published on Friday 28 July 2023.
  std::vector<v1::Draft> Drafts(const std::string& text,
                                const std::string& language) {
    v1::Document document = fixture::DocumentOf(
        text, language, absl::CivilDay(2023, 7, 28));
    auto e = Extract(*knowledge_, *directory_, document, "events/test",
                     absl::Now());
    EXPECT_TRUE(e.ok()) << e.status();
    return e.ok() ? e->drafts : std::vector<v1::Draft>{};
  }

  // The one draft of `actor`; fails the test if there is not exactly one.
  v1::Statement Of(const std::vector<v1::Draft>& drafts,
                   const std::string& actor) {
    const v1::Draft* found = nullptr;
    int count = 0;
    for (const auto& d : drafts) {
      if (d.statement().actor() == actor) {
        found = &d;
        ++count;
      }
    }
    EXPECT_EQ(count, 1) << actor;
    return found ? found->statement() : v1::Statement{};
  }

  testing::TempDir dir_;
  std::shared_ptr<const Knowledge> knowledge_;
  std::shared_ptr<const ActorDirectory> directory_;
};

std::vector<v1::ActionKind> Kinds(const v1::Statement& s) {
  std::vector<v1::ActionKind> kinds;
  for (const auto& a : s.actions()) kinds.push_back(a.kind());
  return kinds;
}

std::vector<std::string> OtherDescriptions(const v1::Statement& s) {
  std::vector<std::string> out;
  for (const auto& a : s.actions()) {
    if (a.kind() == v1::ACTION_KIND_OTHER) out.push_back(a.description());
  }
  return out;
}

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// A junta's acts that no specific kind names (a dissolution, a curfew) are
// ACTION_KIND_OTHER, each described by the words that report it, as the
// API requires of OTHER; the borders it closed keep their own kind.
TEST_F(StanceTest, MeasuresWithoutAKindAreOtherWithTheirWords) {
  auto drafts = Drafts(
      "The CNSP dissolved the government, imposed a curfew from 10 pm to 5 am "
      "and closed the borders.", "en");
  v1::Statement junta = Of(drafts, "actors/niger-coup-leaders");
  EXPECT_EQ(junta.stance(), v1::STANCE_SUPPORTS);
  EXPECT_THAT(OtherDescriptions(junta),
              ElementsAre("dissolved the government",
                          "curfew from 10 pm to 5 am"));
  EXPECT_THAT(Kinds(junta), ::testing::Contains(v1::ACTION_KIND_CLOSE_BORDERS));
  // The curfew carries the codings the data sets give it.
  for (const auto& a : junta.actions()) {
    if (a.description() != "curfew from 10 pm to 5 am") continue;
    ASSERT_EQ(a.codings_size(), 2);
    EXPECT_EQ(a.codings(0).scheme(), "cameo");
    EXPECT_EQ(a.codings(0).code(), "1723");
    EXPECT_EQ(a.codings(1).scheme(), "plover");
    EXPECT_EQ(a.codings(1).code(), "COERCE");
    EXPECT_THAT(a.codings(1).modes(), ElementsAre("curfew"));
  }
}

// A call for restraint or a ceasefire is a demand of its own (OTHER), not a
// call for dialogue, and expresses concern; in French too. Restraint
// called for together with dialogue is one call for a peaceful settlement.
TEST_F(StanceTest, RestraintAndCeasefireAreOtherAndConcerned) {
  v1::Statement russia = Of(
      Drafts("Russia called on all parties to exercise restraint and agree an "
             "immediate ceasefire.", "en"),
      "actors/russia");
  EXPECT_EQ(russia.stance(), v1::STANCE_CONCERNED);
  EXPECT_THAT(Kinds(russia), ElementsAre(v1::ACTION_KIND_OTHER,
                                         v1::ACTION_KIND_OTHER));
  v1::Statement france = Of(
      Drafts("La France appelle toutes les parties à la retenue.", "fr"),
      "actors/france");
  EXPECT_EQ(france.stance(), v1::STANCE_CONCERNED);
  EXPECT_THAT(OtherDescriptions(france), ElementsAre("retenue"));
  v1::Statement both = Of(
      Drafts("La France appelle toutes les parties à la retenue et au "
             "dialogue.", "fr"),
      "actors/france");
  EXPECT_EQ(both.stance(), v1::STANCE_CONCERNED);
  EXPECT_THAT(Kinds(both), ElementsAre(v1::ACTION_KIND_CALL_FOR_DIALOGUE));
  // Refraining from force is part of a peaceful settlement; from violence,
  // a demand of its own.
  v1::Statement force = Of(
      Drafts("Russia urged all parties to refrain from the use of force and "
             "to resolve their disputes through dialogue.", "en"),
      "actors/russia");
  EXPECT_THAT(Kinds(force), ElementsAre(v1::ACTION_KIND_CALL_FOR_DIALOGUE));
}

// Rejecting or opposing an act, or calling it unacceptable, condemns it:
// the stance and the act of condemning, in English and French.
TEST_F(StanceTest, CondemnationInOtherWordsIsTheCondemnAct) {
  v1::Statement us = Of(
      Drafts("The United States opposes any unconstitutional change of "
             "government.", "en"),
      "actors/united-states");
  EXPECT_EQ(us.stance(), v1::STANCE_CONDEMNS);
  EXPECT_THAT(Kinds(us), ElementsAre(v1::ACTION_KIND_CONDEMN));
  v1::Statement russia = Of(
      Drafts("La Russie juge inacceptable la prise du pouvoir par la force.",
             "fr"),
      "actors/russia");
  EXPECT_EQ(russia.stance(), v1::STANCE_CONDEMNS);
  EXPECT_THAT(Kinds(russia), ElementsAre(v1::ACTION_KIND_CONDEMN));
}

// A demand for the release of detained leaders, with no stance word,
// criticises their detention; soldiers told to go back to their barracks
// are told the coup is opposed.
TEST_F(StanceTest, ReleaseDemandCriticisesAndBarracksCondemn) {
  v1::Statement au = Of(
      Drafts("The African Union called for the immediate release of all "
             "detained political leaders.", "en"),
      "actors/african-union");
  EXPECT_EQ(au.stance(), v1::STANCE_CRITICISES);
  EXPECT_THAT(Kinds(au), ElementsAre(v1::ACTION_KIND_DEMAND_RELEASE));
  v1::Statement ecowas = Of(
      Drafts("La Cédéao a exigé le retour des militaires dans leurs "
             "casernes.", "fr"),
      "actors/ecowas");
  EXPECT_EQ(ecowas.stance(), v1::STANCE_CONDEMNS);
  EXPECT_THAT(OtherDescriptions(ecowas), ElementsAre("retour des militaires dans leurs casernes"));
}

// "Backing" is stemmed "back": troops brought back are no support.
TEST_F(StanceTest, BackIsNoSupport) {
  for (const auto& d : Drafts(
           "Russia said it would bring its troops back to their bases.", "en")) {
    EXPECT_NE(d.statement().stance(), v1::STANCE_SUPPORTS);
    EXPECT_THAT(Kinds(d.statement()),
                ::testing::Not(::testing::Contains(v1::ACTION_KIND_OFFER_SUPPORT)));
  }
  v1::Statement france = Of(
      Drafts("France expressed its full backing for ECOWAS.", "en"),
      "actors/france");
  EXPECT_EQ(france.stance(), v1::STANCE_SUPPORTS);
}

// A stance word in an indirect question is not the actor's: Russia, asked
// whether it would condemn, condemns nothing; its call for restraint is
// concern.
TEST_F(StanceTest, IndirectQuestionAssertsNoStance) {
  auto drafts = Drafts(
      "Russia called on all parties to exercise restraint. Asked whether "
      "Moscow would condemn the attack, Russia declined to answer.", "en");
  int concerned = 0;
  for (const auto& d : drafts) {
    EXPECT_NE(d.statement().stance(), v1::STANCE_CONDEMNS);
    EXPECT_THAT(Kinds(d.statement()),
                ::testing::Not(::testing::Contains(v1::ACTION_KIND_CONDEMN)));
    concerned += d.statement().stance() == v1::STANCE_CONCERNED;
  }
  EXPECT_EQ(concerned, 1);
}

// An action ruled out is recorded as such (MODALITY_NEGATED) when the
// reaction says nothing else; beside what an actor does, it is dropped;
// "did not condemn" is no act of condemning. (Niger named alone speaks
// through its government body, which the fixture directory has.)
TEST_F(StanceTest, RuledOutActionsAreNegatedAndStayApart) {
  v1::Statement niger = Of(
      Drafts("Niger said it would not close its borders with Mali.", "en"),
      "actors/niger-government");
  EXPECT_EQ(niger.modality(), v1::MODALITY_NEGATED);
  EXPECT_THAT(Kinds(niger), ElementsAre(v1::ACTION_KIND_CLOSE_BORDERS));
  v1::Statement ecowas = Of(
      Drafts("ECOWAS condemned the coup. The bloc did not close its borders.",
             "en"),
      "actors/ecowas");
  EXPECT_EQ(ecowas.stance(), v1::STANCE_CONDEMNS);
  EXPECT_THAT(Kinds(ecowas), ElementsAre(v1::ACTION_KIND_CONDEMN));
  v1::Statement russia = Of(
      Drafts("Russia did not condemn the coup.", "en"), "actors/russia");
  EXPECT_EQ(russia.modality(), v1::MODALITY_NEGATED);
  EXPECT_THAT(Kinds(russia), ElementsAre());
}

// Rejecting an accusation is a denial, not a condemnation; following
// another's lead with measures against someone supports it and imposes
// sanctions.
TEST_F(StanceTest, DenialIsNoCondemnationAndFollowingALeadSupports) {
  v1::Statement france = Of(
      Drafts("France rejected accusations that its troops had sheltered the "
             "deposed president.", "en"),
      "actors/france");
  EXPECT_NE(france.stance(), v1::STANCE_CONDEMNS);
  EXPECT_THAT(Kinds(france), ElementsAre(v1::ACTION_KIND_OTHER));
  v1::Statement us = Of(
      Drafts("The United States would follow ECOWAS's lead and take its own "
             "measures against those obstructing the transition.", "en"),
      "actors/united-states");
  EXPECT_EQ(us.stance(), v1::STANCE_SUPPORTS);
  EXPECT_THAT(Kinds(us), ElementsAre(v1::ACTION_KIND_IMPOSE_SANCTIONS));
}

// French infinitives in "-er" are verbs, not agent nouns: "condamner"
// condemns; "s'est abstenue de condamner", "a refusé de condamner",
// "refrained from", "stopped short of", "doesn't" negate it.
TEST_F(StanceTest, InfinitivesCountAndRefrainingNegates) {
  v1::Statement france = Of(
      Drafts("La France a décidé de condamner le coup d'État.", "fr"),
      "actors/france");
  EXPECT_EQ(france.stance(), v1::STANCE_CONDEMNS);
  EXPECT_THAT(Kinds(france), ElementsAre(v1::ACTION_KIND_CONDEMN));
  for (const auto& [text, language] :
       std::vector<std::pair<std::string, std::string>>{
           {"La France s'est abstenue de condamner le coup d'État.", "fr"},
           {"La France a refusé de condamner le coup d'État.", "fr"},
           {"France refrained from condemning the coup.", "en"},
           {"France stopped short of condemning the coup.", "en"},
           {"France doesn't condemn the coup.", "en"}}) {
    v1::Statement s = Of(Drafts(text, language), "actors/france");
    EXPECT_EQ(s.stance(), v1::STANCE_NEUTRAL) << text;
    EXPECT_EQ(s.modality(), v1::MODALITY_NEGATED) << text;
    EXPECT_THAT(Kinds(s), ElementsAre()) << text;
  }
  // Agent nouns still name people: supporters are no support.
  for (const auto& d : Drafts("Supporters of the junta marched in Niamey.",
                              "en")) {
    EXPECT_NE(d.statement().stance(), v1::STANCE_SUPPORTS);
  }
}

// Borders closed as a noun and in French; reopened borders are another
// measure; differences settled by peaceful means are a call for dialogue;
// instability is concern.
TEST_F(StanceTest, BordersDifferencesAndInstability) {
  v1::Statement ecowas = Of(
      Drafts("ECOWAS ordered the closure of land and air borders with Niger.",
             "en"),
      "actors/ecowas");
  EXPECT_THAT(Kinds(ecowas), ElementsAre(v1::ACTION_KIND_CLOSE_BORDERS));
  v1::Statement junta = Of(
      Drafts("Le CNSP a annoncé la réouverture des frontières aériennes.",
             "fr"),
      "actors/niger-coup-leaders");
  EXPECT_THAT(OtherDescriptions(junta),
              ElementsAre("réouverture des frontières aériennes"));
  v1::Statement us = Of(
      Drafts("The United States urged all sides to settle their differences "
             "by peaceful means and warned of instability.", "en"),
      "actors/united-states");
  EXPECT_EQ(us.stance(), v1::STANCE_CONCERNED);
  EXPECT_THAT(Kinds(us), UnorderedElementsAre(
                             v1::ACTION_KIND_CALL_FOR_DIALOGUE,
                             v1::ACTION_KIND_EXPRESS_CONCERN));
}

// Irregular and other forms of measures: "froze assets", "a gelé les
// avoirs", "dispatched a delegation", "armed intervention".
TEST_F(StanceTest, IrregularFormsOfMeasures) {
  v1::Statement ecowas = Of(
      Drafts("ECOWAS froze the junta's assets and suspended all financial "
             "transactions with Niger.", "en"),
      "actors/ecowas");
  EXPECT_EQ(ecowas.stance(), v1::STANCE_CONDEMNS);
  EXPECT_THAT(Kinds(ecowas), ElementsAre(v1::ACTION_KIND_IMPOSE_SANCTIONS));
  EXPECT_EQ(ecowas.modality(), v1::MODALITY_ASSERTED);
  // A threat is of the future; a possibility, hypothetical.
  v1::Statement threat = Of(
      Drafts("ECOWAS threatened an armed intervention.", "en"),
      "actors/ecowas");
  EXPECT_THAT(Kinds(threat), ElementsAre(v1::ACTION_KIND_THREATEN_FORCE));
  EXPECT_EQ(threat.modality(), v1::MODALITY_FUTURE);
  v1::Statement possible = Of(
      Drafts("La France a évoqué la possibilité de sanctions ciblées.", "fr"),
      "actors/france");
  EXPECT_THAT(Kinds(possible), ElementsAre(v1::ACTION_KIND_IMPOSE_SANCTIONS));
  EXPECT_EQ(possible.modality(), v1::MODALITY_HYPOTHETICAL);
  v1::Statement cedeao = Of(
      Drafts("La Cédéao a gelé les avoirs de l'État nigérien.", "fr"),
      "actors/ecowas");
  EXPECT_THAT(Kinds(cedeao), ElementsAre(v1::ACTION_KIND_IMPOSE_SANCTIONS));
  v1::Statement au = Of(
      Drafts("The African Union dispatched a delegation to Niamey.", "en"),
      "actors/african-union");
  EXPECT_EQ(au.stance(), v1::STANCE_NEUTRAL);
  EXPECT_THAT(Kinds(au), ElementsAre(v1::ACTION_KIND_MEDIATION_VISIT));
}

// A draft made of a threat and an asserted condemnation is asserted: what
// one of its reactions asserts, the actor asserts.
TEST_F(StanceTest, AssertedReactionMakesTheDraftAsserted) {
  v1::Statement ecowas = Of(
      Drafts("ECOWAS threatens sanctions over Niger coup\n"
             "ECOWAS condemned the coup on Wednesday.", "en"),
      "actors/ecowas");
  EXPECT_EQ(ecowas.stance(), v1::STANCE_CONDEMNS);
  EXPECT_EQ(ecowas.modality(), v1::MODALITY_ASSERTED);
  EXPECT_THAT(Kinds(ecowas), UnorderedElementsAre(
                                 v1::ACTION_KIND_IMPOSE_SANCTIONS,
                                 v1::ACTION_KIND_CONDEMN));
}

// Elections called for, with no stance word, are concern; a junta's own
// promise of elections supports its act.
TEST_F(StanceTest, ElectionDemandsAreConcernAndAJuntasPromiseSupport) {
  v1::Statement us = Of(
      Drafts("The United States urged the authorities to hold a free and fair "
             "election as soon as possible.", "en"),
      "actors/united-states");
  EXPECT_EQ(us.stance(), v1::STANCE_CONCERNED);
  EXPECT_THAT(Kinds(us), ElementsAre(v1::ACTION_KIND_OTHER));
  v1::Statement junta = Of(
      Drafts("The CNSP promised to hold elections within three years.", "en"),
      "actors/niger-coup-leaders");
  EXPECT_EQ(junta.stance(), v1::STANCE_SUPPORTS);
  EXPECT_THAT(Kinds(junta), ElementsAre(v1::ACTION_KIND_OTHER));
}

// "Calm" is a stance only when called for: a situation that calmed is not
// the speaker's concern.
TEST_F(StanceTest, CalmIsAStanceOnlyWhenCalledFor) {
  v1::Statement us = Of(
      Drafts("The United States urged calm in Niamey.", "en"),
      "actors/united-states");
  EXPECT_EQ(us.stance(), v1::STANCE_CONCERNED);
  for (const auto& d : Drafts(
           "Russia said its embassy would reopen once the situation calmed.",
           "en")) {
    EXPECT_NE(d.statement().stance(), v1::STANCE_CONCERNED);
  }
}

// Stance in more words: praise supports, "regrettable" criticises,
// "appalled" condemns; "se félicite" supports.
TEST_F(StanceTest, StanceInMoreWords) {
  EXPECT_EQ(Of(Drafts("France commended ECOWAS for its mediation.", "en"),
               "actors/france").stance(),
            v1::STANCE_SUPPORTS);
  EXPECT_EQ(Of(Drafts("Russia said the arrests were regrettable.", "en"),
               "actors/russia").stance(),
            v1::STANCE_CRITICISES);
  EXPECT_EQ(Of(Drafts("The United States said it was appalled by the "
                      "killings.", "en"),
               "actors/united-states").stance(),
            v1::STANCE_CONDEMNS);
  EXPECT_EQ(Of(Drafts("La Russie se félicite de la décision.", "fr"),
               "actors/russia").stance(),
            v1::STANCE_SUPPORTS);
  // French third-person plurals keep "-ent" under Snowball.
  v1::Statement france = Of(
      Drafts("La France et la Russie s'inquiètent et rappellent leurs "
             "ambassadeurs.", "fr"),
      "actors/france");
  EXPECT_EQ(france.stance(), v1::STANCE_CONCERNED);
  EXPECT_THAT(Kinds(france), ElementsAre(v1::ACTION_KIND_EXPRESS_CONCERN,
                                         v1::ACTION_KIND_OTHER));
}

// A measure named as the object of a stance word is not the actor's act:
// Niger condemns the sanctions, it does not impose them; a statement
// endorsing sanctions imposes none. Acts after the condemned event stay.
TEST_F(StanceTest, MeasureNamedAsObjectIsNoAct) {
  v1::Statement niger = Of(
      Drafts("Niger strongly condemns these illegitimate, illegal and "
             "inhumane sanctions.", "en"),
      "actors/niger-government");
  EXPECT_EQ(niger.stance(), v1::STANCE_CONDEMNS);
  EXPECT_THAT(Kinds(niger), ElementsAre(v1::ACTION_KIND_CONDEMN));
  v1::Statement burkina = Of(
      Drafts("Le Niger dénonce les « sanctions illégales » de la Cédéao.",
             "fr"),
      "actors/niger-government");
  EXPECT_THAT(Kinds(burkina), ElementsAre(v1::ACTION_KIND_CONDEMN));
  v1::Statement ecowas = Of(
      Drafts("ECOWAS condemned the coup, suspended Niger from its decision "
             "making bodies and imposed sanctions.", "en"),
      "actors/ecowas");
  EXPECT_THAT(Kinds(ecowas), UnorderedElementsAre(
                                 v1::ACTION_KIND_CONDEMN,
                                 v1::ACTION_KIND_SUSPEND_MEMBERSHIP,
                                 v1::ACTION_KIND_IMPOSE_SANCTIONS));
}

// Words in an aside are background, not the subject's reaction: ECOWAS's
// earlier mediation is no part of its condemnation.
TEST_F(StanceTest, AsideIsBackground) {
  auto drafts = Drafts(
      "ECOWAS, which had sent a mediation mission to Niamey in June, "
      "condemned the coup.", "en");
  v1::Statement ecowas = Of(drafts, "actors/ecowas");
  EXPECT_EQ(ecowas.stance(), v1::STANCE_CONDEMNS);
  EXPECT_THAT(Kinds(ecowas), ElementsAre(v1::ACTION_KIND_CONDEMN));
  v1::Statement france = Of(
      Drafts("France, which had suspended its aid in 2020, said it supports "
             "ECOWAS.", "en"),
      "actors/france");
  EXPECT_EQ(france.stance(), v1::STANCE_SUPPORTS);
  EXPECT_THAT(Kinds(france), ElementsAre(v1::ACTION_KIND_OFFER_SUPPORT));
}

// Demands for someone's safety and to renounce violence are OTHER demands,
// in French too.
TEST_F(StanceTest, SafetyAndViolenceDemandsAreOther) {
  v1::Statement us = Of(
      Drafts("The United States urged the army to guarantee the physical "
             "integrity of the president.", "en"),
      "actors/united-states");
  EXPECT_EQ(us.stance(), v1::STANCE_CONCERNED);
  EXPECT_THAT(OtherDescriptions(us), ElementsAre("physical integrity of the "
                                                 "president"));
  v1::Statement au = Of(
      Drafts("L'Union africaine appelle l'armée à s'abstenir de toute "
             "violence.", "fr"),
      "actors/african-union");
  EXPECT_THAT(Kinds(au), ElementsAre(v1::ACTION_KIND_OTHER));
}

// Constitutional order and democracy restored with words between, calm
// called for, troops to be brought back, a challenge in the courts.
TEST_F(StanceTest, MoreDemandsAreOther) {
  v1::Statement un = Of(
      Drafts("Les Nations unies ont réclamé le rétablissement immédiat de "
             "l'ordre constitutionnel.", "fr"),
      "actors/united-nations");
  EXPECT_EQ(un.stance(), v1::STANCE_CONCERNED);
  EXPECT_THAT(OtherDescriptions(un),
              ElementsAre("rétablissement immédiat de l'ordre constitutionnel"));
  v1::Statement us = Of(
      Drafts("The United States called on Twitter for calm and urged Russia "
             "to bring its troops back.", "en"),
      "actors/united-states");
  EXPECT_EQ(us.stance(), v1::STANCE_CONCERNED);  // the stance word wins
  EXPECT_THAT(OtherDescriptions(us),
              ElementsAre("for calm", "bring its troops back"));
}

// A stance not taken joins what the actor does say: Russia, which did not
// condemn, is recorded for its call for restraint, once. What a reaction
// asserts outweighs what it says it would do.
TEST_F(StanceTest, StanceNotTakenJoinsWhatIsSaidAndAssertionWins) {
  auto drafts = Drafts(
      "Russia did not condemn the coup. It called on all sides to exercise "
      "restraint.", "en");
  v1::Statement russia = Of(drafts, "actors/russia");
  EXPECT_EQ(russia.stance(), v1::STANCE_CONCERNED);
  EXPECT_THAT(Kinds(russia), ElementsAre(v1::ACTION_KIND_OTHER));
  v1::Statement ecowas = Of(
      Drafts("ECOWAS condemned the coup and said it would impose sanctions.",
             "en"),
      "actors/ecowas");
  EXPECT_EQ(ecowas.modality(), v1::MODALITY_ASSERTED);
  EXPECT_THAT(Kinds(ecowas), ElementsAre(v1::ACTION_KIND_CONDEMN,
                                         v1::ACTION_KIND_IMPOSE_SANCTIONS));
}

// Aid and refusal of recognition in more forms: "a suspendu sa
// coopération", "halted funding", "won't recognise".
TEST_F(StanceTest, AidAndRecognitionInMoreForms) {
  v1::Statement france = Of(
      Drafts("La France a suspendu sa coopération militaire avec le Niger.",
             "fr"),
      "actors/france");
  EXPECT_EQ(france.stance(), v1::STANCE_CONDEMNS);
  EXPECT_THAT(Kinds(france), ElementsAre(v1::ACTION_KIND_SUSPEND_AID));
  v1::Statement us = Of(
      Drafts("The United States halted all funding to Niger.", "en"),
      "actors/united-states");
  EXPECT_THAT(Kinds(us), ElementsAre(v1::ACTION_KIND_SUSPEND_AID));
  v1::Statement ecowas = Of(
      Drafts("ECOWAS said it won't recognise the junta.", "en"),
      "actors/ecowas");
  EXPECT_EQ(ecowas.stance(), v1::STANCE_CONDEMNS);
  EXPECT_THAT(Kinds(ecowas), ElementsAre(v1::ACTION_KIND_REFUSE_RECOGNITION));
}

}  // namespace
}  // namespace rollcall::extract
