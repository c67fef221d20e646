"""Sphinx configuration of skact's documentation site.

Build it with ``python -m sphinx -W -b html docs docs/_build/html`` (the
README's docs command): the API reference from the docstrings (numpydoc), the
user guide from the Markdown pages (MyST), and the gallery from ``examples/``
(sphinx-gallery, which runs every example and keeps its figures).
"""

import sys
from pathlib import Path

import skact

HERE = Path(__file__).parent
# sphinx-gallery imports the gallery's sort key (_gallery_order.py) by name.
sys.path.insert(0, str(HERE))

project = "skact"
author = "The skact developers"
copyright = "2026, The skact developers"
version = release = skact.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    # MathJax from the package (the docs extra) instead of a CDN, so that the
    # formulas render in a site built or read offline.
    "sphinx-mathjax-offline",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "images", "_intersphinx", "**.ipynb_checkpoints"]
templates_path = ["_templates"]
# `name` in a docstring links to the object of that name, and help() shows
# plain `name` instead of a raw :class: role.
default_role = "py:obj"
nitpicky = True
# Targets in the docstrings that the estimators inherit from scikit-learn,
# which offline builds cannot resolve: scikit-learn writes `X` for a literal
# (its default role), and its 1.2 inventory (docs/_intersphinx) predates
# metadata routing.
nitpick_ignore = [
    ("py:obj", "X"),
    ("py:obj", "y"),
    ("std:ref", "metadata_routing"),
    ("py:class", "sklearn.utils.metadata_routing.MetadataRequest"),
]

# -- API reference -----------------------------------------------------------

autosummary_generate = True
numpydoc_show_class_members = False
numpydoc_xref_param_type = True
# Only the names below link from a parameter's type; other words stay text.
numpydoc_xref_ignore = "all"
numpydoc_xref_aliases = {
    "ndarray": "numpy.ndarray",
    "array-like": ":term:`array-like <numpy:array_like>`",
    "NotFittedError": "sklearn.exceptions.NotFittedError",
    "Real": "numbers.Real",
    "dtype": "numpy.dtype",
    "numpy.dtype": "numpy.dtype",
    "Activation": "skact.activations.Activation",
    "ScratchMLPClassifier": "skact.ScratchMLPClassifier",
    "ScratchMLPRegressor": "skact.ScratchMLPRegressor",
    "Pipeline": "sklearn.pipeline.Pipeline",
    "GridSearchCV": "sklearn.model_selection.GridSearchCV",
    "RandomizedSearchCV": "sklearn.model_selection.RandomizedSearchCV",
    "DataFrame": "pandas.DataFrame",
    "pandas.DataFrame": "pandas.DataFrame",
}

# -- User guide (Markdown) ---------------------------------------------------

myst_heading_anchors = 3

# -- Gallery -----------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    # The seeds' stories, in the order a newcomer asks them.
    "within_subsection_order": "_gallery_order.StoryOrder",
    "doc_module": ("skact",),
    "backreferences_dir": "api/backreferences",
    "reference_url": {"skact": None},
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "remove_config_comments": True,
    "show_memory": False,
}

# -- Links to scikit-learn, NumPy, SciPy, pandas and Python ------------------

# Each inventory is fetched from its site; where the build cannot reach it (CI
# runs offline), a copy in docs/_intersphinx/ stands in: scikit-learn's,
# SciPy's, pandas' and Python's from Debian's documentation packages
# (python-sklearn-doc 1.2.1, python-scipy-doc 1.10.1, python-pandas-doc 1.5.3,
# python3.11-doc), and for NumPy, which Debian does not package, the few names
# skact's pages link to (docs/_intersphinx/make_numpy_inventory.py).
LOCAL = HERE / "_intersphinx"
intersphinx_mapping = {
    name: (url, (None, str(LOCAL / f"{name}.inv")))
    for name, url in {
        "python": "https://docs.python.org/3/",
        "numpy": "https://numpy.org/doc/stable/",
        "scipy": "https://docs.scipy.org/doc/scipy/",
        "sklearn": "https://scikit-learn.org/stable/",
        "pandas": "https://pandas.pydata.org/docs/",
    }.items()
}
intersphinx_timeout = 5

# -- HTML --------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"skact {release}"
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_static_path = ["_static"]
html_css_files = ["skact.css"]
html_show_sourcelink = False
# "fit()" rather than "ScratchMLPClassifier.fit()" in a page's contents.
toc_object_entries_show_parents = "hide"
