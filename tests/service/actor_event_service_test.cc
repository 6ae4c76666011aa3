// ActorService and EventService over a real server and channel.

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/service/server_fixture.h"

namespace rollcall::testing {
namespace {

using ActorServiceTest = ServerTest;
using EventServiceTest = ServerTest;

TEST_F(ActorServiceTest, CreatedActorCanBeReadBack) {
  v1::CreateActorRequest request;
  request.set_actor_id("ecowas");
  request.mutable_actor()->set_display_name("Economic Community of West African States");
  request.mutable_actor()->set_kind(v1::ACTOR_KIND_REGIONAL_BLOC);
  request.mutable_actor()->add_aliases("CEDEAO");
  auto* id = request.mutable_actor()->add_identifiers();
  id->set_scheme("cameo");
  id->set_value("IGOWAFWAS");
  v1::Actor created;
  ASSERT_TRUE(actors_->CreateActor(Context().get(), request, &created).ok());
  EXPECT_EQ(created.name(), "actors/ecowas");
  EXPECT_FALSE(created.etag().empty());
  EXPECT_TRUE(created.has_create_time());

  v1::GetActorRequest get;
  get.set_name("actors/ecowas");
  v1::Actor fetched;
  ASSERT_TRUE(actors_->GetActor(Context().get(), get, &fetched).ok());
  EXPECT_EQ(fetched.display_name(), "Economic Community of West African States");
  EXPECT_EQ(fetched.aliases(0), "CEDEAO");
  EXPECT_EQ(fetched.identifiers(0).value(), "IGOWAFWAS");
}

TEST_F(ActorServiceTest, DuplicateIdIsAlreadyExists) {
  CreateActorOrDie("ecowas", v1::ACTOR_KIND_REGIONAL_BLOC);
  v1::CreateActorRequest request;
  request.set_actor_id("ecowas");
  request.mutable_actor()->set_display_name("Again");
  request.mutable_actor()->set_kind(v1::ACTOR_KIND_REGIONAL_BLOC);
  v1::Actor actor;
  EXPECT_EQ(actors_->CreateActor(Context().get(), request, &actor).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(ActorServiceTest, BadInputNamesTheFieldAndCarriesBadRequestDetails) {
  struct Case {
    std::string id;
    std::string display_name;
    v1::ActorKind kind;
    std::string country;
    std::string expected_field;
  };
  const Case cases[] = {
      {"Bad_Id", "X", v1::ACTOR_KIND_STATE, "", "actor_id"},
      {"", "X", v1::ACTOR_KIND_STATE, "", "actor_id"},
      {"ok", "", v1::ACTOR_KIND_STATE, "", "actor.display_name"},
      {"ok", "X", v1::ACTOR_KIND_UNSPECIFIED, "", "actor.kind"},
      {"ok", "X", static_cast<v1::ActorKind>(99), "", "actor.kind"},
      {"ok", "X", v1::ACTOR_KIND_STATE, "Niger", "actor.country_code"},
  };
  for (const Case& c : cases) {
    v1::CreateActorRequest request;
    request.set_actor_id(c.id);
    request.mutable_actor()->set_display_name(c.display_name);
    request.mutable_actor()->set_kind(c.kind);
    request.mutable_actor()->set_country_code(c.country);
    v1::Actor actor;
    grpc::Status status = actors_->CreateActor(Context().get(), request, &actor);
    ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << c.expected_field;
    EXPECT_EQ(status.error_message().rfind(c.expected_field + ":", 0), 0u)
        << status.error_message();
    google::rpc::Status details;
    ASSERT_TRUE(details.ParseFromString(status.error_details()));
    google::rpc::BadRequest bad_request;
    ASSERT_EQ(details.details_size(), 1);
    ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
    EXPECT_EQ(bad_request.field_violations(0).field(), c.expected_field);
  }
  v1::ListActorsRequest list;
  v1::ListActorsResponse response;
  ASSERT_TRUE(actors_->ListActors(Context().get(), list, &response).ok());
  EXPECT_EQ(response.actors_size(), 0) << "a rejected create must write nothing";
}

TEST_F(ActorServiceTest, MembershipInMissingOrganisationIsFailedPrecondition) {
  v1::CreateActorRequest request;
  request.set_actor_id("niger");
  request.mutable_actor()->set_display_name("Niger");
  request.mutable_actor()->set_kind(v1::ACTOR_KIND_STATE);
  request.mutable_actor()->add_member_of()->set_organisation("actors/ecowas");
  v1::Actor actor;
  grpc::Status status = actors_->CreateActor(Context().get(), request, &actor);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("actors/ecowas"), std::string::npos);
}

TEST_F(ActorServiceTest, GetMissingActorIsNotFoundAndMalformedNameIsInvalid) {
  v1::GetActorRequest request;
  v1::Actor actor;
  request.set_name("actors/nobody");
  EXPECT_EQ(actors_->GetActor(Context().get(), request, &actor).error_code(),
            grpc::StatusCode::NOT_FOUND);
  request.set_name("events/nobody");
  EXPECT_EQ(actors_->GetActor(Context().get(), request, &actor).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ActorServiceTest, ListPagesThroughEveryActorOnceWithKindAndMemberFilters) {
  CreateNigerFixture();
  for (int i = 0; i < 7; ++i) {
    CreateActorOrDie("state-" + std::to_string(i), v1::ACTOR_KIND_STATE, "actors/ecowas");
  }
  std::vector<std::string> names;
  v1::ListActorsRequest request;
  request.set_page_size(3);
  request.set_filter("kind = STATE AND member_of = \"actors/ecowas\"");
  do {
    v1::ListActorsResponse response;
    ASSERT_TRUE(actors_->ListActors(Context().get(), request, &response).ok());
    for (const v1::Actor& actor : response.actors()) names.push_back(actor.name());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(names.size(), 9u);  // niger, benin and the 7 states
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
}

TEST_F(ActorServiceTest, PageTokenFromAnotherFilterIsRejected) {
  CreateNigerFixture();
  v1::ListActorsRequest request;
  request.set_page_size(1);
  v1::ListActorsResponse response;
  ASSERT_TRUE(actors_->ListActors(Context().get(), request, &response).ok());
  ASSERT_FALSE(response.next_page_token().empty());
  request.set_page_token(response.next_page_token());
  request.set_filter("kind = STATE");
  grpc::Status status = actors_->ListActors(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("page_token:", 0), 0u) << status.error_message();
  request.set_page_token("garbage!");
  EXPECT_EQ(actors_->ListActors(Context().get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ActorServiceTest, UpdateAppliesOnlyMaskedFieldsAndChecksEtag) {
  v1::Actor created = CreateActorOrDie("niger", v1::ACTOR_KIND_STATE);
  v1::UpdateActorRequest request;
  request.mutable_actor()->set_name("actors/niger");
  request.mutable_actor()->set_display_name("Republic of the Niger");
  request.mutable_actor()->set_country_code("NER");
  request.mutable_actor()->set_etag(created.etag());
  request.mutable_update_mask()->add_paths("display_name");
  v1::Actor updated;
  ASSERT_TRUE(actors_->UpdateActor(Context().get(), request, &updated).ok());
  EXPECT_EQ(updated.display_name(), "Republic of the Niger");
  EXPECT_EQ(updated.country_code(), "") << "country_code was not in the mask";
  EXPECT_NE(updated.etag(), created.etag());

  // The old etag is now stale.
  grpc::Status stale = actors_->UpdateActor(Context().get(), request, &updated);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);

  request.mutable_update_mask()->set_paths(0, "create_time");
  request.mutable_actor()->clear_etag();
  EXPECT_EQ(actors_->UpdateActor(Context().get(), request, &updated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.clear_update_mask();
  EXPECT_EQ(actors_->UpdateActor(Context().get(), request, &updated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(EventServiceTest, CreateGetUpdateAndListEvents) {
  CreateNigerFixture();
  v1::GetEventRequest get;
  get.set_name("events/niger-coup-2023");
  v1::Event event;
  ASSERT_TRUE(events_->GetEvent(Context().get(), get, &event).ok());
  EXPECT_EQ(event.title(), "Military coup in Niger");

  v1::UpdateEventRequest update;
  *update.mutable_event() = event;
  update.mutable_event()->set_summary("Presidential guard detains President Bazoum.");
  (*update.mutable_event()->mutable_labels())["region"] = "sahel";
  update.mutable_update_mask()->add_paths("summary");
  update.mutable_update_mask()->add_paths("labels");
  v1::Event updated;
  ASSERT_TRUE(events_->UpdateEvent(Context().get(), update, &updated).ok());
  EXPECT_EQ(updated.labels().at("region"), "sahel");

  v1::ListEventsRequest list;
  list.set_filter("labels.region = \"sahel\"");
  v1::ListEventsResponse response;
  ASSERT_TRUE(events_->ListEvents(Context().get(), list, &response).ok());
  ASSERT_EQ(response.events_size(), 1);
  EXPECT_EQ(response.events(0).name(), "events/niger-coup-2023");
}

TEST_F(EventServiceTest, EventWithoutStartTimeOrWithEndBeforeStartIsRejected) {
  v1::CreateEventRequest request;
  request.set_event_id("e");
  request.mutable_event()->set_title("T");
  v1::Event event;
  grpc::Status status = events_->CreateEvent(Context().get(), request, &event);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("event.start_time:", 0), 0u);
  request.mutable_event()->mutable_start_time()->set_seconds(1000);
  request.mutable_event()->mutable_end_time()->set_seconds(10);
  status = events_->CreateEvent(Context().get(), request, &event);
  EXPECT_EQ(status.error_message().rfind("event.end_time:", 0), 0u);
}

}  // namespace
}  // namespace rollcall::testing
