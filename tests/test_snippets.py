"""The code of README.md and of the user guide runs as written, and fits what it builds.

Every ```` ```python ```` block of README.md and of the site's pages (docs/index.md
and every docs/*.md page its toctrees include, docs/user_guide.md's among them)
is one test. The blocks of a page run in order in one namespace, as a reader
pasting them into one notebook would (a later block may use an earlier one's
``X`` or ``model``), in a temporary working directory (files a block saves land
there) with ``__name__ == "__main__"`` (as in a script or notebook) and
matplotlib's Agg backend. A block that starts with ``>>>`` is a doctest: its
printed output is checked too. Each page gets a fresh namespace; environment
variables a block sets are put back after it. NumPy's BLAS runs on one thread:
the pages' networks are small, and on a busy 2-core machine a second thread only
waits for the core (one thread made these blocks up to 8 times faster there).

A page whose first block uses names it never defines gets them from
``CONTEXT``, a few visible lines of setup per page (today only
docs/reliability.md, whose ``model`` is any fitted estimator); the entry must go
once the page defines them itself, and a test fails when it is no longer needed.

Fitting what a block builds: after a block runs, every scikit-learn estimator it
left unfitted (a value it bound to a name, or the value of an expression
statement, such as ``GridSearchCV(...)`` on a line of its own) is fitted, a
clone of it so that later blocks see what the page made: classifiers (a search
or pipeline ending in one included) on iris, regressors on diabetes, other
estimators on iris' features. A grid whose keys name no parameter, or an
activation that cannot train, fails there. The pages fit their own models on
small data, so this fallback rarely has anything to do.

What a block may say, in its first line, as a comment readers see too:

``# not run: <reason>``
    The block is shown but not run (the reason is required): for code that
    cannot run here at all. No block of the pages uses it today.
``# <module>.py ...``
    The block is the source of that module (``# my_activations.py, a module of
    your package``): it is written to the working directory, which is on
    ``sys.path``, for the blocks after it to import.

A block that imports an optional dependency that is not installed (the onnx or
distributed extras, or Ray) is skipped with ``pytest.importorskip``; the
test extra's own (pandas, matplotlib, rich, skops) are not optional here.
Every code line of a block must fit on the page: at most ``MAX_LINE`` (76)
characters, what the site's code column shows without scrolling.
"""

import ast
import doctest
import os
import re
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest
from sklearn.base import BaseEstimator, clone, is_classifier, is_regressor
from sklearn.datasets import load_diabetes, load_iris
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# What the site's code blocks show without scrolling, in a 1280-pixel-wide window
# (measured on a screenshot: about 76 characters of the theme's monospace font).
MAX_LINE = 76
# Imported modules whose absence skips a block, rather than failing it.
OPTIONAL_MODULES = {"onnxruntime", "skl2onnx", "onnx", "dask", "distributed", "ray"}

# Setup for pages whose code assumes names it does not define (see the docstring).
CONTEXT = {
    "docs/reliability.md": """
from sklearn.datasets import load_iris
from skact import ScratchMLPClassifier
X, y = load_iris(return_X_y=True)
model = ScratchMLPClassifier(max_iter=1000, random_state=0).fit(X, y)
""",
}

_FENCE = re.compile(r"^(`{3,})(.*)$")
_NOT_RUN = re.compile(r"#\s*not run:\s*\S")
_MODULE_FILE = re.compile(r"#\s*(\w+)\.py\b")


# -- collecting the blocks ----------------------------------------------------


def _fenced_blocks(path):
    """``(info string, first line number, code)`` of each top-level fence of a page.

    Line numbers count from 1, as editors do; the code is the fence's content,
    without the fence lines.
    """
    blocks, lines = [], path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, info = match.groups()
        end = i + 1
        while end < len(lines) and lines[end].rstrip() != fence:
            end += 1
        blocks.append((info.strip(), i + 2, "\n".join(lines[i + 1 : end]) + "\n"))
        i = end + 1
    return blocks


def _toctree_pages(path):
    """The Markdown pages under docs/ that a page's toctrees list, in order."""
    pages = []
    for info, _, body in _fenced_blocks(path):
        if info != "{toctree}":
            continue
        for entry in body.splitlines():
            entry = entry.strip()
            if entry and not entry.startswith(":"):
                page = (path.parent / entry).with_suffix(".md")
                if page.is_file():
                    pages.append(page)
    return pages


def _site_pages():
    """docs/index.md and every page its toctrees include, recursively."""
    pages, todo = [], [DOCS / "index.md"]
    while todo:
        page = todo.pop(0)
        if page not in pages:
            pages.append(page)
            todo.extend(_toctree_pages(page))
    return pages


PAGES = [ROOT / "README.md"] + _site_pages()


def _python_blocks(page):
    """``(first line number, code)`` of each ```` ```python ```` block of a page."""
    return [
        (line, code) for info, line, code in _fenced_blocks(page) if info == "python"
    ]


BLOCKS = [
    pytest.param(page, number, id=f"{page.relative_to(ROOT)}:{line}")
    for page in PAGES
    for number, (line, _) in enumerate(_python_blocks(page))
]


# -- running them -------------------------------------------------------------


@contextmanager
def _working_directory(path):
    """Run in ``path``, with it first on ``sys.path`` (for module blocks)."""
    old_cwd, old_environ = os.getcwd(), dict(os.environ)
    os.chdir(path)
    sys.path.insert(0, str(path))
    try:
        yield
    finally:
        sys.path.remove(str(path))
        os.chdir(old_cwd)
        os.environ.clear()
        os.environ.update(old_environ)


def _skip_without_optional_modules(tree):
    """pytest.importorskip every optional module that the block imports."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        else:
            continue
        for name in names:
            if name.split(".")[0] in OPTIONAL_MODULES:
                pytest.importorskip(name)


def _run_statements(tree, namespace, filename):
    """Execute a block's statements; return the values of its expression statements.

    An expression on a line of its own is evaluated as a notebook cell would
    show it, so that what it builds (``GridSearchCV(...)``) can be fitted.
    """
    values = []
    for statement in tree.body:
        if isinstance(statement, ast.Expr):
            code = compile(ast.Expression(statement.value), filename, "eval")
            values.append(eval(code, namespace))
        else:
            module = ast.Module(body=[statement], type_ignores=[])
            exec(compile(module, filename, "exec"), namespace)
    return values


def _run_doctest(code, namespace, filename, line):
    """Run a ``>>>`` block as a doctest in the namespace; fail on any failure."""
    test = doctest.DocTestParser().get_doctest(
        code, namespace, filename, filename, line
    )
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = []
    runner.run(test, out=report.append, clear_globs=False)
    assert runner.failures == 0, "".join(report)


def _run_block(page, line, code, namespace):
    """Run one block in the page's namespace; return what it built.

    Returns the values of its expression statements and of the names it bound
    or rebound, for the fitting that follows.
    """
    first = code.lstrip().splitlines()[0] if code.strip() else ""
    if _NOT_RUN.match(first):
        pytest.skip(f"marked in the page: {first}")
    module = _MODULE_FILE.match(first)
    if module:
        Path(f"{module.group(1)}.py").write_text(code, encoding="utf-8")
        return []
    filename = f"{page.relative_to(ROOT)}:{line}"
    if first.startswith(">>>"):
        before = dict(namespace)
        _run_doctest(code, namespace, filename, line - 1)
        values = []
    else:
        tree = ast.parse(code, filename)
        ast.increment_lineno(tree, line - 1)  # tracebacks name the page's lines
        _skip_without_optional_modules(tree)
        before = dict(namespace)
        values = _run_statements(tree, namespace, filename)
    rebound = [v for k, v in namespace.items() if before.get(k, object()) is not v]
    return values + rebound


class _Page:
    """A page's namespace and working directory, and how far its blocks have run.

    Each block's test first runs the blocks before it that have not run yet
    (as when a single test is selected with ``-k``), so that every block of a
    page runs once, in order, in the page's namespace.
    """

    def __init__(self, page, directory):
        self.page = page
        self.directory = directory
        self.blocks = _python_blocks(page)
        self.namespace = {"__name__": "__main__"}
        exec(CONTEXT.get(page.relative_to(ROOT).as_posix(), ""), self.namespace)
        self.done = 0
        self.failed = None

    def run(self, number):
        """Run the blocks up to ``number`` (which must be next or later)."""
        with _working_directory(self.directory):
            while self.done < number:
                self._run_quietly(self.done)
            if self.failed is not None:
                pytest.fail(
                    f"block {self.failed} of the page failed; this one follows it"
                )
            try:
                line, code = self.blocks[number]
                return _run_block(self.page, line, code, self.namespace)
            except pytest.skip.Exception:
                raise
            except BaseException:
                self.failed = number
                raise
            finally:
                self.done = number + 1
                _close_figures()

    def _run_quietly(self, number):
        """Run an earlier block as setup: its own test reports its failures."""
        try:
            _run_block(self.page, *self.blocks[number], self.namespace)
        except pytest.skip.Exception:
            pass
        except Exception:
            self.failed = number
        self.done = number + 1
        _close_figures()


def _close_figures():
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture(scope="module", autouse=True)
def agg_backend():
    """matplotlib draws off screen, as in CI; its previous backend comes back."""
    matplotlib = pytest.importorskip("matplotlib")
    backend = matplotlib.get_backend()
    matplotlib.use("Agg")
    yield
    matplotlib.use(backend)


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread():
    """NumPy's BLAS on one thread while the blocks run (see the docstring)."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """One `_Page` per page, made when its first block runs."""
    made = {}

    def get(page):
        if page not in made:
            made[page] = _Page(page, tmp_path_factory.mktemp(page.stem))
        return made[page]

    return get


# -- fitting what they build --------------------------------------------------


def _is_fitted(estimator):
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return False
    return True


def _small_real_data(estimator):
    """iris for a classifier, diabetes for a regressor, iris' features otherwise."""
    if is_regressor(estimator):
        return load_diabetes(return_X_y=True)
    X, y = load_iris(return_X_y=True)
    return (X, y) if is_classifier(estimator) else (X, None)


def _fit_unfitted(built):
    """Fit a clone of each unfitted estimator in ``built``; return their reprs."""
    fitted = []
    for obj in built:
        if isinstance(obj, BaseEstimator) and not _is_fitted(obj):
            X, y = _small_real_data(obj)
            with warnings.catch_warnings():
                # The pages' budgets are short on purpose.
                warnings.simplefilter("ignore", ConvergenceWarning)
                clone(obj).fit(X, y)
            fitted.append(type(obj).__name__)
    return fitted


# -- the tests ------------------------------------------------------------------


def test_pages_are_collected():
    # Guards the toctree walk: these pages have code, and must be run.
    names = {page.relative_to(ROOT).as_posix() for page in PAGES}
    assert {
        "README.md",
        "docs/index.md",
        "docs/user_guide.md",
        "docs/activations.md",
        "docs/notebooks.md",
        "docs/onnx.md",
        "docs/scaling.md",
        "docs/reliability.md",
    } <= names
    assert len(BLOCKS) >= 20


@pytest.mark.parametrize("page, number", BLOCKS)
def test_block_runs_and_fits(pages, page, number):
    built = pages(page).run(number)
    _fit_unfitted(built)


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_code_lines_fit_the_page(page):
    too_long = [
        f"line {line + offset}: {len(text)} characters"
        for line, code in _python_blocks(page)
        for offset, text in enumerate(code.splitlines())
        if len(text) > MAX_LINE
    ]
    assert not too_long, "\n".join(too_long)


@pytest.mark.parametrize("page", sorted(CONTEXT))
def test_context_is_still_needed(tmp_path, page):
    # Once the page defines its names itself, its CONTEXT entry must go.
    line, code = _python_blocks(ROOT / page)[0]
    with _working_directory(tmp_path), pytest.raises(NameError):
        _run_block(ROOT / page, line, code, {"__name__": "__main__"})


def test_unfitted_estimators_are_fitted():
    # The fallback must fit what a block leaves unfitted, and fail on a bad grid.
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    import skact

    pipe = make_pipeline(skact.MLPClassifier(max_iter=5))
    assert _fit_unfitted([pipe, skact.MLPRegressor(max_iter=5), "not one"]) == [
        "Pipeline",
        "MLPRegressor",
    ]
    assert not _is_fitted(pipe), "the page's own object must stay as it was"
    bad = GridSearchCV(pipe, {"scratchmlpclassifier__alpha": [1e-4]}, cv=2)
    with pytest.raises(ValueError, match="scratchmlpclassifier"):
        _fit_unfitted([bad])


def test_markers_and_doctests(tmp_path):
    # The opt-out marker skips; a module block becomes a file; a doctest whose
    # output differs fails; a block's environment variables are put back.
    page = ROOT / "README.md"
    with _working_directory(tmp_path):
        with pytest.raises(pytest.skip.Exception, match="needs a GPU"):
            _run_block(page, 1, "# not run: needs a GPU\nraise SystemExit\n", {})
        _run_block(page, 1, "# helper.py, a module\nVALUE = 3\n", {})
        namespace = {}
        code = "import os\nimport helper\nos.environ['SNIPPET'] = '1'\n"
        _run_block(page, 1, code, namespace)
        assert namespace["helper"].VALUE == 3
        with pytest.raises(AssertionError, match="Expected"):
            _run_block(page, 1, ">>> 1 + 1\n3\n", {})
    assert (tmp_path / "helper.py").is_file()
    assert "SNIPPET" not in os.environ
