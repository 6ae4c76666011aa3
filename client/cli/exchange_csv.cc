#include "client/cli/exchange_csv.h"

#include <algorithm>
#include <functional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/csv.h"
#include "client/cli/names.h"
#include "client/cli/values.h"
#include "google/protobuf/util/time_util.h"

namespace rollcall::cli {
namespace {

using google::protobuf::Timestamp;
using DisplayNames = std::map<std::string, std::string>;

// What a row is written from besides its statement.
struct RowContext {
  const DisplayNames& names;
  v1::Position position;
};
using Statement = v1::Statement;

// A column with one value per statement. `set` is null for the columns an
// export writes and an import ignores.
struct StatementColumn {
  const char* name;
  std::function<std::string(const Statement&, const RowContext&)> get;
  std::function<absl::Status(absl::string_view, Statement*)> set;
};

// A column with one entry per action or per source, separated by ';'.
template <typename Item>
struct ItemColumn {
  const char* name;
  std::function<std::string(const Item&)> get;
  std::function<absl::Status(absl::string_view, Item*)> set;
};

std::string TimeCell(const Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "";
  return google::protobuf::util::TimeUtil::ToString(time);
}

absl::Status SetTime(absl::string_view column, absl::string_view text, Timestamp* time,
                     bool* date_only = nullptr) {
  time->Clear();
  if (text.empty()) return absl::OkStatus();
  absl::StatusOr<TimeValue> parsed = ParseTime(column, text);
  if (!parsed.ok()) return parsed.status();
  *time = parsed->timestamp;
  if (date_only != nullptr) *date_only = parsed->date_only;
  return absl::OkStatus();
}

// An enum cell: "" is the UNSPECIFIED value.
template <typename Enum>
absl::StatusOr<Enum> EnumCell(absl::string_view column, absl::string_view text) {
  if (text.empty()) return static_cast<Enum>(0);
  return ParseEnum<Enum>(column, text);
}

std::string IdList(const google::protobuf::RepeatedPtrField<std::string>& names,
                   char separator) {
  std::vector<std::string> ids;
  for (const auto& name : names) ids.push_back(ResourceId(name));
  return JoinList(ids, separator);
}

void SetActorList(absl::string_view text, char separator,
                  google::protobuf::RepeatedPtrField<std::string>* names) {
  names->Clear();
  for (const auto& id : SplitList(text, separator)) *names->Add() = ActorName(id);
}

template <typename Message>
using TextGetter = const std::string& (Message::*)() const;
template <typename Message>
using TextMutator = std::string* (Message::*)();

template <typename Message, typename Column>
Column Text(const char* name, TextGetter<Message> get, TextMutator<Message> mutate) {
  Column column{name, nullptr, nullptr};
  column.set = [mutate](absl::string_view text, Message* message) {
    *(message->*mutate)() = std::string(text);
    return absl::OkStatus();
  };
  if constexpr (std::is_same_v<Column, StatementColumn>) {
    column.get = [get](const Message& m, const RowContext&) { return (m.*get)(); };
  } else {
    column.get = [get](const Message& m) { return (m.*get)(); };
  }
  return column;
}

StatementColumn StatementText(const char* name, TextGetter<Statement> get,
                              TextMutator<Statement> mutate) {
  return Text<Statement, StatementColumn>(name, get, mutate);
}

template <typename Item>
ItemColumn<Item> ItemText(const char* name, TextGetter<Item> get,
                          TextMutator<Item> mutate) {
  return Text<Item, ItemColumn<Item>>(name, get, mutate);
}

template <typename Item>
ItemColumn<Item> ItemTime(const char* name, const Timestamp& (Item::*get)() const,
                          Timestamp* (Item::*mutate)()) {
  return {name, [get](const Item& item) { return TimeCell((item.*get)()); },
          [name, mutate](absl::string_view text, Item* item) {
            if (text.empty()) return absl::OkStatus();
            return SetTime(name, text, (item->*mutate)());
          }};
}

const std::vector<StatementColumn>& HeadColumns() {
  static const auto* columns = new std::vector<StatementColumn>{
      StatementText("name", &Statement::name, &Statement::mutable_name),
      {"event",
       [](const Statement& s, const RowContext&) { return ResourceId(s.event()); },
       [](absl::string_view text, Statement* s) {
         s->set_event(text.empty() ? "" : EventName(text));
         return absl::OkStatus();
       }},
      {"actor",
       [](const Statement& s, const RowContext&) { return ResourceId(s.actor()); },
       [](absl::string_view text, Statement* s) {
         s->set_actor(text.empty() ? "" : ActorName(text));
         return absl::OkStatus();
       }},
      {"actor_name",
       [](const Statement& s, const RowContext& row) {
         auto it = row.names.find(s.actor());
         return it == row.names.end() ? std::string() : it->second;
       },
       nullptr},
      {"stance",
       [](const Statement& s, const RowContext&) { return Label(s.stance()); },
       [](absl::string_view text, Statement* s) {
         auto stance = EnumCell<v1::Stance>("stance", text);
         if (stance.ok()) s->set_stance(*stance);
         return stance.status();
       }},
      {"stance_toward",
       [](const Statement& s, const RowContext&) {
         return ResourceId(s.stance_toward());
       },
       [](absl::string_view text, Statement* s) {
         s->set_stance_toward(text.empty() ? "" : ActorName(text));
         return absl::OkStatus();
       }},
      {"position",
       [](const Statement&, const RowContext& row) { return Label(row.position); },
       nullptr},
      {"joint_with",
       [](const Statement& s, const RowContext&) {
         return IdList(s.joint_with(), ';');
       },
       [](absl::string_view text, Statement* s) {
         SetActorList(text, ';', s->mutable_joint_with());
         return absl::OkStatus();
       }},
      {"modality",
       [](const Statement& s, const RowContext&) { return Label(s.modality()); },
       [](absl::string_view text, Statement* s) {
         auto modality = EnumCell<v1::Modality>("modality", text);
         if (modality.ok()) s->set_modality(*modality);
         return modality.status();
       }},
      {"issue_time",
       [](const Statement& s, const RowContext&) { return TimeCell(s.issue_time()); },
       [](absl::string_view text, Statement* s) {
         bool date_only = false;
         absl::Status status =
             SetTime("issue_time", text, s->mutable_issue_time(), &date_only);
         // As with --issue-time: a date is known to the day, unless the
         // issue_time_precision column (read next) says otherwise.
         if (date_only) s->set_issue_time_precision(v1::TIME_PRECISION_DAY);
         return status;
       }},
      {"issue_time_precision",
       [](const Statement& s, const RowContext&) {
         return Label(s.issue_time_precision());
       },
       [](absl::string_view text, Statement* s) {
         if (text.empty()) return absl::OkStatus();
         auto precision = EnumCell<v1::TimePrecision>("issue_time_precision", text);
         if (precision.ok()) s->set_issue_time_precision(*precision);
         return precision.status();
       }},
      StatementText("language", &Statement::language, &Statement::mutable_language),
      {"speaker",
       [](const Statement& s, const RowContext&) { return s.speaker().person_name(); },
       [](absl::string_view text, Statement* s) {
         if (!text.empty()) s->mutable_speaker()->set_person_name(std::string(text));
         return absl::OkStatus();
       }},
      {"office",
       [](const Statement& s, const RowContext&) { return s.speaker().office(); },
       [](absl::string_view text, Statement* s) {
         if (!text.empty()) s->mutable_speaker()->set_office(std::string(text));
         return absl::OkStatus();
       }},
      StatementText("quote", &Statement::quote, &Statement::mutable_quote),
      StatementText("summary", &Statement::summary, &Statement::mutable_summary),
  };
  return *columns;
}

// "actions" itself comes first: it says how many actions there are.
const std::vector<ItemColumn<v1::Action>>& ActionColumns() {
  using v1::Action;
  static const auto* columns = new std::vector<ItemColumn<Action>>{
      {"actions", [](const Action& a) { return Label(a.kind()); },
       [](absl::string_view text, Action* a) {
         auto kind = ParseEnum<v1::ActionKind>("actions", text);
         if (kind.ok()) a->set_kind(*kind);
         return kind.status();
       }},
      {"action_targets", [](const Action& a) { return IdList(a.targets(), ','); },
       [](absl::string_view text, Action* a) {
         SetActorList(text, ',', a->mutable_targets());
         return absl::OkStatus();
       }},
      ItemText("action_descriptions", &Action::description, &Action::mutable_description),
      ItemTime("action_deadlines", &Action::deadline, &Action::mutable_deadline),
      ItemTime("action_effective_from", &Action::effective_from,
               &Action::mutable_effective_from),
      ItemTime("action_effective_to", &Action::effective_to,
               &Action::mutable_effective_to),
  };
  return *columns;
}

const std::vector<ItemColumn<v1::Source>>& SourceColumns() {
  using v1::Source;
  static const auto* columns = new std::vector<ItemColumn<Source>>{
      ItemText("source_publishers", &Source::publisher, &Source::mutable_publisher),
      ItemText("source_urls", &Source::url, &Source::mutable_url),
      ItemText("source_titles", &Source::title, &Source::mutable_title),
      {"source_media", [](const Source& s) { return Label(s.medium()); },
       [](absl::string_view text, Source* s) {
         auto medium = EnumCell<v1::SourceMedium>("source_media", text);
         if (medium.ok()) s->set_medium(*medium);
         return medium.status();
       }},
      ItemTime("source_publish_times", &Source::publish_time,
               &Source::mutable_publish_time),
      ItemTime("source_retrieve_times", &Source::retrieve_time,
               &Source::mutable_retrieve_time),
      ItemText("source_archive_urls", &Source::archive_url, &Source::mutable_archive_url),
      ItemText("source_excerpts", &Source::excerpt, &Source::mutable_excerpt),
  };
  return *columns;
}

const std::vector<StatementColumn>& TailColumns() {
  static const auto* columns = new std::vector<StatementColumn>{
      {"labels",
       [](const Statement& s, const RowContext&) {
         std::vector<std::string> labels;
         for (const auto& [key, value] : s.labels()) {
           labels.push_back(absl::StrCat(key, "=", value));
         }
         std::sort(labels.begin(), labels.end());
         return JoinList(labels, ';');
       },
       [](absl::string_view text, Statement* s) {
         s->clear_labels();
         for (const auto& label : SplitList(text, ';')) {
           auto parsed = ParseLabel("labels", label);
           if (!parsed.ok()) return parsed.status();
           (*s->mutable_labels())[parsed->first] = parsed->second;
         }
         return absl::OkStatus();
       }},
      {"state", [](const Statement& s, const RowContext&) { return Label(s.state()); },
       nullptr},
      {"revision",
       [](const Statement& s, const RowContext&) { return absl::StrCat(s.revision()); },
       nullptr},
  };
  return *columns;
}

template <typename Item>
std::string ItemCell(const google::protobuf::RepeatedPtrField<Item>& items,
                     const ItemColumn<Item>& column) {
  std::vector<std::string> entries;
  bool any = false;
  for (const auto& item : items) {
    entries.push_back(column.get(item));
    any = any || !entries.back().empty();
  }
  // All empty is written as an empty cell.
  return any ? JoinList(entries, ';') : "";
}

// Sets `column` on each of `items` from `cell`: "" leaves them all unset;
// otherwise the cell must have one entry per item.
template <typename Item>
absl::Status SetItems(const ItemColumn<Item>& column, absl::string_view cell,
                      google::protobuf::RepeatedPtrField<Item>* items) {
  if (cell.empty()) return absl::OkStatus();
  const std::vector<std::string> entries = SplitList(cell, ';');
  if (static_cast<int>(entries.size()) != items->size()) {
    return absl::InvalidArgumentError(absl::StrCat(column.name, ": ", entries.size(),
                                                   " entries separated by ';', expected ",
                                                   items->size()));
  }
  for (int i = 0; i < items->size(); ++i) {
    absl::Status status = column.set(entries[i], items->Mutable(i));
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<std::string> StatementCsvHeader() {
  std::vector<std::string> header;
  for (const auto& column : HeadColumns()) header.push_back(column.name);
  for (const auto& column : ActionColumns()) header.push_back(column.name);
  for (const auto& column : SourceColumns()) header.push_back(column.name);
  for (const auto& column : TailColumns()) header.push_back(column.name);
  return header;
}

std::vector<std::string> StatementToCsv(const Statement& statement,
                                        const DisplayNames& display_names,
                                        v1::Position position) {
  const RowContext context{display_names, position};
  std::vector<std::string> row;
  for (const auto& column : HeadColumns()) {
    row.push_back(column.get(statement, context));
  }
  for (const auto& column : ActionColumns()) {
    row.push_back(ItemCell(statement.actions(), column));
  }
  for (const auto& column : SourceColumns()) {
    row.push_back(ItemCell(statement.sources(), column));
  }
  for (const auto& column : TailColumns()) {
    row.push_back(column.get(statement, context));
  }
  return row;
}

absl::Status CheckStatementCsvHeader(const std::vector<std::string>& header) {
  const std::vector<std::string> known = StatementCsvHeader();
  std::set<std::string> seen;
  for (const auto& name : header) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown column \"", name,
          "\" in the header row; expected columns among: ", absl::StrJoin(known, ", ")));
    }
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("column \"", name, "\" appears twice in the header row"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Statement> StatementFromCsv(const std::vector<std::string>& header,
                                           const std::vector<std::string>& cells) {
  if (cells.size() != header.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the row has ", cells.size(), " cells, the header ", header.size()));
  }
  std::map<std::string, std::string> by_name;
  for (size_t i = 0; i < header.size(); ++i) by_name[header[i]] = cells[i];
  auto cell = [&](const char* name) -> absl::string_view {
    auto it = by_name.find(name);
    return it == by_name.end() ? absl::string_view() : absl::string_view(it->second);
  };

  Statement statement;
  for (const auto* columns : {&HeadColumns(), &TailColumns()}) {
    for (const auto& column : *columns) {
      if (column.set == nullptr) continue;
      absl::Status status = column.set(cell(column.name), &statement);
      if (!status.ok()) return status;
    }
  }
  for (size_t i = 0, n = SplitList(cell("actions"), ';').size(); i < n; ++i) {
    statement.add_actions();
  }
  for (const auto& column : ActionColumns()) {
    absl::Status status =
        SetItems(column, cell(column.name), statement.mutable_actions());
    if (!status.ok()) return status;
  }
  size_t sources = 0;
  for (const auto& column : SourceColumns()) {
    sources = std::max(sources, SplitList(cell(column.name), ';').size());
  }
  for (size_t i = 0; i < sources; ++i) statement.add_sources();
  for (const auto& column : SourceColumns()) {
    absl::Status status =
        SetItems(column, cell(column.name), statement.mutable_sources());
    if (!status.ok()) return status;
  }
  return statement;
}

}  // namespace rollcall::cli
