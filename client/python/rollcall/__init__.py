"""Rollcall's Python client.

    import rollcall

    with rollcall.Client("localhost:50051") as client:
        for statement in client.list_statements('event = "events/niger-coup-2023"'):
            print(statement.actor, statement.quote)

The messages are the generated ``rollcall.v1.*_pb2`` modules, which
``client/python/generate`` writes into a separate directory (by default
``client/python/build/generated``; elsewhere, point ``ROLLCALL_GENERATED_DIR``
at it). This package adds that directory to the import path and extends its
own ``__path__`` over the directory's ``rollcall/``, so ``rollcall.v1`` and
``google.rpc`` import from there.
"""

import importlib.util
import os
import pkgutil
import sys


def _add_generated_dir() -> None:
    """Puts the generated modules' directory on sys.path if it exists."""
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    default = os.path.join(package_root, "build", "generated")
    directory = os.path.abspath(os.environ.get("ROLLCALL_GENERATED_DIR") or default)
    if os.path.isdir(directory) and directory not in sys.path:
        sys.path.append(directory)


_add_generated_dir()
__path__ = pkgutil.extend_path(__path__, __name__)

if importlib.util.find_spec("rollcall.v1") is None:
    raise ImportError(
        "the generated rollcall.v1 modules are missing: run client/python/generate "
        "[DIR] (and set ROLLCALL_GENERATED_DIR=DIR if you gave one)"
    )

from rollcall.channel import TLSConfig  # noqa: E402
from rollcall.client import Client  # noqa: E402
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
