"""Two things pyproject.toml cannot say:

- the build's C loops (kg/_native.c), compiled when a C compiler is there; without one kg installs
  all the same and runs the Python versions of the same loops (same bytes, slower);
- the project's data folders (ontology/, queries/, reference/, seeds/), which live at the top of the
  source tree for people to read and edit, are copied into the built package as `kg/data/`, so an
  installed kg finds them with no checkout (`kg.paths` looks there first).
"""

import shutil
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py

DATA_FOLDERS = ("ontology", "queries", "reference", "seeds")


class build_py_with_data(build_py):  # noqa: N801 (setuptools' naming)
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the folders where they are
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "kg" / "data"
        for name in DATA_FOLDERS:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(root / name, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(
    ext_modules=[Extension("kg._native", ["kg/_native.c"], optional=True, extra_compile_args=["-O2"])],
    cmdclass={"build_py": build_py_with_data},
)
