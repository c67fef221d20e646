"""Write numpy.inv: the NumPy names skact's documentation links to.

Sphinx resolves links to other projects through their ``objects.inv``.
NumPy's is at https://numpy.org/doc/stable/objects.inv, which the offline
build machines cannot reach and Debian does not package; this writes one for
the names skact's pages use, with the addresses of NumPy's own documentation
(its API pages live at ``reference/generated/<name>.html``). Run it again when
a docstring links to a NumPy name that is not below:
``python docs/_intersphinx/make_numpy_inventory.py``.
"""

import zlib
from pathlib import Path

import numpy as np

# (name, role, page under https://numpy.org/doc/stable/)
ENTRIES = [
    ("numpy.ndarray", "class", "reference/generated/numpy.ndarray.html"),
    ("numpy.dtype", "class", "reference/generated/numpy.dtype.html"),
    ("numpy.float32", "attribute", "reference/arrays.scalars.html"),
    ("numpy.float64", "attribute", "reference/arrays.scalars.html"),
    ("numpy.random.RandomState", "class", "reference/random/legacy.html"),
    ("numpy.random.Generator", "class", "reference/random/generator.html"),
    ("numpy.linspace", "function", "reference/generated/numpy.linspace.html"),
]
# (term, page): glossary entries, which Sphinx anchors as "term-<term>".
TERMS = [("array_like", "glossary.html")]


def main():
    lines = [f"{name} py:{role} 1 {page}#$ -" for name, role, page in ENTRIES]
    lines += [f"{term} std:term -1 {page}#term-{term} -" for term, page in TERMS]
    header = (
        "# Sphinx inventory version 2\n"
        "# Project: NumPy\n"
        f"# Version: {np.__version__}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = zlib.compress(("\n".join(lines) + "\n").encode())
    (Path(__file__).parent / "numpy.inv").write_bytes(header.encode() + body)


if __name__ == "__main__":
    main()
