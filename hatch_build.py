"""Build hook: compiles the C line walk (filmscrape/extract/_treewalk.pyx) into the wheel or the editable tree.

The walk reads libxml2's nodes through lxml's public C API (lxml ships the headers and .pxd files), so it
needs Cython, setuptools (to drive the compiler) and lxml at build time; pyproject's [build-system] lists
them. Without a C compiler the build goes on with a warning and filmscrape uses the pure-Python walk,
which gives the same lines ~2.5x slower.
"""

from __future__ import annotations

import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

try:
    from Cython.Compiler.Errors import CompileError as CythonError
except ImportError:  # no Cython: _compile fails on its import and the walk stays pure Python
    class CythonError(Exception):  # type: ignore[no-redef]
        """Never raised: stands in for Cython's error when Cython is absent."""

SOURCE = "filmscrape/extract/_treewalk.pyx"
MODULE = "filmscrape.extract._treewalk"


class TreewalkBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        try:
            built = self._compile()
        except CythonError:
            raise  # our .pyx does not compile: a bug to fix, not a machine to work around
        except Exception as exc:  # no compiler, no Cython: a working, slower install beats a failed one
            self.app.display_warning(f"filmscrape: C line walk not built ({type(exc).__name__}: {exc}); "
                                     "extraction uses the pure-Python walk")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        build_data["artifacts"].append(built.relative_to(Path(self.root)).as_posix())

    def _compile(self) -> Path:
        import lxml
        from Cython.Build import cythonize
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext

        root = Path(self.root)
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        built = root / "filmscrape" / "extract" / f"_treewalk{suffix}"
        built.unlink(missing_ok=True)  # a failed build must not leave an older walk behind
        extension = Extension(MODULE, [SOURCE], include_dirs=lxml.get_include())
        with tempfile.TemporaryDirectory(prefix="filmscrape-build-") as tmp:
            modules = cythonize([extension], quiet=True, build_dir=tmp,
                                compiler_directives={"language_level": 3})
            command = build_ext(Distribution({"ext_modules": modules}))
            command.inplace = True  # next to the .pyx: the editable install imports it from the source tree
            command.build_temp = tmp
            command.ensure_finalized()
            command.run()
        if not built.is_file():
            raise FileNotFoundError(built)
        return built
