"""What the benchmark scripts share: figures with targets, tables, a summary.

Imported by the scripts of this directory (run as ``python benchmarks/X.py``,
which puts this directory first on ``sys.path``).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """One measured figure, with the bound it must meet, if any."""

    label: str
    value: float
    at_most: float = None
    at_least: float = None

    @property
    def target(self):
        """The bound as text, such as ">= 0.45"; None when there is none."""
        # "+ 0.0" prints a bound of -0.0 (minus a zero gap) as 0.
        if self.at_most is not None:
            return f"<= {self.at_most + 0.0:g}"
        if self.at_least is not None:
            return f">= {self.at_least + 0.0:g}"
        return None

    @property
    def met(self):
        """True or False against the target; None when there is none."""
        if self.at_most is not None:
            return self.value <= self.at_most
        if self.at_least is not None:
            return self.value >= self.at_least
        return None


def print_table(header, rows):
    """Print a plain-text table: first column left-aligned, the rest right."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]

    def line(cells):
        first = f"{cells[0]:<{widths[0]}}"
        rest = (f"{c:>{w}}" for c, w in zip(cells[1:], widths[1:]))
        return "  ".join([first, *rest])

    print(line(header))
    print("-" * len(line(header)))
    for row in rows:
        print(line(row), flush=True)


def print_summary(title, results, value_format):
    """Print every result beside its target, then the count of targets met.

    Parameters
    ----------
    title : str
        The heading line.
    results : list of Result
        The figures, in order.
    value_format : str
        Format spec of the values, such as ".2f".
    """
    print(f"\n{title}")
    for result in results:
        line = f"  {result.label}: {result.value:{value_format}}"
        if result.target is not None:
            verdict = "met" if result.met else "NOT MET"
            line += f"  (target {result.target}: {verdict})"
        print(line)
    checked = [r for r in results if r.met is not None]
    missed = [r.label for r in checked if not r.met]
    print(f"\nTargets met: {len(checked) - len(missed)} of {len(checked)}")
    for label in missed:
        print(f"  not met: {label}")
