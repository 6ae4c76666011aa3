// Who speaks: the person's name without the titles before it, people the
// directory does not know, and the state, government or junta an office
// holder speaks for around a coup. Small articles inline, the shipped
// language knowledge (data/extract/), fixture actors and office holders.

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "server/extract/extractor.h"
#include "tests/extract/extract_fixture.h"
#include "tests/support/temp_dir.h"

namespace rollcall::extract {
namespace {

constexpr char kActors[] = R"(
{"actor":{"name":"actors/mali","displayName":"Mali","kind":"ACTOR_KIND_STATE","countryCode":"MLI","demonyms":["Malian","malien"],"metonyms":["Bamako"]}}
{"actor":{"name":"actors/mali-government","displayName":"Government of Mali","kind":"ACTOR_KIND_GOVERNMENT_BODY","countryCode":"MLI"}}
{"actor":{"name":"actors/mali-coup-leaders","displayName":"Coup leaders: CNSP","kind":"ACTOR_KIND_NON_STATE_GROUP","countryCode":"MLI","aliases":["CNSP"]}}
{"actor":{"name":"actors/united-kingdom","displayName":"United Kingdom","kind":"ACTOR_KIND_STATE","aliases":["UK","Britain"],"demonyms":["British"]}}
{"actor":{"name":"actors/ecowas","displayName":"Economic Community of West African States","kind":"ACTOR_KIND_REGIONAL_BLOC","aliases":["ECOWAS"]}}
{"actor":{"name":"actors/mali-armed-forces","displayName":"Malian Armed Forces","kind":"ACTOR_KIND_ARMED_FORCES","countryCode":"MLI"}}
{"actor":{"name":"actors/russia","displayName":"Russia","kind":"ACTOR_KIND_STATE","countryCode":"RUS","demonyms":["Russian"]}}
{"actor":{"name":"actors/united-nations","displayName":"United Nations","kind":"ACTOR_KIND_INTERNATIONAL_ORGANISATION","aliases":["UN"]}}
{"actor":{"name":"actors/test-party","displayName":"Freedom Party","kind":"ACTOR_KIND_POLITICAL_PARTY"}}
{"actor":{"name":"actors/sudan","displayName":"Sudan","kind":"ACTOR_KIND_STATE","countryCode":"SDN","aliases":["Soudan"],"demonyms":["Sudanese"]}}
{"actor":{"name":"actors/sudan-armed-forces","displayName":"Sudanese Armed Forces","kind":"ACTOR_KIND_ARMED_FORCES","countryCode":"SDN"}}
{"actor":{"name":"actors/sudan-rsf","displayName":"Rapid Support Forces","kind":"ACTOR_KIND_NON_STATE_GROUP","aliases":["RSF"]}}
{"actor":{"name":"actors/nigeria","displayName":"Nigeria","kind":"ACTOR_KIND_STATE","countryCode":"NGA","demonyms":["Nigerian"]}}
{"actor":{"name":"actors/egypt","displayName":"Egypt","kind":"ACTOR_KIND_STATE","countryCode":"EGY","aliases":["Égypte"],"demonyms":["Egyptian"],"metonyms":["Cairo"]}}
{"actor":{"name":"actors/saudi-arabia","displayName":"Saudi Arabia","kind":"ACTOR_KIND_STATE","countryCode":"SAU","aliases":["Arabie saoudite","Royaume d'Arabie saoudite"],"demonyms":["Saudi"]}}
{"actor":{"name":"actors/arab-league","displayName":"Arab League","kind":"ACTOR_KIND_REGIONAL_BLOC"}}
)";

constexpr char kHolders[] = R"({"person": "Ibrahim Boubacar Keïta", "aliases": ["Ibrahim Boubacar Keita"], "office": "President", "actor": "actors/mali", "start": "2013-09-04", "end": "2020-08-18", "gender": "m"}
{"person": "Assimi Goïta", "aliases": ["Assimi Goita"], "office": "Chairman of the CNSP", "actor": "actors/mali", "start": "2020-08-19", "end": "2020-09-25", "gender": "m"}
{"person": "Karim Haddad", "office": "Government Spokesperson", "officeAliases": ["porte-parole du gouvernement"], "actor": "actors/egypt", "start": "2020-01-01", "gender": "m"}
{"person": "Bola Tinubu", "office": "Chair of the Authority", "actor": "actors/ecowas", "start": "2023-07-09", "end": "2025-06-22", "gender": "m"}
{"person": "Bola Tinubu", "office": "President", "actor": "actors/nigeria", "start": "2023-05-29", "gender": "m"}
{"person": "Assimi Goïta", "aliases": ["Assimi Goita"], "office": "Vice-President of the Transition", "actor": "actors/mali", "start": "2020-09-25", "end": "2021-05-28", "gender": "m"}
)";

class SpeakersTest : public fixture::ExtractorFixture {
 protected:
  SpeakersTest() : ExtractorFixture(kActors, kHolders) {}

  Extraction Run(const std::string& text, absl::CivilDay published) {
    return ExtractText("en", text, published);
  }
  Extraction RunFrench(const std::string& text, absl::CivilDay published) {
    return ExtractText("fr", text, published);
  }
};

using fixture::DraftOf;

TEST_F(SpeakersTest, SpeakerNameLeavesOutTitlesAndOfficeWordsBeforeIt) {
  Extraction e = Run(
      "Britain's Africa minister Vicky Ford condemned the coup. Malian "
      "government spokesman Colonel Abdoulaye Maiga denounced the sanctions.",
      absl::CivilDay(2021, 10, 26));
  const v1::Draft* uk = DraftOf(e, "actors/united-kingdom");
  ASSERT_NE(uk, nullptr);
  EXPECT_EQ(uk->statement().speaker().person_name(), "Vicky Ford");
  const v1::Draft* mali = DraftOf(e, "actors/mali-government");
  ASSERT_NE(mali, nullptr);
  EXPECT_EQ(mali->statement().speaker().person_name(), "Abdoulaye Maiga");
}

TEST_F(SpeakersTest, LoneCapitalisedWordOfATitleIsNoSpeakerName) {
  Extraction e = Run(
      "The Malian ministry of Foreign Affairs condemned the sanctions.",
      absl::CivilDay(2022, 1, 11));
  const v1::Draft* mali = DraftOf(e, "actors/mali-government");
  ASSERT_NE(mali, nullptr);
  EXPECT_EQ(mali->statement().speaker().person_name(), "");
}

TEST_F(SpeakersTest, UnknownPersonNamedWithoutAnOfficeGivesNoDraft) {
  Extraction e = Run(
      "Karim Sangare, an analyst based in Dakar, condemned the sanctions. "
      "Prime Minister Jean Dupont condemned the sanctions. The Sahel "
      "Liberation Front denounced them too.",
      absl::CivilDay(2022, 1, 11));
  bool office = false, front = false;
  for (const auto& d : e.drafts) {
    EXPECT_FALSE(absl::StrContains(d.unresolved_mention(), "Sangare"));
    office |= absl::StrContains(d.unresolved_mention(), "Jean Dupont");
    if (d.unresolved_mention() == "Sahel Liberation Front") {
      front = true;
      // A body, not a person: no speaker's name.
      EXPECT_EQ(d.statement().speaker().person_name(), "");
    }
  }
  // Someone with an office, and a body, may speak for an actor the
  // directory lacks: kept for the reviewer.
  EXPECT_TRUE(office);
  EXPECT_TRUE(front);
}

TEST_F(SpeakersTest, HoldersAroundACoupSpeakForTheJuntaOrTheOustedGovernment) {
  // The day after the coup: its leader took office the day before; the
  // president it ousted left office then.
  Extraction e = Run(
      "Assimi Goita said the committee had closed the borders. Ibrahim "
      "Boubacar Keita condemned the coup.",
      absl::CivilDay(2020, 8, 20));
  const v1::Draft* junta = DraftOf(e, "actors/mali-coup-leaders");
  ASSERT_NE(junta, nullptr);
  EXPECT_EQ(junta->statement().speaker().person_name(), "Assimi Goïta");
  const v1::Draft* ousted = DraftOf(e, "actors/mali-government");
  ASSERT_NE(ousted, nullptr);
  EXPECT_EQ(ousted->statement().speaker().person_name(),
            "Ibrahim Boubacar Keïta");
  EXPECT_EQ(DraftOf(e, "actors/mali"), nullptr);
  // Months later the same man, vice-president, speaks for the government.
  Extraction later = Run("Assimi Goita condemned the sanctions.",
                         absl::CivilDay(2021, 1, 15));
  EXPECT_NE(DraftOf(later, "actors/mali-government"), nullptr);
  EXPECT_EQ(DraftOf(later, "actors/mali-coup-leaders"), nullptr);
  // Long after his term, the ousted president is not guessed.
  Extraction years = Run("Ibrahim Boubacar Keita condemned the sanctions.",
                         absl::CivilDay(2021, 1, 15));
  EXPECT_EQ(DraftOf(years, "actors/mali-government"), nullptr);
}

TEST_F(SpeakersTest, NamesBeforeAnOfficeQualifyItAndNameNoPerson) {
  Extraction e = Run("West African leaders condemned the coup.",
                     absl::CivilDay(2021, 9, 6));
  ASSERT_EQ(e.drafts.size(), 1u);
  EXPECT_EQ(e.drafts[0].statement().speaker().person_name(), "");
}

TEST_F(SpeakersTest, OfficeInAppositionWithItsHolderIsOneSpeaker) {
  // "its spokesman, X": the office of the latest subject, held by X.
  Extraction e = Run(
      "ECOWAS leaders met in Accra on Friday. Its spokesman, Jean Dupont, "
      "condemned the coup.",
      absl::CivilDay(2020, 8, 20));
  const v1::Draft* ecowas = DraftOf(e, "actors/ecowas");
  ASSERT_NE(ecowas, nullptr);
  EXPECT_EQ(ecowas->statement().speaker().person_name(), "Jean Dupont");
  // An office, then the holder the directory knows, with his rank between.
  Extraction fr = RunFrench(
      "« Nous ne tenons pas au pouvoir », a affirmé leur porte-parole, le "
      "colonel Assimi Goïta.",
      absl::CivilDay(2020, 8, 20));
  const v1::Draft* junta = DraftOf(fr, "actors/mali-coup-leaders");
  ASSERT_NE(junta, nullptr);
  EXPECT_EQ(junta->statement().speaker().person_name(), "Assimi Goïta");
  EXPECT_EQ(junta->statement().quote(), "Nous ne tenons pas au pouvoir");
}

TEST_F(SpeakersTest, PersonWithTwoOfficesSpeaksForTheActorThePhraseNames) {
  Extraction e = Run(
      "Nigeria's President Bola Tinubu condemned the coup.",
      absl::CivilDay(2023, 8, 30));
  const v1::Draft* nigeria = DraftOf(e, "actors/nigeria");
  ASSERT_NE(nigeria, nullptr);
  EXPECT_EQ(nigeria->statement().speaker().person_name(), "Bola Tinubu");
  EXPECT_EQ(DraftOf(e, "actors/ecowas"), nullptr);
}

TEST_F(SpeakersTest, SubjectBeforeAnAsideSpeaksAfterIt) {
  // The names in ", meeting … Saudi Arabia," and ", which … army," are
  // not subjects, the aside does not put the subject out of the cue's
  // reach, and its closing comma does not make "it" the speaker.
  Extraction e = Run(
      "The Arab League, meeting in Cairo at the request of Egypt and Saudi "
      "Arabia, condemned the fighting. Egypt, which has close ties to the "
      "army, said it was following the events \"with deep concern\".",
      absl::CivilDay(2023, 4, 16));
  EXPECT_NE(DraftOf(e, "actors/arab-league"), nullptr);
  EXPECT_EQ(DraftOf(e, "actors/saudi-arabia"), nullptr);
  const v1::Draft* egypt = DraftOf(e, "actors/egypt");
  ASSERT_NE(egypt, nullptr);
  EXPECT_EQ(egypt->statement().stance(), v1::STANCE_CONCERNED);
  EXPECT_EQ(egypt->statement().quote(), "with deep concern");
  // "Egypt, a close ally of the army, did not condemn …": Egypt's.
  Extraction ally = Run(
      "Egypt, a close ally of the Saudi government, called for calm.",
      absl::CivilDay(2023, 4, 16));
  EXPECT_NE(DraftOf(ally, "actors/egypt"), nullptr);
  EXPECT_EQ(DraftOf(ally, "actors/saudi-arabia"), nullptr);
}

TEST_F(SpeakersTest, ArmyChiefSpeaksForTheArmedForces) {
  // With no state in the phrase, the state named last; a holder named as
  // army chief speaks for the army, not for the state's government.
  Extraction e = Run(
      "Soldiers surrounded the palace in Bamako. Army chief General Jean "
      "Dupont said the army condemned the attack. Army chief Assimi Goita "
      "welcomed the talks.",
      absl::CivilDay(2021, 1, 15));
  const v1::Draft* army = DraftOf(e, "actors/mali-armed-forces");
  ASSERT_NE(army, nullptr);
  EXPECT_EQ(army->statement().speaker().person_name(), "Jean Dupont");
  bool goita = false;
  for (const auto& d : e.drafts) {
    if (d.statement().speaker().person_name() == "Assimi Goïta") {
      goita = true;
      EXPECT_EQ(d.statement().actor(), "actors/mali-armed-forces");
    }
  }
  EXPECT_TRUE(goita);
}

TEST_F(SpeakersTest, QualifiedOfficeKeepsItsState) {
  // "deputy" inside the office: Russia's ambassador, not the UN's.
  Extraction e = Run(
      "Russia's deputy UN ambassador Anna Evstigneeva said Moscow was "
      "concerned about the sanctions.",
      absl::CivilDay(2022, 1, 11));
  const v1::Draft* russia = DraftOf(e, "actors/russia");
  ASSERT_NE(russia, nullptr);
  EXPECT_EQ(russia->statement().speaker().person_name(), "Anna Evstigneeva");
  EXPECT_EQ(DraftOf(e, "actors/united-nations"), nullptr);
}

TEST_F(SpeakersTest, StateSpeaksThroughTheGovernmentTheDirectoryKeepsApart) {
  Extraction e = Run("Mali condemned the sanctions imposed by ECOWAS.",
                     absl::CivilDay(2022, 1, 11));
  EXPECT_NE(DraftOf(e, "actors/mali-government"), nullptr);
  EXPECT_EQ(DraftOf(e, "actors/mali"), nullptr);
  // Without such a body the state itself speaks.
  Extraction egypt = Run("Egypt condemned the attack.",
                         absl::CivilDay(2022, 1, 11));
  EXPECT_NE(DraftOf(egypt, "actors/egypt"), nullptr);
}

TEST_F(SpeakersTest, NameQualifyingANounIsNoAntecedent) {
  // "the Egyptian nation": no one "it" may stand for.
  Extraction e = Run(
      "Observers said the situation of the Egyptian nation was calm. It "
      "condemned the attack.",
      absl::CivilDay(2023, 8, 30));
  EXPECT_EQ(DraftOf(e, "actors/egypt"), nullptr);
}

TEST_F(SpeakersTest, AsideAfterAnAcronymHidesItsNames) {
  Extraction e = Run(
      "Leaders of the Economic Community of West African States (ECOWAS), "
      "meeting with Egypt and Saudi Arabia on Sunday, condemned the coup.",
      absl::CivilDay(2022, 1, 9));
  EXPECT_NE(DraftOf(e, "actors/ecowas"), nullptr);
  EXPECT_EQ(DraftOf(e, "actors/saudi-arabia"), nullptr);
}

TEST_F(SpeakersTest, CoordinatedCueAfterAQuotationKeepsItsSubject) {
  // "called it" is an object; "… and said X's attack was": the speaker is
  // the subject of both verbs, not the name after "said".
  Extraction e = Run(
      "Prime Minister Jean Dupont of Nigeria called it \"a dark day\" and "
      "said Russia's attack was \"a blatant breach of international law\".",
      absl::CivilDay(2022, 2, 24));
  const v1::Draft* nigeria = DraftOf(e, "actors/nigeria");
  ASSERT_NE(nigeria, nullptr);
  EXPECT_EQ(nigeria->statement().quote(),
            "a dark day [...] a blatant breach of international law");
  EXPECT_EQ(DraftOf(e, "actors/russia"), nullptr);
}

TEST_F(SpeakersTest, UnknownPersonSpeaksForTheActorTheyCallTheirs) {
  // A person the directory does not know, who names "his" party right
  // after the cue, speaks for it.
  Extraction e = Run(
      "Karim Sangare, a former mayor, called the decision \"a constitutional "
      "coup\" and said his Freedom Party would take it to the courts.",
      absl::CivilDay(2024, 2, 6));
  const v1::Draft* party = DraftOf(e, "actors/test-party");
  ASSERT_NE(party, nullptr);
  EXPECT_EQ(party->statement().quote(), "a constitutional coup");
  for (const auto& d : e.drafts) {
    EXPECT_FALSE(absl::StrContains(d.unresolved_mention(), "Sangare"));
  }
}

TEST_F(SpeakersTest, PronounStandsForTheSubjectOpeningItsSentence) {
  // "he" is Guterres, the subject the sentence opens with, not the
  // subject of the sentence before; "adding that he" does not make "he"
  // the speaker of the cue.
  Extraction e = Run(
      "Egypt said it was concerned. The Arab League \"strongly condemns the "
      "fighting,\" its spokesman said in a statement, adding that it urged "
      "the parties to \"cease hostilities\".",
      absl::CivilDay(2023, 4, 16));
  const v1::Draft* league = DraftOf(e, "actors/arab-league");
  ASSERT_NE(league, nullptr);
  EXPECT_EQ(league->statement().stance(), v1::STANCE_CONDEMNS);
  for (const auto& d : e.drafts) {
    if (d.statement().actor() == "actors/egypt") {
      EXPECT_NE(d.statement().stance(), v1::STANCE_CONDEMNS);
    }
  }
}

TEST_F(SpeakersTest, PronounPrefersASubjectToAnObjectAndABodyToAPlace) {
  // "he" is the one who made the appeal, not the one it was made to.
  Extraction e = Run(
      "Prime Minister Jean Dupont of Nigeria made a personal appeal to the "
      "Egyptian president. \"Stop the war now,\" he said.",
      absl::CivilDay(2023, 4, 16));
  const v1::Draft* nigeria = DraftOf(e, "actors/nigeria");
  ASSERT_NE(nigeria, nullptr);
  EXPECT_EQ(nigeria->statement().quote(), "Stop the war now");
  EXPECT_EQ(DraftOf(e, "actors/egypt"), nullptr);
  // "it" is the bloc its leaders speak for, not the country they met in.
  Extraction bloc = Run(
      "Leaders of ECOWAS, meeting in Egypt's capital Cairo on Sunday, agreed "
      "to close borders with Mali. The sanctions would be lifted gradually, "
      "it said in a communique.",
      absl::CivilDay(2022, 1, 10));
  EXPECT_NE(DraftOf(bloc, "actors/ecowas"), nullptr);
  EXPECT_EQ(DraftOf(bloc, "actors/egypt"), nullptr);
}

TEST_F(SpeakersTest, ArmyOfTheStateNamedBeforeSpeaksInTheQuotationAfter) {
  // "the army" is Sudan's, named as "Sudan's army" before; the pronoun of
  // a sentence that opens with a quotation is the subject just before.
  Extraction e = Run(
      "Sudan's army and the RSF fought on Sunday. The RSF said its forces "
      "had been attacked. The army ruled out talks. \"There will be no "
      "negotiation,\" it said.",
      absl::CivilDay(2023, 4, 16));
  const v1::Draft* army = DraftOf(e, "actors/sudan-armed-forces");
  ASSERT_NE(army, nullptr);
  EXPECT_EQ(army->statement().quote(), "There will be no negotiation");
  for (const auto& d : e.drafts) {
    if (d.statement().actor() == "actors/sudan-rsf") {
      EXPECT_EQ(d.statement().quote(), "");
    }
  }
}

TEST_F(SpeakersTest, QuotationAfterAnIntroducedSubjectIsTheSubjects) {
  // The subject of the sentence before, after "In a video …,", is later
  // than the last speaker: "he" is him.
  Extraction e = Run(
      "Egyptian President Jean Dupont condemned the coup. In a video shared "
      "online, Prime Minister Pierre Martin of Nigeria appeared in a room. "
      "\"Make noise for us,\" he said.",
      absl::CivilDay(2023, 8, 30));
  const v1::Draft* nigeria = DraftOf(e, "actors/nigeria");
  ASSERT_NE(nigeria, nullptr);
  EXPECT_EQ(nigeria->statement().quote(), "Make noise for us");
  const v1::Draft* egypt = DraftOf(e, "actors/egypt");
  ASSERT_NE(egypt, nullptr);
  EXPECT_EQ(egypt->statement().quote(), "");
}

TEST_F(SpeakersTest, NamedInAnAppositionTheHolderSpeaksBeforeTheCue) {
  // ", an officer named X,": an apposition; its closing comma does not
  // make "they" after the cue the speaker.
  Extraction e = Run(
      "Their leader, an officer named Colonel Assimi Goita, announced they "
      "were taking power following \"the deterioration of security\".",
      absl::CivilDay(2020, 8, 20));
  const v1::Draft* junta = DraftOf(e, "actors/mali-coup-leaders");
  ASSERT_NE(junta, nullptr);
  EXPECT_EQ(junta->statement().speaker().person_name(), "Assimi Goïta");
  EXPECT_EQ(junta->statement().quote(), "the deterioration of security");
}

TEST_F(SpeakersTest, HolderOfTheBlocsOfficeSpeaksForTheBloc) {
  // "The bloc's chairman, Nigeria's President X,": of his two offices, the
  // bloc's.
  Extraction e = Run(
      "ECOWAS leaders met in Abuja. The bloc's chairman, Nigeria's President "
      "Bola Tinubu, condemned the coup.",
      absl::CivilDay(2023, 8, 30));
  const v1::Draft* ecowas = DraftOf(e, "actors/ecowas");
  ASSERT_NE(ecowas, nullptr);
  EXPECT_EQ(ecowas->statement().speaker().person_name(), "Bola Tinubu");
  EXPECT_EQ(DraftOf(e, "actors/nigeria"), nullptr);
}

TEST_F(SpeakersTest, OfficeOfSeveralCountriesSpeaksForEachOfThem) {
  for (const auto& [language, text] : std::vector<std::pair<std::string, std::string>>{
           {"en", "In a joint statement, the heads of state of Nigeria, of "
                  "Saudi Arabia and of Sudan condemned the sanctions."},
           {"fr", "Dans un communiqué conjoint, les chefs d'État du Nigeria, "
                  "du Royaume d'Arabie saoudite et du Soudan ont condamné les "
                  "sanctions."}}) {
    Extraction e = ExtractText(language, text, absl::CivilDay(2024, 1, 29));
    for (const char* actor :
         {"actors/nigeria", "actors/saudi-arabia", "actors/sudan"}) {
      const v1::Draft* d = DraftOf(e, actor);
      ASSERT_NE(d, nullptr) << language << " " << actor;
      EXPECT_EQ(d->statement().stance(), v1::STANCE_CONDEMNS);
    }
  }
}

TEST_F(SpeakersTest, TitleOfAnotherActorsHolderIsTheOfficeOfTheActorNamed) {
  // The title names Egypt's spokesman alone; with "malien" it is Mali's
  // government spokesman, whom the directory does not know.
  Extraction e = RunFrench(
      "Selon le porte-parole du gouvernement malien, les militaires ont "
      "fermé les frontières.",
      absl::CivilDay(2021, 1, 15));
  EXPECT_NE(DraftOf(e, "actors/mali-government"), nullptr);
  EXPECT_EQ(DraftOf(e, "actors/egypt"), nullptr);
  Extraction alone = RunFrench(
      "« Nous condamnons ce coup », a déclaré le porte-parole du "
      "gouvernement.",
      absl::CivilDay(2021, 1, 15));
  const v1::Draft* egypt = DraftOf(alone, "actors/egypt");
  ASSERT_NE(egypt, nullptr);
  EXPECT_EQ(egypt->statement().speaker().person_name(), "Karim Haddad");
}

bool HasAction(const v1::Draft* d, v1::ActionKind kind) {
  if (d == nullptr) return false;
  for (const auto& a : d->statement().actions()) {
    if (a.kind() == kind) return true;
  }
  return false;
}

TEST_F(SpeakersTest, PluralPronounStandsForEveryCoordinatedSubject) {
  // "They" after coordinated subjects is all of them; "it" only the first.
  Extraction they = Run(
      "Nigeria and Egypt condemned the coup on Sunday. They also demanded "
      "the release of the president.",
      absl::CivilDay(2023, 7, 30));
  EXPECT_TRUE(HasAction(DraftOf(they, "actors/nigeria"),
                        v1::ACTION_KIND_DEMAND_RELEASE));
  EXPECT_TRUE(HasAction(DraftOf(they, "actors/egypt"),
                        v1::ACTION_KIND_DEMAND_RELEASE));
  Extraction ils = RunFrench(
      "Le Nigeria et l'Égypte ont condamné le coup d'État dimanche. Ils ont "
      "aussi exigé la libération du président.",
      absl::CivilDay(2023, 7, 30));
  EXPECT_TRUE(HasAction(DraftOf(ils, "actors/egypt"),
                        v1::ACTION_KIND_DEMAND_RELEASE));
  Extraction it = Run(
      "Nigeria and Egypt condemned the coup on Sunday. It also demanded "
      "the release of the president.",
      absl::CivilDay(2023, 7, 30));
  EXPECT_TRUE(HasAction(DraftOf(it, "actors/nigeria"),
                        v1::ACTION_KIND_DEMAND_RELEASE));
  EXPECT_FALSE(HasAction(DraftOf(it, "actors/egypt"),
                         v1::ACTION_KIND_DEMAND_RELEASE));
}

}  // namespace
}  // namespace rollcall::extract
