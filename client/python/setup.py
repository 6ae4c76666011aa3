"""Builds the rollcall package with its generated modules (see pyproject.toml).

build_py copies the hand-written package, then runs ./generate into the
build directory, so the wheel holds rollcall.v1 (messages and gRPC stubs)
and google.rpc beside it. Needs the repository's proto/ next to client/.
"""

import pathlib
import subprocess

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).resolve().parent


class BuildWithGeneratedModules(build_py):
    def run(self) -> None:
        super().run()
        if not self.dry_run:
            subprocess.run([str(HERE / "generate"), self.build_lib], check=True,
                           stdout=subprocess.DEVNULL)


setup(cmdclass={"build_py": BuildWithGeneratedModules})
