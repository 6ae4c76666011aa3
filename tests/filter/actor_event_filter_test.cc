#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/field_error.h"
#include "server/filter/actor_filter.h"
#include "server/filter/event_filter.h"

namespace rollcall {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

ActorFilter MustParseActors(absl::string_view text) {
  absl::StatusOr<ActorFilter> filter = ParseActorFilter(text, "filter");
  EXPECT_TRUE(filter.ok()) << text << ": " << filter.status();
  return filter.ok() ? *filter : ActorFilter{};
}

EventFilter MustParseEvents(absl::string_view text) {
  absl::StatusOr<EventFilter> filter = ParseEventFilter(text, "filter");
  EXPECT_TRUE(filter.ok()) << text << ": " << filter.status();
  return filter.ok() ? *filter : EventFilter{};
}

// The message of an INVALID_ARGUMENT naming "filter", or "" on success.
template <typename Filter>
std::string ErrorOf(const absl::StatusOr<Filter>& filter) {
  if (filter.ok()) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  EXPECT_EQ(filter.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(filter.status()), "filter");
  return std::string(filter.status().message());
}

TEST(ActorFilterTest, EmptyTextRestrictsNothing) {
  ActorFilter filter = MustParseActors("");
  EXPECT_TRUE(filter.kinds.empty());
  EXPECT_TRUE(filter.member_of.empty());
  EXPECT_TRUE(filter.country_codes.empty());
  EXPECT_EQ(filter.Canonical(), "");
}

TEST(ActorFilterTest, ParsesEveryField) {
  ActorFilter filter = MustParseActors(
      "kind = STATE AND member_of = \"actors/ecowas\" AND "
      "country_code = \"NER\"");
  EXPECT_THAT(filter.kinds, ElementsAre(v1::ACTOR_KIND_STATE));
  EXPECT_THAT(filter.member_of, ElementsAre("actors/ecowas"));
  EXPECT_THAT(filter.country_codes, ElementsAre("NER"));
}

TEST(ActorFilterTest, KindIsCaseInsensitiveWithOrWithoutPrefix) {
  for (absl::string_view text :
       {"kind = regional_bloc", "kind = ACTOR_KIND_REGIONAL_BLOC",
        "kind = \"Regional_Bloc\""}) {
    EXPECT_THAT(MustParseActors(text).kinds, ElementsAre(v1::ACTOR_KIND_REGIONAL_BLOC))
        << text;
  }
  EXPECT_THAT(ErrorOf(ParseActorFilter("kind = unspecified", "filter")),
              HasSubstr("unknown kind \"unspecified\" at position 8"));
}

TEST(ActorFilterTest, MemberOfAcceptsABareId) {
  EXPECT_THAT(MustParseActors("member_of = african-union").member_of,
              ElementsAre("actors/african-union"));
  EXPECT_THAT(ErrorOf(ParseActorFilter("member_of = \"events/x\"", "filter")),
              HasSubstr("invalid member_of \"events/x\" at position 13"));
}

TEST(ActorFilterTest, CountryCodeIsUpperCasedAndValidated) {
  EXPECT_THAT(MustParseActors("country_code = ner OR country_code = Fra").country_codes,
              ElementsAre("FRA", "NER"));
  EXPECT_THAT(ErrorOf(ParseActorFilter("country_code = \"NE\"", "filter")),
              HasSubstr("invalid country_code \"NE\" at position 16"));
  EXPECT_THAT(ErrorOf(ParseActorFilter("country_code = \"N3R\"", "filter")),
              HasSubstr("alpha-3"));
}

TEST(ActorFilterTest, UnknownFieldIsRejectedListingTheFields) {
  std::string message = ErrorOf(ParseActorFilter("stance = x", "filter"));
  EXPECT_THAT(message, HasSubstr("filter: unknown field \"stance\" at position "
                                 "1 (expected one of kind, member_of, "
                                 "country_code)"));
  EXPECT_THAT(ErrorOf(ParseActorFilter("labels.a = b", "filter")),
              HasSubstr("unknown field \"labels.a\""));
  EXPECT_THAT(ErrorOf(ParseActorFilter("\"niger\"", "filter")),
              HasSubstr("expected a restriction, got \"niger\" at position 1"));
}

TEST(ActorFilterTest, OrBetweenDifferentFieldsIsRejected) {
  EXPECT_THAT(ErrorOf(ParseActorFilter("kind = state OR country_code = NER", "filter")),
              HasSubstr("OR is only allowed between values of one field"));
}

TEST(ActorFilterTest, NotEqualsIsRejected) {
  EXPECT_THAT(ErrorOf(ParseActorFilter("kind != state", "filter")),
              HasSubstr("unsupported operator \"!=\" at position 6"));
}

TEST(ActorFilterTest, CanonicalIgnoresOrderAndCase) {
  EXPECT_EQ(MustParseActors("(kind = state OR kind = person) AND "
                            "member_of = ecowas")
                .Canonical(),
            MustParseActors("member_of = \"actors/ecowas\" and "
                            "kind = PERSON or kind = STATE")
                .Canonical());
  EXPECT_NE(MustParseActors("kind = state").Canonical(),
            MustParseActors("kind = person").Canonical());
}

TEST(EventFilterTest, ParsesCountryCodesAndLabels) {
  EventFilter filter = MustParseEvents(
      "country_code = \"NER\" AND labels.region = \"sahel\" AND "
      "labels.kind = coup");
  EXPECT_THAT(filter.country_codes, ElementsAre("NER"));
  EXPECT_THAT(filter.labels, ElementsAre(Pair("kind", "coup"), Pair("region", "sahel")));
}

TEST(EventFilterTest, CountryCodesMayBeAlternatives) {
  EXPECT_THAT(MustParseEvents("(country_code = ner OR country_code = gab)").country_codes,
              ElementsAre("GAB", "NER"));
}

TEST(EventFilterTest, ErrorsNameTheFilterAndPosition) {
  EXPECT_THAT(ErrorOf(ParseEventFilter("title = \"coup\"", "filter")),
              HasSubstr("unknown field \"title\" at position 1 (expected one "
                        "of country_code, labels.KEY)"));
  EXPECT_THAT(ErrorOf(ParseEventFilter("labels.Region = x", "filter")),
              HasSubstr("invalid label key in \"labels.Region\" at position 1"));
  EXPECT_THAT(ErrorOf(ParseEventFilter("labels.a = x OR labels.a = y", "filter")),
              HasSubstr("\"OR\" at position 14"));
  EXPECT_THAT(ErrorOf(ParseEventFilter("country_code = \"NER", "filter")),
              HasSubstr("unterminated string \"\\\"NER\" at position 16"));
}

TEST(EventFilterTest, LimitsApply) {
  EXPECT_THAT(ErrorOf(ParseEventFilter(std::string(5000, ' '), "filter")),
              HasSubstr("at position 4097"));
}

TEST(EventFilterTest, CanonicalIgnoresOrder) {
  EXPECT_EQ(MustParseEvents("labels.a = x AND labels.b = y AND "
                            "country_code = NER")
                .Canonical(),
            MustParseEvents("country_code = ner AND labels.b = y AND "
                            "labels.a = x")
                .Canonical());
  EXPECT_NE(MustParseEvents("labels.a = x").Canonical(),
            MustParseEvents("labels.a = y").Canonical());
}

}  // namespace
}  // namespace rollcall
