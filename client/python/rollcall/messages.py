"""Builds API messages from plain Python values, for the client's keyword
arguments.

``build_message(Statement, {"event": "niger-coup-2023", "stance": "condemns",
"issue_time": date(2023, 7, 26)})`` accepts what a person would write:

- a reference to an actor or event may be a bare id: ``"ecowas"`` means
  ``"actors/ecowas"`` (a full name is kept as is);
- an enum may be its number, its full name (``STANCE_CONDEMNS``), its short
  name (``CONDEMNS``) or the CLI spelling (``condemns``, ``demand-release``);
- a Timestamp may be a ``datetime`` (naive means UTC), a ``date`` (midnight
  UTC) or a string (RFC 3339, or ``YYYY-MM-DD``);
- a Duration may be a ``timedelta`` or a number of seconds;
- a nested message may be a dict of its fields, built by the same rules.
"""

from __future__ import annotations

import datetime
from typing import Any, Mapping, TypeVar

from google.protobuf import duration_pb2, message, timestamp_pb2
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor

M = TypeVar("M", bound=message.Message)

TimeLike = timestamp_pb2.Timestamp | datetime.datetime | datetime.date | str
DurationLike = duration_pb2.Duration | datetime.timedelta | float

# String fields that refer to another resource, and that resource's collection.
_REFERENCES = {
    "rollcall.v1.Statement.event": "events",
    "rollcall.v1.Statement.actor": "actors",
    "rollcall.v1.Statement.joint_with": "actors",
    "rollcall.v1.Statement.stance_toward": "actors",
    "rollcall.v1.Action.targets": "actors",
    "rollcall.v1.Membership.organisation": "actors",
}


def resource_name(collection: str, name_or_id: str) -> str:
    """Returns the resource name of ``name_or_id`` in ``collection``:
    ``resource_name("actors", "ecowas")`` is ``"actors/ecowas"``, and
    ``"actors/ecowas"`` is returned unchanged."""
    prefix = collection + "/"
    return name_or_id if name_or_id.startswith(prefix) else prefix + name_or_id


def build_message(message_class: type[M], fields: Mapping[str, Any]) -> M:
    """Returns a ``message_class`` with ``fields`` set by the module's rules.

    Raises TypeError for a field the message does not have and ValueError
    for a value that cannot be converted (e.g. an unknown enum name).
    """
    return message_class(**_convert_fields(message_class.DESCRIPTOR, fields))


def message_or_fields(
    message_class: type[M], value: M | None, fields: Mapping[str, Any]
) -> M:
    """The message given, or one built from keyword fields (not both).

    Raises TypeError if both are given."""
    if value is not None and fields:
        raise TypeError(f"pass a {message_class.__name__} or keyword fields, not both")
    return value if value is not None else build_message(message_class, fields)


def enum_value(enum_type: EnumDescriptor, value: int | str) -> int:
    """Returns the number of an enum value given as a number or any of the
    spellings ``STANCE_CONDEMNS``, ``CONDEMNS``, ``condemns``."""
    if isinstance(value, int):
        return value
    # Every API enum's zero value is PREFIX_UNSPECIFIED.
    prefix = enum_type.values_by_number[0].name[: -len("UNSPECIFIED")]
    name = value.strip().upper().replace("-", "_")
    for candidate in (name, prefix + name):
        if candidate in enum_type.values_by_name:
            return enum_type.values_by_name[candidate].number
    allowed = ", ".join(
        v.name[len(prefix):].lower().replace("_", "-")
        for v in enum_type.values
        if v.number != 0
    )
    raise ValueError(f"invalid {enum_type.name} {value!r}; expected one of: {allowed}")


def to_timestamp(value: TimeLike) -> timestamp_pb2.Timestamp:
    """Converts a datetime, date or RFC 3339 / YYYY-MM-DD string."""
    if isinstance(value, timestamp_pb2.Timestamp):
        return value
    if isinstance(value, str):
        if len(value) == len("2023-07-26"):
            value = datetime.date.fromisoformat(value)
        else:
            timestamp = timestamp_pb2.Timestamp()
            timestamp.FromJsonString(value)
            return timestamp
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(), datetime.timezone.utc)
    timestamp = timestamp_pb2.Timestamp()
    timestamp.FromDatetime(value)
    return timestamp


def to_duration(value: DurationLike) -> duration_pb2.Duration:
    """Converts a timedelta or a number of seconds."""
    if isinstance(value, duration_pb2.Duration):
        return value
    if not isinstance(value, datetime.timedelta):
        value = datetime.timedelta(seconds=value)
    duration = duration_pb2.Duration()
    duration.FromTimedelta(value)
    return duration


def _convert_fields(descriptor: Descriptor, fields: Mapping[str, Any]) -> dict[str, Any]:
    converted = {}
    for key, value in fields.items():
        field = descriptor.fields_by_name.get(key)
        if field is None:
            raise TypeError(f"{descriptor.full_name} has no field {key!r}")
        converted[key] = _convert_field(field, value)
    return converted


def _convert_field(field: FieldDescriptor, value: Any) -> Any:
    is_map = field.message_type is not None and field.message_type.GetOptions().map_entry
    if is_map:  # the API's maps are string to string (labels)
        return value
    if field.label == FieldDescriptor.LABEL_REPEATED:
        return [_convert_value(field, item) for item in value]
    return _convert_value(field, value)


def _convert_value(field: FieldDescriptor, value: Any) -> Any:
    if field.enum_type is not None:
        return enum_value(field.enum_type, value)
    if field.message_type is None:
        collection = _REFERENCES.get(field.full_name)
        if collection and isinstance(value, str) and value:
            return resource_name(collection, value)
        return value
    if isinstance(value, message.Message):
        return value
    if field.message_type.full_name == "google.protobuf.Timestamp":
        return to_timestamp(value)
    if field.message_type.full_name == "google.protobuf.Duration":
        return to_duration(value)
    return _convert_fields(field.message_type, value)
