"""Rollcall's Python client.

    import rollcall

    with rollcall.Client("localhost:50051") as client:
        for statement in client.list_statements('event = "events/niger-coup-2023"'):
            print(statement.actor, statement.quote)

The messages are the generated ``rollcall.v1.*_pb2`` modules (and
``google.rpc``), built into the package when it is built: install it with
``pip install client/python`` (see README.md). In the source tree,
``client/python/generate`` writes them beside the sources instead.
"""

import importlib.metadata
import importlib.util

if importlib.util.find_spec("rollcall.v1") is None:
    raise ImportError(
        "the generated rollcall.v1 modules are missing: install the package "
        "(pip install client/python) or, in the source tree, run client/python/generate"
    )

try:
    __version__ = importlib.metadata.version("rollcall")
except importlib.metadata.PackageNotFoundError:  # the source tree, not installed
    __version__ = "unknown"

from rollcall.channel import TLSConfig  # noqa: E402
from rollcall.client import Client  # noqa: E402
from rollcall.drafts import DraftWatch  # noqa: E402
from rollcall.errors import (  # noqa: E402
    Aborted,
    AlreadyExists,
    Cancelled,
    DeadlineExceeded,
    FailedPrecondition,
    Internal,
    InvalidArgument,
    NotFound,
    OutOfRange,
    PermissionDenied,
    RollcallError,
    Unauthenticated,
    Unavailable,
)
from rollcall.ingest import IngestResult, Ingestion  # noqa: E402
from rollcall.subscribe import Subscription  # noqa: E402

__all__ = [
    "Aborted",
    "AlreadyExists",
    "Cancelled",
    "Client",
    "DeadlineExceeded",
    "DraftWatch",
    "FailedPrecondition",
    "IngestResult",
    "Ingestion",
    "Internal",
    "InvalidArgument",
    "NotFound",
    "OutOfRange",
    "PermissionDenied",
    "RollcallError",
    "Subscription",
    "TLSConfig",
    "Unauthenticated",
    "Unavailable",
]
